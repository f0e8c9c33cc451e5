// Which of wllama's two builds runs llama.cpp in this browser. wllama takes its compat build
// (wasm32, Asyncify) where JSPI or Memory64 is missing, except on Firefox, whose default build
// runs without JSPI: so Safari and every browser on iOS get the compat build.

/**
 * The compat build's llama.cpp reads its file at signed 32-bit offsets: a read past 2 GiB − 1
 * arrives as −1 and the load fails at the end of its file (issue 35: a 2.27 GB offset in a 2.56 GB
 * model), and a 2.32 GB model hung reading it. 2.07 GB loads.
 */
export const COMPAT_FILE_BYTES = 2 ** 31 - 1;

/** True where llama.cpp runs in wllama's compat build (the same test wllama makes). */
export function usesCompatBuild(): boolean {
  const jspi = typeof WebAssembly === 'object' && 'Suspending' in WebAssembly;
  let memory64 = false;
  try {
    new WebAssembly.Memory({ address: 'i64', initial: 1n } as unknown as WebAssembly.MemoryDescriptor);
    memory64 = true;
  } catch {
    // a wasm32-only engine
  }
  const firefox = /Firefox\/([0-9.]+)(?:\s|$)/.test(navigator.userAgent);
  return (!jspi || !memory64) && !firefox;
}
