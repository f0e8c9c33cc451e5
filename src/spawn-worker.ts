// Starts the engine worker so that it runs under the page's own Content Security Policy and
// Trusted Types, wherever dist/ is served from and whatever bundler built the app.
//
// Bundlers (Vite, webpack, Parcel) find a worker by the literal
// `new Worker(new URL(…, import.meta.url), …)` and rewrite its URL to the file they emit; the
// build keeps that form in dist/ (see vite.config.ts, keepWorkerPattern). We evaluate that
// expression against a stand-in constructor to learn where the worker is, then start it from
// a same-origin `blob:` module that imports it: a `blob:` worker inherits the page's policy
// (a worker started from its own URL would follow only the headers its script was served
// with), it works from a CDN, and its URL goes through the library's Trusted Types policy.
import { LlamaChatError } from '../protocol/errors.js';
import { TRUSTED_TYPES_ADVICE } from '../protocol/trusted-types.js';
import { trustedScriptURL } from './trusted-types.js';

/** The message the start-up module sends when the worker script could not be imported. */
const NOT_STARTED = 'llama-chat:not-started';

interface WorkerScript {
  url: string;
  options: WorkerOptions;
}

/** A started worker, and an error that arrives only if it never starts. */
export interface SpawnedWorker {
  worker: Worker;
  notStarted: Promise<LlamaChatError>;
}

/** A refusal is reported just after the failure it causes: wait this long for it. */
const REPORT_GRACE_MS = 250;

export function spawnWorker(): SpawnedWorker {
  const script = bundledWorkerScript();
  // webpack (without output.module) emits a classic worker that finds its chunks from its own
  // location: it must start from its own URL, under the policy its server sends with it.
  const started = script.options.type === 'module' ? startupModule(script.url) : script.url;
  const refusals = watchPageRefusals();
  let worker: Worker;
  try {
    worker = new Worker(trustedScriptURL(started), script.options);
  } catch (error) {
    refusals.stop();
    if (started !== script.url) URL.revokeObjectURL(started);
    throw refusal(error, started);
  }
  const notStarted = new Promise<LlamaChatError>((resolve) => {
    const settle = (failure?: LlamaChatError) => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      refusals.stop();
      // The start-up module was fetched as the worker started: it is not needed any more.
      if (started !== script.url) URL.revokeObjectURL(started);
      if (failure) resolve(failure);
    };
    const onMessage = (event: MessageEvent) => {
      const refusedBy = notStartedReport(event.data);
      settle(refusedBy === undefined ? undefined : scriptRefused(refusedBy));
    };
    const onError = () => setTimeout(() => settle(refusals.refused() ? workerRefused('blob:') : notLoaded()), REPORT_GRACE_MS);
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
  return { worker, notStarted };
}

/** The page's own refusal of a blob: worker goes to the document, not to the worker. */
function watchPageRefusals(): { refused(): boolean; stop(): void } {
  let refused = false;
  const listener = (event: SecurityPolicyViolationEvent) => {
    if (event.disposition === 'enforce' && event.blockedURI.startsWith('blob')) refused = true;
  };
  document.addEventListener('securitypolicyviolation', listener);
  return { refused: () => refused, stop: () => document.removeEventListener('securitypolicyviolation', listener) };
}

/** Where the app's bundler (or dist/) put the worker script, read without starting it. */
function bundledWorkerScript(): WorkerScript {
  const PageWorker = globalThis.Worker;
  let seen: WorkerScript | undefined;
  // A plain function: `new` on it records the arguments and starts nothing.
  globalThis.Worker = function WorkerStandIn(url: string | URL, options: WorkerOptions = {}) {
    seen = { url: String(url), options };
  } as unknown as typeof Worker;
  try {
    new Worker(new URL('../worker/index.ts', import.meta.url), { type: 'module', name: 'llama-chat' });
  } finally {
    globalThis.Worker = PageWorker;
  }
  if (!seen) throw new Error('unreachable: the worker pattern did not run');
  return seen;
}

/**
 * The source of the start-up module. Inside the worker, `location` names the real script, as
 * if the worker had started from its URL: bundled workers find their chunks and assets from
 * it (Vite writes `import.meta.url` as `self.location.href`). Messages that arrive while the
 * script is still being fetched are held and replayed once it has set up its listeners (a
 * dynamic import lets the page's messages through before it); a script the page's policy
 * refuses is reported with the directive that refused it.
 */
function startupSource(target: string): string {
  return `Object.defineProperty(self, 'location', { value: new URL(${JSON.stringify(target)}), configurable: true, enumerable: true });
const held = [];
const hold = (event) => { event.stopImmediatePropagation(); held.push(event); };
addEventListener('message', hold);
let refused = '';
addEventListener('securitypolicyviolation', (event) => { refused ||= event.effectiveDirective; });
try {
  await import(${JSON.stringify(target)});
} catch {
  await new Promise((resolve) => setTimeout(resolve, 200)); // a refusal is reported just after the failure
  postMessage({ ${JSON.stringify(NOT_STARTED)}: refused });
  close();
}
removeEventListener('message', hold);
for (const event of held) dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
`;
}

function startupModule(target: string): string {
  const absolute = new URL(target, location.href).href;
  return URL.createObjectURL(new Blob([startupSource(absolute)], { type: 'text/javascript' }));
}

/**
 * The directive that kept the worker script from loading ('' when none did: a missing file or
 * a network failure), when `data` is the start-up module's report; undefined for any other message.
 */
function notStartedReport(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !(NOT_STARTED in data)) return undefined;
  const directive = (data as Record<string, unknown>)[NOT_STARTED];
  return typeof directive === 'string' ? directive : '';
}

/** Why the page would not start the worker at all, said so a developer can fix it. */
function refusal(error: unknown, url: string): unknown {
  if (error instanceof TypeError && window.trustedTypes) return new LlamaChatError('bad-input', TRUSTED_TYPES_ADVICE);
  if (error instanceof DOMException && error.name === 'SecurityError') {
    return workerRefused(url.startsWith('blob:') ? 'blob:' : new URL(url, location.href).origin);
  }
  return error;
}

function workerRefused(source: string): LlamaChatError {
  return new LlamaChatError(
    'bad-input',
    `This page's Content Security Policy does not let the chat engine start its worker: add ${source} to worker-src (see the README's CSP section).`,
  );
}

function scriptRefused(directive: string): LlamaChatError {
  if (!directive) return notLoaded();
  const name = directive.replace(/-(elem|attr)$/, ''); // script-src-elem falls back to script-src
  return new LlamaChatError(
    'bad-input',
    `This page's Content Security Policy (${name}) refused the chat engine's script: add the origin dist/ is served from to ${name} (see the README's CSP section).`,
  );
}

function notLoaded(): LlamaChatError {
  return new LlamaChatError(
    'worker-crashed',
    'The chat engine could not start: its script (llama-chat-worker.js, beside llama-chat.js) did not load. Serve every file of dist/ together, and on a page with a Content Security Policy allow that origin in script-src.',
  );
}
