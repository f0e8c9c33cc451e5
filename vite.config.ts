import { defineConfig, type Plugin } from 'vite';

const WORKER_FILE = 'llama-chat-worker.js';

/**
 * Vite compiles `new Worker(new URL('../worker/index.ts', import.meta.url), …)` into a form
 * other bundlers do not recognise. Put back the plain form, naming the built worker, so an app
 * that bundles dist/ (Vite, webpack, Parcel) bundles the worker with its chunks
 * and wasm too. The build fails if Vite's output ever changes shape.
 */
function keepWorkerPattern(): Plugin {
  const emitted = new RegExp(
    `new URL\\(new URL\\((["'\`])${WORKER_FILE.replace('.', '\\.')}\\1,\\s*import\\.meta\\.url\\)\\.href,\\s*(?:""|''|\`\`)\\+import\\.meta\\.url\\)`,
    'g',
  );
  return {
    name: 'llama-chat:keep-worker-pattern',
    apply: 'build',
    generateBundle(_, bundle) {
      // The page's chunk that starts the worker (the engine client, loaded when first needed).
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk' && !c.fileName.startsWith('llama-chat-worker'));
      const found = chunks.flatMap((c) => (c.type === 'chunk' ? (c.code.match(emitted) ?? []).map(() => c) : []));
      if (found.length !== 1) this.error(`expected one worker URL of Vite's shape in the page's chunks, found ${found.length}`);
      const chunk = found[0]!;
      if (chunk.type === 'chunk') chunk.code = chunk.code.replace(emitted, `new URL("./${WORKER_FILE}",import.meta.url)`);
    },
  };
}

/**
 * The page's lazy parts as `import("./part.js")`: the minifier writes template literals
 * (import(`./part.js`)), which webpack does not resolve to a chunk (it fails at run time).
 */
function plainDynamicImports(): Plugin {
  return {
    name: 'llama-chat:plain-dynamic-imports',
    apply: 'build',
    // After minifying (which is when the template literals appear); the length is unchanged,
    // so the source maps stay true.
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = chunk.code.replace(/\bimport\(`(\.\/[\w.-]+\.js)`\)/g, 'import("$1")');
      }
    },
  };
}

/** `npm start` prints the server's root URL: send it to the demo, which lives in demo/. */
function rootOpensDemo(): Plugin {
  return {
    name: 'llama-chat:root-opens-demo',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== '/' && req.url !== '/index.html') return next();
        res.statusCode = 302;
        res.setHeader('Location', '/demo/');
        res.end();
      });
    },
  };
}

/**
 * Asset URLs in the worker's chunks as `new URL('./x.wasm', import.meta.url)`: with the `./`
 * every bundler reads it as a file beside the chunk (webpack would look for a package "x.wasm").
 */
function relativeAssetUrls(): Plugin {
  return {
    name: 'llama-chat:relative-asset-urls',
    renderChunk(code) {
      const fixed = code.replace(/new URL\(([`"'])([\w.-]+\.(?:wasm|js))\1,\s*import\.meta\.url\)/g, 'new URL("./$2",import.meta.url)');
      return fixed === code ? null : { code: fixed, map: null };
    },
  };
}

/** Engine chunks are named for their engine and file (web-llm-backend-<hash>.js), not just "backend". */
function workerChunkName(chunk: { name: string; facadeModuleId: string | null }): string {
  const engineFile = /engines\/([^/]+)\/([^/.]+)\.ts$/.exec(chunk.facadeModuleId ?? '');
  if (engineFile) return `${engineFile[1]}-${engineFile[2]}-[hash].js`;
  // The JSON Schema validator, loaded by the worker only when an answer has a schema.
  if (/@cfworker[\\/]json-schema/.test(chunk.facadeModuleId ?? '')) return 'json-schema-validator-[hash].js';
  return '[name]-[hash].js';
}

/**
 * `vite build --mode language-model` builds dist/language-model.js (the Prompt API) in a second
 * pass: an entry of its own in the first pass would move what it shares with the element into a
 * shared chunk, and the element's page would load two more files before it renders. The second
 * pass rebuilds the same worker, to the same file names.
 */
const PROMPT_API = 'language-model';

/**
 * `vite build --mode other-wllama` builds the same element on the other wllama the bench compares
 * with (package.json's `wllama-other` and `wllama-compat-other`) into bench/.dist-other-wllama.
 */
const OTHER_WLLAMA = 'other-wllama';
const otherWllama = [
  { find: /^@wllama\/wllama\//, replacement: 'wllama-other/' },
  { find: /^@wllama\/wllama-compat\//, replacement: 'wllama-compat-other/' },
];

// `npm run build` → dist/llama-chat.js (the element), its worker and the wasm, all found
// relative to import.meta.url so dist/ can be served from any path or origin (a CDN).
// `npm start` serves demo/ from the sources.
export default defineConfig(({ mode }) => ({
  base: './',
  root: '.',
  // The demo is cross-origin isolated, so llama.cpp runs on every core (README, "Every core").
  server: {
    open: '/demo/',
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  plugins: [keepWorkerPattern(), plainDynamicImports(), rootOpensDemo()],
  resolve: { alias: mode === OTHER_WLLAMA ? otherWllama : [] },
  worker: {
    format: 'es',
    plugins: () => [relativeAssetUrls()],
    rollupOptions: {
      output: {
        entryFileNames: WORKER_FILE,
        chunkFileNames: workerChunkName,
        // wllama's compat build is named for what it is (its files are called wllama.* too).
        assetFileNames: (asset) =>
          asset.originalFileNames.some((name) => name.includes('wllama-compat'))
            ? 'wllama-compat-[hash][extname]'
            : '[name]-[hash][extname]',
        // What the engines share goes in a chunk of its own: an engine chunk that imported the
        // entry could run it a second time under another URL (Vite's dev server adds ?v=…).
        codeSplitting: {
          groups: [
            {
              name: 'llama-chat-worker-core',
              test: /[\\/](protocol|worker[\\/]engines[\\/][^\\/]+\.ts$|worker[\\/](engine-host|trusted-types)|node_modules[\\/]comlink)/,
            },
          ],
        },
      },
    },
  },
  build: {
    // No preload helper around the lazy parts: it resolves them with import.meta.resolve,
    // which webpack turns into "Cannot find module" (and the parts are small, loaded once).
    modulePreload: false,
    outDir: mode === OTHER_WLLAMA ? 'bench/.dist-other-wllama' : 'dist',
    target: 'es2022',
    emptyOutDir: mode !== PROMPT_API,
    sourcemap: true,
    assetsDir: '',
    assetsInlineLimit: 0,
    rollupOptions: {
      input: (mode === PROMPT_API ? { [PROMPT_API]: 'src/language-model/index.ts' } : { 'llama-chat': 'src/index.ts' }) as Record<
        string,
        string
      >,
      // Modules the lazy chunks share with the entry stay in the entry (which may export them too):
      // the page's first script is one file, not a waterfall of small shared chunks.
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
}));
