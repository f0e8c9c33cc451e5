// The element as framework templates see it (types/react.d.ts, vue.d.ts, svelte.d.ts use these).
import type { ModelRecord } from '../../protocol/types.js';
import type { LlamaChatEventMap } from './events.js';

/** Attributes as templates pass them; `models` as JSON while the element is not defined yet. */
export interface LlamaChatAttributes {
  model?: string;
  models?: string | ModelRecord[];
  'system-prompt'?: string;
  temperature?: number | string;
  'max-tokens'?: number | string;
  /** One of the model record's LoRA adapters (its id) for every answer. */
  adapter?: string;
  'history-key'?: string;
  autoload?: boolean;
  placeholder?: string;
  theme?: 'light' | 'dark';
  links?: string;
  'tool-choice'?: 'auto' | 'required';
  /** Load a model of this chat's own instead of sharing the site's one copy. */
  'own-engine'?: boolean;
  /** Hide the attribution the model's license asks for ("Built with Llama"): the site then displays it itself. */
  'no-attribution'?: boolean;
}

/** `on<event name>` listener props (React 19, Svelte 5). */
export type LlamaChatEventProps = { [K in keyof LlamaChatEventMap as `on${K}`]?: (event: LlamaChatEventMap[K]) => void };
