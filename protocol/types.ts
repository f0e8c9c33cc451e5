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
  /**
   * Hex SHA-256 of the model's bytes; a file that differs is refused with `integrity`.
   * - A GGUF model (one file): the file's hash, a string. The stored copy is checked on every load:
   *   a damaged chunk is fetched again.
   * - An MLC model (a folder): a map from file name to hash, checked once per file as it downloads
   *   (before it goes into web-llm's cache). Names are as in the folder (`mlc-chat-config.json`,
   *   `tensor-cache.json`, `tokenizer.json`, each shard's `dataPath` from `tensor-cache.json`), and
   *   the model library by its file name (the last part of `modelLib`). Files left out are checked
   *   for size only (shards against `tensor-cache.json`). The config, tokenizer and library hashes are
   *   also handed to web-llm as its `integrity` option, so it checks them again on every load.
   */
  sha256?: string | Readonly<Record<string, string>>;
  /** web-llm only: URL of the compiled model library (`model_lib` wasm). */
  modelLib?: string;
  /** GPU memory the model needs, in MB (web-llm's `vram_required_MB`). */
  vramMB?: number;
  /** WebGPU features the model needs, e.g. `shader-f16` for q4f16 builds. */
  requiredFeatures?: string[];
  /** The model's license: shown before the download, its `attribution` while the model runs. */
  license?: ModelLicense;
  /**
   * GGUF LoRA adapters for this model (wllama only): each downloaded and stored like the model,
   * all loaded with it, and chosen per request (`adapter`) without reloading the model.
   */
  adapters?: readonly LoraAdapter[];
}

/** A LoRA adapter of a GGUF model, as llama.cpp's convert_lora_to_gguf.py writes it (README, "Your own Llama"). */
export interface LoraAdapter {
  /** Unique among the record's adapters: what a request's or the element's `adapter` names. */
  id: string;
  /** Where its GGUF file is. Records that name the same file share one stored copy. */
  url: string;
  /** Hex SHA-256 of the file; a file that differs is refused with `integrity`. */
  sha256?: string;
  /** Download size, counted in what the consent step shows. */
  sizeBytes?: number;
  /** How strongly it applies when a request names it without a scale (default 1). */
  scale?: number;
  label?: string;
  license?: ModelLicense;
}

/** Which adapter an answer uses: its id, or its id and scale. Absent (or null): the model alone. */
export type AdapterChoice = string | { id: string; scale?: number };

/** What a model's license asks of a site that serves the model (README, "Models and their licenses"). */
export interface ModelLicense {
  /** e.g. "Llama 3.1 Community License". */
  name: string;
  /** Where the license text is (http or https). */
  url: string;
  /** Where the license's Acceptable Use Policy is, if it has one (http or https). */
  acceptableUseUrl?: string;
  /** Text the license asks a site to display, e.g. "Built with Llama"; the element shows it while the model runs. */
  attribution?: string;
  /** The notice the license asks to keep with copies of the model (Llama's "Notice" text file). */
  notice?: string;
}

export type Role = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: Role;
  content: string;
}

/** A JSON Schema (the subset llama.cpp's grammar conversion enforces; see the README). */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

/** OpenAI's `response_format`: free text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean | null } };

/** A function the model may call (OpenAI's shape). */
export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean | null };
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** A call the model made: `arguments` is a JSON string, as in OpenAI's API. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** An assistant turn that called tools. */
export interface AssistantToolCallMessage {
  role: 'assistant';
  content: string | null;
  tool_calls: ToolCall[];
}

/** A tool's result, answering the call `tool_call_id`. */
export interface ToolResultMessage {
  role: 'tool';
  content: string;
  tool_call_id: string;
}

export type RequestMessage = ChatMessage | AssistantToolCallMessage | ToolResultMessage;

export interface ChatCompletionRequest {
  messages: RequestMessage[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  /** Sample from the k likeliest tokens (not OpenAI's; llama.cpp's, and the Prompt API's topK). */
  top_k?: number;
  max_tokens?: number;
  seed?: number;
  stream_options?: { include_usage?: boolean };
  response_format?: ResponseFormat;
  tools?: ChatTool[];
  tool_choice?: ToolChoice;
  /** One of the record's LoRA adapters (not OpenAI's): switching costs no reload. */
  adapter?: AdapterChoice | null;
}

/** What `countTokens` measures: the messages and tools of a request, nothing generated. */
export type TokenCountRequest = Pick<ChatCompletionRequest, 'messages' | 'tools'>;

export type FinishReason = 'stop' | 'length' | 'abort' | 'tool_calls';

/** A tool call as it streams: OpenAI's `delta.tool_calls[i]` (here always whole, in one chunk). */
export interface ToolCallDelta {
  index: number;
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

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
    delta: { role?: 'assistant'; content?: string; tool_calls?: ToolCallDelta[] };
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
    /** `content` is null when the model called tools instead of answering. */
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] };
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
  /** Something about this load that lasts beyond it, e.g. that the browser keeps nothing, so the model downloads again next visit. */
  notice?: string;
}

/**
 * How long the library waits on a download or a load that makes no progress before it acts
 * (createEngine's `stallLimits`); each one absent, or not a positive number, is its default.
 */
export interface StallLimits {
  /** No byte for this long: progress says what the download waits on ("Waiting for the server…"), and again as often. Default 5 s. */
  noticeAfterMs?: number;
  /** No byte for this long: the connection is dropped and the download resumes from its last stored chunk (HTTP Range). Default 30 s. */
  resumeAfterMs?: number;
  /** Stalls in a row with nothing stored between them, after which the download ends with `network`, what it stored kept. Default 3. */
  giveUpAfterStalls?: number;
  /** No progress at all for this long while loading: the engine's worker is ended and the load tried once more. Default 5 min. */
  loadSilenceMs?: number;
}

export type ChatStatus = 'idle' | 'downloading' | 'loading' | 'ready' | 'generating' | 'error';

export interface CachedModel {
  id: string;
  engine: EngineKind;
  bytes: number;
  complete: boolean;
  lastUsed: number;
  /** Loaded by the engine of another tab or element of this site right now. */
  inUse?: boolean;
  /** A LoRA adapter's file (its id is `lora:` and its URL), not a model. */
  loraAdapter?: boolean;
}

export interface StorageEstimate {
  usage: number;
  quota: number;
}
