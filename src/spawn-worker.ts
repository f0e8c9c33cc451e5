// Starts the engine worker. The `new Worker(new URL(…, import.meta.url), { type: 'module' })`
// form is the one bundlers recognise (Vite, webpack, Parcel): an app that imports the package
// gets the worker, its chunks and its wasm bundled and served with the app. The build keeps
// this form in dist/ (see vite.config.ts, keepWorkerPattern).

/** The worker's file name beside dist/llama-chat.js, for the cross-origin start below. */
const WORKER_FILE = ['llama-chat-worker', 'js'].join('.'); // not a literal: bundlers must not copy it as an asset

export function spawnWorker(): Worker {
  try {
    return new Worker(new URL('../worker/index.ts', import.meta.url), { type: 'module', name: 'llama-chat' });
  } catch (error) {
    // Browsers refuse a worker script from another origin (the library on a CDN) at once.
    if (!(error instanceof DOMException && error.name === 'SecurityError')) throw error;
    return crossOriginWorker(new URL(WORKER_FILE, import.meta.url));
  }
}

/**
 * A same-origin blob: module that imports the real worker script, which the CDN serves with
 * CORS. `import.meta.url` inside the worker stays the real URL, so it still finds its wasm.
 */
function crossOriginWorker(target: URL): Worker {
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(target.href)};`], { type: 'text/javascript' }));
  const worker = new Worker(shim, { type: 'module', name: 'llama-chat' });
  // The shim is fetched once the worker starts; it is no longer needed after its first word.
  const revoke = () => URL.revokeObjectURL(shim);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
