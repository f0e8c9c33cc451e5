// Reading a Content Security Policy refusal the same way on the page and in the worker.

/** A refusal is reported (securitypolicyviolation) just after the failure it causes: wait this long for it. */
export const REPORT_GRACE_MS = 250;

/** The directive a page writes: script-src-elem and -attr fall back to script-src. */
export function directiveName(effectiveDirective: string): string {
  return effectiveDirective.replace(/-(elem|attr)$/, '');
}

/** What to add to the directive for a refused `blockedURI`: an origin (never a path or query), or a keyword. */
export function sourceExpression(blockedURI: string): string {
  if (blockedURI === 'blob' || blockedURI.startsWith('blob:')) return 'blob:';
  if (blockedURI === 'wasm-eval') return "'wasm-unsafe-eval'";
  return URL.canParse(blockedURI) ? new URL(blockedURI).origin : blockedURI;
}
