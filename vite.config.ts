import { defineConfig } from 'vite';

/** Engine chunks are named for their engine and file (web-llm-backend-<hash>.js), not just "backend". */
function workerChunkName(chunk: { name: string; facadeModuleId: string | null }): string {
  const engineFile = /engines\/([^/]+)\/([^/.]+)\.ts$/.exec(chunk.facadeModuleId ?? '');
  return engineFile ? `${engineFile[1]}-${engineFile[2]}-[hash].js` : '[name]-[hash].js';
}

// `npm run build` → dist/llama-chat.js (the element), its worker and the wasm, all found
// relative to import.meta.url so dist/ can be served from any path or origin (a CDN).
// `npm start` serves demo/ from the sources.
export default defineConfig({
  base: './',
  root: '.',
  server: { open: '/demo/' },
  worker: {
    format: 'es',
    rollupOptions: {
      output: { entryFileNames: 'llama-chat-worker-[hash].js', chunkFileNames: workerChunkName, assetFileNames: '[name]-[hash][extname]' },
    },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    emptyOutDir: true,
    sourcemap: true,
    assetsDir: '',
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { 'llama-chat': 'src/index.ts' },
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
});
