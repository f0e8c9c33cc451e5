// wllama needs to compile WebAssembly and start a worker from a blob: URL. When the page's
// Content Security Policy forbids either, wllama waits forever; check first and say what to add.
import { LlamaChatError } from '../../../protocol/errors.js';

/** The smallest valid wasm module: the magic number and version 1. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let passed: Promise<void> | undefined;

/** Checks once per worker (a page's policy does not change); a failure is checked again next time. */
export function checkContentSecurityPolicy(): Promise<void> {
  passed ??= check().catch((error: unknown) => {
    passed = undefined;
    throw error;
  });
  return passed;
}

async function check(): Promise<void> {
  try {
    new WebAssembly.Module(EMPTY_MODULE);
  } catch {
    throw blocked(`script-src 'wasm-unsafe-eval'`, 'compiling WebAssembly');
  }
  if (!(await blobWorkerStarts())) throw blocked('worker-src blob:', 'starting a worker from a blob: URL');
}

/** A blocked worker fails with an error event, not an exception: start one and listen. */
async function blobWorkerStarts(): Promise<boolean> {
  const url = URL.createObjectURL(new Blob(['postMessage(0)'], { type: 'text/javascript' }));
  let worker: Worker | undefined;
  try {
    worker = new Worker(url);
    const started = worker;
    return await new Promise<boolean>((resolve) => {
      started.onmessage = () => resolve(true);
      started.onerror = () => resolve(false);
    });
  } catch {
    return false;
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
