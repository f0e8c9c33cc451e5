// What an MLC model folder is made of, and where web-llm 0.2.86 (cacheBackend 'indexeddb') looks
// for each file: which database, under which key, in which form. Pure, so it is unit-tested;
// test/e2e/mlc-contract.spec.ts checks the same facts against web-llm's own code.
import type { ModelIntegrity } from '@mlc-ai/web-llm';
import { LlamaChatError } from '../../../protocol/errors.js';
import type { ModelRecord } from '../../../protocol/types.js';

export type WebLlmDatabase = 'webllm/config' | 'webllm/model' | 'webllm/wasm';

export interface MlcFile {
  /** Path in the folder (`params_shard_0.bin`), or the model library's file name. */
  name: string;
  /** The URL we download, which is also web-llm's key for it. */
  url: string;
  database: WebLlmDatabase;
  /** web-llm keeps JSON it reads as JSON parsed (`json`); everything else as the bytes. */
  form: 'arraybuffer' | 'json';
  /** The size the folder's listing declares (shards); undefined: whatever the server sends. */
  bytes?: number;
  /** Hex SHA-256 the record gives for this file. */
  sha256?: string;
}

export const CONFIG_FILE = 'mlc-chat-config.json';
export const TENSOR_CACHE_FILE = 'tensor-cache.json';
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer.model'];

/** What we read of `mlc-chat-config.json`. */
export interface MlcChatConfig {
  tokenizer_files?: unknown;
}

/** What we read of `tensor-cache.json`: each shard's path and size. */
export interface TensorCache {
  records: Array<{ dataPath: string; nbytes: number }>;
}

/** web-llm's `cleanModelUrl`: the folder URL, with `/resolve/main/` unless it names a revision. */
export function modelBaseUrl(url: string): string {
  let base = url.endsWith('/') ? url : `${url}/`;
  if (!/.+\/resolve\/.+\//.test(base)) base += 'resolve/main/';
  return new URL(base).href;
}

/**
 * web-llm fetches a model library on localhost or at a relative URL itself on every load and
 * caches only the others; downloading such a library ahead would only fetch it twice.
 */
export function webLlmCachesLibrary(modelLib: string): boolean {
  return modelLib.startsWith('http') && !modelLib.includes('localhost');
}

/** The model library's file name: its key in the record's `sha256` map. */
export function libraryName(modelLib: string): string {
  return new URL(modelLib).pathname.split('/').pop() ?? modelLib;
}

function hashOf(record: ModelRecord, name: string): string | undefined {
  const map = record.sha256;
  if (typeof map !== 'object') return undefined;
  const hex = Object.hasOwn(map, name) ? map[name] : undefined;
  return hex?.toLowerCase();
}

function file(record: ModelRecord, name: string, database: WebLlmDatabase, form: MlcFile['form'] = 'arraybuffer'): MlcFile {
  const sha256 = hashOf(record, name);
  return { name, url: new URL(name, modelBaseUrl(record.url)).href, database, form, ...(sha256 ? { sha256 } : {}) };
}

/** `mlc-chat-config.json`: web-llm reads it as bytes and parses them itself. */
export function configFile(record: ModelRecord): MlcFile {
  return file(record, CONFIG_FILE, 'webllm/config');
}

/** `tensor-cache.json`: web-llm keeps it parsed. */
export function tensorCacheFile(record: ModelRecord): MlcFile {
  return file(record, TENSOR_CACHE_FILE, 'webllm/model', 'json');
}

/** The one tokenizer file web-llm reads: `tokenizer.json` when listed, else `tokenizer.model`. */
export function tokenizerFile(config: MlcChatConfig): string | undefined {
  const listed = Array.isArray(config.tokenizer_files) ? (config.tokenizer_files as unknown[]) : [];
  return TOKENIZER_FILES.find((name) => listed.includes(name));
}

/** Every file after the two listings: the tokenizer, the model library (when web-llm caches it), the shards. */
export function contentFiles(record: ModelRecord, config: MlcChatConfig, tensorCache: TensorCache): MlcFile[] {
  const files: MlcFile[] = [];
  const tokenizer = tokenizerFile(config);
  if (tokenizer) files.push(file(record, tokenizer, 'webllm/model'));
  if (record.modelLib && webLlmCachesLibrary(record.modelLib)) {
    const sha256 = hashOf(record, libraryName(record.modelLib));
    // web-llm's key is the record's model_lib exactly as given.
    files.push({
      name: libraryName(record.modelLib),
      url: record.modelLib,
      database: 'webllm/wasm',
      form: 'arraybuffer',
      ...(sha256 ? { sha256 } : {}),
    });
  }
  for (const shard of tensorCache.records) files.push({ ...file(record, shard.dataPath, 'webllm/model'), bytes: shard.nbytes });
  return files;
}

function notAListing(record: ModelRecord, name: string, why: string): LlamaChatError {
  return new LlamaChatError('integrity', `${record.id} could not be downloaded: its ${name} ${why}. Check the record's url.`);
}

function parseJson(record: ModelRecord, name: string, bytes: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw notAListing(record, name, 'is not JSON');
  }
}

export function parseChatConfig(record: ModelRecord, bytes: ArrayBuffer): MlcChatConfig {
  const config = parseJson(record, CONFIG_FILE, bytes);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw notAListing(record, CONFIG_FILE, 'is not a JSON object');
  return config as MlcChatConfig;
}

/** `tensor-cache.json` checked as far as we rely on it: every shard has a path and a whole number of bytes. */
export function checkTensorCache(record: ModelRecord, value: unknown): TensorCache {
  const records = (value as { records?: unknown } | null)?.records;
  const valid =
    Array.isArray(records) &&
    records.every(
      (r: { dataPath?: unknown; nbytes?: unknown } | null) =>
        typeof r?.dataPath === 'string' && r.dataPath !== '' && Number.isSafeInteger(r.nbytes) && (r.nbytes as number) >= 0,
    );
  if (!valid) throw notAListing(record, TENSOR_CACHE_FILE, 'does not list shards with their dataPath and nbytes');
  return value as TensorCache;
}

export function parseTensorCache(record: ModelRecord, bytes: ArrayBuffer): TensorCache {
  return checkTensorCache(record, parseJson(record, TENSOR_CACHE_FILE, bytes));
}

/** A hex SHA-256 as Subresource Integrity (`sha256-<base64>`), the form web-llm's `integrity` takes. */
export function hexToSri(hex: string): string {
  const bytes = hex.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? [];
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

/** web-llm's own `integrity` option from the record's hashes: it checks these files again on every load. */
export function webLlmIntegrity(record: ModelRecord): ModelIntegrity | undefined {
  const sri = (name: string) => {
    const hex = hashOf(record, name);
    return hex ? hexToSri(hex) : undefined;
  };
  const config = sri(CONFIG_FILE);
  const modelLib = record.modelLib ? sri(libraryName(record.modelLib)) : undefined;
  const tokenizer = Object.fromEntries(TOKENIZER_FILES.flatMap((name) => (sri(name) ? [[name, sri(name)!]] : [])));
  const integrity: ModelIntegrity = {
    ...(config ? { config } : {}),
    ...(modelLib ? { model_lib: modelLib } : {}),
    ...(Object.keys(tokenizer).length > 0 ? { tokenizer } : {}),
  };
  return Object.keys(integrity).length > 0 ? integrity : undefined;
}

/** The model store's id for one file of MLC model `modelId` while it downloads. */
export function fileStoreId(modelId: string, name: string): string {
  return `${modelId}/${name}`;
}

/** What web-llm's runtime checks first in a model library (tvmjs FFILibrary.validateInstance). */
const LIBRARY_EXPORTS = ['TVMWasmAllocSpace', 'TVMWasmFreeSpace'];

/**
 * Refuses a model library that cannot be one (not WebAssembly, or without the runtime's exports)
 * as soon as it is downloaded: before the weights, not gigabytes later when web-llm starts it.
 */
export async function checkModelLibrary(record: ModelRecord, bytes: ArrayBuffer): Promise<void> {
  let exported: string[];
  try {
    exported = WebAssembly.Module.exports(await WebAssembly.compile(bytes)).map((e) => e.name);
  } catch {
    throw new LlamaChatError(
      'integrity',
      `The model library of ${record.id} (${record.modelLib}) is not WebAssembly. Check the record's modelLib URL.`,
    );
  }
  const missing = LIBRARY_EXPORTS.filter((name) => !exported.includes(name));
  if (missing.length > 0) {
    throw new LlamaChatError(
      'integrity',
      `The model library of ${record.id} (${record.modelLib}) is WebAssembly but no MLC model library (it lacks ${missing.join(' and ')}). Check the record's modelLib URL.`,
    );
  }
}
