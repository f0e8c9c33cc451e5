// `npm run soak -- [options]`: downloads a real-size model many times in a row, each time in a
// fresh browser profile on disk (a private window's storage stops near 1.5 GB), and reports every
// download that stalls: where its worker waits (the pending call, the locks held), the socket's
// unread bytes and the stored file's size. Issue 34: about one 4.53 GB download in ten stopped
// reading for good; 30 clean runs leave a one-in-ten fault a 4% chance to hide, 44 runs 1%.
//
//   --runs N            downloads in a row (30)
//   --mode store|engine store: the model store's own download (openModelFile) in a worker, at the
//                       8B's real size (4.53 GB, which the CPU engine refuses to load, so no
//                       engine is behind it); engine: createEngine() in the page, with the largest
//                       model the CPU engine takes (26 layers, 3.79 GB), done when it starts loading
//   --layers L          the real-size model's layers (store 32, engine 26)
//   --browser B         chromium (Playwright, a persistent profile), firefox (Firefox ESR,
//                       headless, a fresh --profile), webkit (MiniBrowser under Xvfb, its own HOME)
//   --source DIR        the tree soaked (default this one): its worker/store/ in store mode, its whole
//                       library in engine mode; e.g. a baseline from `git archive <commit> | tar -x -C DIR`
//   --notice/--resume/--stalls  the download's stall times (ms, ms, count); default the library's
//   --hang-after S      no byte for this long ends a run as hung, after its diagnostics (180)
//   --verify            Chromium: SHA-256 of the stored OPFS file against the served file
//   --port P            the test server's port for the soak (4199)
//   --label NAME        names the results file: bench/results/download-soak-<browser>-<mode>[-NAME].json
//   --append            adds this soak's runs to the results file's (a long soak in batches, so
//                       that others may use the browser between them)
//   --query Q           test server faults for the model's URL, e.g. hang=3774873600&hangs=1: the issue's
//                       stall (the body stops at 3,600 MiB, the connection open), once per run
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, loadConfigFromFile, type Plugin } from 'vite';
import { webgpuLaunchOptions } from '../playwright.config.js';
import { ensureRealSizeModel } from '../test/fixtures/real-size.js';
import { MINIBROWSER } from '../test/browsers/webdriver-classic.js';
import { startServer } from '../test/server.js';
import type { SoakStatus } from './soak/messages.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    mode: { type: 'string', default: 'store' },
    layers: { type: 'string' },
    browser: { type: 'string', default: 'chromium' },
    source: { type: 'string', default: ROOT },
    notice: { type: 'string' },
    resume: { type: 'string' },
    stalls: { type: 'string' },
    'hang-after': { type: 'string', default: '180' },
    verify: { type: 'boolean', default: false },
    port: { type: 'string', default: '4199' },
    label: { type: 'string' },
    query: { type: 'string' },
    append: { type: 'boolean', default: false },
  },
});
const mode = args.mode === 'engine' ? 'engine' : 'store';
const browser = args.browser as 'chromium' | 'firefox' | 'webkit';
const layers = Number(args.layers ?? (mode === 'store' ? 32 : 26));
const port = Number(args.port);
const origin = `http://localhost:${port}`;
const hangAfter = Number(args['hang-after']);

interface RunResult {
  run: number;
  outcome: 'done' | 'failed' | 'hung';
  seconds: number;
  requests: number;
  status: SoakStatus | undefined;
  /** Sampled while the download was quiet: the browser's sockets to the server, the stored file. */
  quiet?: { socket: string; storedBytes: number | undefined };
  verified?: boolean;
}

function log(line: string): void {
  console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** The soak's page and its worker (bench/soak/), with the model store of `source`. */
async function buildSoak(source: string): Promise<void> {
  // One folder per source tree, so a soak under way is not rebuilt under its feet by another.
  await build({
    configFile: false,
    root: ROOT,
    base: './',
    logLevel: 'warn',
    resolve: { alias: { '@soak-store': resolve(source, 'worker/store/model-store.ts') } },
    worker: { format: 'es' },
    build: {
      outDir: `bench/.build/${buildName}`,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      modulePreload: false,
      rollupOptions: {
        // The page starts its worker (store-worker.ts), which Vite bundles on its own.
        input: { 'soak-page': 'bench/soak/soak-page.ts' },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  });
  if (mode === 'engine') await buildLibrary(source);
}

/**
 * Engine mode: the library of `source` built into a folder of its own (dist/ is shared), with
 * instrument-worker.ts first in its worker, so a stalled download says where the worker waits.
 */
async function buildLibrary(source: string): Promise<void> {
  const env = { command: 'build', mode: 'production' } as const;
  const loaded = await loadConfigFromFile(env, resolve(source, 'vite.config.ts'), source, 'warn');
  const config = loaded!.config; // the config file's function, already applied for `env`
  const workerPlugins = config.worker?.plugins;
  const instrument = resolve(ROOT, 'bench/soak/instrument-worker.ts');
  const instrumented: Plugin = {
    name: 'soak:instrument-worker',
    transform(code, id) {
      // The package says which of its files have side effects: this one has, whatever it says.
      if (id.startsWith(instrument)) return { code, map: null, moduleSideEffects: 'no-treeshake' };
      if (!/\/worker\/index\.ts(\?|$)/.test(id)) return null;
      return { code: `import ${JSON.stringify(instrument)};\n${code}`, map: null };
    },
  };
  await build({
    ...config,
    configFile: false,
    root: source,
    logLevel: 'warn',
    worker: { ...config.worker, plugins: () => [...(workerPlugins?.() ?? []), instrumented] },
    build: { ...config.build, outDir: resolve(ROOT, `bench/.build/${buildName}-dist`), emptyOutDir: true },
  });
}

function sha256(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (data) => hash.update(data))
      .on('end', () => done(hash.digest('hex')))
      .on('error', fail);
  });
}

/** The largest file under `folder` (a profile's OPFS file is the model). */
function largestFile(folder: string): string | undefined {
  let best: { path: string; size: number } | undefined;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const size = statSync(path).size;
        if (!best || size > best.size) best = { path, size };
      }
    }
  };
  try {
    walk(folder);
  } catch {
    // the browser removed a folder meanwhile
  }
  return best?.path;
}

function sockets(): string {
  try {
    return execFileSync('ss', ['-tni', `dport = :${port}`], { encoding: 'utf8' }).trim();
  } catch (error) {
    return `ss failed: ${String(error)}`;
  }
}

async function report(id: string): Promise<SoakStatus | undefined> {
  const response = await fetch(`${origin}/control/report?id=${id}`).catch(() => undefined);
  return response?.ok ? ((await response.json()) as SoakStatus) : undefined;
}

/** Starts `browser` on `url` with a fresh profile; resolves with its end (and the profile's folder). */
async function launch(url: string): Promise<{ profile: string; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), `llama-chat-soak-${browser}-`));
  if (browser === 'chromium') {
    const context = await chromium.launchPersistentContext(profile, { ...webgpuLaunchOptions, baseURL: origin });
    await (context.pages()[0] ?? (await context.newPage())).goto(url);
    return { profile, close: () => context.close() };
  }
  let child: ChildProcess;
  if (browser === 'firefox') {
    child = spawn(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', ['--headless', '--no-remote', '--profile', profile, url], {
      detached: true,
      stdio: 'ignore',
    });
  } else {
    const env = {
      HOME: profile,
      XDG_DATA_HOME: join(profile, 'data'),
      XDG_CACHE_HOME: join(profile, 'cache'),
      XDG_CONFIG_HOME: join(profile, 'config'),
    };
    child = spawn('xvfb-run', ['-a', MINIBROWSER, url], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
  }
  const exited = new Promise((done) => child.once('exit', done));
  return {
    profile,
    close: async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

async function soakOnce(run: number, file: string): Promise<RunResult> {
  const id = `soak-${process.pid}-${run}`;
  const modelUrl = `/models/real-size/${file}?soak=${id}${args.query ? `&${args.query}` : ''}`;
  const dist = `/bench/.build/${buildName}-dist/llama-chat.js`;
  const query = new URLSearchParams({ build: buildName, report: id, mode, url: modelUrl, id: `soak-${layers}l`, dist });
  for (const name of ['notice', 'resume', 'stalls'] as const) if (args[name]) query.set(name, args[name]);
  const startedAt = Date.now();
  const { profile, close } = await launch(`${origin}/bench/pages/download-soak.html?${query}`);
  current = { profile, close };
  let status: SoakStatus | undefined;
  let quiet: RunResult['quiet'];
  let outcome: RunResult['outcome'] = 'hung';
  try {
    for (;;) {
      await new Promise((wait) => setTimeout(wait, 2_000));
      status = await report(id);
      if (status?.done) outcome = 'done';
      if (status?.failed) outcome = 'failed';
      if (outcome !== 'hung') break;
      const quietFor = status ? status.quietFor : (Date.now() - startedAt) / 1000;
      if (quietFor >= 20 && !quiet) {
        const stored = browser === 'chromium' ? largestFile(join(profile, 'Default', 'File System')) : undefined;
        quiet = { socket: sockets(), storedBytes: stored ? statSync(stored).size : undefined };
        log(`run ${run}: no byte for ${quietFor} s at ${status?.loaded ?? 0} bytes; "${status?.text ?? ''}"`);
      }
      if (quietFor < 20) quiet = undefined; // it went on: keep only the diagnostics of a silence that lasts
      if (quietFor >= hangAfter) break;
    }
    let verified: boolean | undefined;
    if (outcome === 'done' && args.verify && browser === 'chromium') {
      const stored = largestFile(join(profile, 'Default', 'File System'));
      verified = !!stored && (await sha256(stored)) === (await sourceHash(file));
    }
    const counts = (await (await fetch(`${origin}/control/requests?prefix=${encodeURIComponent(`GET ${modelUrl}`)}`)).json()) as Record<
      string,
      number
    >;
    const requests = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return {
      run,
      outcome,
      seconds: Math.round((Date.now() - startedAt) / 1000),
      requests,
      status,
      ...(quiet ? { quiet } : {}),
      ...(verified === undefined ? {} : { verified }),
    };
  } finally {
    current = undefined;
    await close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  }
}

/** The run under way: a soak stopped by a signal closes its browser and removes its profile (gigabytes). */
let current: { profile: string; close: () => Promise<void> } | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const run = current;
    void (async () => {
      await run?.close().catch(() => {});
      if (run) await rm(run.profile, { recursive: true, force: true });
      process.exit(1);
    })();
  });
}

const hashes = new Map<string, Promise<string>>();
function sourceHash(file: string): Promise<string> {
  if (!hashes.has(file)) hashes.set(file, sha256(join(ROOT, 'test/.generated/real-size', file)));
  return hashes.get(file)!;
}

const buildName = resolve(args.source) === resolve(ROOT) ? 'soak' : `soak-${resolve(args.source).replace(/[^\w]+/g, '-')}`;
const modelPath = await ensureRealSizeModel(layers);
const file = modelPath.split('/').at(-1)!;
log(`${args.runs} runs, ${browser}, ${mode} mode, ${file} (${(statSync(modelPath).size / 1e9).toFixed(2)} GB), store from ${args.source}`);
await buildSoak(args.source);
const stopServer = await startServer(port);
const out = join(ROOT, `bench/results/download-soak-${browser}-${mode}${args.label ? `-${args.label}` : ''}.json`);
const results: RunResult[] =
  args.append && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { results: RunResult[] }).results : [];
const first = results.length + 1;
/** The results so far, written after every run: a soak cut short keeps what it measured. */
function save(): { runs: number; done: number; resumed: number; failed: number; hung: number } {
  const count = (outcome: RunResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const summary = {
    runs: results.length,
    done: count('done'),
    resumed: results.filter((r) => r.requests > 1).length,
    failed: count('failed'),
    hung: count('hung'),
  };
  writeFileSync(out, `${JSON.stringify({ browser, mode, file, source: args.source, query: args.query, ...summary, results }, null, 1)}\n`);
  return summary;
}
try {
  for (let run = first; run < first + Number(args.runs); run++) {
    const result = await soakOnce(run, file);
    results.push(result);
    save();
    const notes = result.status?.notes.map((n) => `${n.at} s: ${n.text}`).join(' | ') ?? '';
    log(
      `run ${run}: ${result.outcome} in ${result.seconds} s, ${result.requests} request(s)${result.verified === undefined ? '' : result.verified ? ', SHA-256 equal' : ', SHA-256 DIFFERS'}${notes ? `; ${notes}` : ''}`,
    );
    if (result.outcome !== 'done') log(`run ${run} details: ${JSON.stringify({ status: result.status, quiet: result.quiet }, null, 1)}`);
  }
} finally {
  await stopServer();
  const summary = save();
  log(
    `${summary.done}/${summary.runs} done (${summary.resumed} resumed after a stall), ${summary.failed} failed, ${summary.hung} hung; ${out}`,
  );
}
