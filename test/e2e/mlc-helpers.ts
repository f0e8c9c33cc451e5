// The generated MLC model folders as tests see them: records, the files on disk, requests for
// them, and web-llm's own IndexedDB cache read straight from the page.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, type Request } from '@playwright/test';
import type { ModelRecord } from '../../protocol/types.js';
import { CDN_ORIGIN } from '../server.js';
import { MLC_LIB_FILE, MLC_TEST_DIR } from './global-setup.js';

export const MLC_ID = 'mlc-test';
export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The served files web-llm reads, by folder name: what our downloader must fetch (tokenizer_config.json is not one). */
export function mlcFolderFiles(dir = MLC_TEST_DIR): Record<string, Buffer> {
  const main = join(dir, 'resolve/main');
  const names = ['mlc-chat-config.json', 'tensor-cache.json', 'tokenizer.json'];
  const listing = JSON.parse(readFileSync(join(main, 'tensor-cache.json'), 'utf8')) as { records: Array<{ dataPath: string }> };
  for (const shard of listing.records) names.push(shard.dataPath);
  return Object.fromEntries(names.map((name) => [name, readFileSync(join(main, name))]));
}

export const MLC_LIB = readFileSync(MLC_LIB_FILE);

/** tensor-cache.json's shard sizes, as web-llm reads them. */
export function declaredShards(dir = MLC_TEST_DIR): Array<{ dataPath: string; nbytes: number }> {
  return (
    JSON.parse(readFileSync(join(dir, 'resolve/main/tensor-cache.json'), 'utf8')) as {
      records: Array<{ dataPath: string; nbytes: number }>;
    }
  ).records;
}

/**
 * The test model's record. Its library comes from the other loopback name: web-llm fetches a
 * library on localhost itself every time, and caches it (where we put it) from anywhere else.
 */
export function mlcRecord(origin: string, overrides: Partial<ModelRecord> & { folder?: string } = {}): ModelRecord {
  const { folder = MLC_ID, ...rest } = overrides;
  return {
    id: MLC_ID,
    engine: 'web-llm',
    url: `${origin}/mlc/${folder}`,
    modelLib: `${CDN_ORIGIN}/mlc/not-a-model-lib.wasm`,
    label: 'MLC test model',
    contextLength: 1024,
    ...rest,
  };
}

/** Every byte our downloader fetches for the test model: the folder's files web-llm reads and the library. */
export function mlcTotalBytes(): number {
  return Object.values(mlcFolderFiles()).reduce((sum, b) => sum + b.length, 0) + MLC_LIB.length;
}

/** Requests for MLC model files (both loopback names), as Playwright saw them leave the page or its worker. */
export function mlcRequestLog(page: Page): Request[] {
  const log: Request[] = [];
  page.context().on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/mlc/')) log.push(request);
  });
  return log;
}

/** Makes the next `times` requests for files ending in `path` fail as the query options say (test/server.ts). */
export async function setFileFault(page: Page, path: string, options: Record<string, string | number>, times = 1): Promise<void> {
  const query = new URLSearchParams({
    path,
    times: String(times),
    ...Object.fromEntries(Object.entries(options).map(([k, v]) => [k, String(v)])),
  });
  expect((await page.request.get(`/control/mlc-file?${query}`)).ok()).toBe(true);
}

export async function clearFileFaults(page: Page): Promise<void> {
  await page.request.get('/control/mlc-file?clear=1');
}

export interface CachedEntry {
  url: string;
  /** What `data` is: 'ArrayBuffer', or 'object' for parsed JSON. */
  kind: string;
  bytes: number;
  sha256: string;
}

/** Every entry of one of web-llm's databases, read from the page without creating it. */
export function webLlmEntries(page: Page, database: 'webllm/config' | 'webllm/model' | 'webllm/wasm'): Promise<CachedEntry[]> {
  return page.evaluate(async (database) => {
    if (!(await indexedDB.databases()).some((d) => d.name === database)) return [];
    const entries = await new Promise<Array<{ url: string; data: unknown }>>((resolve, reject) => {
      const open = indexedDB.open(database);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result.transaction('urls').objectStore('urls').getAll();
        request.onsuccess = () => (open.result.close(), resolve(request.result as Array<{ url: string; data: unknown }>));
        request.onerror = () => reject(request.error);
      };
    });
    const hex = async (bytes: ArrayBuffer) =>
      Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
    return Promise.all(
      entries.map(async ({ url, data }) => {
        const isBuffer = data instanceof ArrayBuffer;
        const bytes = isBuffer ? data : new TextEncoder().encode(JSON.stringify(data)).buffer;
        return { url, kind: isBuffer ? 'ArrayBuffer' : typeof data, bytes: bytes.byteLength, sha256: await hex(bytes) };
      }),
    );
  }, database);
}

/** Ids of the model store's manifests (files downloading or downloaded into our store). */
export function storeManifestIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'llama-chat-store')) return [];
    return new Promise<string[]>((resolve, reject) => {
      const open = indexedDB.open('llama-chat-store');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const request = open.result.transaction('manifests').objectStore('manifests').getAllKeys();
        request.onsuccess = () => (open.result.close(), resolve(request.result as string[]));
        request.onerror = () => reject(request.error);
      };
    });
  });
}

/** load() on window.chat and the error it failed with: `{ code, message }`, or 'ok'. */
export function tryLoad(page: Page): Promise<{ code: string; message: string } | 'ok'> {
  return page.evaluate(() =>
    window.chat.load().then(
      () => 'ok' as const,
      (e: { code?: string; message?: string }) => ({ code: e.code ?? 'none', message: String(e.message) }),
    ),
  );
}

/** Where the tests must stop: web-llm read our library and could not instantiate it (no real one can run here). */
export const LIBRARY_STAGE =
  /^web-llm could not start the model library for mlc-test \(\S+not-a-model-lib\.wasm\) \(.+\): it must be the library compiled/;
