// The most llama.cpp's wasm memory can grow to (65,536 pages: both of wllama's builds). A module of
// its own so the page's entry can name it without the estimate (memory-limits.ts) coming along.
export const WASM_MEMORY_BYTES = 4 * 1024 ** 3;
