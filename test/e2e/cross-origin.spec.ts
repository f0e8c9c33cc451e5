import { expect, test } from '@playwright/test';
import { CDN_ORIGIN } from '../server.js';
import { addChatFor, openPage, tinyRecord } from './helpers.js';

test('the bundle works when dist/ is served from another origin than the page (a CDN), with a model URL relative to the page', async ({
  page,
}) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (/\.(js|wasm)$/.test(new URL(request.url()).pathname)) scripts.push(request.url());
  });
  await openPage(page, '/pages/element.html?dist=cross');
  expect(new URL(page.url()).origin).not.toBe(CDN_ORIGIN);
  // The README's own example: a model on the page's site, by a URL relative to the page.
  await addChatFor(page, { ...tinyRecord(''), url: '/models/tiny.gguf' }, { autoload: '', 'max-tokens': '12' });
  const reply = await page.evaluate(() => window.chat.send('Hello from another origin'));
  expect(reply.length).toBeGreaterThan(0);
  // The element, its worker and the wasm all came from the CDN origin.
  expect(scripts.some((u) => u.startsWith(`${CDN_ORIGIN}/dist/llama-chat.js`))).toBe(true);
  expect(scripts.some((u) => u.startsWith(`${CDN_ORIGIN}/dist/llama-chat-worker`))).toBe(true);
  expect(scripts.some((u) => u.startsWith(`${CDN_ORIGIN}/dist/wllama-`))).toBe(true);
});
