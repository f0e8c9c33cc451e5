// Run by store-offsets.spec.ts in a worker of the Vite dev server (which serves the sources): the
// store's own file functions write a few bytes past 2^31 and 2^32 of a sparse model file, and its
// Blob reads them back, as a download and llama.cpp's reads of an 8B-sized file would.
import { deleteModelBytes, openModelBytes, writeModelBytes } from '../../../worker/store/model-files.js';

// Each 16 bytes, apart: two across the 2^31 and 2^32 boundaries, two just past them, the last bytes.
const OFFSETS = [0, 2 ** 31 - 8, 2 ** 31 + 64, 2 ** 32 - 8, 2 ** 32 + 64, 4_525_777_760 - 16];

self.onmessage = async () => {
  const id = 'offsets-past-4-gib';
  const bytesAt = (offset: number) => new Uint8Array(16).map((_, i) => (offset + i * 31) % 251);
  try {
    for (const offset of OFFSETS) await writeModelBytes(id, offset, bytesAt(offset));
    const file = await openModelBytes(id);
    const size = file?.size ?? 0;
    const mismatches: number[] = [];
    for (const offset of OFFSETS) {
      const read = new Uint8Array(await file!.slice(offset, offset + 16).arrayBuffer());
      if (read.join() !== bytesAt(offset).join()) mismatches.push(offset);
    }
    await deleteModelBytes(id);
    postMessage({ size, mismatches });
  } catch (error) {
    postMessage({ error: String(error) });
  }
};
