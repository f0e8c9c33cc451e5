// Privacy, proven: nothing the user types leaves the page, a cached model means no network
// at all, and the element works under a strict Content Security Policy.
import { expect, test, type Page, type Request } from '@playwright/test';
import { STRICT_CSP } from '../server.js';
import { recordFigures } from './figures.js';
import { addChat, openPage, waitReady } from './helpers.js';

/** What the user types: distinctive, with spaces, digits, accents, CJK and emoji. */
const TYPED = [
  'Kestrel-4471 meets me on Tuesday',
  'my account number is 8812 0045 7731',
  'ünïcödé 秘密のメモ 🦙 passphrase',
  'zebra-quartz-lantern',
  'Is the second visit private too?',
];

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  phase: string;
}

/** Every request the context makes (pages, workers, nested workers), tagged with the phase of the session. */
function recordRequests(page: Page, phase: { now: string }): Promise<Seen[]> & { pending: Array<Promise<Seen>> } {
  const pending: Array<Promise<Seen>> = [];
  page.context().on('request', (request: Request) => {
    const at = phase.now;
    pending.push(
      request.allHeaders().then((headers) => ({
        url: request.url(),
        method: request.method(),
        headers,
        body: request.postDataBuffer()?.toString('latin1') ?? '',
        phase: at,
      })),
    );
  });
  const all = Object.assign(Promise.resolve([] as Seen[]), { pending });
  return all;
}

/** The forms a typed text could take on the wire: as is, URL-encoded, form-encoded, base64, UTF-8 bytes as latin1. */
function wireForms(text: string): string[] {
  const forms = [
    text,
    encodeURIComponent(text),
    encodeURIComponent(text).replaceAll('%20', '+'),
    Buffer.from(text).toString('base64'),
    Buffer.from(text).toString('latin1'),
  ];
  // Distinctive words on their own, too (a tokenised or split leak).
  const words = text.split(/\s+/).filter((w) => w.length >= 5);
  return [...new Set([...forms, ...words, ...words.map(encodeURIComponent)])];
}

async function typeAndWait(page: Page, text: string): Promise<void> {
  const count = await page.evaluate(() => window.chat.messages.length);
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction((count) => window.chat.status === 'ready' && window.chat.messages.length === count + 2, count);
}

test('a full session (first load, answers, reload from cache, answers) sends nothing the user typed, and the cached visit makes no request beyond the page and library files', async ({
  page,
}, testInfo) => {
  const phase = { now: 'first visit: loading' };
  const log = recordRequests(page, phase);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));

  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '24', 'system-prompt': 'You are kind.' });
  await waitReady(page);
  phase.now = 'first visit: answering';
  for (const text of TYPED.slice(0, 3)) await typeAndWait(page, text);

  phase.now = 'second visit: loading';
  await page.reload();
  await openPage(page);
  await addChat(page, { autoload: '', 'max-tokens': '24', 'system-prompt': 'You are kind.' });
  await waitReady(page);
  phase.now = 'second visit: answering';
  for (const text of TYPED.slice(3)) await typeAndWait(page, text);
  phase.now = 'done';

  const seen = await Promise.all(log.pending);
  expect(seen.length).toBeGreaterThan(5);
  expect(sockets).toEqual([]);

  // 1. No request carries anything typed, in any common encoding, in URL, headers or body.
  const forms = TYPED.flatMap(wireForms);
  const carrying = seen.filter((r) => {
    const wire = [r.url, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`), r.body].join('\n');
    return forms.some((form) => wire.includes(form));
  });
  expect(carrying.map((r) => r.url)).toEqual([]);

  // 2. While answering, on either visit, not one request.
  expect(seen.filter((r) => r.phase.endsWith('answering')).map((r) => r.url)).toEqual([]);

  // 3. The cached visit asks only for the page and the library's own files: no model bytes.
  const origin = new URL(page.url()).origin;
  const allowed = (url: string) =>
    url === `${origin}/pages/element.html` ||
    (url.startsWith(`${origin}/dist/`) && /\.(js|wasm)$/.test(new URL(url).pathname)) ||
    url.startsWith(`blob:${origin}/`);
  const second = seen.filter((r) => r.phase.startsWith('second'));
  expect(second.length).toBeGreaterThan(0);
  const extra = second.filter((r) => !allowed(r.url));
  expect(extra.map((r) => r.url)).toEqual([]);
  // …and on the first visit, the model came from the page's own model host, nothing else.
  const first = seen.filter((r) => r.phase.startsWith('first'));
  expect(first.filter((r) => !allowed(r.url) && !r.url.startsWith(`${origin}/models/tiny.gguf`)).map((r) => r.url)).toEqual([]);

  recordFigures(testInfo, {
    requestsObserved: seen.length,
    requestsCarryingUserText: carrying.length,
    cachedSessionExtraRequests: extra.length,
  });
});

test('the element works on a page with a strict Content Security Policy', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(error.message));
  const policies = new Map<string, string | undefined>();
  page.on('response', (response) => {
    policies.set(new URL(response.url()).pathname, response.headers()['content-security-policy']);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to: ${e.violatedDirective} ${e.blockedURI}`));
  });

  await openPage(page, '/pages/csp.html');
  expect(policies.get('/pages/csp.html')).toBe(STRICT_CSP);
  await addChat(page, { autoload: '', 'max-tokens': '16' });
  await waitReady(page);
  const reply = await page.evaluate(() => window.chat.send('Hello under a strict policy'));
  expect(reply.length).toBeGreaterThan(0);

  // The policy really was in force, for the page and for the engine worker…
  const workerScript = [...policies.keys()].find((path) => /^\/dist\/llama-chat-worker\.js$/.test(path));
  expect(workerScript && policies.get(workerScript)).toBe(STRICT_CSP);
  // …and styles applied (Lit's constructable stylesheets are allowed under style-src 'self').
  const hidden = await page.evaluate(() => getComputedStyle(window.chat.shadowRoot!.querySelector('.visually-hidden')!).position);
  expect(hidden).toBe('absolute');
  expect(violations).toEqual([]);
  // The policy bites: a request to another origin is refused and reported.
  const blocked = await page.evaluate(() =>
    fetch(`http://127.0.0.1:${location.port}/health`).then(
      () => 'fetched',
      () => 'blocked',
    ),
  );
  expect(blocked).toBe('blocked');
  await expect.poll(() => violations.some((v) => v.includes('connect-src'))).toBe(true);
});

for (const [variant, missing] of [
  ['no-wasm', "'wasm-unsafe-eval'"],
  ['no-blob-worker', 'worker-src blob:'],
] as const) {
  test(`a policy without ${missing} gets a clear bad-input error naming it, not a hang`, async ({ page }, testInfo) => {
    await openPage(page, `/pages/csp.html?csp=${variant}`);
    await addChat(page);
    const started = Date.now();
    const outcome = await page.evaluate(() =>
      window.chat.load().then(
        () => 'loaded',
        (e: { code: string; message: string }) => `${e.code} ${e.message}`,
      ),
    );
    expect(outcome).toMatch(/^bad-input This page's Content Security Policy forbids/);
    expect(outcome).toContain(missing.replace('worker-src ', ''));
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(page.locator('llama-chat [part=error]')).toBeVisible();
    recordFigures(testInfo, { badInputs: 1 });
  });
}
