// Public types of llama-chat, shared by both threads. The chat shapes follow the OpenAI /
// web-llm API so that code written against either moves over with few changes.
import type { EngineKind } from './engines.js';

export type { EngineKind };

/** Context window in tokens for a record that does not say (wllama's load default). */
export const DEFAULT_CONTEXT_LENGTH = 2048;

/** A model the element or `createEngine()` can load. */
export interface ModelRecord {
  /** Unique id, used by the `model` attribute and as the cache key. */
  id: string;
  engine: EngineKind;
  /** Where the weights come from: a GGUF file for `wllama`, an MLC model folder for `web-llm`. */
  url: string;
  /** Human-readable name shown in the view. */
  label?: string;
  /** Download size, shown before the user agrees to download. */
  sizeBytes?: number;
  /** Context window in tokens used when loading (default: 2048, capped by the model). */
  contextLength?: number;
  /** Hex SHA-256 of the file. When given, the stored copy is checked on every load: a damaged chunk is fetched again, a wrong file is refused with `integrity`. */
  sha256?: string;
  /** web-llm only: URL of the compiled model library (`model_lib` wasm). */
  modelLib?: string;
  /** GPU memory the model needs, in MB (web-llm's `vram_required_MB`). */
  vramMB?: number;
  /** WebGPU features the model needs, e.g. `shader-f16` for q4f16 builds. */
  requiredFeatures?: string[];
}

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatCompletionRequest {
  messages: ChatMessage[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stream_options?: { include_usage?: boolean };
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  extra: {
    /** Seconds from the request to the first generated token. */
    time_to_first_token_s: number;
    /** Generated tokens per second after the first one. */
    decode_tokens_per_s: number;
    e2e_latency_s: number;
  };
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string };
    finish_reason: FinishReason | null;
  }>;
  usage?: CompletionUsage;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string };
    finish_reason: FinishReason;
  }>;
  usage: CompletionUsage;
}

export type LoadPhase = 'download' | 'load' | 'compile';

export interface LoadProgress {
  phase: LoadPhase;
  /** Bytes (or steps) done in this phase. */
  loaded: number;
  /** Bytes (or steps) in this phase; 0 when unknown. */
  total: number;
  /** One line for people. */
  text: string;
}

export type ChatStatus = 'idle' | 'downloading' | 'loading' | 'ready' | 'generating' | 'error';

export interface CachedModel {
  id: string;
  engine: EngineKind;
  bytes: number;
  complete: boolean;
  lastUsed: number;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
}
