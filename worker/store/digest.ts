// SHA-256 for model files. WebCrypto's digest is one-shot, so a whole file is hashed
// incrementally with @noble/hashes, one chunk at a time: a 5 GB file never sits in memory.
import { sha256 } from '@noble/hashes/sha2.js';

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The SHA-256 of one chunk (native and fast: a chunk is already in memory). */
export async function chunkDigest(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/** Feeds a file's bytes in order; `hex()` gives the SHA-256 of all of them. */
export class FileDigest {
  private readonly hash = sha256.create();

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  hex(): string {
    return toHex(this.hash.digest());
  }
}
