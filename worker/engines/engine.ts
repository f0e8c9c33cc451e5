// What every engine provides inside the worker. One folder per engine under worker/engines/
// implements EngineAdapter; registry.ts maps each engine kind to it.
import type { CachedModel, ChatCompletionChunk, ChatCompletionRequest, LoadProgress, ModelRecord } from '../../protocol/types.js';

export type ProgressSink = (progress: LoadProgress) => void;
export type ChunkSink = (chunk: ChatCompletionChunk) => void;

/** A model loaded by an engine, ready to answer. */
export interface LoadedModel {
  readonly record: ModelRecord;
  /** Streams one answer into `onChunk`; resolves when it is complete or interrupted. */
  chat(request: ChatCompletionRequest, onChunk: ChunkSink): Promise<void>;
  /** Stops the answer under way, keeping what was generated. */
  interrupt(): void;
  unload(): Promise<void>;
}

export interface EngineAdapter {
  /** Downloads the model when it is not stored, then loads it. */
  load(record: ModelRecord, onProgress: ProgressSink): Promise<LoadedModel>;
  /** This engine's stored models. `records`: the models the page knows, for engines that keep no list. */
  listStored(records: readonly ModelRecord[]): Promise<CachedModel[]>;
  /** True when `record` is stored complete, known without loading the engine's code; absent: cannot tell. */
  isStored?(record: ModelRecord): Promise<boolean>;
  /** Deletes what this engine stores for `id` (`record` when the page knows it); nothing stored is fine. */
  deleteStored(id: string, record: ModelRecord | undefined): Promise<void>;
}
