// Reaching the engine worker and counting what a page keeps alive, through Playwright and CDP.
import type { Page, Worker } from '@playwright/test';

/** The library's own engine worker (wllama starts further workers from blob: URLs). */
/** Every worker starts from a blob: URL: ours is told apart by its name. */
async function workerName(worker: Worker): Promise<string | undefined> {
  return worker.evaluate(() => self.name).catch(() => undefined); // a worker that is ending
}

export async function engineWorkers(page: Page): Promise<Worker[]> {
  const names = await Promise.all(page.workers().map(workerName));
  return page.workers().filter((_, i) => names[i] === 'llama-chat');
}

/**
 * Crashes the engine worker the way a real fault does: an exception nobody catches, thrown
 * from the worker's own event loop while it is busy with an answer.
 */
export async function crashEngineWorker(page: Page): Promise<void> {
  const [worker] = await engineWorkers(page);
  if (!worker) throw new Error('no engine worker to crash');
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('injected fault: the engine worker crashed');
    });
  });
}

export interface LiveCounts {
  /** Worker objects still reachable on the page (after a full garbage collection). */
  workers: number;
  /** Event listeners on those Worker objects. */
  workerListeners: number;
  /** MessagePort objects still reachable (comlink opens one per callback). */
  ports: number;
}

/** Counts live Worker and MessagePort objects in the page's heap; queryObjects collects garbage first. */
export async function liveCounts(page: Page): Promise<LiveCounts> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const instances = async (constructor: string): Promise<string[]> => {
      const proto = await cdp.send('Runtime.evaluate', { expression: `${constructor}.prototype` });
      const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId! });
      const { result } = await cdp.send('Runtime.getProperties', { objectId: objects.objectId!, ownProperties: true });
      return result.filter((p) => /^\d+$/.test(p.name) && p.value?.objectId).map((p) => p.value!.objectId!);
    };
    const workers = await instances('Worker');
    let workerListeners = 0;
    for (const objectId of workers) {
      workerListeners += (await cdp.send('DOMDebugger.getEventListeners', { objectId })).listeners.length;
    }
    const ports = (await instances('MessagePort')).length;
    return { workers: workers.length, workerListeners, ports };
  } finally {
    await cdp.detach();
  }
}

/** wllama's own worker, which runs llama.cpp (started from a blob: URL by the engine worker). */
export async function llamaCppWorker(page: Page): Promise<Worker> {
  const workers = page.workers();
  const names = await Promise.all(workers.map(workerName));
  const worker = workers.filter((_, i) => names[i] === '').at(-1);
  if (!worker) throw new Error('no llama.cpp worker');
  return worker;
}

/**
 * A GPU device lost mid-answer, as llama.cpp reports it: ggml-webgpu's device-lost log line,
 * then the wasm abort. There is no GPU to lose here (wllama runs on the CPU), so these two
 * messages are sent from inside llama.cpp's worker, on the channel the wasm runtime uses;
 * everything after them (wllama, our mapping, the session, the view, the reload) is real.
 */
export async function loseGpuDevice(page: Page): Promise<void> {
  await (
    await llamaCppWorker(page)
  ).evaluate(() => {
    postMessage({
      verb: 'console.error',
      args: ['ggml_webgpu: Device lost! Reason: 2, Message: A valid external Instance reference no longer exists.'],
    });
    postMessage({ verb: 'signal.abort', args: ['abort', 'Aborted()', '', null] });
  });
}
