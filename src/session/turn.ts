// One turn of the conversation: the prompt it sends (fitted to the context window by estimate)
// and its answer as it streams in.
import type { ChatCompletionChunk, ChatMessage, CompletionUsage } from '../../protocol/types.js';
import { answerReserve, toolsReserve, trimToWindow } from './context-window.js';
import type { SessionSettings, ViewMessage } from './session-types.js';

/** While an answer streams, what has come so far is kept this often (with history-key). */
const SAVE_WHILE_STREAMING_MS = 1000;

/** One question and its answer, from the moment the question joins the conversation. */
export interface Turn {
  question: ViewMessage;
  answer: ViewMessage;
  usage: CompletionUsage | undefined;
  /** stop() had to end the engine's worker because it did not stop when asked. */
  forcedStop: boolean;
  /** What the turn replaced (a regenerate or an edit): given back if the turn is taken back. */
  replaced: ViewMessage[];
}

/** The messages a turn sends: trimmed to the window, and the newest message alone as a fallback. */
export interface TurnPrompt {
  messages: ChatMessage[];
  newestOnly: ChatMessage[];
  notice: string | undefined;
}

/** `conversation` and the new message `content`, trimmed to a window of `contextLength` tokens. */
export function promptFor(
  conversation: readonly ViewMessage[],
  content: string,
  settings: SessionSettings,
  contextLength: number,
): TurnPrompt {
  const history: ChatMessage[] = conversation.map(({ role, content }) => ({ role, content }));
  const system: ChatMessage | undefined = settings.systemPrompt ? { role: 'system', content: settings.systemPrompt } : undefined;
  const newestOnly: ChatMessage[] = [...(system ? [system] : []), { role: 'user', content }];
  // The worker adds the tool list to the prompt: it takes room from the history, too.
  const budget = contextLength - answerReserve(contextLength, settings.maxTokens) - toolsReserve(settings.tools);
  const fitted = trimToWindow(system, history, { role: 'user', content }, budget);
  // When by estimate not even the new message fits, the engine, which counts real tokens, has
  // the last word: it answers, or refuses with context-overflow at once.
  if (!fitted) return { messages: newestOnly, newestOnly, notice: undefined };
  const notice =
    fitted.dropped > 0
      ? `The ${fitted.dropped} earliest messages no longer fit in the model's memory; it answers from the most recent ones.`
      : undefined;
  return { messages: fitted.messages, newestOnly, notice };
}

/** Appends the streamed answer to `turn`, calling `onDelta` for every piece. */
export async function streamInto(turn: Turn, chunks: AsyncIterable<ChatCompletionChunk>, onDelta: (delta: string) => void): Promise<void> {
  for await (const chunk of chunks) {
    const choice = chunk.choices[0];
    const delta = choice?.delta.content;
    if (delta) {
      turn.answer.content += delta;
      onDelta(delta);
    }
    if (choice?.finish_reason === 'abort') turn.answer.stopped = true;
    if (chunk.usage) turn.usage = chunk.usage;
  }
}

/** `run`, at most once per interval (the first call waits a whole interval). */
export function throttle(run: () => void, intervalMs = SAVE_WHILE_STREAMING_MS): () => void {
  let last = performance.now();
  return () => {
    if (performance.now() - last < intervalMs) return;
    last = performance.now();
    run();
  };
}
