import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BROWSERS_DIR } from './browser-facts.js';
import { FIGURES_DIR } from './figures.js';
import { fileURLToPath } from 'node:url';
import { fakeModelLibrary, writeMlcModel } from '../fixtures/mlc-model.js';
import { writeTinyModel } from '../fixtures/tiny-model.js';

/** The tiny model every end-to-end test serves from localhost; made once, deterministically. */
export const TINY_MODEL_FILE = fileURLToPath(new URL('../.generated/tiny.gguf', import.meta.url));
/** A second tiny model with another vocabulary and seed (see tiny-model.ts `vocabulary`), and room for tool rounds. */
export const TINY_ALT_MODEL_FILE = fileURLToPath(new URL('../.generated/tiny-alt.gguf', import.meta.url));
/** A model of some tens of MB, large enough to see in the storage estimate. */
export const MEDIUM_MODEL_FILE = fileURLToPath(new URL('../.generated/medium.gguf', import.meta.url));
const generated = (path: string) => fileURLToPath(new URL(`../.generated/${path}`, import.meta.url));

/** The generated MLC model folders (test/fixtures/mlc-model.ts), served under /mlc/. */
export const MLC_TEST_DIR = generated('mlc/mlc-test');
/** The same model whose tensor-cache.json claims 4096 bytes more for shard 1 than the file has. */
export const MLC_BAD_SIZE_DIR = generated('mlc/mlc-bad-size');
/** A model library that is valid wasm but no compiled model: real MLC builds cannot be made or run here. */
export const MLC_LIB_FILE = generated('mlc/not-a-model-lib.wasm');

function writeMlcFixtures(): void {
  writeMlcModel(MLC_TEST_DIR);
  writeMlcModel(MLC_BAD_SIZE_DIR, { misdeclare: { shard: 1, by: 4096 } });
  writeFileSync(MLC_LIB_FILE, fakeModelLibrary());
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(fileURLToPath(new URL('../../dist/llama-chat.js', import.meta.url)))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  mkdirSync(fileURLToPath(new URL('../.generated/', import.meta.url)), { recursive: true });
  if (!existsSync(TINY_MODEL_FILE)) await writeTinyModel(TINY_MODEL_FILE);
  if (!existsSync(TINY_ALT_MODEL_FILE)) await writeTinyModel(TINY_ALT_MODEL_FILE, { seed: 7, vocabulary: 1, contextLength: 4096 });
  if (!existsSync(MEDIUM_MODEL_FILE)) await writeTinyModel(MEDIUM_MODEL_FILE, { embeddingLength: 1024, blockCount: 2, seed: 5 });
  writeMlcFixtures();
  writeBrokenModels();
  rmSync(FIGURES_DIR, { recursive: true, force: true }); // figures come from this run only
  rmSync(BROWSERS_DIR, { recursive: true, force: true }); // and so do the browser table's facts
}

/** Broken GGUF files for the bad-input tests, made from the tiny model. */
export const BROKEN_MODELS = ['truncated.gguf', 'garbage.gguf', 'empty.gguf', 'bad-tensors.gguf'] as const;

function writeBrokenModels(): void {
  const tiny = readFileSync(TINY_MODEL_FILE);
  const at = (name: string) => fileURLToPath(new URL(`../.generated/${name}`, import.meta.url));
  // Cut off half-way through the tensor data.
  writeFileSync(at('truncated.gguf'), tiny.subarray(0, Math.floor(tiny.length / 2)));
  // Not a GGUF file at all (deterministic "random" bytes).
  const garbage = Buffer.alloc(200_000);
  for (let i = 0, x = 1; i < garbage.length; i++) garbage[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  writeFileSync(at('garbage.gguf'), garbage);
  writeFileSync(at('empty.gguf'), Buffer.alloc(0));
  // A valid header whose metadata is overwritten: the right magic, nonsense after it.
  const badTensors = Buffer.from(tiny);
  badTensors.fill(0xff, 24, 4096);
  writeFileSync(at('bad-tensors.gguf'), badTensors);
}
