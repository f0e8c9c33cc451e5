// Figure 10, the real size: the yardsticks a real-size load is measured against, in this tab —
// a raw read of the same server (fetch, every byte read and dropped), the disk alone writing as
// many bytes, the store's raw read of the stored file, and wllama alone loading the same stored file with llama.cpp's own steps
// timed from its log (the header and vocabulary, the weights, the context and the rest).
import { createEngine, type ModelRecord } from 'llama-chat';
import type { SettingsRun, WllamaPhasesRun } from './protocol.js';
import { loadDirectWllama, type LoadSettings } from './direct-wllama.js';
import { timeFileReadsInWorker } from './warm-load.js';
import { tokenTimes } from './token-times.js';
import { answerFromWorker } from './source-worker.js';

/** Milliseconds to fetch every byte of `urls` in turn, reading and dropping them as they come. */
export async function rawFetch(urls: string[]): Promise<number> {
  const startedAt = performance.now();
  for (const url of urls) {
    const response = await fetch(url, { cache: 'no-store' });
    const reader = response.body!.getReader();
    for (;;) if ((await reader.read()).done) break;
  }
  return performance.now() - startedAt;
}

/** Milliseconds for the store's raw read of model `id`'s OPFS file (synchronous reads in a worker). */
export async function storeRawRead(id: string): Promise<number> {
  return (await timeFileReadsInWorker(id)).reusedMs;
}

/**
 * Milliseconds for a worker to write `bytes` to an OPFS file of its own in 16 MiB chunks, as the
 * store's writer does (a handle per chunk, written, flushed, closed), with no network: the
 * disk's bound on a cold store. The file is deleted after.
 */
export async function diskWrite(bytes: number): Promise<number> {
  const source = `onmessage = async ({ data: { bytes, chunk } }) => {
    const root = await navigator.storage.getDirectory();
    const file = await root.getFileHandle('bench-disk-write', { create: true });
    const buffer = new Uint8Array(chunk);
    for (let i = 0; i < buffer.length; i += 4096) buffer[i] = i & 255; // not all zeros
    const startedAt = performance.now();
    for (let at = 0; at < bytes; at += chunk) {
      const handle = await file.createSyncAccessHandle();
      handle.write(buffer.subarray(0, Math.min(chunk, bytes - at)), { at });
      handle.flush();
      handle.close();
    }
    const ms = performance.now() - startedAt;
    await root.removeEntry('bench-disk-write');
    postMessage(ms);
  };`;
  return answerFromWorker(source, { bytes, chunk: 16 * 1024 * 1024 }, 'disk write worker');
}

/** The first log line matching `pattern`, as milliseconds since the load began. */
function lineAt(lines: { at: number; text: string }[], pattern: RegExp): number | undefined {
  return lines.find((line) => pattern.test(line.text))?.at;
}

/** wllama alone loading the stored file of `record` (the direct baseline's settings, `warmup` as given), its steps timed. */
export async function wllamaPhases(record: ModelRecord, wasmUrl: string, warmup: boolean): Promise<WllamaPhasesRun> {
  const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('llama-chat-models');
  const file = await (await folder.getFileHandle(encodeURIComponent(record.id))).getFile();
  const lines: { at: number; text: string }[] = [];
  const startedAt = performance.now();
  const log = (...parts: unknown[]): void => void lines.push({ at: performance.now() - startedAt, text: parts.join(' ') });
  const wllama = await loadDirectWllama(file, record, wasmUrl, { warmup, log });
  const readyMs = performance.now() - startedAt;
  await wllama.exit();
  const weightsAt = lineAt(lines, /load_tensors: loading model tensors/) ?? 0;
  const contextAt = lineAt(lines, /llama_context: constructing/) ?? weightsAt;
  return { readyMs, headerMs: weightsAt, weightsMs: contextAt - weightsAt, afterMs: readyMs - contextAt };
}

/**
 * Milliseconds for createEngine() to download an MLC model into web-llm's cache: until its last
 * byte is stored. The bench's MLC folder has no real model library, so the load that follows fails.
 */
export async function mlcDownload(record: ModelRecord): Promise<number> {
  const startedAt = performance.now();
  let downloadedAt: number | undefined;
  try {
    const engine = await createEngine({
      model: record.id,
      models: [record],
      onProgress: (progress) => {
        // The last byte stored: the download is over, whatever the load then does.
        if (progress.phase === 'download' && progress.total > 0 && progress.loaded >= progress.total) downloadedAt ??= performance.now();
      },
    });
    await engine.unload();
  } catch (error) {
    if (downloadedAt === undefined) throw error; // the download itself failed
  }
  if (downloadedAt === undefined) throw new Error('the MLC download never reported its last byte');
  return downloadedAt - startedAt;
}

let settingsFile: Blob | undefined;

/**
 * One answer of wllama alone (one thread) loaded with `settings`: prefill (the prompt's time to
 * its first token) and decode speed. The model file is fetched once per tab and kept.
 */
export async function wllamaWithSettings(
  record: ModelRecord,
  wasmUrl: string,
  settings: LoadSettings,
  prompt: string,
  maxTokens: number,
): Promise<SettingsRun> {
  settingsFile ??= await (await fetch(record.url)).blob();
  const wllama = await loadDirectWllama(settingsFile, record, wasmUrl, { warmup: false, settings });
  try {
    const arrivals: number[] = [];
    const startedAt = performance.now();
    await wllama.createChatCompletion({
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      temperature: 0,
      max_tokens: maxTokens,
      onData: (chunk) => void (chunk.choices[0]?.delta.content ? arrivals.push(performance.now()) : undefined),
    });
    return tokenTimes(arrivals, startedAt, 'settings run');
  } finally {
    await wllama.exit();
  }
}
