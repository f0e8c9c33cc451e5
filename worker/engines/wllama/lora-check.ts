// Whether a stored file is a LoRA adapter llama.cpp can apply to the loaded model, found from the
// two headers before llama.cpp sees either: llama.cpp's own checks (llama-adapter.cpp) end the
// whole load with a bare abort, and would name neither the file nor what is wrong with it.
import { LlamaChatError } from '../../../protocol/errors.js';
import type { LoraAdapter } from '../../../protocol/types.js';
import { blobSource, readGgufHeader, type GgufHeader } from './gguf-header.js';

const PAIR = /^(.+)\.lora_([ab])$/;

/**
 * Refuses `file` unless it is a GGUF LoRA for `model` (a whole header): `integrity` for a file that
 * is not GGUF or is damaged, `bad-input` for another kind of GGUF or an adapter of another model.
 */
export async function checkLoraAdapter(file: Blob, adapter: LoraAdapter, model: GgufHeader, modelId: string): Promise<void> {
  const name = `The adapter "${adapter.id}" (${adapter.url})`;
  let header: GgufHeader;
  try {
    header = await readGgufHeader(blobSource(file), adapter.id, { whole: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^.*could not be loaded: /, '') : String(error);
    throw new LlamaChatError('integrity', `${name} could not be used: ${reason}`);
  }
  const refuse = (problem: string) => new LlamaChatError('bad-input', `${name} cannot be used with ${modelId}: ${problem}`);
  if (header.fileType !== 'adapter' || header.adapterType !== 'lora') {
    const kind = header.fileType ? `its general.type is "${header.fileType}"` : 'it has no general.type';
    throw refuse(
      `it is not a GGUF LoRA adapter (${kind}${header.adapterType ? `, adapter.type "${header.adapterType}"` : ''}). Convert the LoRA with llama.cpp's convert_lora_to_gguf.py.`,
    );
  }
  if (header.architecture !== model.architecture) {
    throw refuse(`it was made for a "${header.architecture ?? 'unknown'}" model, and this one is "${model.architecture ?? 'unknown'}".`);
  }
  const pairs = new Map<string, { a?: number[]; b?: number[] }>();
  for (const [tensor, dims] of header.tensors ?? []) {
    const match = PAIR.exec(tensor);
    if (!match) throw refuse(`its tensor ${tensor} is not a LoRA pair (.lora_a and .lora_b).`);
    const pair = pairs.get(match[1]!) ?? {};
    pair[match[2] as 'a' | 'b'] = dims;
    pairs.set(match[1]!, pair);
  }
  if (pairs.size === 0) throw refuse('it has no tensors.');
  for (const [target, { a, b }] of pairs) {
    if (!a || !b) throw refuse(`${target} has only one of its two LoRA tensors.`);
    const base = model.tensors?.get(target);
    if (!base) throw refuse(`it adapts ${target}, which this model does not have: it was made for another model.`);
    if (!shapesFit(target, base, a, b)) {
      throw refuse(
        `its ${target} update is ${a.join('×')} and ${b.join('×')}, which does not fit the model's ${base.join('×')}: it was made for another model.`,
      );
    }
  }
}

/** llama-adapter.cpp's rule: A reads the tensor's input and B writes its output, through the rank (token_embd's pair is flipped). */
function shapesFit(target: string, base: number[], a: number[], b: number[]): boolean {
  if (a.length !== 2 || b.length !== 2 || base.length !== 2) return false;
  if (target.endsWith('token_embd.weight')) return base[0] === b[1] && base[1] === a[1] && a[0] === b[0];
  return base[0] === a[0] && base[1] === b[1] && a[1] === b[0];
}
