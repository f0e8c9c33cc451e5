// The model files the benchmark serves from localhost, generated once into test/.generated.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeTinyModel, type TinyModelOptions } from '../test/fixtures/tiny-model.js';
import type { ModelRecord } from '../protocol/types.js';

const GENERATED = fileURLToPath(new URL('../test/.generated/', import.meta.url));

interface ModelFile {
  id: string;
  file: string;
  options: TinyModelOptions;
  contextLength: number;
}

/** The end-to-end tests' tiny model: fast enough that our own overhead shows. */
export const TINY: ModelFile = { id: 'bench-tiny', file: 'tiny.gguf', options: {}, contextLength: 512 };
/** ≈235 MB: large enough that storing and reading it dominates its load. */
export const LARGE: ModelFile = {
  id: 'bench-large',
  file: 'large-2048x4.gguf',
  options: { embeddingLength: 2048, blockCount: 4 },
  contextLength: 512,
};

/** Where the file of `model` is generated. */
export function modelPath(model: ModelFile): string {
  return GENERATED + model.file;
}

export async function ensureModel(model: ModelFile): Promise<number> {
  mkdirSync(GENERATED, { recursive: true });
  const path = GENERATED + model.file;
  if (!existsSync(path)) {
    console.log(`generating ${model.file}…`);
    await writeTinyModel(path, model.options);
  }
  return statSync(path).size;
}

export function modelRecord(model: ModelFile, origin: string, sizeBytes: number): ModelRecord {
  return {
    id: model.id,
    engine: 'wllama',
    url: `${origin}/models/${model.file}`,
    label: model.id,
    sizeBytes,
    contextLength: model.contextLength,
  };
}
