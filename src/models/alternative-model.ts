// Another model to offer after the configured one could not run here (a lazy part, with the
// error panel that offers it).
import { engineTraits } from '../../protocol/engines.js';
import type { ModelRecord } from '../../protocol/types.js';
import { WASM_MEMORY_BYTES } from '../../protocol/wasm-memory.js';
import { knownModels } from './catalog.js';

/**
 * A model the page could use instead after `current` failed for lack of a GPU or memory: one
 * that needs no WebGPU, else one with a smaller known download.
 */
export function alternativeModel(current: ModelRecord | undefined, pageModels: readonly ModelRecord[]): ModelRecord | undefined {
  const others = knownModels(pageModels).filter((m) => m.id !== current?.id);
  if (current && engineTraits(current.engine).needsWebGPU) {
    const cpu = others.find((m) => !engineTraits(m.engine).needsWebGPU);
    if (cpu) return cpu;
  }
  const size = current?.sizeBytes;
  if (size === undefined) return undefined;
  return others
    .filter((m): m is ModelRecord & { sizeBytes: number } => m.sizeBytes !== undefined && m.sizeBytes < size)
    .filter((m) => m.engine !== 'wllama' || m.sizeBytes < WASM_MEMORY_BYTES) // never offer what cannot fit
    .sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
}
