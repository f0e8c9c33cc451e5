// Figure 1: compressed bytes of the code a page loads before <llama-chat> can render (the
// entry module and its static imports), and of the worker's code, from dist/ with Node's zlib.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Weight {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface EntryWeight {
  mainThread: Weight;
  /** Each part the page loads when first needed (Markdown, model choice, history, tools, …). */
  lazyParts: Weight[];
  workerScript: Weight;
  wasm: Weight;
  /** wllama's compat build (worker code and wasm), fetched instead of `wasm` only where JSPI or Memory64 is missing. */
  compatBuild: Weight;
}

/** Static imports of an ES module built by Vite: `import"./x.js"` / `from"./x.js"`. */
function staticImports(source: string): string[] {
  return [...source.matchAll(/(?:\bimport|\bfrom)\s*["'](\.\/[^"']+\.js)["']/g)].map((match) => match[1]!.slice(2));
}

/** Dynamic imports of the page's code: import(`./x.js`). */
function dynamicImports(source: string): string[] {
  return [...source.matchAll(/\bimport\(\s*[`"'](\.\/[^`"']+\.js)[`"']\s*\)/g)].map((match) => match[1]!.slice(2));
}

function mainThreadFiles(dist: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of staticImports(readFileSync(join(dist, file), 'utf8'))) visit(imported);
  };
  visit(entry);
  return [...seen];
}

/** Raw, gzip -9 and brotli 11 bytes of `files` in `dist`. */
export function weigh(dist: string, files: string[]): Weight {
  let rawBytes = 0;
  let gzipBytes = 0;
  let brotliBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    rawBytes += bytes.length;
    // What a CDN typically serves: gzip -9 and brotli at its highest quality.
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
    brotliBytes += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
  }
  return { files, rawBytes, gzipBytes, brotliBytes };
}

export function measureEntryWeight(dist: string): EntryWeight {
  const all = readdirSync(dist);
  const main = mainThreadFiles(dist, 'llama-chat.js');
  const workers = all.filter((f) => /^llama-chat-worker(-core-.*)?\.js$/.test(f));
  if (workers.length === 0) throw new Error('no llama-chat-worker*.js in dist/');
  const leaked = main.filter((f) => workers.includes(f));
  if (leaked.length) throw new Error(`the worker is a static import of the main thread: ${leaked.join(', ')}`);
  const lazy = [...new Set(main.flatMap((file) => dynamicImports(readFileSync(join(dist, file), 'utf8'))))].filter(
    (f) => !main.includes(f),
  );
  return {
    mainThread: weigh(dist, main),
    lazyParts: lazy.map((file) =>
      weigh(
        dist,
        mainThreadFiles(dist, file).filter((f) => !main.includes(f)),
      ),
    ),
    workerScript: weigh(dist, workers),
    wasm: weigh(
      dist,
      all.filter((f) => f.endsWith('.wasm') && !f.startsWith('wllama-compat-')),
    ),
    compatBuild: weigh(
      dist,
      all.filter((f) => f.startsWith('wllama-compat-')),
    ),
  };
}
