// A small static server for the end-to-end tests and benchmarks, on loopback only.
//   /dist/…     the built library (CORS open, so pages on another origin can use it)
//   /pages/…    test pages; "%DIST%" in HTML becomes the library's base URL: this origin's
//               /dist/ or, with ?dist=cross, the same files on the other loopback host name
//   /control/requests?url=/models/tiny.gguf?visit=1  how many requests (any method) came for that
//               path and query; ?prefix=GET%20/dist/ each "METHOD path" that starts so, with its count, as JSON
//   /control/link?rate=B  every /models/ and /mlc/ body from then on crosses one shared link of B
//               bytes a second (0: none, as at first): the bench's gigabit link
//   /control/report?id=ID  POST: what pages/visit.html saw of a visit; GET: that report (404 until then)
//   /bench/…    the benchmark's pages and their compiled scripts (bench/pages, bench/.build)
//   /vendor/wllama/…  wllama's own ES module, for the benchmark's direct-wllama baseline
//   /dist-other-wllama/…  the library built on the other wllama the bench compares with
//               (`vite build --mode other-wllama`; pages: ?dist=other-wllama)
//   /models/…   generated model files, with HTTP Range; fault injection by query:
//               ?status=404 answers that status, ?drop=N closes the connection after N bytes,
//               ?stall=MS waits that long between the headers and the body (a slow download),
//               ?reason=TEXT with ?status sets the status text, ?gzip=1 compresses the body,
//               ?nolength=1 sends no Content-Length (and ?extra=N bytes more than the file),
//               ?nocors=1 leaves out Access-Control-Allow-Origin,
//               ?hang=N stops the body at byte N of the file and keeps the connection open (a
//               server gone quiet, not gone; a Range request from N on gets its headers only),
//               with ?hangs=K only for the first K GETs of that exact URL (then it is served whole),
//               ?trickle=B sends B bytes a second
//   /dist-without-worker/, /dist-without-engine/  dist/ with the worker script or wllama's
//               chunk missing (pages: ?dist=without-worker or ?dist=without-engine)
//   /pages/csp.html is served (alone: not the files it loads) with one of the README's
//               policies, ?csp=same-origin by default (see test/csp-policies.ts)
//   ?coi=1      on a page: served cross-origin isolated (COOP and COEP headers)
//   /mlc/…      generated web-llm model folders; /control/mlc?fault=404|drop|none switches a
//               fault on or off for all of them (a server that goes away and comes back);
//               /control/mlc-file?path=SUFFIX&drop=N&times=K applies the /models/ fault options
//               (drop, stall, hang, trickle, status, nolength, gzip) to the next K requests for files ending in
//               SUFFIX (web-llm names those files itself, so no query of ours reaches them);
//               /control/mlc-file?clear=1 removes them
//   /vendor/web-llm/index.js  web-llm's own module, unchanged, and /vendor/web-llm/tvmjs.js the
//               same with its inner runtime (ArtifactIndexedDBCache) exported: the cache contract test
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { cspFor, isCspVariant } from './csp-policies.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MOUNTS: Record<string, string> = {
  '/dist/': join(ROOT, 'dist'),
  // The same files with one missing, as a half-uploaded or half-cached dist/ would be.
  '/dist-without-worker/': join(ROOT, 'dist'),
  '/dist-without-engine/': join(ROOT, 'dist'),
  // The same files as a site sends them when a returning visit may use its HTTP cache.
  '/dist-cached/': join(ROOT, 'dist'),
  '/pages/': join(ROOT, 'test/e2e/pages'),
  '/models/': join(ROOT, 'test/.generated'),
  '/mlc/': join(ROOT, 'test/.generated/mlc'),
  '/bench/': join(ROOT, 'bench'),
  '/dist-other-wllama/': join(ROOT, 'bench/.dist-other-wllama'),
  '/vendor/wllama/': join(ROOT, 'node_modules/@wllama/wllama/esm'),
  '/vendor/web-llm/': join(ROOT, 'node_modules/@mlc-ai/web-llm/lib'),
};
let mlcFault: 'none' | '404' | 'drop' = 'none';
/** Every request by path and query, for tests whose browser Playwright does not drive. */
const requestCounts = new Map<string, number>();
/** What pages/visit.html reported, by the id it was given. */
const reports = new Map<string, string>();
const mlcFileFaults = new Map<string, { options: URLSearchParams; times: number }>();
const WEB_LLM_MODULE = join(ROOT, 'node_modules/@mlc-ai/web-llm/lib/index.js');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.gguf': 'application/octet-stream',
};

export const PORT = Number(process.env.TEST_PORT ?? 4173);
/** The page origin and the "CDN" origin: different host names are different origins. */
export const PAGE_ORIGIN = `http://localhost:${PORT}`;
export const CDN_ORIGIN = `http://127.0.0.1:${PORT}`;
/** The demo page, served by Vite for the demo's end-to-end test. */
export const DEMO_PORT = Number(process.env.DEMO_PORT ?? PORT + 1);
export const DEMO_ORIGIN = `http://localhost:${DEMO_PORT}`;

const CSP_PAGE = '/pages/csp.html';
const DROP_AFTER_MS = 1000;
/** A hung response is given up by the server itself after this long, so nothing is held for good. */
const HANG_AT_MOST_MS = 10 * 60_000;

/**
 * web-llm's module with its bundled runtime (tvmjs: ArtifactIndexedDBCache, createArtifactCache,
 * hasTensorInCache) also exported, found as the object web-llm calls createArtifactCache on.
 */
async function tvmjsModule(): Promise<string> {
  const source = await readFile(WEB_LLM_MODULE, 'utf8');
  const runtime = /\b(libExports\$?\d*)\.createArtifactCache\(/.exec(source)?.[1];
  if (!runtime) throw new Error('web-llm no longer calls createArtifactCache on its runtime: the cache contract changed');
  return `${source}\nexport { ${runtime} as tvmjs };\n`;
}

function resolvePath(pathname: string): string | undefined {
  for (const [prefix, dir] of Object.entries(MOUNTS)) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
    return file.startsWith(dir) ? file : undefined;
  }
  return undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  // ?nocors=1: a host that does not let other origins read its files.
  if (url.searchParams.get('nocors') !== '1') res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', 'Range');
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges');
  res.setHeader('Cache-Control', url.pathname.startsWith('/dist-cached/') ? 'max-age=3600' : 'no-store');
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();
  if (url.pathname === '/health') return void res.writeHead(200).end('ok');
  // ?coi=1 on a page: cross-origin isolated (COOP + COEP), so llama.cpp may use threads.
  if (url.searchParams.get('coi') === '1') {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  }

  if (url.pathname === '/control/report') {
    const id = url.searchParams.get('id') ?? '';
    if (req.method !== 'POST') return void (reports.has(id) ? res.writeHead(200).end(reports.get(id)) : res.writeHead(404).end());
    let body = '';
    for await (const part of req) body += String(part);
    reports.set(id, body);
    return void res.writeHead(204).end();
  }
  if (url.pathname === '/control/requests') {
    const prefix = url.searchParams.get('prefix');
    const asked = url.searchParams.get('url') ?? '';
    const counted = [...requestCounts].filter(([key]) => (prefix === null ? key.endsWith(` ${asked}`) : key.startsWith(prefix)));
    if (prefix === null) return void res.writeHead(200).end(String(counted.reduce((sum, [, count]) => sum + count, 0)));
    return void res.writeHead(200).end(JSON.stringify(Object.fromEntries(counted)));
  }
  const key = `${req.method} ${url.pathname}${url.search}`;
  requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
  if (url.pathname === '/control/link') {
    linkRate = Number(url.searchParams.get('rate') ?? 0);
    return void res.writeHead(200).end(String(linkRate));
  }
  if (url.pathname === '/control/mlc') {
    const fault = url.searchParams.get('fault');
    if (fault === 'none' || fault === '404' || fault === 'drop') mlcFault = fault;
    return void res.writeHead(200).end(mlcFault);
  }
  if (url.pathname === '/control/mlc-file') {
    const path = url.searchParams.get('path');
    if (url.searchParams.get('clear') === '1') mlcFileFaults.clear();
    else if (path) {
      const options = new URLSearchParams(url.searchParams);
      const times = Number(options.get('times') ?? Infinity);
      for (const name of ['path', 'times']) options.delete(name);
      mlcFileFaults.set(path, { options, times });
    }
    return void res.writeHead(200).end(JSON.stringify([...mlcFileFaults.keys()]));
  }
  if (url.pathname.startsWith('/mlc/')) {
    for (const [path, fault] of mlcFileFaults) {
      if (!url.pathname.endsWith(path) || fault.times <= 0) continue;
      fault.times -= 1;
      for (const [name, value] of fault.options) url.searchParams.set(name, value);
    }
  }
  if (url.pathname === '/vendor/web-llm/tvmjs.js')
    return void res.writeHead(200, { 'Content-Type': TYPES['.js']! }).end(await tvmjsModule());
  if (url.pathname.startsWith('/mlc/') && mlcFault === '404') return void res.writeHead(404).end('gone');
  if (url.pathname.startsWith('/mlc/') && mlcFault === 'drop') return void req.socket.destroy();

  const forced = Number(url.searchParams.get('status'));
  // ?reason=… sets the status text, as a hostile or chatty server may.
  if (forced) return void res.writeHead(forced, url.searchParams.get('reason') ?? undefined).end(`forced ${forced}`);

  const missing =
    (url.pathname.startsWith('/dist-without-worker/') && /\/llama-chat-worker\.js$/.test(url.pathname)) ||
    (url.pathname.startsWith('/dist-without-engine/') && /\/wllama-backend-[^/]*\.js$/.test(url.pathname));
  if (missing) return void res.writeHead(404).end('not found');
  const file = resolvePath(url.pathname);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) return void res.writeHead(404).end('not found');
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  // The policy goes with the page only, as many servers send it: the worker must inherit it.
  if (url.pathname === CSP_PAGE) {
    const variant = url.searchParams.get('csp') ?? 'same-origin';
    if (!isCspVariant(variant)) return void res.writeHead(400).end('unknown csp variant');
    res.setHeader('Content-Security-Policy', cspFor(variant, CDN_ORIGIN));
  }

  if (extname(file) === '.html') {
    const which = url.searchParams.get('dist');
    const dist =
      which === 'cross'
        ? `${CDN_ORIGIN}/dist/`
        : which?.startsWith('without-') || which === 'cached' || which === 'other-wllama'
          ? `/dist-${which}/`
          : '/dist/';
    const html = (await readFile(file, 'utf8')).replaceAll('%DIST%', dist);
    return void res.writeHead(200, { 'Content-Type': type }).end(html);
  }

  // ?gzip=1: the file compressed on the fly (Content-Encoding: gzip, Content-Length of the
  // compressed bytes); ?nolength=1: no Content-Length (chunked), and ?extra=N more bytes of
  // garbage after the file, as a misbehaving host might send.
  if (url.searchParams.get('gzip') === '1') {
    const body = gzipSync(await readFile(file));
    res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
    return void res.end(req.method === 'HEAD' ? undefined : body);
  }
  if (url.searchParams.get('nolength') === '1') {
    res.writeHead(200, { 'Content-Type': type });
    if (req.method === 'HEAD') return void res.end();
    const extra = Number(url.searchParams.get('extra') ?? 0);
    res.write(await readFile(file));
    for (let sent = 0; sent < extra; sent += 65536) res.write(Buffer.alloc(Math.min(65536, extra - sent), 0x5a));
    return void res.end();
  }

  let start = 0;
  let end = info.size - 1;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), end) : end;
    if (start > end) return void res.writeHead(416, { 'Content-Range': `bytes */${info.size}` }).end();
    res.writeHead(206, {
      'Content-Type': type,
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${info.size}`,
      'Accept-Ranges': 'bytes',
    });
  } else {
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Accept-Ranges': 'bytes' });
  }
  if (req.method === 'HEAD') return void res.end();

  const stall = Number(url.searchParams.get('stall'));
  if (stall > 0) await new Promise((wait) => setTimeout(wait, stall));
  const hangsFor = Number(url.searchParams.get('hangs') ?? Infinity);
  const hang = url.searchParams.has('hang') && (requestCounts.get(key) ?? 0) <= hangsFor ? Number(url.searchParams.get('hang')) : undefined;
  const trickle = Number(url.searchParams.get('trickle'));
  const onLink = linkRate > 0 && (url.pathname.startsWith('/models/') || url.pathname.startsWith('/mlc/'));
  if (hang !== undefined || trickle > 0 || onLink)
    return sendSlowly(res, file, start, hang === undefined ? end : Math.min(end, hang - 1), hang !== undefined, trickle);
  const drop = Number(url.searchParams.get('drop'));
  const last = drop > 0 ? Math.min(end, start + drop - 1) : end;
  const stream = createReadStream(file, { start, end: last });
  stream.pipe(res, { end: !drop });
  // A connection that stalls, then breaks mid-file: the browser gets the N bytes, then an
  // error (an error at once would discard bytes it has received but not yet handed over).
  if (drop) stream.on('end', () => setTimeout(() => res.socket?.destroy(), DROP_AFTER_MS));
}

/**
 * Bytes `start`..`last` of `file`, `perSecond` a second (0: at once); then, with `hang`, nothing
 * more on a connection that stays open (until the client goes, or HANG_AT_MOST_MS).
 */
async function sendSlowly(res: ServerResponse, file: string, start: number, last: number, hang: boolean, perSecond: number): Promise<void> {
  const handle = await open(file);
  try {
    const step = perSecond > 0 ? Math.max(1, Math.round(perSecond / 10)) : 1024 * 1024;
    for (let at = start; at <= last && !res.destroyed; at += step) {
      const bytes = Buffer.alloc(Math.min(step, last - at + 1));
      await handle.read(bytes, 0, bytes.length, at);
      await crossLink(bytes.length);
      if (!res.write(bytes)) {
        await new Promise<void>((drained) => {
          const done = () => (res.off('drain', done).off('close', done), drained());
          res.on('drain', done).on('close', done);
        });
      }
      if (perSecond > 0) await new Promise((wait) => setTimeout(wait, 100));
    }
  } finally {
    await handle.close();
  }
  if (!hang) return void res.end();
  setTimeout(() => res.socket?.destroy(), HANG_AT_MOST_MS).unref();
}

/** The shared link's rate (/control/link), bytes a second, and when it is free for the next bytes. */
let linkRate = 0;
let linkFreeAt = 0;

/** Waits until `bytes` have crossed the shared link, after every byte booked on it before them. */
async function crossLink(bytes: number): Promise<void> {
  if (!(linkRate > 0)) return;
  const now = performance.now();
  linkFreeAt = Math.max(now, linkFreeAt) + (bytes / linkRate) * 1000;
  await new Promise((wait) => setTimeout(wait, linkFreeAt - now));
}

export function startServer(port = PORT): Promise<() => Promise<void>> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  return new Promise((resolveStart) => {
    server.listen(port, '127.0.0.1', () => {
      // Hung responses (?hang) would hold close() for good: they end with the server.
      resolveStart(() => new Promise((done) => (server.close(() => done()), server.closeAllConnections())));
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await startServer();
  console.log(`test server on ${PAGE_ORIGIN} (also ${CDN_ORIGIN})`);
}
