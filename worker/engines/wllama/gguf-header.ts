// Reads a GGUF file's header: its metadata and tensor table, without the tensor data. It says
// whether a file is damaged (a header that does not parse, tensors that run past the end), which
// is the only reason to throw a stored model away, and what the model's shape asks of memory.
import { LlamaChatError } from '../../../protocol/errors.js';
import type { GgufShape } from '../../../protocol/memory-limits.js';
import { GgufReader, OutOfBytes, type ByteSource } from './gguf-reader.js';

export { blobSource, prefixSource, type ByteSource } from './gguf-reader.js';

export interface GgufHeader {
  version: number;
  architecture: string | undefined;
  /** What the KV cache and buffers depend on; undefined when the header does not say enough. */
  shape: GgufShape | undefined;
  /** `general.type` ("model", "adapter", …) and `adapter.type` ("lora"), where the file says. */
  fileType?: string;
  adapterType?: string;
  /** Where the tensor data starts and where its last tensor ends (a whole header only). */
  dataStart?: number;
  dataEnd?: number;
  /** Each tensor's dimensions by name, in GGUF order (a whole header only). */
  tensors?: Map<string, number[]>;
}

const MAGIC = 0x46554747; // "GGUF", little-endian
const KNOWN_VERSIONS = new Set([1, 2, 3]);
/** Sanity bounds: a damaged count must not make us read gigabytes. */
const MAX_COUNT = 1 << 24;

// gguf_type → bytes of one scalar (strings and arrays are read apart).
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

// ggml_type → [weights per block, bytes per block], as in ggml's type traits.
const TENSOR_BLOCKS: Record<number, readonly [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110],
  22: [256, 82], 23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8],
  29: [256, 56], 30: [1, 2], 34: [256, 54], 35: [256, 66], 39: [32, 17],
}; // prettier-ignore

/**
 * The header of the file in `source`. `whole: false` reads only the metadata up to the model's
 * shape (what a download's first bytes hold); `whole: true` reads the tensor table too and checks
 * that every tensor lies inside the file. A header that does not parse throws `integrity`.
 */
export async function readGgufHeader(source: ByteSource, modelId: string, { whole }: { whole: boolean }): Promise<GgufHeader> {
  const damaged = (problem: string) =>
    new LlamaChatError(
      'integrity',
      `${modelId} could not be loaded: the file is not a usable GGUF model (${problem}). Check the model URL.`,
    );
  if (source.size < 24) {
    throw new LlamaChatError(
      'integrity',
      `${modelId} could not be loaded: the file is not a GGUF model (it is only ${source.size} bytes long). Check the model URL.`,
    );
  }
  const reader = new GgufReader(source);
  try {
    if ((await reader.u32()) !== MAGIC) {
      throw new LlamaChatError(
        'integrity',
        `${modelId} could not be loaded: the file is not a GGUF model (it does not start with the GGUF signature). Check the model URL.`,
      );
    }
    const version = await reader.u32();
    if (!KNOWN_VERSIONS.has(version)) throw damaged(`its GGUF version ${version} is unknown`);
    const count = () => (version === 1 ? reader.u32() : reader.u64());
    const tensorCount = await count();
    const kvCount = await count();
    if (tensorCount > MAX_COUNT || kvCount > MAX_COUNT) throw damaged('its header counts are impossible');
    const text = async () => reader.text(await count());

    const numbers = new Map<string, number>();
    let architecture: string | undefined;
    let fileType: string | undefined;
    let adapterType: string | undefined;
    let alignment = 32;
    for (let i = 0; i < kvCount; i++) {
      const key = await text();
      const type = await reader.u32();
      if (type === STRING) {
        const value = await text();
        if (key === 'general.architecture') architecture = value;
        if (key === 'general.type') fileType = value;
        if (key === 'adapter.type') adapterType = value;
      } else if (type === ARRAY) {
        const itemType = await reader.u32();
        const length = await count();
        if (length > MAX_COUNT * 4) throw damaged(`its metadata ${key} is impossibly long`);
        if (key === 'tokenizer.ggml.tokens') numbers.set('vocab', length);
        if (!whole && architecture && numbers.has('vocab') && shapeOf(architecture, numbers)) break; // enough
        if (itemType === STRING && version > 1) await reader.skipStrings(length);
        else if (SCALAR_BYTES[itemType] !== undefined) await reader.skip(length * SCALAR_BYTES[itemType]);
        else for (let n = 0; n < length; n++) await skipValue(reader, itemType, count, damaged);
      } else if (SCALAR_BYTES[type] !== undefined) {
        const value = await reader.number(type);
        numbers.set(key, value);
        if (key === 'general.alignment') alignment = value;
      } else {
        throw damaged(`its metadata ${key} has an unknown type ${type}`);
      }
    }
    const shape = architecture ? shapeOf(architecture, numbers) : undefined;
    const kinds = { fileType, adapterType };
    if (!whole) return { version, architecture, shape, ...kinds };

    const tensors = new Map<string, number[]>();
    let dataEnd = 0;
    for (let i = 0; i < tensorCount; i++) {
      const name = await text();
      const dims = await reader.u32();
      if (dims > 8) throw damaged(`tensor ${name} has ${dims} dimensions`);
      const sizes: number[] = [];
      for (let d = 0; d < dims; d++) sizes.push(await reader.u64());
      tensors.set(name, sizes);
      const elements = sizes.reduce((a, b) => a * b, 1);
      const type = await reader.u32();
      const offset = await reader.u64();
      const block = TENSOR_BLOCKS[type];
      dataEnd = Math.max(dataEnd, offset + (block ? Math.ceil(elements / block[0]) * block[1] : 0));
    }
    const dataStart = Math.ceil(reader.position / alignment) * alignment;
    if (dataStart + dataEnd > source.size) {
      throw damaged(`it is truncated: its tensors end at byte ${dataStart + dataEnd}, the file has ${source.size}`);
    }
    return { version, architecture, shape, ...kinds, dataStart, dataEnd, tensors };
  } catch (error) {
    if (error instanceof OutOfBytes) {
      if (!whole) return { version: 0, architecture: undefined, shape: undefined }; // a prefix too short to tell
      throw damaged('its header runs past the end of the file');
    }
    throw error;
  }
}

async function skipValue(
  reader: GgufReader,
  type: number,
  count: () => Promise<number>,
  damaged: (problem: string) => LlamaChatError,
): Promise<void> {
  if (type === STRING) await reader.skip(await count());
  else if (SCALAR_BYTES[type] !== undefined) await reader.skip(SCALAR_BYTES[type]);
  else throw damaged(`an array of unknown type ${type}`);
}

/** The model's shape from its `<architecture>.*` metadata, once the keys it needs are known. */
function shapeOf(architecture: string, numbers: ReadonlyMap<string, number>): GgufShape | undefined {
  const key = (name: string) => numbers.get(`${architecture}.${name}`);
  const layers = key('block_count');
  const embedding = key('embedding_length');
  const heads = key('attention.head_count');
  const vocab = key('vocab_size') ?? numbers.get('vocab');
  if (!layers || !embedding || !heads || !vocab) return undefined;
  const kvHeads = key('attention.head_count_kv') ?? heads;
  const headSize = embedding / heads;
  return {
    layers,
    embedding,
    heads,
    vocab,
    kvWidth: kvHeads * ((key('attention.key_length') ?? headSize) + (key('attention.value_length') ?? headSize)),
    contextLength: key('context_length'),
  };
}
