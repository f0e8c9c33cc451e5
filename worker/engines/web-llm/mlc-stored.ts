// What is stored of MLC models: finished files in web-llm's cache, the file being downloaded in
// our store, and the folder manifest that lists both. Read without loading web-llm's code, and
// without creating a database that is not there (a look must not create).
import type { CachedModel, ModelRecord } from '../../../protocol/types.js';
import {
  deleteFolder,
  deleteModel,
  getFolder,
  listFolders,
  listManifests,
  storeExists,
  type FolderManifest,
} from '../../store/database.js';
import { forgetUsed, lastUsedAt } from './last-used.js';
import {
  checkTensorCache,
  configFile,
  fileStoreId,
  modelBaseUrl,
  tensorCacheFile,
  type MlcFile,
  type TensorCache,
  type WebLlmDatabase,
} from './mlc-files.js';
import { deleteEntries, hasEntries, readEntry } from './webllm-cache.js';

/** Bytes of `modelId`'s files stored partly in our store (the one being downloaded). */
async function partialBytes(modelId: string): Promise<number> {
  const prefix = fileStoreId(modelId, '');
  const manifests = (await listManifests()).filter((m) => m.engine === 'web-llm' && m.id.startsWith(prefix));
  return manifests.reduce((sum, m) => sum + m.storedChunks * m.chunkBytes, 0);
}

/** What `folder` holds now: finished files still in web-llm's cache (it may have been cleared), and partial bytes. */
async function folderState(folder: FolderManifest): Promise<CachedModel> {
  let bytes = 0;
  let complete = folder.files.length > 0;
  for (const file of folder.files) {
    if (file.done && (await hasEntries(file.database as WebLlmDatabase, [file.url]))) bytes += file.bytes;
    else complete = false;
  }
  if (!complete) bytes += await partialBytes(folder.id);
  return { id: folder.id, engine: 'web-llm', bytes, complete, lastUsed: Math.max(folder.lastUsed, await lastUsedAt(folder.id)) };
}

/** The shards `tensor-cache.json` in web-llm's cache lists, as web-llm would look them up. */
async function cachedShards(record: ModelRecord): Promise<MlcFile[] | undefined> {
  const listing = tensorCacheFile(record);
  const value = await readEntry(listing.database, listing.url);
  if (value === undefined) return undefined;
  let tensorCache: TensorCache;
  try {
    tensorCache = checkTensorCache(record, value);
  } catch {
    return undefined;
  }
  return tensorCache.records.map((r) => ({
    name: r.dataPath,
    url: new URL(r.dataPath, modelBaseUrl(record.url)).href,
    database: 'webllm/model',
    form: 'arraybuffer',
  }));
}

/** A model web-llm downloaded itself (before this library did it): complete as `hasModelInCache` sees it. */
async function webLlmOwnState(record: ModelRecord): Promise<CachedModel | undefined> {
  const config = configFile(record);
  if (!(await hasEntries(config.database, [config.url]))) return undefined;
  const shards = await cachedShards(record);
  if (
    !shards ||
    !(await hasEntries(
      'webllm/model',
      shards.map((s) => s.url),
    ))
  )
    return undefined;
  // web-llm keeps no byte count: the record's published size stands in.
  return { id: record.id, engine: 'web-llm', bytes: record.sizeBytes ?? 0, complete: true, lastUsed: await lastUsedAt(record.id) };
}

/** `record`'s stored state, complete or partial; undefined when nothing of it is stored. */
export async function mlcStoredState(record: ModelRecord): Promise<CachedModel | undefined> {
  const folder = (await storeExists()) ? await getFolder(record.id) : undefined;
  if (folder && folder.url === record.url) return folderState(folder);
  return webLlmOwnState(record);
}

/** Every MLC model stored: those the page knows (`records`) and those our folder manifests list. */
export async function listMlcModels(records: readonly ModelRecord[]): Promise<CachedModel[]> {
  const folders = (await storeExists()) ? await listFolders() : [];
  const known = new Set<string>();
  const listed: CachedModel[] = [];
  for (const record of records.filter((r) => r.engine === 'web-llm')) {
    known.add(record.id);
    const state = await mlcStoredState(record);
    if (state) listed.push(state);
  }
  for (const folder of folders) if (!known.has(folder.id)) listed.push(await folderState(folder));
  return listed;
}

function byDatabase(files: readonly MlcFile[] | FolderManifest['files']): Map<WebLlmDatabase, string[]> {
  const groups = new Map<WebLlmDatabase, string[]>();
  for (const file of files) {
    const database = file.database as WebLlmDatabase;
    groups.set(database, [...(groups.get(database) ?? []), file.url]);
  }
  return groups;
}

/** Removes files from web-llm's cache, and whatever of them our store holds. */
export async function deleteFiles(modelId: string, files: FolderManifest['files']): Promise<void> {
  for (const [database, urls] of byDatabase(files)) await deleteEntries(database, urls);
  if (await storeExists()) for (const file of files) await deleteModel(fileStoreId(modelId, file.name));
}

/**
 * Deletes everything stored for MLC model `id`: the files our folder manifest lists, partial
 * files in our store, and (when the record is known) what web-llm's own deleteModelAllInfoInCache
 * would remove, so a model web-llm downloaded itself goes too.
 */
export async function deleteMlcModel(id: string, record: ModelRecord | undefined): Promise<void> {
  if (await storeExists()) {
    const folder = await getFolder(id);
    if (folder) await deleteFiles(id, folder.files);
    const prefix = fileStoreId(id, '');
    for (const m of await listManifests()) if (m.engine === 'web-llm' && m.id.startsWith(prefix)) await deleteModel(m.id);
    await deleteFolder(id);
  }
  if (record?.engine === 'web-llm') {
    const base = modelBaseUrl(record.url);
    const shards = (await cachedShards(record)) ?? [];
    await deleteEntries('webllm/model', [
      ...shards.map((s) => s.url),
      tensorCacheFile(record).url,
      new URL('tokenizer.json', base).href,
      new URL('tokenizer.model', base).href,
    ]);
    await deleteEntries('webllm/config', [configFile(record).url]);
    if (record.modelLib) await deleteEntries('webllm/wasm', [record.modelLib]);
  }
  await forgetUsed(id);
}
