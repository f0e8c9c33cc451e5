import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { FIGURES_DIR } from './figures.js';
import { fileURLToPath } from 'node:url';
import { writeTinyModel } from '../fixtures/tiny-model.js';

/** The tiny model every end-to-end test serves from localhost; made once, deterministically. */
export const TINY_MODEL_FILE = fileURLToPath(new URL('../.generated/tiny.gguf', import.meta.url));

export default async function globalSetup(): Promise<void> {
  if (!existsSync(fileURLToPath(new URL('../../dist/llama-chat.js', import.meta.url)))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  mkdirSync(fileURLToPath(new URL('../.generated/', import.meta.url)), { recursive: true });
  if (!existsSync(TINY_MODEL_FILE)) await writeTinyModel(TINY_MODEL_FILE);
  rmSync(FIGURES_DIR, { recursive: true, force: true }); // figures come from this run only
}
