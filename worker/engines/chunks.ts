// OpenAI-shaped stream chunks, built one way for every engine.
import type { ChatCompletionChunk, CompletionUsage, FinishReason, ToolCall } from '../../protocol/types.js';

export interface ChunkBuilder {
  /** A piece of the answer. */
  delta(content: string): ChatCompletionChunk;
  /** Whole tool calls, as OpenAI's `delta.tool_calls`. */
  toolCalls(calls: readonly ToolCall[]): ChatCompletionChunk;
  /** The last chunk: why the answer ended, and its usage when asked for. */
  finish(reason: FinishReason | null, usage?: CompletionUsage): ChatCompletionChunk;
}

/** Chunks of one answer from `model`; `id` and `created` default to fresh values. */
export function chunkBuilder(model: string, id = `chatcmpl-${crypto.randomUUID()}`, created = Math.floor(Date.now() / 1000)): ChunkBuilder {
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    reason: FinishReason | null,
    usage?: CompletionUsage,
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: reason }],
    ...(usage ? { usage } : {}),
  });
  return {
    delta: (content) => chunk({ content }, null),
    toolCalls: (calls) => chunk({ tool_calls: calls.map((call, index) => ({ index, ...call })) }, null),
    finish: (reason, usage) => chunk({}, reason, usage),
  };
}
