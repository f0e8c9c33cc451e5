// installLanguageModel(): the Prompt API as a global where the browser has none of its own.
import type { LanguageModelOptions } from './model-host.js';
import { LanguageModel, useModel } from './language-model.js';

/** Either LanguageModel: the browser's own (Chrome's built-in) or this library's; their API is the same. */
export type LanguageModelClass = typeof LanguageModel;

export interface Installation {
  /** True when this library's LanguageModel is now `globalThis.LanguageModel`; false when the browser's own was there and stays. */
  installed: boolean;
  /** The one `globalThis.LanguageModel` is: the browser's own, or this library's. */
  LanguageModel: LanguageModelClass;
  /** This library's, configured with `options` either way (for a page that wants this model, not the browser's). */
  local: LanguageModelClass;
}

/**
 * Configures this library's LanguageModel with `options` (the model options of createEngine())
 * and defines it as `globalThis.LanguageModel` only where the browser has none: a browser's own
 * is never replaced.
 */
export function installLanguageModel(options: LanguageModelOptions = {}): Installation {
  useModel(options);
  const global = globalThis as { LanguageModel?: LanguageModelClass };
  const existing = global.LanguageModel;
  if (existing !== undefined && existing !== LanguageModel) return { installed: false, LanguageModel: existing, local: LanguageModel };
  Object.defineProperty(globalThis, 'LanguageModel', { value: LanguageModel, writable: true, configurable: true, enumerable: false });
  return { installed: true, LanguageModel, local: LanguageModel };
}
