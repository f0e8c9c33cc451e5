// The Content Security Policies the README gives deployments, read from the README itself so
// the tests serve exactly what it says, and variants with one entry taken out.
import { readFileSync } from 'node:fs';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const [SAME_ORIGIN, CDN] = [...README.matchAll(/^Content-Security-Policy: (.+)$/gm)].map((match) => match[1]!);
/** The CDN origin the README's example names, replaced by the test's own second origin. */
const README_CDN = 'https://cdn.example';

if (!SAME_ORIGIN || !CDN?.includes(README_CDN))
  throw new Error('README: expected its two Content-Security-Policy lines (same origin, then CDN)');

export type CspVariant =
  | 'same-origin'
  | 'cdn'
  | 'no-wasm'
  | 'no-blob-worker'
  | 'cdn-not-in-connect-src'
  | 'cdn-file-only-in-script-src'
  | 'no-trusted-types-name'
  | 'page-uses-dompurify';

/** The policy for a variant, with dist/ on `cdnOrigin` where the variant puts it on a CDN. */
export function cspFor(variant: CspVariant, cdnOrigin: string): string {
  const cdn = CDN!.replaceAll(README_CDN, cdnOrigin);
  const same = SAME_ORIGIN!;
  switch (variant) {
    case 'same-origin':
      return same;
    case 'cdn':
      return cdn;
    case 'no-wasm':
      return same.replace(" 'wasm-unsafe-eval'", '');
    case 'no-blob-worker':
      return same.replace('worker-src blob:', "worker-src 'self'");
    case 'cdn-not-in-connect-src':
      return cdn.replace(`connect-src 'self' ${cdnOrigin}`, "connect-src 'self'");
    case 'cdn-file-only-in-script-src':
      return cdn.replace(`script-src 'self' ${cdnOrigin}`, `script-src 'self' ${cdnOrigin}/dist/llama-chat.js`);
    case 'no-trusted-types-name':
      return same.replace('trusted-types llama-chat lit-html', 'trusted-types lit-html');
    case 'page-uses-dompurify':
      return same.replace('trusted-types llama-chat lit-html', 'trusted-types llama-chat lit-html dompurify');
  }
}

export function isCspVariant(value: string): value is CspVariant {
  return [
    'same-origin',
    'cdn',
    'no-wasm',
    'no-blob-worker',
    'cdn-not-in-connect-src',
    'cdn-file-only-in-script-src',
    'no-trusted-types-name',
    'page-uses-dompurify',
  ].includes(value);
}
