// Engine kind → adapter, one line each. Each adapter is imported on first use, so a page that
// only runs GGUF models never loads web-llm's code, and the reverse.
import type { EngineKind } from '../../protocol/engines.js';
import { LlamaChatError } from '../../protocol/errors.js';
import type { EngineAdapter } from './engine.js';

export type AdapterLoader = () => Promise<EngineAdapter>;

export const ENGINES: Readonly<Record<EngineKind, AdapterLoader>> = {
  wllama: () => import('./wllama/adapter.js').then((m) => m.wllamaAdapter),
  'web-llm': () => import('./web-llm/adapter.js').then((m) => m.webLlmAdapter),
};

export class EngineRegistry {
  constructor(private readonly loaders: Readonly<Record<string, AdapterLoader>> = ENGINES) {}

  get kinds(): string[] {
    return Object.keys(this.loaders);
  }

  adapter(kind: string): Promise<EngineAdapter> {
    const load = Object.hasOwn(this.loaders, kind) ? this.loaders[kind] : undefined;
    if (!load) {
      const known = this.kinds.map((k) => `"${k}"`).join(' or ');
      return Promise.reject(new LlamaChatError('bad-input', `A model names engine "${kind}"; use ${known}.`));
    }
    return load();
  }

  async all(): Promise<EngineAdapter[]> {
    return Promise.all(this.kinds.map((kind) => this.adapter(kind)));
  }
}
