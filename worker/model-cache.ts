// One view of every stored model, whichever backend keeps it: our model store for GGUF files,
// web-llm's own IndexedDB cache for MLC builds.
import { createStore, get, set } from 'idb-keyval';
import type { CachedModel, ModelRecord } from '../src/types.js';
import { deleteModelFile, listModelFiles } from './model-store.js';

const webLlmLastUsed = createStore('llama-chat-web-llm', 'last-used');

export function markWebLlmUsed(id: string): Promise<void> {
  return set(id, Date.now(), webLlmLastUsed);
}

/** Stored models: GGUF files from our store, plus those of `records` that web-llm has cached. */
export async function listCachedModels(records: readonly ModelRecord[]): Promise<CachedModel[]> {
  const files = await listModelFiles();
  const webLlm = records.filter((r) => r.engine === 'web-llm');
  if (webLlm.length === 0) return files;
  const { appConfigFor, hasModelInCache } = await import('./web-llm-backend.js');
  const cached: CachedModel[] = [];
  for (const record of webLlm) {
    if (!(await hasModelInCache(record.id, appConfigFor(record)).catch(() => false))) continue;
    // web-llm keeps no byte count of its own: the record's published size stands in.
    cached.push({ id: record.id, engine: 'web-llm', bytes: record.sizeBytes ?? 0, complete: true, lastUsed: (await get<number>(record.id, webLlmLastUsed)) ?? 0 });
  }
  return [...files, ...cached];
}

export async function deleteCachedModel(record: ModelRecord | string): Promise<void> {
  if (typeof record === 'string' || record.engine !== 'web-llm') {
    await deleteModelFile(typeof record === 'string' ? record : record.id);
    return;
  }
  const { appConfigFor, deleteModelAllInfoInCache } = await import('./web-llm-backend.js');
  await deleteModelAllInfoInCache(record.id, appConfigFor(record));
}
