// The sampling settings of a session: samplingMode's presets, or topK and temperature as given
// (the spec keeps those for extensions; a library may honour them), clamped as its README says.
import type { LanguageModelCreateCoreOptions, LanguageModelParams } from './types.js';

/** llama.cpp's own defaults (top_k 40, temperature 0.8). */
export const PARAMS: LanguageModelParams = Object.freeze({ defaultTopK: 40, maxTopK: 128, defaultTemperature: 0.8, maxTemperature: 2 });

const MODES = {
  'most-predictable': { temperature: 0, topK: 1 },
  predictable: { temperature: 0.3, topK: 20 },
  balanced: { temperature: PARAMS.defaultTemperature, topK: PARAMS.defaultTopK },
  default: { temperature: PARAMS.defaultTemperature, topK: PARAMS.defaultTopK },
  creative: { temperature: 1.1, topK: 80 },
  'most-creative': { temperature: 1.4, topK: PARAMS.maxTopK },
} as const;

export interface Sampling {
  temperature: number;
  topK: number;
}

export function samplingFor(options: LanguageModelCreateCoreOptions): Sampling {
  const mode = options.samplingMode ?? 'default';
  if (!(mode in MODES)) throw new TypeError(`samplingMode "${String(mode)}" is none of ${Object.keys(MODES).join(', ')}.`);
  const preset = MODES[mode];
  const { temperature = preset.temperature, topK = preset.topK } = options;
  if (!(temperature >= 0)) throw new RangeError('temperature must be 0 or more.');
  if (!(topK >= 1)) throw new RangeError('topK must be 1 or more.');
  return { temperature: Math.min(temperature, PARAMS.maxTemperature), topK: Math.min(Math.floor(topK), PARAMS.maxTopK) };
}
