// Privacy, proven: nothing the user types leaves the page, and a cached model means no network
// at all (strict pages: csp.spec.ts).
import { expect, test, type Page, type Request } from '@playwright/test';
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
