// <llama-chat> in Svelte 5 markup, typed. Add "llama-chat/svelte" to compilerOptions.types.
import type { HTMLAttributes } from 'svelte/elements';
import type { LlamaChat, LlamaChatAttributes, LlamaChatEventProps } from './src/index.js';

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'llama-chat': HTMLAttributes<LlamaChat> & LlamaChatAttributes & LlamaChatEventProps;
  }
}
