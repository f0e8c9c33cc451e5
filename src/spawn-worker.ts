/**
 * Starts the engine worker from `url`, even when the library is served from another origin
 * than the page (a CDN): browsers refuse cross-origin worker scripts, but a same-origin blob
 * module may import one that is served with CORS. `import.meta.url` inside the worker stays
 * the real URL, so the worker still finds its wasm beside itself.
 */
export function spawnWorker(url: string | URL): Worker {
  const target = new URL(url, import.meta.url);
  const options: WorkerOptions = { type: 'module', name: 'llama-chat' };
  if (target.origin === location.origin) return new Worker(target, options);

  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(target.href)};`], { type: 'text/javascript' }));
  const worker = new Worker(shim, options);
  // The shim is fetched once the worker starts; it is no longer needed after its first word.
  const revoke = () => URL.revokeObjectURL(shim);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
