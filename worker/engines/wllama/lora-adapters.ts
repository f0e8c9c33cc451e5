// A record's LoRA adapters, from the model store (downloaded like a model: progress in bytes,
// resume, SHA-256, quota first; no request once stored), each checked against the model.
import { adapterStoreRecord } from '../../../protocol/lora-adapters.js';
import type { ModelRecord, StallLimits } from '../../../protocol/types.js';
import { discardIfDamaged, openModelFile } from '../../store/model-store.js';
import type { ProgressSink } from '../engine.js';
import type { GgufHeader } from './gguf-header.js';
import { checkLoraAdapter } from './lora-check.js';

/** The files of `record`'s adapters, in its order; throws for one that cannot be used with `model`. */
export async function openLoraAdapters(
  record: ModelRecord,
  model: GgufHeader,
  onProgress: ProgressSink,
  stallLimits?: StallLimits,
): Promise<Blob[]> {
  const files: Blob[] = [];
  for (const adapter of record.adapters ?? []) {
    const stored = adapterStoreRecord(adapter);
    const file = await openModelFile(stored, onProgress, stallLimits ? { stallTimes: stallLimits } : {});
    // A damaged file goes; one made for another model stays listed.
    await checkLoraAdapter(file, adapter, model, record.label ?? record.id).catch((error: unknown) => discardIfDamaged(stored.id, error));
    files.push(file);
  }
  return files;
}
