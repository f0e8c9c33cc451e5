/** What the GPU of this device offers, as far as the engines care. */
export interface GpuInfo {
  adapter: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
}

interface NavigatorWithGpu {
  gpu?: { requestAdapter(): Promise<{ features: ReadonlySet<string>; limits: { maxBufferSize: number } } | null> };
}

export async function probeGpu(): Promise<GpuInfo> {
  const gpu = (navigator as unknown as NavigatorWithGpu).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  if (!adapter) return { adapter: false, shaderF16: false, maxBufferSize: 0 };
  return {
    adapter: true,
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}
