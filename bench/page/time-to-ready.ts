// Figure 2: connectedCallback → llama-chat-ready with the model stored, and the part of it
// that is only starting the engine worker.
import type { ModelRecord } from 'llama-chat';
import { timeDirectLoad } from './direct-wllama.js';
import { addElement } from './element.js';
import type { DirectReadyRun, ReadyRun } from './protocol.js';

export async function elementTimeToReady(record: ModelRecord): Promise<ReadyRun> {
  const { element, ready, connectedAt } = addElement(record);
  // Progress comes asynchronously from the worker, so listening after append() misses nothing.
  let fileReadyAt: number | undefined;
  element.addEventListener('llama-chat-progress', (event) => {
    if (event.detail.phase === 'load') fileReadyAt ??= performance.now();
  });
  const readyAt = await ready;
  return { readyMs: readyAt - connectedAt, fileReadyMs: (fileReadyAt ?? readyAt) - connectedAt };
}

/** The same start without our layers: wllama on this page, from a Blob it already holds. */
export async function directTimeToReady(record: ModelRecord, wasmUrl: string): Promise<DirectReadyRun> {
  const modelFile = await (await fetch(record.url)).blob();
  const readyMs = await timeDirectLoad(modelFile, record, wasmUrl);

  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const probeStartedAt = performance.now();
  await gpu?.requestAdapter().catch(() => null);
  return { readyMs, gpuProbeMs: performance.now() - probeStartedAt };
}

/**
 * Starts the library's worker script the way the element does and times its first answer to a
 * trivial comlink call (interrupt() with nothing loaded): fetch, parse, evaluate, one round trip.
 * The message is comlink's wire format, written out so the page needs no comlink of its own.
 */
export async function workerStartup(workerUrl: string): Promise<number> {
  const startedAt = performance.now();
  const worker = new Worker(workerUrl, { type: 'module', name: 'llama-chat' });
  try {
    const answeredAt = new Promise<number>((resolve, reject) => {
      worker.addEventListener('message', () => resolve(performance.now()), { once: true });
      worker.addEventListener('error', (event) => reject(new Error(`worker failed: ${event.message}`)), { once: true });
    });
    worker.postMessage({ id: 'bench-probe', type: 'APPLY', path: ['interrupt'], argumentList: [] });
    return (await answeredAt) - startedAt;
  } finally {
    worker.terminate();
  }
}
