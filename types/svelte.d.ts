// <llama-chat> in Svelte 5 markup, typed. Add "llama-chat/svelte" to compilerOptions.types.
import type { HTMLAttributes } from 'svelte/elements';
import type { LlamaChat, LlamaChatEventMap, ModelRecord } from './src/index.js';

type LlamaChatEventProps = { [K in keyof LlamaChatEventMap as `on${K}`]?: (event: LlamaChatEventMap[K]) => void };

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'llama-chat': HTMLAttributes<LlamaChat> &
      LlamaChatEventProps & {
        model?: string;
        models?: string | ModelRecord[];
        'system-prompt'?: string;
        temperature?: number | string;
        'max-tokens'?: number | string;
        'history-key'?: string;
        autoload?: boolean;
        placeholder?: string;
        theme?: 'light' | 'dark';
      };
  }
}
