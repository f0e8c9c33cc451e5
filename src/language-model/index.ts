// llama-chat/language-model: the Prompt API (LanguageModel) on this library's engines, an entry of
// its own (dist/language-model.js) so the element's pages never load it.
export { LanguageModel } from './language-model.js';
export { installLanguageModel } from './install.js';
export type { Installation, LanguageModelClass } from './install.js';
export type { LanguageModelOptions } from './model-host.js';
export type { QuotaExceeded } from './errors.js';
export type * from './types.js';
