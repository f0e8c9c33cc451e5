// The download soak's page (bench/download-soak.ts): downloads one model file and reports how it
// goes to the test server (/control/report) every second, so the same page serves every browser,
// driven or not. ?mode=store runs the model store's download in a worker of its own
// (store-worker.ts); ?mode=engine runs the library's createEngine() and counts the download as
// done when the engine begins to load the model.
import type { LoadProgress, ModelRecord } from '../../protocol/types.js';
import { keepWhere, type SoakRequest, type SoakStatus, type WorkerMessage } from './messages.js';

const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'engine' ? 'engine' : 'store';
const record: ModelRecord = {
  id: params.get('id') ?? 'soak-model',
  engine: 'wllama',
  url: new URL(params.get('url')!, location.href).href,
};
const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
const stallTimes = {
  ...(params.has('notice') ? { noticeAfterMs: number('notice') } : {}),
  ...(params.has('resume') ? { resumeAfterMs: number('resume') } : {}),
  ...(params.has('stalls') ? { giveUpAfterStalls: number('stalls') } : {}),
};
/** Seconds of quiet after which the worker is asked where it waits (and again every 10 s). */
const askAfter = number('ask') ?? 20;

const startedAt = performance.now();
const seconds = () => Math.round((performance.now() - startedAt) / 100) / 10;
let lastGainAt = performance.now();
const status: SoakStatus = { mode, loaded: 0, total: 0, text: 'starting', notes: [], quietFor: 0, userAgent: navigator.userAgent };

function onProgress(progress: LoadProgress): void {
  if (progress.loaded !== status.loaded) lastGainAt = performance.now();
  status.loaded = progress.loaded;
  status.total = progress.total;
  status.text = progress.text;
  const text = progress.text.replace(/\d+(\.\d+)? s\b/g, 'N s');
  if (!progress.text.startsWith('Downloading') && !status.notes.some((n) => n.text === text)) status.notes.push({ at: seconds(), text });
}

async function send(): Promise<void> {
  status.quietFor = Math.round((performance.now() - lastGainAt) / 1000);
  await fetch(`/control/report?id=${encodeURIComponent(params.get('report') ?? 'soak')}`, {
    method: 'POST',
    body: JSON.stringify(status),
  }).catch(() => {});
}
const reporting = setInterval(() => void send(), 1_000);
const finish = () => {
  clearInterval(reporting);
  void send();
};

if (mode === 'store') {
  const worker = new Worker(new URL('store-worker.js', import.meta.url), { type: 'module' });
  let lastAsk = 0;
  setInterval(() => {
    const quiet = (performance.now() - lastGainAt) / 1000;
    if (!status.done && !status.failed && quiet >= askAfter && performance.now() - lastAsk >= 10_000) {
      lastAsk = performance.now();
      worker.postMessage({ type: 'where' } satisfies SoakRequest);
    }
  }, 1_000);
  worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.progress);
    else if (message.type === 'where') keepWhere(status, { ...message, askedAfter: Math.round((performance.now() - lastGainAt) / 1000) });
    else {
      if (message.type === 'done') status.done = { size: message.size, ms: message.ms };
      else status.failed = { code: message.code, message: message.message };
      finish();
    }
  });
  worker.postMessage({ type: 'run', record, stallTimes } satisfies SoakRequest);
} else {
  // The library's worker is built with instrument-worker.ts first: it answers on this channel.
  const channel = new BroadcastChannel('llama-chat-soak');
  let lastAsk = 0;
  setInterval(() => {
    const quiet = (performance.now() - lastGainAt) / 1000;
    if (!status.done && !status.failed && quiet >= askAfter && performance.now() - lastAsk >= 10_000) {
      lastAsk = performance.now();
      channel.postMessage('where');
    }
  }, 1_000);
  channel.onmessage = (event: MessageEvent<Extract<WorkerMessage, { type: 'where' }>>) => {
    if (event.data.type === 'where') keepWhere(status, { ...event.data, askedAfter: Math.round((performance.now() - lastGainAt) / 1000) });
  };
  const library = (await import(params.get('dist')!)) as typeof import('../../src/index.js');
  library
    .createEngine({
      model: record.id,
      models: [record],
      ownEngine: true,
      stallLimits: stallTimes,
      onProgress: (progress) => {
        if (progress.phase === 'load' && !status.done) {
          // The download is complete and the engine begins to load it: the soak's work is done.
          status.done = { size: progress.total, ms: performance.now() - startedAt };
          finish();
        }
        onProgress(progress);
      },
    })
    .catch((error: { code?: string; message?: string }) => {
      if (status.done) return; // the load of a model this size may well fail; the download did not
      status.failed = { code: error.code ?? 'unknown', message: error.message ?? String(error) };
      finish();
    });
}
