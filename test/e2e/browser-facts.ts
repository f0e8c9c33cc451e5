// What each engine's run showed about it, for the README's browser table (scripts/browser-table.mjs):
// its version, which llama.cpp build answered, where the model was kept, what the engine lacks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestInfo } from '@playwright/test';
import type { RemotePage } from '../browsers/remote-page.js';
import { PAGE_ORIGIN } from '../server.js';

export const BROWSERS_DIR = fileURLToPath(new URL('../../test-results/browsers/', import.meta.url));

export interface BrowserFacts {
  engine: RemotePage['engine'];
  version: string;
  /** The llama.cpp builds whose wasm was fetched (GET) during the test. */
  builds: string[];
  /** Where the store kept the model: 'opfs', 'indexeddb-blobs', 'indexeddb-arraybuffers' or 'memory'. */
  storage: string;
  webgpu: boolean;
  opfs: boolean;
  deviceMemory: boolean;
  jspi: boolean;
  memory64: boolean;
}

async function wasmRequests(): Promise<Record<string, number>> {
  return (await (await fetch(`${PAGE_ORIGIN}/control/requests?prefix=${encodeURIComponent('GET /dist/')}`)).json()) as Record<
    string,
    number
  >;
}

/** Call at the start of a test whose model load shows which build runs: returns the function that records the facts. */
export async function watchBrowser(remote: RemotePage, testInfo: TestInfo): Promise<() => Promise<void>> {
  const before = await wasmRequests();
  return async () => {
    const after = await wasmRequests();
    const builds = Object.keys(after)
      .filter((path) => path.endsWith('.wasm') && /wllama/.test(path) && after[path]! > (before[path] ?? 0))
      .map((path) => (/wllama-compat/.test(path) ? 'compat' : 'default'));
    const page = await remote.evaluate(async () => {
      const memory64 = (() => {
        try {
          new WebAssembly.Memory({ address: 'i64', initial: BigInt(1) } as unknown as WebAssembly.MemoryDescriptor);
          return true;
        } catch {
          return false;
        }
      })();
      const db = await new Promise<IDBDatabase | undefined>((resolve) => {
        const open = indexedDB.open('llama-chat-store');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => resolve(undefined);
      });
      const read = <T>(store: string, query: IDBValidKey | IDBKeyRange): Promise<T | undefined> =>
        new Promise((resolve) => {
          if (!db || !db.objectStoreNames.contains(store)) return resolve(undefined);
          const request = db.transaction(store).objectStore(store).get(query);
          request.onsuccess = () => resolve(request.result as T);
          request.onerror = () => resolve(undefined);
        });
      const manifest = await read<{ inFile?: boolean }>('manifests', 'tiny-test-model');
      const chunk =
        manifest && !manifest.inFile
          ? await read<unknown>('chunks', IDBKeyRange.bound(['tiny-test-model', 0], ['tiny-test-model', 0]))
          : undefined;
      db?.close();
      return {
        storage: !manifest ? 'memory' : manifest.inFile ? 'opfs' : chunk instanceof Blob ? 'indexeddb-blobs' : 'indexeddb-arraybuffers',
        webgpu: 'gpu' in navigator,
        opfs: typeof navigator.storage?.getDirectory === 'function',
        deviceMemory: 'deviceMemory' in navigator,
        jspi: 'Suspending' in WebAssembly,
        memory64,
      };
    });
    const facts: BrowserFacts = { engine: remote.engine, version: remote.version, builds: [...new Set(builds)], ...page };
    mkdirSync(BROWSERS_DIR, { recursive: true });
    writeFileSync(
      `${BROWSERS_DIR}${remote.engine}.json`,
      `${JSON.stringify({ test: testInfo.titlePath.join(' › '), ...facts }, null, 2)}\n`,
    );
  };
}
