// Strict pages: the element under exactly the README's Content Security Policies (with Trusted
// Types), sent with the page alone, so the worker must inherit them; and each entry the
// library needs, left out, gives an error naming it within seconds instead of a hang.
import { expect, test, type Page } from '@playwright/test';
import type { CspVariant } from '../csp-policies.js';
import { CDN_ORIGIN, PAGE_ORIGIN } from '../server.js';
import { recordFigures } from './figures.js';
import { addChat, addChatFor, openPage, tinyRecord, waitReady } from './helpers.js';

/** Every policy refusal on the page, as the browser reports it. */
function watchRefusals(page: Page): string[] {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|Trusted ?Type/i.test(message.text())) refusals.push(message.text());
  });
  page.on('pageerror', (error) => refusals.push(error.message));
  return refusals;
}

async function openStrictPage(page: Page, variant: CspVariant, dist: 'same' | 'cross' = 'same'): Promise<void> {
  const response = await page.request.get(`/pages/csp.html?csp=${variant}`);
  expect(response.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
  await openPage(page, `/pages/csp.html?csp=${variant}${dist === 'cross' ? '&dist=cross' : ''}`);
}

/** load() on the page as it is: 'loaded' or the error's code and message. */
function loadOutcome(page: Page): Promise<string> {
  return page.evaluate(() =>
    window.chat.load().then(
      () => 'loaded',
      (e: { code: string; message: string }) => `${e.code} ${e.message}`,
    ),
  );
}

/** The answer as the person sees it: rendered Markdown, not blank. */
async function renderedAnswer(page: Page): Promise<{ text: string; elements: number }> {
  return page.evaluate(() => {
    const content = window.chat.shadowRoot!.querySelector('.message.assistant .content')!;
    return { text: content.textContent?.trim() ?? '', elements: content.querySelectorAll('*').length };
  });
}

for (const [variant, dist] of [
  ['same-origin', 'same'],
  ['cdn', 'cross'],
] as const) {
  test(`the README's ${variant} policy with Trusted Types: the element loads, answers and renders Markdown, with no refusal`, async ({
    page,
  }) => {
    const refusals = watchRefusals(page);
    const workerHeaders: (string | undefined)[] = [];
    page.on('response', (response) => {
      if (/llama-chat-worker\.js$/.test(new URL(response.url()).pathname))
        workerHeaders.push(response.headers()['content-security-policy']);
    });
    await openStrictPage(page, variant, dist);
    await addChat(page, { autoload: '', 'max-tokens': '16' });
    await waitReady(page);
    const reply = await page.evaluate(() => window.chat.send('Hello under a strict policy'));
    expect(reply.length).toBeGreaterThan(0);
    const answer = await renderedAnswer(page);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.elements).toBeGreaterThan(0); // Markdown was parsed (through the library's policy)
    // The worker script came without any policy of its own: what held in the worker was inherited.
    expect(workerHeaders).toEqual([undefined]);
    // Styles applied though the policy has no style-src (constructable stylesheets).
    const hidden = await page.evaluate(() => getComputedStyle(window.chat.shadowRoot!.querySelector('.visually-hidden')!).position);
    expect(hidden).toBe('absolute');
    expect(refusals).toEqual([]);
  });
}

test('the page policy holds inside the engine worker: a model on a host missing from connect-src is refused by name, at once', async ({
  page,
}, testInfo) => {
  await openStrictPage(page, 'same-origin');
  // The record's own host is the "CDN" origin: the page's connect-src does not list it.
  await addChatFor(page, tinyRecord(CDN_ORIGIN));
  const started = Date.now();
  const outcome = await loadOutcome(page);
  expect(outcome).toBe(
    `bad-input This page's Content Security Policy (connect-src) refused ${CDN_ORIGIN}, which the chat engine needs: add ${CDN_ORIGIN} to connect-src (see the README's CSP section).`,
  );
  expect(Date.now() - started).toBeLessThan(15_000);
  await expect(page.locator('llama-chat [part=error]')).toBeVisible();
  recordFigures(testInfo, { badInputs: 1 });
});

const MISSING: { variant: CspVariant; dist: 'same' | 'cross'; says: RegExp }[] = [
  {
    variant: 'no-wasm',
    dist: 'same',
    says: /^bad-input This page's Content Security Policy \(script-src\) refused 'wasm-unsafe-eval', .* add 'wasm-unsafe-eval' to script-src/,
  },
  {
    variant: 'no-blob-worker',
    dist: 'same',
    says: /^bad-input This page's Content Security Policy does not let the chat engine start its worker: add blob: to worker-src/,
  },
  {
    variant: 'cdn-not-in-connect-src',
    dist: 'cross',
    says: new RegExp(
      `^bad-input This page's Content Security Policy \\(connect-src\\) refused ${CDN_ORIGIN.replaceAll('.', '\\.')}, which .* add ${CDN_ORIGIN.replaceAll('.', '\\.')} to connect-src`,
    ),
  },
  {
    variant: 'cdn-file-only-in-script-src',
    dist: 'cross',
    // The page's own lazily loaded code or the worker's script, whichever is asked for first.
    says: /^bad-input This page's Content Security Policy \(script-src\) refused (part of the chat's code from .* add .* to script-src|the chat engine's script: add the origin dist\/ is served from to script-src)/,
  },
  {
    variant: 'no-trusted-types-name',
    dist: 'same',
    says: /^bad-input This page enforces Trusted Types and did not let the library create its policy "llama-chat"/,
  },
];

for (const { variant, dist, says } of MISSING) {
  test(`a policy with ${variant}: a bad-input error that names what to add, within seconds`, async ({ page }, testInfo) => {
    await openStrictPage(page, variant, dist);
    // The model on the page's own origin, which every variant allows.
    await addChatFor(page, tinyRecord(PAGE_ORIGIN));
    const started = Date.now();
    const outcome = await loadOutcome(page);
    expect(outcome).toMatch(says);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(page.locator('llama-chat [part=error]')).toBeVisible();
    recordFigures(testInfo, { badInputs: 1 });
  });
}

test('a Trusted Types page that uses DOMPurify itself keeps its "dompurify" policy, and answers still render', async ({ page }) => {
  const refusals = watchRefusals(page);
  await page.addInitScript(() => {
    // The page's own DOMPurify (or anything else) has taken the name first.
    window.trustedTypes!.createPolicy('dompurify', { createHTML: (html) => html });
  });
  await openStrictPage(page, 'page-uses-dompurify');
  await addChat(page, { autoload: '', 'max-tokens': '16' });
  await waitReady(page);
  await page.evaluate(() => window.chat.send('Hello'));
  const answer = await renderedAnswer(page);
  expect(answer.text.length).toBeGreaterThan(0);
  expect(answer.elements).toBeGreaterThan(0);
  expect(refusals).toEqual([]);
});
