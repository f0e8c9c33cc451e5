// Whether a GGUF model can fit the CPU path (llama.cpp's 4 GiB of wasm memory; 2 GiB files in
// Safari's build), from its size alone: what the page knows before the worker reads the file's header. A part of its own, loaded
// with the device choice, so the entry stays small.
import { probeDevice, type DeviceProfile } from '../../protocol/device-probe.js';
import type { LlamaChatError } from '../../protocol/errors.js';
import { compatFileProblem, cpuMemoryNeed, cpuMemoryProblem } from '../../protocol/memory-limits.js';
import type { ModelRecord } from '../../protocol/types.js';

/**
 * Why a GGUF model of `bytes` cannot run on this device's CPU path (llama.cpp's 4 GiB of wasm
 * memory), from its size alone; the worker checks again with the file's header. Undefined where it
 * may fit, where its size is not known, or where wllama puts its layers on the GPU (shader-f16).
 */
export function cpuPathProblem(
  record: ModelRecord,
  device: Pick<DeviceProfile, 'shaderF16' | 'compatBuild'>,
  bytes: number | undefined,
): LlamaChatError | undefined {
  if (record.engine !== 'wllama' || !bytes) return undefined;
  // The compat build reads no file past 2 GiB, wherever its layers run.
  const compat = device.compatBuild ? compatFileProblem(record, bytes) : undefined;
  if (compat || device.shaderF16) return compat;
  return cpuMemoryProblem(record, cpuMemoryNeed(record, bytes));
}

/** The message of cpuPathProblem for this device, for the consent step. */
export async function tooLargeHere(record: ModelRecord, bytes: number): Promise<string | undefined> {
  return cpuPathProblem(record, await probeDevice(), bytes)?.message;
}
