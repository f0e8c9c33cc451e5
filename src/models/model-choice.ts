// Which model to run on this device, decided before anything is downloaded. A page that pins a
// model never silently gets another: it gets an error that says what is missing.
import { engineTraits } from '../../protocol/engines.js';
import { BUILT_IN_MODELS, CPU_FALLBACK_MODEL_ID, DEFAULT_F32_MODEL_ID, DEFAULT_MODEL_ID, resolveModel } from './catalog.js';
import { probeDevice, type DeviceProfile } from '../../protocol/device-probe.js';
import { LlamaChatError } from '../../protocol/errors.js';
import type { ModelRecord } from '../../protocol/types.js';

export interface ModelChoice {
  record: ModelRecord;
  /** Said in the view when the device got something other than the default. */
  notice?: string;
  /** A larger model the person may choose instead, where the device's size was guessed low. */
  larger?: ModelRecord;
}
/** web-llm cannot start below this buffer size. */
const MIN_BUFFER_BYTES = 256 * 1024 * 1024;
/** Below this storage-binding size web-llm runs only the 1k-context builds of the 8B model. */
const FULL_CONTEXT_BINDING_BYTES = 1024 * 1024 * 1024;

function builtIn(id: string): ModelRecord {
  return BUILT_IN_MODELS.find((m) => m.id === id)!;
}

/** The default model for this device, or `pinned` once checked against it. */
export function chooseModel(device: DeviceProfile, pinned?: ModelRecord): ModelChoice {
  if (pinned) {
    assertFits(pinned, device);
    if (device.fallbackAdapter && engineTraits(pinned.engine).needsWebGPU) {
      return {
        record: pinned,
        notice: `This device's GPU is a software renderer: ${pinned.label ?? pinned.id} will answer very slowly here.`,
      };
    }
    return { record: pinned };
  }
  const cpu = (notice: string): ModelChoice => ({ record: builtIn(CPU_FALLBACK_MODEL_ID), notice });
  if (!device.webgpu) return cpu('This device has no WebGPU; using a smaller model on the CPU.');
  if (device.fallbackAdapter)
    return cpu("This device's GPU is a software renderer, too slow for Llama 3.1 8B; using a smaller model on the CPU.");
  if (device.maxBufferSize < MIN_BUFFER_BYTES)
    return cpu("This device's GPU is too small for Llama 3.1 8B; using a smaller model on the CPU.");

  const base = device.shaderF16 ? DEFAULT_MODEL_ID : DEFAULT_F32_MODEL_ID;
  const fitsFullContext = device.maxStorageBufferBindingSize >= FULL_CONTEXT_BINDING_BYTES;
  const small = builtIn(`${base}-1k`);
  const larger = fitsFullContext ? builtIn(base) : small;
  // Phones and tablets end a tab long before a desktop would (iOS at far less than the 8B needs).
  if (device.handheld) {
    const choice = cpu(`On a phone or tablet a smaller model runs by default; ${larger.label} needs about ${gb(larger)} of memory.`);
    return { ...choice, larger };
  }
  const memory = device.deviceMemoryGB;
  if (memory === undefined) {
    // Firefox and Safari do not say: the smaller-context build, and the person may choose more.
    if (small === larger) return { record: small };
    const notice = `This browser does not say how much memory this device has, so the build with a shorter memory of the conversation (about ${gb(small)}) was chosen.`;
    return { record: small, notice, larger };
  }
  if (memory < 4) return cpu('This device has too little memory for Llama 3.1 8B; using a smaller model on the CPU.');
  return { record: memory >= 8 ? larger : small };
}

/** A model's GPU memory for people: "4.5 GB". */
function gb(record: ModelRecord): string {
  return `${((record.vramMB ?? 0) / 1024).toFixed(1)} GB`;
}

/** Throws `webgpu-unavailable` or `insufficient-memory` when `record` cannot run here. */
export function assertFits(record: ModelRecord, device: DeviceProfile): void {
  if (!engineTraits(record.engine).needsWebGPU) return; // e.g. GGUF models run on the CPU anywhere
  if (!device.webgpu) {
    throw new LlamaChatError(
      'webgpu-unavailable',
      `${record.id} needs WebGPU, which this browser does not offer. Open the page in a browser with WebGPU (a current Chrome, Edge or Safari), or choose a GGUF model that runs on the CPU.`,
    );
  }
  if (record.requiredFeatures?.includes('shader-f16') && !device.shaderF16) {
    const alternative = record.id.includes('q4f16_1') ? ` Use ${record.id.replace('q4f16_1', 'q4f32_1')} instead.` : '';
    throw new LlamaChatError('webgpu-unavailable', `This GPU lacks shader-f16, which ${record.id} needs.${alternative}`);
  }
  const memoryGB = device.deviceMemoryGB;
  if (record.vramMB && memoryGB !== undefined && record.vramMB > memoryGB * 1024) {
    throw new LlamaChatError(
      'insufficient-memory',
      `${record.id} needs about ${(record.vramMB / 1024).toFixed(1)} GB of GPU memory; this device reports ${memoryGB} GB. Choose a 1k-context build or a smaller model.`,
    );
  }
}

/** The model to run for a page: `id` when it pins one (checked), else this device's default. */
export async function pickModel(id: string | undefined, pageModels: readonly ModelRecord[] = []): Promise<ModelChoice> {
  const pinned = id ? resolveModel(id, pageModels) : undefined;
  return chooseModel(await probeDevice(), pinned);
}
