// Functions the page gives <llama-chat>'s model to call: their OpenAI description, and running
// one on the page with its confirmation and time limit. Every outcome is text the model reads.
import type { ChatTool, JsonSchema } from '../../protocol/types.js';

/** Default time a tool may take before the model is told it timed out. */
export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

/** A function on the page that the model may call. */
export interface PageTool {
  /** Letters, digits, `_` or `-`: the name the model calls it by. */
  name: string;
  /** What it does, for the model. */
  description?: string;
  /** JSON Schema of its arguments (an object); absent: no arguments. */
  parameters?: JsonSchema;
  /** Runs the call; the result (text, or anything JSON) is fed back to the model. */
  run(args: Record<string, unknown>): unknown;
  /** Ask the person (Allow / Deny) before each call. */
  confirm?: boolean;
  /** Longest the call may take, in ms (default 30 000). */
  timeoutMs?: number;
}

/** What a call came to: a result, a failure, or the person's refusal. */
export type ToolOutcome = { result: string } | { error: string } | { denied: true };

export function toChatTools(tools: readonly PageTool[]): ChatTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      ...(t.parameters ? { parameters: t.parameters } : {}),
    },
  }));
}

/** Runs `tool` with `args`; a throw, a rejection or the time limit become an `error` outcome. */
export async function runPageTool(tool: PageTool, args: Record<string, unknown>): Promise<ToolOutcome> {
  const limit = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`it did not finish within ${limit} ms`)), limit);
  });
  try {
    const value: unknown = await Promise.race([Promise.resolve().then(() => tool.run(args)), timeout]);
    return { result: typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined') };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome as the model reads it in the tool message. */
export function outcomeText(outcome: ToolOutcome): string {
  if ('result' in outcome) return outcome.result;
  if ('error' in outcome) return `The tool failed: ${outcome.error}`;
  return 'The person declined to run this tool.';
}
