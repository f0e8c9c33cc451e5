// What the page's EngineClient may ask of the engine worker, over comlink. Callbacks are
// passed as comlink proxies and travel on their own port.
import type {
  CachedModel,
  ChatCompletionChunk,
  ChatCompletionRequest,
  LoadProgress,
  ModelRecord,
  StallLimits,
  StorageEstimate,
  TokenCountRequest,
} from './types.js';

export type Sink<T> = (value: T) => void;

export interface LoadOptions {
  /** false: this worker loads a model of its own, never shared with other tabs and elements (default true). */
  shared?: boolean;
  /** How long downloads and loads may make no progress (the defaults where absent). */
  stallLimits?: StallLimits;
}

export interface WorkerApi {
  /** Takes the life lock `name` (protocol/life-lock.ts), so the page sees this worker end; resolves once held. */
  holdLifeLock(name: string): Promise<void>;
  /** Answers at once: a worker that does not is stuck (src/client/heartbeat.ts). */
  ping(): Promise<void>;
  /**
   * Downloads (when not stored) and loads `record`, replacing any model loaded before; shared
   * by default with every tab and element of the origin that loads the same record (worker/sharing/).
   */
  load(record: ModelRecord, onProgress: Sink<LoadProgress>, options?: LoadOptions): Promise<void>;
  /**
   * Streams one answer into `onChunks`, in order, several chunks to a call when they come
   * faster than a frame (worker/chunk-batcher.ts); resolves when it is complete or interrupted.
   */
  chat(request: ChatCompletionRequest, onChunks: Sink<ChatCompletionChunk[]>): Promise<void>;
  /** Stops the answer under way, keeping what was generated. */
  interrupt(): void;
  /**
   * How many tokens the loaded model's chat template and tokenizer make of `request`'s messages
   * (with its tools' instructions, and the assistant's turn opened), as the engine would be given them.
   */
  countTokens(request: TokenCountRequest): Promise<number>;
  unload(): Promise<void>;
  /** True when `record`'s model is stored complete on this device, or another tab hosts it (an engine that cannot tell says false). */
  isStored(record: ModelRecord): Promise<boolean>;
  /** Stored models of every engine; `records` says which web-llm builds to look for. */
  listCache(records: ModelRecord[]): Promise<CachedModel[]>;
  /** Deletes a stored model: its record when known, else its id. */
  deleteFromCache(record: ModelRecord | string): Promise<void>;
  estimate(): Promise<StorageEstimate>;
  /** Deletes every model file and engine cache the library keeps here; returns what another tab still holds. */
  forgetStoredModels(): Promise<string[]>;
}
