// A look at the first bytes of a model file before llama.cpp gets it: a file that is not GGUF
// at all (an HTML error page, a different format) gets a clear message instead of an abort.
import { LlamaChatError } from '../../../protocol/errors.js';

const MAGIC = 0x46554747; // "GGUF", little-endian
const KNOWN_VERSIONS = new Set([1, 2, 3]);
const HEADER_BYTES = 24; // magic, version, tensor count, metadata count

export async function checkGgufHeader(file: Blob, modelId: string): Promise<void> {
  const view = new DataView(await file.slice(0, HEADER_BYTES).arrayBuffer());
  const problem =
    view.byteLength < HEADER_BYTES
      ? `it is only ${file.size} bytes long`
      : view.getUint32(0, true) !== MAGIC
        ? 'it does not start with the GGUF signature'
        : !KNOWN_VERSIONS.has(view.getUint32(4, true))
          ? `its GGUF version ${view.getUint32(4, true)} is unknown`
          : undefined;
  if (problem) {
    throw new LlamaChatError(
      'integrity',
      `${modelId} could not be loaded: the file is not a GGUF model (${problem}). Check the model URL.`,
    );
  }
}
