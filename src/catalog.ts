import { LlamaChatError } from './errors.js';
import type { ModelRecord } from './types.js';

export const DEFAULT_MODEL_ID = 'Llama-3.1-8B-Instruct-q4f16_1-MLC';

const MLC_HUB = 'https://huggingface.co/mlc-ai';

/** Models every page can name by id. Pages add their own through the `models` property. */
export const BUILT_IN_MODELS: readonly ModelRecord[] = [
  {
    id: 'Llama-3.1-8B-Instruct-q4f16_1-MLC',
    engine: 'web-llm',
    url: `${MLC_HUB}/Llama-3.1-8B-Instruct-q4f16_1-MLC`,
    label: 'Llama 3.1 8B Instruct (q4f16_1)',
    contextLength: 4096,
  },
  {
    id: 'Llama-3.1-8B-Instruct-q4f32_1-MLC',
    engine: 'web-llm',
    url: `${MLC_HUB}/Llama-3.1-8B-Instruct-q4f32_1-MLC`,
    label: 'Llama 3.1 8B Instruct (q4f32_1)',
    contextLength: 4096,
  },
];

/** The record for `id`, looking first at the page's own models, then at the built-in ones. */
export function resolveModel(id: string, pageModels: readonly ModelRecord[] = []): ModelRecord {
  const record = pageModels.find((m) => m.id === id) ?? BUILT_IN_MODELS.find((m) => m.id === id);
  if (!record) {
    const known = [...pageModels, ...BUILT_IN_MODELS].map((m) => m.id).join(', ');
    throw new LlamaChatError('bad-input', `model="${id}" is not a known model. Known models: ${known}. Add others through the models property.`);
  }
  return record;
}
