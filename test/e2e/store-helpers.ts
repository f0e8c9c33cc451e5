// Reaching into the model store from the page, to inspect it or damage it on purpose: its
// manifests in IndexedDB, and the bytes in the model's OPFS file (worker/store/model-files.ts)
// or, where the manifest says so, in IndexedDB chunks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page, Request } from '@playwright/test';
import { TINY_MODEL_FILE } from './global-setup.js';

/** The model store's database (worker/store/database.ts) and files folder (model-files.ts). */
const STORE_DATABASE = 'llama-chat-store';
const FILES_DIRECTORY = 'llama-chat-models';

export interface StoredManifest {
  id: string;
  size: number;
  chunkBytes: number;
  storedChunks: number;
  complete: boolean;
  inFile?: boolean;
}

export const TINY_BYTES = readFileSync(TINY_MODEL_FILE);
export const TINY_SHA256 = createHash('sha256').update(TINY_BYTES).digest('hex');

/** Runs one request against an object store of the page's IndexedDB. */
async function inStore(
  page: Page,
  db: string,
  store: string,
  op: 'get' | 'put',
  key: string | [string, number],
  value?: number,
): Promise<unknown> {
  return page.evaluate(
    async ({ db, store, op, key, value }) => {
      // Opening a database that does not exist yet would create it empty, without the
      // store the library makes on first use: look, don't touch.
      if (!(await indexedDB.databases()).some((d) => d.name === db)) return undefined;
      return new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, op === 'get' ? 'readonly' : 'readwrite');
          // A put writes a Blob of `value` bytes of garbage in place of a chunk.
          const req =
            op === 'get' ? tx.objectStore(store).get(key) : tx.objectStore(store).put(new Blob([new Uint8Array(value!).fill(0x5a)]), key);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
          tx.oncomplete = () => open.result.close();
        };
      });
    },
    { db, store, op, key, value },
  );
}

export function readManifest(page: Page, id: string): Promise<StoredManifest | undefined> {
  return inStore(page, STORE_DATABASE, 'manifests', 'get', id) as Promise<StoredManifest | undefined>;
}

/** Overwrites stored chunk `index` of model `id` with `bytes` bytes of garbage. */
export async function damageChunk(page: Page, id: string, index: number, bytes: number): Promise<unknown> {
  const manifest = await readManifest(page, id);
  if (!manifest?.inFile) return inStore(page, STORE_DATABASE, 'chunks', 'put', [id, index], bytes);
  return page.evaluate(
    async ({ folder, name, at, bytes }) => {
      const file = await (await (await navigator.storage.getDirectory()).getDirectoryHandle(folder)).getFileHandle(name);
      const writable = await file.createWritable({ keepExistingData: true });
      await writable.write({ type: 'write', position: at, data: new Uint8Array(bytes).fill(0x5a) });
      await writable.close();
    },
    { folder: FILES_DIRECTORY, name: encodeURIComponent(id), at: index * manifest.chunkBytes, bytes },
  );
}

/** The byte range a request asked for: [start, end] inclusive, end undefined for "to the end". */
export function requestedRange(request: Request): { start: number; end: number | undefined } {
  const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers().range ?? '');
  if (!match) return { start: 0, end: undefined };
  return { start: Number(match[1]), end: match[2] ? Number(match[2]) : undefined };
}

/** SHA-256 (hex) of model `id` as stored: its file, or its chunks in order, straight from storage. */
export async function storedSha256(page: Page, id: string): Promise<string> {
  if ((await readManifest(page, id))?.inFile) {
    return page.evaluate(
      async ({ folder, name }) => {
        const file = await (await (await navigator.storage.getDirectory()).getDirectoryHandle(folder)).getFileHandle(name);
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await (await file.getFile()).arrayBuffer()));
        return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
      },
      { folder: FILES_DIRECTORY, name: encodeURIComponent(id) },
    );
  }
  return page.evaluate(
    ({ id, db }) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result
            .transaction('chunks')
            .objectStore('chunks')
            .getAll(IDBKeyRange.bound([id, 0], [id, Infinity]));
          request.onerror = () => reject(request.error);
          request.onsuccess = async () => {
            open.result.close();
            const bytes = await new Blob(request.result as Blob[]).arrayBuffer();
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
            resolve(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
          };
        };
      }),
    { id, db: STORE_DATABASE },
  );
}
