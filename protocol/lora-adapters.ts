// A record's LoRA adapters: which records may have them, how a request's choice maps to the
// adapters llama.cpp has loaded, and the store entry each adapter's file is kept under.
import { LlamaChatError } from './errors.js';
import type { AdapterChoice, LoraAdapter, ModelRecord } from './types.js';

/** Store ids of adapter files begin with this; the rest is the file's URL, so records that name one file share it. */
export const LORA_STORE_PREFIX = 'lora:';

/** Why `record`'s adapters cannot be used (before anything is downloaded), or undefined. */
export function adaptersProblem(record: ModelRecord): LlamaChatError | undefined {
  const adapters = record.adapters ?? [];
  if (adapters.length === 0) return undefined;
  if (record.engine !== 'wllama') {
    return new LlamaChatError(
      'bad-input',
      `${record.id} has LoRA adapters, but only GGUF models (engine "wllama") can use them: web-llm cannot load adapters. Remove "adapters" from the record or use the model's GGUF.`,
    );
  }
  const seen = new Set<string>();
  for (const adapter of adapters) {
    if (!adapter.id || !adapter.url) {
      return new LlamaChatError('bad-input', `An adapter of ${record.id} needs an "id" and a "url".`);
    }
    if (seen.has(adapter.id)) return new LlamaChatError('bad-input', `${record.id} names the adapter "${adapter.id}" twice.`);
    seen.add(adapter.id);
    if (adapter.scale !== undefined && !Number.isFinite(adapter.scale)) {
      return new LlamaChatError('bad-input', `The adapter "${adapter.id}" of ${record.id} has a scale that is not a number.`);
    }
  }
  return undefined;
}

/** What llama.cpp is asked for one answer: every loaded adapter's scale, by its place in the record. */
export interface AdapterScales {
  /** The chosen adapter's id, or undefined for the model alone. */
  id: string | undefined;
  /** One scale per adapter of the record, in order: the chosen one's, 0 for the rest. */
  scales: number[];
}

/** The scales for `choice` on `record`: `bad-input` naming the adapters there are when it names none of them. */
export function adapterScales(record: ModelRecord, choice: AdapterChoice | null | undefined): AdapterScales {
  const adapters = record.adapters ?? [];
  const scales = adapters.map(() => 0);
  if (choice === undefined || choice === null || choice === '') return { id: undefined, scales };
  const id = typeof choice === 'string' ? choice : choice.id;
  const index = adapters.findIndex((a) => a.id === id);
  if (index < 0) {
    const known = adapters.map((a) => `"${a.id}"`).join(', ');
    throw new LlamaChatError(
      'bad-input',
      known
        ? `${record.id} has no adapter "${id}". Its adapters are ${known}.`
        : `${record.id} has no adapters, so the adapter "${id}" cannot be used. Add it to the record's "adapters".`,
    );
  }
  const scale = (typeof choice === 'object' ? choice.scale : undefined) ?? adapters[index]!.scale ?? 1;
  if (!Number.isFinite(scale)) throw new LlamaChatError('bad-input', `The scale of the adapter "${id}" is not a number.`);
  scales[index] = scale;
  return { id, scales };
}

/** The store's record for `adapter`'s file (downloaded, resumed, checked and listed like a model). */
export function adapterStoreRecord(adapter: LoraAdapter): ModelRecord {
  return {
    id: `${LORA_STORE_PREFIX}${adapter.url}`,
    engine: 'wllama',
    url: adapter.url,
    label: adapter.label ?? adapter.id,
    ...(adapter.sha256 ? { sha256: adapter.sha256 } : {}),
    ...(adapter.sizeBytes !== undefined ? { sizeBytes: adapter.sizeBytes } : {}),
  };
}
