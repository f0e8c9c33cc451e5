// The engine kinds a model record may name, and what each asks of the device. Both threads
// read this: the page to choose a model before anything is downloaded, the worker to route a
// load to the engine's adapter (worker/engines/registry.ts has one entry per kind).

export interface EngineTraits {
  /** The engine cannot run at all without a WebGPU adapter. */
  needsWebGPU: boolean;
  /** A model is one file at `url` (its size can be asked with one HEAD request). */
  singleFile: boolean;
}

export const ENGINE_TRAITS = {
  /** llama.cpp in wasm: GGUF files, on the CPU anywhere (on WebGPU where the GPU has shader-f16). */
  wllama: { needsWebGPU: false, singleFile: true },
  /** MLC builds (Llama 3.1 8B) on WebGPU. */
  'web-llm': { needsWebGPU: true, singleFile: false },
} as const satisfies Record<string, EngineTraits>;

export type EngineKind = keyof typeof ENGINE_TRAITS;

export function isEngineKind(value: unknown): value is EngineKind {
  return typeof value === 'string' && Object.hasOwn(ENGINE_TRAITS, value);
}

/** The traits of `kind`; an unknown kind asks for nothing (its load then fails with bad-input). */
export function engineTraits(kind: string): EngineTraits {
  return isEngineKind(kind) ? ENGINE_TRAITS[kind] : { needsWebGPU: false, singleFile: false };
}
