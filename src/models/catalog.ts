import { LlamaChatError } from '../../protocol/errors.js';
import type { ModelRecord } from '../../protocol/types.js';
import { LLAMA_3_1_LICENSE, LLAMA_3_2_LICENSE } from './licenses.js';

export const DEFAULT_MODEL_ID = 'Llama-3.1-8B-Instruct-q4f16_1-MLC';
export const DEFAULT_F32_MODEL_ID = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
export const CPU_FALLBACK_MODEL_ID = 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF';

// web-llm 0.2.86's hosts and compiled libraries for these builds. A site that wants no third
// party at all copies the folders and the .wasm files to its own origin and registers records
// with its own `url` and `modelLib` (see README, "Self-hosting"). These follow `main`: their
// commits could not be read from here (README, "Integrity": how a site pins them).
const MLC_WEIGHTS = 'https://huggingface.co/mlc-ai';
const MLC_LIBS = 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base';

// Download sizes are those of the published weight shards, rounded; GPU memory is web-llm's
// own `vram_required_MB` for each build.
function llama31(quant: 'q4f16_1' | 'q4f32_1', context: 4096 | 1024, vramMB: number, sizeBytes: number): ModelRecord {
  const base = `Llama-3.1-8B-Instruct-${quant}-MLC`;
  return {
    id: context === 4096 ? base : `${base}-1k`,
    engine: 'web-llm',
    url: `${MLC_WEIGHTS}/${base}`,
    modelLib: `${MLC_LIBS}/Llama-3_1-8B-Instruct-${quant}_cs1k-webgpu.wasm`,
    label: `Llama 3.1 8B Instruct (${quant}${context === 1024 ? ', 1k context' : ''})`,
    sizeBytes,
    contextLength: context,
    vramMB,
    requiredFeatures: quant === 'q4f16_1' ? ['shader-f16'] : [],
    license: LLAMA_3_1_LICENSE,
  };
}

/** Models every page can name by id. Pages add their own through the `models` property. */
export const BUILT_IN_MODELS: readonly ModelRecord[] = [
  llama31('q4f16_1', 4096, 5001, 4_520_000_000),
  llama31('q4f32_1', 4096, 6101, 4_560_000_000),
  llama31('q4f16_1', 1024, 4598, 4_520_000_000),
  llama31('q4f32_1', 1024, 5296, 4_560_000_000),
  {
    id: CPU_FALLBACK_MODEL_ID,
    engine: 'wllama',
    // One revision of the file, and its bytes' hash: a changed file is refused, not run.
    url: 'https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/067b946cf014b7c697f3654f621d577a3e3afd1c/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    sha256: '6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83',
    label: 'Llama 3.2 1B Instruct (Q4_K_M, CPU)',
    sizeBytes: 807_694_464,
    contextLength: 4096,
    license: LLAMA_3_2_LICENSE,
  },
];

/** Every model a page can name: its own records first, then the built-ins they do not replace. */
export function knownModels(pageModels: readonly ModelRecord[] = []): ModelRecord[] {
  return [...pageModels, ...BUILT_IN_MODELS.filter((b) => !pageModels.some((m) => m.id === b.id))];
}

/** The record for `id`, looking first at the page's own models, then at the built-in ones. */
export function findModel(id: string, pageModels: readonly ModelRecord[] = []): ModelRecord | undefined {
  return knownModels(pageModels).find((m) => m.id === id);
}

/** As findModel, but an unknown id is a `bad-input` error that lists the known ones. */
export function resolveModel(id: string, pageModels: readonly ModelRecord[] = []): ModelRecord {
  const record = findModel(id, pageModels);
  if (!record) {
    const known = knownModels(pageModels)
      .map((m) => m.id)
      .join(', ');
    throw new LlamaChatError(
      'bad-input',
      `model="${id}" is not a known model. Known models: ${known}. Add others through the models property.`,
    );
  }
  return record;
}
