// What every engine provides inside the worker. One folder per engine under worker/engines/
// implements EngineAdapter; registry.ts maps each engine kind to it.
import type {
  CachedModel,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  LoadProgress,
  ModelRecord,
  StallLimits,
} from '../../protocol/types.js';

export type ProgressSink = (progress: LoadProgress) => void;
export type ChunkSink = (chunk: ChatCompletionChunk) => void;

/**
 * What an engine is asked to answer: plain messages (tool calls and results already written into
 * them, see worker/structured/) and, when `response_format` asks for JSON, constrained decoding.
 */
export type EngineRequest = Omit<ChatCompletionRequest, 'messages' | 'tools' | 'tool_choice'> & { messages: ChatMessage[] };

/** A model loaded by an engine, ready to answer. */
export interface LoadedModel {
  readonly record: ModelRecord;
  /** Streams one answer into `onChunk`; resolves when it is complete or interrupted. */
  chat(request: EngineRequest, onChunk: ChunkSink): Promise<void>;
  /** Stops the answer under way, keeping what was generated. */
  interrupt(): void;
  /** Tokens the model's chat template and tokenizer make of `messages`, the assistant's turn opened; absent: cannot tell. */
  countTokens?(messages: ChatMessage[]): Promise<number>;
  unload(): Promise<void>;
}

/** What a load is given besides its record. */
export interface AdapterLoadOptions {
  /** How long its downloads may gain no byte (the store's stall watchdog; the defaults where absent). */
  stallLimits?: StallLimits;
}

export interface EngineAdapter {
  /** Downloads the model when it is not stored, then loads it. */
  load(record: ModelRecord, onProgress: ProgressSink, options?: AdapterLoadOptions): Promise<LoadedModel>;
  /** This engine's stored models. `records`: the models the page knows, for engines that keep no list. */
  listStored(records: readonly ModelRecord[]): Promise<CachedModel[]>;
  /** True when `record` is stored complete, known without loading the engine's code; absent: cannot tell. */
  isStored?(record: ModelRecord): Promise<boolean>;
  /** Deletes what this engine stores for `id` (`record` when the page knows it); nothing stored is fine. */
  deleteStored(id: string, record: ModelRecord | undefined): Promise<void>;
}
