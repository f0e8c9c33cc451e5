// One answer of <llama-chat> when the page gave tools: the model may call them (up to
// MAX_TOOL_ROUNDS rounds), each call runs on the page (after the person allows it, when the
// tool asks), shows in the conversation, and its outcome goes back to the model, which then
// answers. After the last round the model must answer in words.
import type { ChatMessage, RequestMessage, ToolCall, ToolChoice } from '../../protocol/types.js';
import { outcomeText, runPageTool, toChatTools, type PageTool, type ToolOutcome } from './page-tools.js';
import type { SessionClient, SessionEvents, SessionSettings, ToolActivity } from './session-types.js';
import { streamInto, type Turn } from './turn.js';

export const MAX_TOOL_ROUNDS = 4;

export interface ToolLoopHost {
  emit<K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]): void;
  onChange(): void;
  /** Shows a call in the conversation, before the answer. */
  show(activity: ToolActivity): void;
  onDelta(delta: string): void;
}

export async function answerWithTools(
  turn: Turn,
  client: SessionClient,
  prompt: readonly ChatMessage[],
  settings: SessionSettings,
  host: ToolLoopHost,
): Promise<void> {
  const tools = settings.tools;
  const messages: RequestMessage[] = [...prompt];
  for (let round = 0; ; round++) {
    const choice: ToolChoice = round >= MAX_TOOL_ROUNDS ? 'none' : round === 0 ? settings.toolChoice : 'auto';
    const calls: ToolCall[] = [];
    const chunks = client.stream({
      messages,
      temperature: settings.temperature,
      max_tokens: settings.maxTokens,
      ...(settings.adapter ? { adapter: settings.adapter } : {}),
      tools: toChatTools(tools),
      tool_choice: choice,
      stream: true,
      stream_options: { include_usage: true },
    });
    await streamInto(turn, collectCalls(chunks, calls), host.onDelta);
    if (calls.length === 0 || turn.answer.stopped) return;
    messages.push({ role: 'assistant', content: null, tool_calls: calls });
    for (const call of calls) {
      const outcome = await callTool(call, tools, host);
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcomeText(outcome) });
    }
  }
}

/** Passes the chunks on, keeping the tool calls they carry. */
async function* collectCalls<T extends { choices: Array<{ delta: { tool_calls?: Array<ToolCall & { index: number }> } }> }>(
  chunks: AsyncIterable<T>,
  calls: ToolCall[],
): AsyncIterable<T> {
  for await (const chunk of chunks) {
    for (const { index, ...call } of chunk.choices[0]?.delta.tool_calls ?? []) calls[index] = call;
    yield chunk;
  }
}

async function callTool(call: ToolCall, tools: readonly PageTool[], host: ToolLoopHost): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === call.function.name);
  const args = parseArgs(call.function.arguments);
  const activity: ToolActivity = { name: call.function.name, arguments: call.function.arguments, state: 'running' };
  host.show(activity);
  host.emit('llama-chat-tool-call', { name: activity.name, arguments: args });
  let outcome: ToolOutcome;
  if (!tool) {
    outcome = { error: `no tool is named "${call.function.name}"` };
  } else if (tool.confirm && !(await askPerson(activity, host))) {
    outcome = { denied: true };
  } else {
    activity.state = 'running';
    host.onChange();
    outcome = await runPageTool(tool, args);
  }
  activity.state = 'result' in outcome ? 'done' : 'error' in outcome ? 'failed' : 'denied';
  activity.outcome = outcomeText(outcome);
  activity.decide = undefined;
  host.onChange();
  host.emit(
    'llama-chat-tool-result',
    'result' in outcome ? { name: activity.name, result: outcome.result } : { name: activity.name, error: outcomeText(outcome) },
  );
  return outcome;
}

/** Waits for the person's Allow or Deny on `activity`. */
function askPerson(activity: ToolActivity, host: ToolLoopHost): Promise<boolean> {
  return new Promise((resolve) => {
    activity.state = 'waiting';
    activity.decide = resolve;
    host.onChange();
  });
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {}; // the worker validated the arguments; this is only a guard
  }
}
