import type { ChatCompletionChunk, ChatCompletionRequest, LoadProgress, ModelRecord } from '../src/types.js';

export type ProgressSink = (progress: LoadProgress) => void;
export type ChunkSink = (chunk: ChatCompletionChunk) => void;

/** What every engine backend does inside the worker. */
export interface Backend {
  readonly record: ModelRecord;
  /** Streams one answer into `onChunk`; resolves when it is complete or interrupted. */
  chat(request: ChatCompletionRequest, onChunk: ChunkSink): Promise<void>;
  /** Stops the answer under way, keeping what was generated. */
  interrupt(): void;
  unload(): Promise<void>;
}
