// <llama-chat> in React 19's JSX. Add "llama-chat/react" to compilerOptions.types in
// tsconfig.json (or `import type {} from 'llama-chat/react'` once in the app).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { LlamaChat, LlamaChatEventMap, ModelRecord } from './src/index.js';

/** Attributes as React passes them; `models` as JSON while the element is not defined yet. */
interface LlamaChatAttributes {
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

/** React 19 adds `on<event name>` props of custom elements as event listeners. */
type LlamaChatEventProps = { [K in keyof LlamaChatEventMap as `on${K}`]?: (event: LlamaChatEventMap[K]) => void };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'llama-chat': DetailedHTMLProps<HTMLAttributes<LlamaChat>, LlamaChat> & LlamaChatAttributes & LlamaChatEventProps;
    }
  }
}
