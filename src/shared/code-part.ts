// Parts of the library the page loads only when first needed (choosing a model, the kept
// history, tools, the free-space step). A part that does not load is an error that says so,
// naming the page's policy when that is what refused it (a script-src that lists only
// llama-chat.js, say), instead of a bare "Failed to fetch dynamically imported module".
import { LlamaChatError } from '../../protocol/errors.js';
import { REPORT_GRACE_MS, sourceExpression } from '../../protocol/policy-refusal.js';

export async function loadPart<T>(load: () => Promise<T>): Promise<T> {
  let refused: string | undefined;
  const listener = (event: SecurityPolicyViolationEvent) => {
    if (event.disposition !== 'enforce') return;
    if (event.effectiveDirective.startsWith('script-src')) refused ??= event.blockedURI;
    if (event.effectiveDirective === 'require-trusted-types-for') refused ??= 'trusted-types';
  };
  globalThis.document?.addEventListener('securitypolicyviolation', listener); // no document: a unit test
  try {
    return await load();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, REPORT_GRACE_MS));
    throw partFailure(error, refused);
  } finally {
    globalThis.document?.removeEventListener('securitypolicyviolation', listener);
  }
}

function partFailure(error: unknown, refused: string | undefined): LlamaChatError {
  if (refused === 'trusted-types') {
    // Only a bundler that loads chunks with <script src> (webpack's default) meets this.
    return new LlamaChatError(
      'bad-input',
      "This page enforces Trusted Types, which refuse how this app's bundler loads code: give webpack's output.trustedTypes a policy name (and allow it in trusted-types), or build with output.module.",
    );
  }
  if (refused) {
    const origin = sourceExpression(refused);
    return new LlamaChatError(
      'bad-input',
      `This page's Content Security Policy (script-src) refused part of the chat's code from ${origin}: add ${origin} to script-src, not only llama-chat.js (see the README's CSP section).`,
    );
  }
  const file = /https?:\/\/\S+/.exec(error instanceof Error ? error.message : '')?.[0];
  return new LlamaChatError(
    'network',
    `Part of the chat's code${file ? ` (${new URL(file).pathname.split('/').pop() ?? file})` : ''} could not be loaded. Check the connection and try again; if you host dist/ yourself, serve all of its files.`,
  );
}
