// Starts the engine worker so that it runs under the page's own Content Security Policy and
// Trusted Types, wherever dist/ is served from and whatever bundler built the app.
//
// Bundlers (Vite, webpack, Parcel) find a worker by the literal
// `new Worker(new URL(…, import.meta.url), …)` and rewrite its URL to the file they emit; the
// build keeps that form in dist/ (see vite.config.ts, keepWorkerPattern). We evaluate that
// expression against a stand-in constructor to learn where the worker is, then start it from
// a same-origin `blob:` script that imports it: a `blob:` worker inherits the page's policy
// (a worker started from its own URL would follow only the headers its script was served
// with), it works from a CDN, and its URL goes through the library's Trusted Types policy.
import { LlamaChatError } from '../../protocol/errors.js';
import { directiveName, REPORT_GRACE_MS } from '../../protocol/policy-refusal.js';
import { TRUSTED_TYPES_ADVICE } from '../../protocol/trusted-types.js';
import { trustedScriptURL } from '../shared/trusted-types.js';

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

export function spawnWorker(): SpawnedWorker {
  const script = bundledWorkerScript();
  const started = startupScript(script);
  const refusals = watchPageRefusals();
  let worker: Worker;
  try {
    worker = new Worker(trustedScriptURL(started), script.options);
  } catch (error) {
    refusals.stop();
    URL.revokeObjectURL(started);
    throw refusal(error);
  }
  const notStarted = new Promise<LlamaChatError>((resolve) => {
    const settle = (failure?: LlamaChatError) => {
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      refusals.stop();
      // The start-up script was fetched as the worker started: it is not needed any more.
      URL.revokeObjectURL(started);
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
    new Worker(new URL('../../worker/index.ts', import.meta.url), { type: 'module', name: 'llama-chat' });
  } finally {
    globalThis.Worker = PageWorker;
  }
  if (!seen) throw new Error('unreachable: the worker pattern did not run');
  return seen;
}

/**
 * The start-up script, as a module or a classic script like the worker it starts (webpack
 * without `output.module` emits a classic one). Inside the worker, `location` names the real
 * script, as if the worker had started from its URL: bundled workers find their chunks and
 * assets from it (Vite writes `import.meta.url` as `self.location.href`, webpack reads
 * `self.location`). A script the page's policy refuses is reported with the directive that
 * refused it. A module's dynamic import lets the page's messages through before the worker
 * has set up its listeners: they are held and replayed (a classic `importScripts` blocks them).
 */
function startupScript({ url, options }: WorkerScript): string {
  const target = JSON.stringify(new URL(url, location.href).href);
  const report = `await new Promise((resolve) => setTimeout(resolve, ${REPORT_GRACE_MS})); // a refusal is reported just after the failure
  postMessage({ ${JSON.stringify(NOT_STARTED)}: refused });
  close();`;
  const prologue = `Object.defineProperty(self, 'location', { value: new URL(${target}), configurable: true, enumerable: true });
let refused = '';
addEventListener('securitypolicyviolation', (event) => { refused ||= event.effectiveDirective; });
`;
  const source =
    options.type === 'module'
      ? `${prologue}const held = [];
const hold = (event) => { event.stopImmediatePropagation(); held.push(event); };
addEventListener('message', hold);
try {
  await import(${target});
} catch {
  ${report}
}
removeEventListener('message', hold);
for (const event of held) dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
`
      : `${prologue}try {
  importScripts(${target});
} catch {
  (async () => {
  ${report}
  })();
}
`;
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
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
function refusal(error: unknown): unknown {
  if (error instanceof TypeError && window.trustedTypes) return new LlamaChatError('bad-input', TRUSTED_TYPES_ADVICE);
  if (error instanceof DOMException && error.name === 'SecurityError') return workerRefused('blob:');
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
  if (directive.includes('trusted-types')) {
    // Only a classic worker (webpack without output.module) loads its code with importScripts.
    return new LlamaChatError(
      'bad-input',
      "This page enforces Trusted Types, which refuse the classic worker this app's bundler made: build with webpack's output.module (a module worker), or give webpack's output.trustedTypes a policy name (and allow it in trusted-types).",
    );
  }
  const name = directiveName(directive);
  return new LlamaChatError(
    'bad-input',
    `This page's Content Security Policy (${name}) refused the chat engine's script: add the origin dist/ is served from to ${name} (see the README's CSP section).`,
  );
}

function notLoaded(): LlamaChatError {
  if (!navigator.onLine) {
    // Offline, the script is only missing from the browser's cache: the way forward is the connection.
    return new LlamaChatError(
      'network',
      "The chat engine could not start: this device is offline, and its script is not in the browser's cache. Connect and try again.",
    );
  }
  return new LlamaChatError(
    'worker-crashed',
    'The chat engine could not start: its script (llama-chat-worker.js, beside llama-chat.js) did not load. Serve every file of dist/ together, and on a page with a Content Security Policy allow that origin in script-src.',
  );
}
