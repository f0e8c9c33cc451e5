// <llama-chat> in Vue 3 templates, typed. Add "llama-chat/vue" to compilerOptions.types, and
// tell Vue's compiler the tag is a custom element (see the README).
import type { DefineComponent } from 'vue';
import type { ModelRecord } from './src/index.js';

interface LlamaChatProps {
  model?: string;
  models?: string | ModelRecord[];
  'system-prompt'?: string;
  temperature?: number | string;
  'max-tokens'?: number | string;
  'history-key'?: string;
  autoload?: boolean;
  placeholder?: string;
  theme?: 'light' | 'dark';
}

declare module 'vue' {
  interface GlobalComponents {
    'llama-chat': DefineComponent<LlamaChatProps>;
  }
}
