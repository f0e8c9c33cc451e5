// What the consent step can say about a model before its download: stored here, or its size, and
// whether it is too large for this device.
import { engineTraits } from '../../protocol/engines.js';
import type { ModelRecord } from '../../protocol/types.js';
import { loadPart } from '../shared/code-part.js';

/** The download size of `record` and its LoRA adapters: from the record, else (one-file models) from HEAD requests. */
export async function downloadSize(record: ModelRecord): Promise<number | undefined> {
  const model = record.sizeBytes ?? (engineTraits(record.engine).singleFile ? await headSize(record.url) : undefined);
  if (model === undefined) return undefined;
  let total = model;
  for (const adapter of record.adapters ?? []) {
    const bytes = adapter.sizeBytes ?? (await headSize(adapter.url));
    if (bytes === undefined) return undefined; // the consent step then shows no size rather than too small a one
    total += bytes;
  }
  return total;
}

async function headSize(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { method: 'HEAD', credentials: 'omit', referrerPolicy: 'no-referrer' });
    const bytes = Number(response.headers.get('Content-Length'));
    return response.ok && bytes > 0 ? bytes : undefined;
  } catch {
    return undefined; // the consent step then shows no size
  }
}

/** What the consent step says of the model shown: stored here already, or its download size. */
export interface ConsentFacts {
  model: string;
  /** Stored complete on this device: "Start", no size, and no request to the model's host. */
  stored: boolean;
  bytes: number | undefined;
  /** Why this device cannot run the model, known from its size before any download. */
  problem?: string;
}

/** The consent step's facts about the model shown, found once per model. */
export class ConsentLookup {
  shown: ConsentFacts | undefined;

  /** `isStored` asks the engine; `onChange` runs whenever more is known. */
  constructor(
    private readonly isStored: (record: ModelRecord) => Promise<boolean>,
    private readonly onChange: () => void,
  ) {}

  /**
   * Asks `isStored` first; only a model not stored here gets its size (from the record, else
   * one HEAD request). Calls `onChange` whenever more is known.
   */
  describe(record: ModelRecord | undefined): void {
    const { isStored, onChange } = this;
    if (!record || this.shown?.model === record.id) return;
    const facts: ConsentFacts = { model: record.id, stored: false, bytes: record.adapters?.length ? undefined : record.sizeBytes };
    this.shown = facts;
    onChange();
    void (async () => {
      const stored = await isStored(record).catch(() => false);
      if (this.shown !== facts) return;
      if (stored) {
        this.shown = { ...facts, stored: true };
        return onChange();
      }
      const bytes = await downloadSize(record);
      if (bytes === undefined || this.shown !== facts) return;
      const problem = await tooLarge(record, bytes);
      if (this.shown !== facts) return;
      this.shown = { ...facts, bytes, problem };
      onChange();
    })();
  }
}

/** Why this device cannot run `record` of `bytes`, from its size alone (a lazy part: the check and the device probe). */
async function tooLarge(record: ModelRecord, bytes: number): Promise<string | undefined> {
  if (record.engine !== 'wllama') return undefined;
  return (await loadPart(() => import('./cpu-path.js'))).tooLargeHere(record, bytes);
}
