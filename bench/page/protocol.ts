// Shapes passed between the benchmark driver (Node) and its page. Types only.
import type { ModelRecord } from 'llama-chat';
import type { LoadSettings } from './direct-wllama.js';

/** The three ways of running the same model: our element, our headless engine, wllama alone. */
export type Variant = 'element' | 'engine' | 'direct';

export interface TokenPathSetup {
  record: ModelRecord;
  /** The same wasm file the library uses, so the direct baseline runs identical code. */
  wasmUrl: string;
  prompt: string;
  maxTokens: number;
}

export interface StreamRun {
  variant: Variant;
  /** Content-bearing deltas seen by the page (one per token for this model). */
  tokens: number;
  /** Request start to the first delta on the page's main thread. */
  ttftMs: number;
  /** From the first delta to the last. */
  decodeMs: number;
  /** Tokens after the first, over decodeMs. */
  decodeTokensPerS: number;
  totalMs: number;
  text: string;
}

export interface LoadRun {
  /** The load went through the network (no stored copy). */
  downloaded: boolean;
  /** createEngine() until the model store handed the file over ("load" phase began). */
  storeMs: number;
  /** createEngine() until it resolved: the model is in wllama and can answer. */
  readyMs: number;
}

export interface StoreReadRun {
  bytes: number;
  /** The bytes are in an OPFS file (else in IndexedDB chunks). */
  inFile: boolean;
  /** The manifest and a Blob of the stored bytes (a File, or one Blob of the chunks), no bytes read yet. */
  handlesMs: number;
  /** Every byte read as a load reads it: synchronous reads of the OPFS file in a worker into a reused buffer (else the Blob, as below). */
  storeMs: number;
  /** The same into a new buffer for each read: what this machine's page faults cost. */
  freshBuffersMs: number;
  /** Every byte of the stored file read as a plain Blob into the page, one 16 MB read at a time. */
  sequentialMs: number;
  /** The same with four reads in flight. */
  parallelMs: number;
  /** The same bytes from a Blob made in memory: the platform's Blob read, without IndexedDB. */
  inMemoryMs: number;
}

/**
 * What wllama is fed: a Blob made in memory; bytes in memory behind a Blob whose reads are plain
 * copies (the engine's own pace, no Blob read at all); or the stored file as a plain Blob.
 */
export type IngestSource = 'memory' | 'bytes' | 'stored';

export interface ReadyRun {
  /** connectedCallback → llama-chat-ready. */
  readyMs: number;
  /** connectedCallback → the first "load" progress: the worker is up and the model store has the file. */
  fileReadyMs: number;
}

export interface DirectReadyRun {
  /** new Wllama() → loadModel() resolved, the model Blob already in the page. */
  readyMs: number;
  /** navigator.gpu.requestAdapter(), as our worker's GPU probe calls it. */
  gpuProbeMs: number;
}

export interface ThreadsRun {
  tokens: number;
  decodeTokensPerS: number;
  /** The prompt's tokens (usage: llama.cpp may have reused a cached start of them). */
  promptTokens: number;
  /** Request → first token: the prompt's prefill, mostly. */
  ttftMs: number;
}

/** wllama alone loading a stored file, its steps read from llama.cpp's log. */
export interface WllamaPhasesRun {
  readyMs: number;
  /** Starting llama.cpp, its header and its vocabulary, until it begins on the weights. */
  headerMs: number;
  /** The weights read into llama.cpp's memory. */
  weightsMs: number;
  /** The context (KV cache, compute buffers), the warm-up when asked, and the rest until loadModel() resolves. */
  afterMs: number;
}

/** One answer of wllama alone under given load settings (figure 10's batch sizes and flash attention). */
export interface SettingsRun {
  /** Request → first token: the prompt's prefill. */
  prefillMs: number;
  decodeTokensPerS: number;
}

/** One answer's prefill and decode, as a settings run's. */
export type LoraAnswer = SettingsRun;

/** createEngine() on a stored real-size model: its load, and answers with its first adapter (if any). */
export interface LoraRun {
  readyMs: number;
  first: LoraAnswer;
  /** The same question and adapter again (llama.cpp's prompt cache reused). */
  again: LoraAnswer;
  /** Then the model alone (a switch: the prompt read anew); only with an adapter. */
  switched?: LoraAnswer;
}

export interface BenchApi {
  /** Loads the model in this tab; resolves with whether the tab is cross-origin isolated. */
  prepareThreads(record: ModelRecord): Promise<boolean>;
  runThreads(prompt: string, maxTokens: number): Promise<ThreadsRun>;
  prepareTokenPath(setup: TokenPathSetup): Promise<void>;
  runStream(variant: Variant): Promise<StreamRun>;
  /** createEngine() without and with a JSON Schema (figure 3, constrained decoding). */
  runConstrained(constrained: boolean): Promise<StreamRun>;
  elementTimeToReady(record: ModelRecord): Promise<ReadyRun>;
  workerStartup(workerUrl: string): Promise<number>;
  directTimeToReady(record: ModelRecord, wasmUrl: string): Promise<DirectReadyRun>;
  loadWithEngine(record: ModelRecord): Promise<LoadRun>;
  /** Loads through createEngine() and keeps the engine, so memory can be read with the model in place. */
  unloadEngine(): Promise<void>;
  readStore(id: string): Promise<StoreReadRun>;
  wllamaIngest(record: ModelRecord, wasmUrl: string, source: IngestSource): Promise<number>;
  /** wllama alone loads the stored file in this tab and keeps it (ms to ready), until unloadAlone(). */
  loadAlone(record: ModelRecord, wasmUrl: string): Promise<number>;
  unloadAlone(): Promise<void>;
  /** Figure 10: a raw read of the server (every URL in turn), the store's raw read, wllama alone by steps. */
  rawFetch(urls: string[]): Promise<number>;
  storeRawRead(id: string): Promise<number>;
  diskWrite(bytes: number): Promise<number>;
  wllamaPhases(record: ModelRecord, wasmUrl: string, warmup: boolean): Promise<WllamaPhasesRun>;
  /** wllama alone, one thread, loaded with `settings`: one answer's prefill and decode. */
  wllamaWithSettings(record: ModelRecord, wasmUrl: string, settings: LoadSettings, prompt: string, maxTokens: number): Promise<SettingsRun>;
  loraRun(record: ModelRecord, question: string, maxTokens: number): Promise<LoraRun>;
  /** createEngine() downloading an MLC model into web-llm's cache, until its load begins (ms). */
  mlcDownload(record: ModelRecord): Promise<number>;
}

declare global {
  interface Window {
    bench: BenchApi;
  }
}

/** User-timing marks around a stream, so a trace can be cut to exactly that window. */
export const STREAM_START_MARK = 'bench:stream-start';
export const STREAM_END_MARK = 'bench:stream-end';
