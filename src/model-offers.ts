// What the view can offer about models: the download size before consent, and another model
// after the configured one could not run here.
import { engineTraits } from '../protocol/engines.js';
import type { ModelRecord } from '../protocol/types.js';
import { knownModels } from './catalog.js';

/** The download size of `record`: from the record, else (one-file models) from a HEAD request. */
export async function downloadSize(record: ModelRecord): Promise<number | undefined> {
  if (record.sizeBytes !== undefined) return record.sizeBytes;
  if (!engineTraits(record.engine).singleFile) return undefined;
  try {
    const response = await fetch(record.url, { method: 'HEAD' });
    const bytes = Number(response.headers.get('Content-Length'));
    return response.ok && bytes > 0 ? bytes : undefined;
  } catch {
    return undefined; // the consent step then shows no size
  }
}

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
  return others.filter((m): m is ModelRecord & { sizeBytes: number } => m.sizeBytes !== undefined && m.sizeBytes < size).sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
}
