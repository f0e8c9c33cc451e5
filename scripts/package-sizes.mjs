// The sizes the README quotes, measured from dist/ and `npm pack`: `node scripts/package-sizes.mjs`
// rewrites the README's sizes block; `--check` fails when the README no longer says what is true.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { writeReadmeBlock } from './readme-block.mjs';

const START = '<!-- sizes:start (scripts/package-sizes.mjs) -->';
const END = '<!-- sizes:end -->';
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const MB = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const files = readdirSync('dist');
const sum = (names) => names.reduce((total, name) => total + statSync(`dist/${name}`).size, 0);
const gzip = (names) => names.reduce((total, name) => total + gzipSync(readFileSync(`dist/${name}`), { level: 9 }).length, 0);
const matching = (pattern) => files.filter((f) => pattern.test(f));

const rows = [
  [
    '`llama-chat.js`: what a page loads before the element renders (goal: at most 20,000 bytes gzip -9)',
    matching(/^llama-chat\.js$/),
    'bytes',
  ],
  [
    '`language-model.js`: the Prompt API (`LanguageModel`), an entry of its own, loaded instead of the element',
    matching(/^language-model\.js$/),
    'bytes',
  ],
  ['`llama-chat-worker.js` and its core chunk: the worker, started on load', matching(/^llama-chat-worker(-core-.*)?\.js$/)],
  ['wllama (GGUF on the CPU): its chunks and wasm, fetched by the worker for a GGUF model', matching(/^wllama-(?!compat-).*\.(js|wasm)$/)],
  [
    "wllama's compat build (no JSPI or Memory64 needed), fetched instead of its wasm only where those are missing (Safari)",
    matching(/^wllama-compat-.*\.(js|wasm)$/),
  ],
  ['web-llm (MLC on WebGPU): its chunks, fetched by the worker for an MLC model', matching(/^(web-llm-.*|lib-.*)\.js$/)],
  [
    'JSON Schema validator (@cfworker/json-schema), fetched by the worker when an answer has a schema',
    matching(/^json-schema-validator-.*\.js$/),
  ],
];
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { encoding: 'utf8' }));
const table = [
  '| part | size | gzip -9 |',
  '| --- | --- | --- |',
  // The entries to the byte: the entry's budget is counted in bytes.
  ...rows.map(
    ([what, names, exact]) =>
      `| ${what} | ${kB(sum(names))} | ${kB(gzip(names))}${exact ? ` (${gzip(names).toLocaleString('en-US')} bytes)` : ''} |`,
  ),
  `| the npm package (\`npm pack\`): tarball / installed | ${MB(pack.size)} | ${MB(pack.unpackedSize)} installed |`,
].join('\n');
writeReadmeBlock(START, END, table, 'README.md quotes sizes that are no longer true: run `npm run sizes` (after `npm run build`).');
