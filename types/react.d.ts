// <llama-chat> in React 19's JSX. Add "llama-chat/react" to compilerOptions.types in
// tsconfig.json (or `import type {} from 'llama-chat/react'` once in the app).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { LlamaChat, LlamaChatAttributes, LlamaChatEventProps } from './src/index.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'llama-chat': DetailedHTMLProps<HTMLAttributes<LlamaChat>, LlamaChat> & LlamaChatAttributes & LlamaChatEventProps;
    }
  }
}
