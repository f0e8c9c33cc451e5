// <llama-chat> in Vue 3 templates, typed. Add "llama-chat/vue" to compilerOptions.types, and
// tell Vue's compiler the tag is a custom element (see the README).
import type { DefineComponent } from 'vue';
import type { LlamaChatAttributes } from './src/index.js';

declare module 'vue' {
  interface GlobalComponents {
    'llama-chat': DefineComponent<LlamaChatAttributes>;
  }
}
