// A bench step that must run in a worker of its own (synchronous OPFS handles exist only there):
// its script given as source text, started from a blob: URL, sent one message, its first answer
// returned, and the worker ended.

/** Runs `source` in a fresh worker, posts it `message`, and resolves with its first reply. */
export async function answerFromWorker<T>(source: string, message: unknown, label: string): Promise<T> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  try {
    return await new Promise<T>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<T>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`${label}: ${event.message}`));
      worker.postMessage(message);
    });
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}
