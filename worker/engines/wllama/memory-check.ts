// Whether a GGUF model fits llama.cpp's wasm memory, asked as early as the facts allow: from the
// record's size before any request, from the download's first bytes (its header and the server's
// size) before any of it is kept, and from the stored file's whole header before llama.cpp gets it.
import type { DeviceProfile } from '../../../protocol/device-probe.js';
import { compatFileProblem, cpuMemoryNeed, cpuMemoryProblem } from '../../../protocol/memory-limits.js';
import type { ModelRecord } from '../../../protocol/types.js';
import { blobSource, prefixSource, readGgufHeader, type GgufHeader } from './gguf-header.js';

export interface MemoryCheck {
  /** Before the download's first request: refuses a record whose own size cannot fit. */
  beforeRequest(): void;
  /** For the download: refuses a file whose header or size cannot fit, before it is kept. */
  inspectDownload(prefix: Uint8Array, size: number): Promise<void>;
  /** The stored file: `integrity` when its header shows damage, `insufficient-memory` when it cannot fit. Returns the header. */
  checkStored(file: Blob): Promise<GgufHeader>;
}

/**
 * The checks for `record` on `device`, each throwing `insufficient-memory` for a model that cannot
 * fit. Where wllama runs on WebGPU (shader-f16) the layers and their cache live in
 * GPU memory and only the size of what stays on the CPU limits the model, so nothing is refused.
 */
export function memoryCheck(record: ModelRecord, device: DeviceProfile): MemoryCheck {
  const onCpu = !device.shaderF16;
  const refuse = (fileBytes: number, shape: Parameters<typeof cpuMemoryNeed>[2], stored: boolean) => {
    // Safari's build reads no file past 2 GiB, wherever its layers run.
    const compat = device.compatBuild ? compatFileProblem(record, fileBytes, stored) : undefined;
    const problem = compat ?? (onCpu ? cpuMemoryProblem(record, cpuMemoryNeed(record, fileBytes, shape), stored) : undefined);
    if (problem) throw problem;
  };
  return {
    beforeRequest() {
      if (record.sizeBytes) refuse(record.sizeBytes, undefined, false);
    },
    async inspectDownload(prefix, size) {
      const fileBytes = size || record.sizeBytes || prefix.length;
      const header = await readGgufHeader(prefixSource(prefix, fileBytes), record.id, { whole: false });
      refuse(fileBytes, header.shape, false);
    },
    async checkStored(file) {
      const header = await readGgufHeader(blobSource(file), record.id, { whole: true });
      refuse(file.size, header.shape, true);
      return header;
    },
  };
}
