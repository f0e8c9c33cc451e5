// Checks that rendered content is inert: shared by every spec that renders XSS_VECTORS.
import type { Page } from '@playwright/test';
import type { RemotePage } from '../browsers/remote-page.js';
import { BIDI_CONTROLS, UNSAFE_URL } from '../fixtures/xss-vectors.js';

declare global {
  interface Window {
    __xss: (name: string) => void;
    __xssHits: string[];
  }
}

/** Installs window.__xss, which every payload calls if it ever runs. */
export async function watchForXss(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__xssHits = [];
    window.__xss = (name) => window.__xssHits.push(name);
  });
}

export function xssHits(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__xssHits);
}

/**
 * Everything dangerous found in the document and every shadow root under it: elements that
 * run or embed code, on* attributes, javascript:/vbscript:/data: URLs, links with bidi controls.
 */
export function dangerousMarkup(page: Page | RemotePage): Promise<string[]> {
  return (page as RemotePage).evaluate(findDangerousMarkup, { unsafeUrl: UNSAFE_URL.source, bidi: BIDI_CONTROLS.source });
}

function findDangerousMarkup({ unsafeUrl, bidi }: { unsafeUrl: string; bidi: string }): string[] {
  const unsafe = new RegExp(unsafeUrl, 'i');
  const bidiControls = new RegExp(bidi);
  const problems: string[] = [];
  const forbidden = new Set(['SCRIPT', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'BASE', 'META', 'LINK', 'FORM']);
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc', 'background', 'poster'];
  const visit = (root: Document | ShadowRoot, where: string) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const tag = el.tagName.toUpperCase();
      const inPage = where === 'document' && (tag === 'SCRIPT' || tag === 'META' || tag === 'LINK'); // the test page's own head
      const ownComposer =
        tag === 'FORM' && el.getAttribute('part') === 'composer' && el.parentElement?.getAttribute('part') === 'container';
      if (forbidden.has(tag) && !inPage && !ownComposer) problems.push(`${where}: <${el.tagName.toLowerCase()}>`);
      if (tag === 'STYLE' && where !== 'document') problems.push(`${where}: <style>`);
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) problems.push(`${where}: <${el.tagName.toLowerCase()} ${attr.name}>`);
        const clean = attr.value.replace(/[\u0000-\u0020\u200b-\u200d\ufeff]/g, '');
        if (urlAttributes.includes(attr.name.toLowerCase()) && unsafe.test(clean)) problems.push(`${where}: ${attr.name}="${attr.value}"`);
      }
      if (tag === 'A' && (bidiControls.test(el.textContent ?? '') || bidiControls.test(el.getAttribute('href') ?? ''))) {
        problems.push(`${where}: a link with bidi controls`);
      }
      if (el.shadowRoot) visit(el.shadowRoot, `${where} > ${el.tagName.toLowerCase()}`);
    }
  };
  visit(document, 'document');
  return problems;
}
