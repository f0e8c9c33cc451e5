// One answer: streamed as deltas, with the session's tools run on the page when the model calls
// them (their results go back to it, up to MAX_TOOL_ROUNDS rounds, then it must answer in words),
// and a prefix continued rather than repeated.
import type { ChatCompletionRequest, ChatTool, JsonSchema, RequestMessage, ToolCall } from '../../protocol/types.js';
import { abortReason } from './errors.js';
import type { ModelHost } from './model-host.js';
import type { LanguageModelTool } from './types.js';

export const MAX_TOOL_ROUNDS = 4;

export function chatTools(tools: readonly LanguageModelTool[]): ChatTool[] | undefined {
  if (tools.length === 0) return undefined;
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.inputSchema as JsonSchema },
  }));
}

export interface AnswerRequest {
  host: ModelHost;
  request: ChatCompletionRequest;
  tools: readonly LanguageModelTool[];
  /** For the first round; later rounds are "auto", the last "none". */
  toolChoice: 'auto' | 'required';
  /** The last message's text when it is a prefix the model continues. */
  prefix: string | undefined;
  onDelta: (delta: string) => void;
  signal: AbortSignal;
}

/** Streams the answer; resolves with the messages it adds to the conversation (calls, results, the answer). */
export async function answer({ host, request, tools, toolChoice, prefix, onDelta, signal }: AnswerRequest): Promise<RequestMessage[]> {
  const stopEngine = () => void host.interrupt();
  signal.addEventListener('abort', stopEngine, { once: true });
  const added: RequestMessage[] = [];
  try {
    for (let round = 0; ; round++) {
      const calls: ToolCall[] = [];
      let text = '';
      const unecho = round === 0 && prefix ? echoRemover(prefix) : (delta: string) => delta;
      const chunks = host.stream({
        ...request,
        messages: [...request.messages, ...added],
        tools: chatTools(tools),
        ...(tools.length > 0 ? { tool_choice: round >= MAX_TOOL_ROUNDS ? 'none' : round === 0 ? toolChoice : 'auto' } : {}),
        stream: true,
      });
      for await (const chunk of chunks) {
        if (signal.aborted) break; // leaving the loop interrupts the engine
        const choice = chunk.choices[0];
        const delta = unecho(choice?.delta.content ?? '');
        if (delta) {
          text += delta;
          onDelta(delta);
        }
        for (const { index, ...call } of choice?.delta.tool_calls ?? []) calls[index] = call;
      }
      if (signal.aborted) throw abortReason(signal);
      if (calls.length === 0) {
        if (prefix && round === 0) added.push({ role: 'assistant', content: `${prefix}${text}` });
        else added.push({ role: 'assistant', content: text });
        return added;
      }
      added.push({ role: 'assistant', content: text || null, tool_calls: calls });
      for (const call of calls) added.push({ role: 'tool', tool_call_id: call.id, content: await runTool(tools, call) });
      if (signal.aborted) throw abortReason(signal);
    }
  } finally {
    signal.removeEventListener('abort', stopEngine);
  }
}

async function runTool(tools: readonly LanguageModelTool[], call: ToolCall): Promise<string> {
  const tool = tools.find((t) => t.name === call.function.name);
  if (!tool) return `Error: there is no tool named "${call.function.name}".`;
  try {
    const input: unknown = JSON.parse(call.function.arguments); // checked against inputSchema by the worker
    return String(await tool.execute(input as never));
  } catch (error) {
    return `Error: ${error instanceof Error ? error.message : String(error)}`; // the model may try again or answer without it
  }
}

/**
 * llama.cpp answers a prefilled assistant message with the prefix again, then its continuation:
 * pass on only what follows the prefix (and everything, if an engine does not repeat it).
 */
export function echoRemover(prefix: string): (delta: string) => string {
  let seen = '';
  let passing = false;
  return (delta) => {
    if (passing) return delta;
    seen += delta;
    if (prefix.startsWith(seen)) return '';
    passing = true;
    return seen.startsWith(prefix) ? seen.slice(prefix.length) : seen;
  };
}
