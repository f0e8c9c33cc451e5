// The README's browser table, from what the cross-engine tests saw (test/e2e/core.engines.spec.ts
// writes test-results/browsers/<engine>.json when its "second visit" test passes):
// `node scripts/browser-table.mjs` rewrites the table; `--check` fails when it is no longer true.
// Debian's archive moves on, so a machine may test another version than the table's: `--check`
// compares an engine's row only when this run tested the version the row is of, and says so.
import { existsSync, readFileSync } from 'node:fs';
import { writeReadmeBlock } from './readme-block.mjs';

const START = '<!-- browsers:start (scripts/browser-table.mjs) -->';
const END = '<!-- browsers:end -->';
const ENGINES = [
  ['chromium', 'Chromium (Chrome, Edge, Android)'],
  ['gecko', 'Gecko (Firefox)'],
  ['webkit', 'WebKit (Safari, every browser on iOS)'],
];
const STORAGE = {
  opfs: 'one OPFS file',
  'indexeddb-blobs': 'IndexedDB chunks (Blobs)',
  'indexeddb-arraybuffers': 'IndexedDB chunks (ArrayBuffers: it refuses Blobs here)',
  memory: 'memory, for this visit only',
};

function row([engine, name]) {
  const file = `test-results/browsers/${engine}.json`;
  if (!existsSync(file)) throw new Error(`${file} is missing: its engine's core tests did not all pass in this run`);
  const facts = JSON.parse(readFileSync(file, 'utf8'));
  const builds = facts.builds.map((b) => (b === 'compat' ? 'compat build (Asyncify, wasm32)' : 'default build')).join(', ');
  const limits = [
    !facts.webgpu && 'no WebGPU',
    !facts.opfs && 'no OPFS',
    !facts.deviceMemory && 'no `deviceMemory`',
    !facts.jspi && 'no JSPI',
    !facts.memory64 && 'no Memory64',
  ].filter(Boolean);
  return `| ${name} | ${facts.version} | wllama on the CPU, ${builds} | ${STORAGE[facts.storage] ?? facts.storage} | ${limits.join(', ') || 'none seen'} |`;
}

/** The README's row for engine `name`, and the version it is of. */
function readmeRow(name) {
  const line = readFileSync('README.md', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`| ${name} |`));
  return line && { line, version: line.split('|')[2]?.trim() };
}

function rowToKeep(engine) {
  const seen = row(engine);
  const written = process.argv.includes('--check') ? readmeRow(engine[1]) : undefined;
  const version = seen.split('|')[2]?.trim();
  if (!written || written.version === version) return seen;
  console.log(`${engine[1]}: this run tested ${version}, the README's row is of ${written.version}; left as it is (${seen})`);
  return written.line;
}

const table = [
  '| engine | version tested | backend that answered | where the model was kept | what it lacks here |',
  '| --- | --- | --- | --- | --- |',
  ...ENGINES.map(rowToKeep),
].join('\n');
writeReadmeBlock(
  START,
  END,
  table,
  "README.md's browser table no longer says what the run saw: run `npm run browsers` after `npm test`.\n" + table,
);
