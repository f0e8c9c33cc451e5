// `npm run bench:real-size`: figure 10 alone (after the build), written to
// bench/results/real-size.json and .md; `npm run bench` runs it with every other figure.
// BENCH_REAL_SIZE_ROUNDS sets its rounds (2; each takes about five minutes here);
// BENCH_REAL_SIZE_LOADS_ONLY=1 leaves out the per-token steps (threads, load settings, LoRA).
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';
import { measureRealSize } from './real-size.js';
import { renderRealSize } from './real-size-report.js';
import { PAGE_ORIGIN, startServer } from '../test/server.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const wasmFile = readdirSync('dist').find((f) => f.endsWith('.wasm') && !f.startsWith('wllama-compat-'));
if (!wasmFile) throw new Error('dist/ lacks the wasm: run `npm run build` first');
const rounds = Number(process.env.BENCH_REAL_SIZE_ROUNDS ?? 2);

const stopServer = await startServer();
const browser = await launchBrowser();
try {
  const runs = await measureRealSize(
    browser.context,
    browser.userDataDir,
    PAGE_ORIGIN,
    `/dist/${wasmFile}`,
    rounds,
    (step) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${step}`),
    process.env.BENCH_REAL_SIZE_LOADS_ONLY === '1',
  );
  const markdown = `Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${browser.version}.\n\n${renderRealSize(runs)}`;
  writeFileSync(`${RESULTS}real-size.json`, JSON.stringify(runs, null, 2) + '\n');
  writeFileSync(`${RESULTS}real-size.md`, markdown);
  console.log('\n' + markdown);
} finally {
  await browser.close();
  await stopServer();
}
