import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BROWSERS_DIR } from './browser-facts.js';
import { FIGURES_DIR } from './figures.js';
import { fileURLToPath } from 'node:url';
import { fakeModelLibrary, writeMlcModel } from '../fixtures/mlc-model.js';
import { writeTinyModel } from '../fixtures/tiny-model.js';
import { writeLlama3Model } from '../fixtures/llama3-model.js';
import { loraAnswerText, writeTinyLora } from '../fixtures/tiny-lora.js';

/** The tiny model every end-to-end test serves from localhost; made once, deterministically. */
export const TINY_MODEL_FILE = fileURLToPath(new URL('../.generated/tiny.gguf', import.meta.url));
/** A second tiny model with another vocabulary and seed (see tiny-model.ts `vocabulary`), and room for tool rounds. */
export const TINY_ALT_MODEL_FILE = fileURLToPath(new URL('../.generated/tiny-alt.gguf', import.meta.url));
/** A model of some tens of MB, large enough to see in the storage estimate. */
export const MEDIUM_MODEL_FILE = fileURLToPath(new URL('../.generated/medium.gguf', import.meta.url));
/** ≈235 MB (2048 wide, 4 layers; the benchmark's large model): what every engine must load at more than a tiny size. */
export const LARGE_MODEL_FILE = fileURLToPath(new URL('../.generated/large-2048x4.gguf', import.meta.url));
const generated = (path: string) => fileURLToPath(new URL(`../.generated/${path}`, import.meta.url));

/** The generated MLC model folders (test/fixtures/mlc-model.ts), served under /mlc/. */
export const MLC_TEST_DIR = generated('mlc/mlc-test');
/** The same model whose tensor-cache.json claims 4096 bytes more for shard 1 than the file has. */
export const MLC_BAD_SIZE_DIR = generated('mlc/mlc-bad-size');
/** A model library that is valid wasm but no compiled model: real MLC builds cannot be made or run here. */
export const MLC_LIB_FILE = generated('mlc/not-a-model-lib.wasm');

/**
 * Models on Llama 3.1's own vocabulary whose greedy answer is a known chain of tokens
 * (test/fixtures/llama3-model.ts `chain`): after the assistant header's "\n\n" comes "Hello", ",",
 * " world", then the end of the answer (or not), then " more" over and over.
 */
export const LLAMA3_TOKENS = { newlines: 271, hello: 9906, comma: 11, world: 1917, more: 810, eom: 128008, eot: 128009 };
const { newlines, hello, comma, world, more } = LLAMA3_TOKENS;
export const LLAMA3_CHAIN_MODELS = {
  /** Ends its answer with <|eot_id|>. */
  eot: { file: 'llama3-eot.gguf', chain: [newlines, hello, comma, world, LLAMA3_TOKENS.eot, more] },
  /** Ends its answer with <|eom_id|>. */
  eom: { file: 'llama3-eom.gguf', chain: [newlines, hello, comma, world, LLAMA3_TOKENS.eom, more] },
  /** Never ends it: what the others would say if their end token did not stop them. */
  endless: { file: 'llama3-endless.gguf', chain: [newlines, hello, comma, world, more] },
} as const;

async function writeLlama3Fixtures(): Promise<void> {
  for (const { file, chain } of Object.values(LLAMA3_CHAIN_MODELS)) {
    // Blocks add nothing to a chain model: one small block, ~17 MB of which the vocabulary is most.
    const path = generated(file);
    if (!existsSync(path))
      await writeLlama3Model(path, { chain, blockCount: 1, embeddingLength: 64, feedForwardLength: 64, headCount: 2, headCountKv: 1 });
  }
}

/**
 * LoRA adapters of the tiny model (test/fixtures/tiny-lora.ts), served under /models/lora/: two
 * whose greedy answer is known, on axes of their own, and two made for other models.
 */
export const LORA_ADAPTERS = {
  sure: { file: 'lora/sure.gguf', answer: loraAnswerText(['▁Sure', ',', '▁thanks', '!']) },
  hello: { file: 'lora/hello.gguf', answer: loraAnswerText(['▁Hello', '▁world', '.']) },
  /** Made for tiny-alt.gguf (another vocabulary): its shapes do not fit the tiny model. */
  otherBase: { file: 'lora/other-base.gguf' },
  /** Adapts a layer the tiny model (2 blocks) does not have. */
  extraLayer: { file: 'lora/extra-layer.gguf' },
} as const;

async function writeLoraFixtures(): Promise<void> {
  mkdirSync(generated('lora'), { recursive: true });
  await writeTinyLora(generated(LORA_ADAPTERS.sure.file), { answer: ['▁Sure', ',', '▁thanks', '!'] });
  await writeTinyLora(generated(LORA_ADAPTERS.hello.file), { answer: ['▁Hello', '▁world', '.'], firstSlot: 8 });
  await writeTinyLora(generated(LORA_ADAPTERS.otherBase.file), { answer: ['▁Sure'], base: { seed: 7, vocabulary: 1 } });
  await writeTinyLora(generated(LORA_ADAPTERS.extraLayer.file), {
    answer: ['▁Sure'],
    extraTarget: { name: 'blk.5.attn_q.weight', dims: [64, 64] },
  });
}

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
  if (!existsSync(LARGE_MODEL_FILE)) await writeTinyModel(LARGE_MODEL_FILE, { embeddingLength: 2048, blockCount: 4 });
  await writeLlama3Fixtures();
  await writeLoraFixtures();
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
