// Pages that enforce Trusted Types (`require-trusted-types-for 'script'`) accept script URLs and
// parsed HTML only from a named policy. The library's one policy on the page is `llama-chat`
// (the README asks pages to list it, with Lit's `lit-html`, in their `trusted-types`
// directive). It vouches for two things only, and only this library's code holds it: the
// worker scripts the library starts, and the HTML DOMPurify parses in order to sanitize it.
import { POLICY_NAME } from '../../protocol/trusted-types.js';

/** What the policy can make: no `createScript`, so it can never vouch for code to run. */
export type LibraryPolicy = Pick<TrustedTypePolicy, 'name' | 'createHTML' | 'createScriptURL'>;

let policy: LibraryPolicy | null | undefined;

/**
 * The policy, made once; null where the browser has no Trusted Types or the page's
 * `trusted-types` directive does not allow the name (the sink then says so, see below).
 */
export function libraryPolicy(): LibraryPolicy | null {
  if (policy !== undefined) return policy;
  try {
    policy =
      window.trustedTypes?.createPolicy(POLICY_NAME, {
        createHTML: (html) => html, // DOMPurify parses it into an inert document, then sanitizes
        createScriptURL: (url) => url,
      }) ?? null;
  } catch {
    policy = null; // the name is not allowed, or is already taken by another copy of the library
  }
  return policy ?? null;
}

/**
 * A script URL as the page's Trusted Types want it (the plain string where they are not
 * enforced). Typed as a string because the DOM typings' sinks (`new Worker`) know no trusted
 * types; the browser takes the trusted object wherever it takes the string.
 */
export function trustedScriptURL(url: string): string {
  return (libraryPolicy()?.createScriptURL(url) ?? url) as string;
}
