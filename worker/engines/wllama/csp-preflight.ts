// wllama needs to compile WebAssembly, start a worker from a blob: URL and fetch its wasm from
// there. When the page's Content Security Policy forbids any of it, wllama waits forever;
// check first and say what to add (a refused fetch is named by policy-refusals.ts).
import { LlamaChatError } from '../../../protocol/errors.js';
import { TRUSTED_TYPES_ADVICE } from '../../../protocol/trusted-types.js';

/** The smallest valid wasm module: the magic number and version 1. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let passed: Promise<void> | undefined;

/** Checks once per worker (a page's policy does not change); a failure is checked again next time. */
export function checkContentSecurityPolicy(wasmUrl: string): Promise<void> {
  passed ??= check(wasmUrl).catch((error: unknown) => {
    passed = undefined;
    throw error;
  });
  return passed;
}

async function check(wasmPath: string): Promise<void> {
  // Vite's dev server gives a root-relative path: resolve it as wllama does, against the script.
  const wasmUrl = new URL(wasmPath, self.location.href).href;
  try {
    new WebAssembly.Module(EMPTY_MODULE);
  } catch {
    throw blocked(`script-src 'wasm-unsafe-eval'`, 'compiling WebAssembly');
  }
  const start = await blobWorkerStart();
  if (start === 'refused by trusted types') throw new LlamaChatError('bad-input', TRUSTED_TYPES_ADVICE);
  if (start === 'refused') throw blocked('worker-src blob:', 'starting a worker from a blob: URL');
  // llama.cpp's worker fetches the wasm; a refusal there is reported only inside that worker.
  // Asking here (headers only) puts a refusal where it is seen.
  const reachable = await fetch(wasmUrl, { method: 'HEAD', credentials: 'omit', referrerPolicy: 'no-referrer' }).then(
    () => true,
    () => false,
  );
  if (!reachable) {
    throw new LlamaChatError(
      'network',
      `The chat engine's WebAssembly file (from ${new URL(wasmUrl).origin}) could not be fetched. Check the connection and try again.`,
    );
  }
}

/** A blocked worker fails with an error event, not an exception: start one and listen. */
async function blobWorkerStart(): Promise<'started' | 'refused' | 'refused by trusted types'> {
  const url = URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' }));
  let worker: Worker | undefined;
  try {
    worker = new Worker(url);
    const started = worker;
    return await new Promise((resolve) => {
      started.onmessage = () => resolve('started');
      started.onerror = () => resolve('refused');
    });
  } catch (error) {
    // A string URL refused by Trusted Types throws a TypeError (trusted-types.ts normally vouches for it).
    return error instanceof TypeError && self.trustedTypes ? 'refused by trusted types' : 'refused';
  } finally {
    worker?.terminate();
    URL.revokeObjectURL(url);
  }
}

function blocked(directive: string, what: string): LlamaChatError {
  return new LlamaChatError(
    'bad-input',
    `This page's Content Security Policy forbids ${what}, which the chat engine needs. Add ${directive} to the page's policy (see the README's CSP section).`,
  );
}
