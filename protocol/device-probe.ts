import { usesCompatBuild } from './cpu-build.js';

/** What this device offers the engines: the WebGPU adapter's features and limits, and memory. */
export interface DeviceProfile {
  /** A WebGPU adapter could be had. */
  webgpu: boolean;
  /** The adapter is a software renderer (SwiftShader, WARP, …): WebGPU works, far too slowly for a large model. */
  fallbackAdapter: boolean;
  /** The adapter has `shader-f16` (needed by q4f16 builds and by wllama's WebGPU shaders). */
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** `navigator.deviceMemory` in GB (coarse, capped by the browser); undefined where unsupported (Firefox, Safari). */
  deviceMemoryGB: number | undefined;
  /** A phone or tablet, by what the browser says of itself (iPadOS says it is a Mac, with touch). */
  handheld: boolean;
  /** llama.cpp runs in wllama's compat build here (Safari, iOS): it reads files of at most 2 GiB (cpu-build.ts). */
  compatBuild?: boolean;
}

interface GpuAdapterLike {
  features: ReadonlySet<string>;
  info?: { isFallbackAdapter?: boolean };
  /** Older browsers said it on the adapter itself. */
  isFallbackAdapter?: boolean;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
}

interface NavigatorLike {
  gpu?: { requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null> };
  deviceMemory?: number;
  userAgent: string;
  userAgentData?: { mobile?: boolean };
  maxTouchPoints?: number;
}

/** Phones and tablets by the browser's own word: its client hint, else its user agent. */
export function isHandheld(nav: Pick<NavigatorLike, 'userAgent' | 'userAgentData' | 'maxTouchPoints'>): boolean {
  if (nav.userAgentData?.mobile) return true;
  if (/Android|iPhone|iPad|iPod|Mobile/i.test(nav.userAgent)) return true;
  return /Macintosh/.test(nav.userAgent) && (nav.maxTouchPoints ?? 0) > 1; // iPadOS asks for desktop pages
}

/** Asks the browser; works on the main thread and in workers. Never throws. */
export async function probeDevice(): Promise<DeviceProfile> {
  const nav = navigator as unknown as NavigatorLike;
  const adapter = await nav.gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  return {
    webgpu: !!adapter,
    fallbackAdapter: !!(adapter?.info?.isFallbackAdapter ?? adapter?.isFallbackAdapter),
    shaderF16: adapter?.features.has('shader-f16') ?? false,
    maxBufferSize: adapter?.limits.maxBufferSize ?? 0,
    maxStorageBufferBindingSize: adapter?.limits.maxStorageBufferBindingSize ?? 0,
    deviceMemoryGB: nav.deviceMemory,
    handheld: isHandheld(nav),
    compatBuild: usesCompatBuild(),
  };
}
