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
    const response = await fetch(record.url, { method: 'HEAD', credentials: 'omit', referrerPolicy: 'no-referrer' });
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
  return others
    .filter((m): m is ModelRecord & { sizeBytes: number } => m.sizeBytes !== undefined && m.sizeBytes < size)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
}

/** The consent step's download size of the model shown, found once per model. */
export class DownloadSizes {
  shown: { model: string; bytes: number | undefined } | undefined;

  /** Looks up `record`'s size (at most once per model) and calls `onChange` when it is known. */
  describe(record: ModelRecord | undefined, onChange: () => void): void {
    if (!record || this.shown?.model === record.id) return;
    this.shown = { model: record.id, bytes: record.sizeBytes };
    onChange();
    void downloadSize(record).then((bytes) => {
      if (bytes === undefined || this.shown?.model !== record.id) return;
      this.shown = { model: record.id, bytes };
      onChange();
    });
  }
}
