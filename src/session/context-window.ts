// Fitting a conversation into the model's context window, by estimate: the real tokenizer
// lives in the worker, and asking it per message would cost a round trip per send.
import type { ChatMessage } from '../../protocol/types.js';

/** What each message costs beyond its text (role markers, separators) in common chat templates. */
export const MESSAGE_OVERHEAD_TOKENS = 8;

/**
 * A conservative token count: one token per 3 UTF-8 bytes, rounded up, plus the per-message
 * overhead. Real tokenizers average about 4 bytes per token on English prose.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(new TextEncoder().encode(text).length / 3) + MESSAGE_OVERHEAD_TOKENS;
}

export interface TrimResult {
  messages: ChatMessage[];
  /** How many earlier messages were left out. */
  dropped: number;
  /** The estimated prompt size of `messages`. */
  tokens: number;
}

/**
 * The longest recent part of `history` that fits in `budget` tokens together with the system
 * prompt and the new message. Oldest turns go first, whole user/assistant pairs at a time, so
 * the kept history never starts with an answer to a question it no longer holds. Returns
 * undefined when even the system prompt and the new message alone do not fit.
 */
export function trimToWindow(
  system: ChatMessage | undefined,
  history: readonly ChatMessage[],
  next: ChatMessage,
  budget: number,
  estimate: (text: string) => number = estimateTokens,
): TrimResult | undefined {
  const fixed = (system ? estimate(system.content) : 0) + estimate(next.content);
  if (fixed > budget) return undefined;
  let used = fixed;
  let start = history.length;
  while (start > 0) {
    const cost = estimate(history[start - 1]!.content);
    if (used + cost > budget) break;
    used += cost;
    start -= 1;
  }
  // Never keep an answer whose question was dropped.
  while (start < history.length && history[start]!.role !== 'user') {
    used -= estimate(history[start]!.content);
    start += 1;
  }
  return {
    messages: [...(system ? [system] : []), ...history.slice(start), next],
    dropped: start,
    tokens: used,
  };
}

/**
 * Tokens kept free for the answer: max-tokens when set, else a quarter of the window (at most
 * 1024); never more than half the window, or a large max-tokens would leave room for nothing.
 */
export function answerReserve(contextLength: number, maxTokens: number | undefined): number {
  return Math.min(maxTokens ?? Math.min(1024, Math.floor(contextLength / 4)), Math.floor(contextLength / 2));
}

/** The worker's fixed words around the tool list (worker/structured/tool-schema.ts), by estimate. */
const TOOL_INSTRUCTIONS_TOKENS = 48;

/**
 * What the tool list the worker adds to the system message costs (by estimate): each tool's
 * name, description and argument schema, and the words around them. Zero without tools.
 */
export function toolsReserve(tools: readonly { name: string; description?: string; parameters?: unknown }[]): number {
  if (tools.length === 0) return 0;
  const list = tools.map((t) => `- ${t.name}: ${t.description ?? ''} Arguments: ${JSON.stringify(t.parameters ?? {})}`).join('\n');
  return estimateTokens(list) + TOOL_INSTRUCTIONS_TOKENS;
}
