// How big the model store's chunks are: one chunk is what a broken download fetches twice at
// most, and one IndexedDB value. Small files get small chunks; big files 16 MB ones.

export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
export const MIN_CHUNK_BYTES = 64 * 1024;
/** Aim for at least this many chunks per file, within the bounds above. */
const CHUNKS_PER_FILE = 16;

/** The chunk size for a file of `size` bytes (0: unknown): a power of two in the bounds. */
export function chunkBytesFor(size: number): number {
  if (!(size > 0)) return MAX_CHUNK_BYTES;
  let bytes = MIN_CHUNK_BYTES;
  while (bytes < MAX_CHUNK_BYTES && bytes * CHUNKS_PER_FILE < size) bytes *= 2;
  return bytes;
}
