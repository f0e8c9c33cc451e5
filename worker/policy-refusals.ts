// A Content Security Policy refusal inside the worker (the model or the engine's wasm fetched
// from a host missing in connect-src, an engine chunk outside script-src, a blob: worker
// outside worker-src) shows up as a generic failure or, inside llama.cpp, as a wait that
// never ends. The browser also reports each refusal as an event: a load in progress fails at
// once with an error that names the directive and what to add to it.
import { LlamaChatError } from '../protocol/errors.js';
import { directiveName, REPORT_GRACE_MS, sourceExpression } from '../protocol/policy-refusal.js';
import { TRUSTED_TYPES_ADVICE } from '../protocol/trusted-types.js';

const waiting = new Set<(error: LlamaChatError) => void>();

/** Call once, as the worker starts. */
export function watchPolicyRefusals(): void {
  self.addEventListener('securitypolicyviolation', (event) => {
    if (event.disposition !== 'enforce') return; // a report-only policy refuses nothing
    const error = refusalError(event.effectiveDirective, event.blockedURI);
    for (const fail of waiting) fail(error);
  });
}

/** `work`, failed by the first refusal while it runs; a failure of its own waits briefly for one. */
export async function failOnPolicyRefusal<T>(work: Promise<T>): Promise<T> {
  let fail: (error: LlamaChatError) => void = () => {};
  const refused = new Promise<never>((_, reject) => {
    fail = reject;
    waiting.add(fail);
  });
  try {
    return await Promise.race([work, refused]);
  } catch (error) {
    const ownFailure = new Promise<never>((_, reject) => setTimeout(() => reject(error as Error), REPORT_GRACE_MS));
    return await Promise.race([refused, ownFailure]);
  } finally {
    waiting.delete(fail);
  }
}

export function refusalError(effectiveDirective: string, blockedURI: string): LlamaChatError {
  if (blockedURI.startsWith('trusted-types')) return new LlamaChatError('bad-input', TRUSTED_TYPES_ADVICE);
  const directive = directiveName(effectiveDirective);
  const source = sourceExpression(blockedURI);
  return new LlamaChatError(
    'bad-input',
    `This page's Content Security Policy (${directive}) refused ${source}, which the chat engine needs: add ${source} to ${directive} (see the README's CSP section).`,
  );
}
