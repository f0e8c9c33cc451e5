import { expect, test, type Page } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import type { ModelRecord } from '../../protocol/types.js';
import { addChatFor, openPage } from './helpers.js';

function mlcRecord(origin: string): ModelRecord {
  return {
    id: 'mlc-test',
    engine: 'web-llm',
    url: `${origin}/mlc/mlc-test`,
    modelLib: `${origin}/mlc/not-a-model-lib.wasm`,
    label: 'MLC test model',
    sizeBytes: 1_000_000,
    contextLength: 1024,
  };
}

async function setFault(page: Page, fault: 'none' | '404' | 'drop'): Promise<void> {
  const response = await page.request.get(`/control/mlc?fault=${fault}`);
  expect(await response.text()).toBe(fault);
}

async function nextError(page: Page, after: number): Promise<{ code: string; message: string }> {
  const handle = await page.waitForFunction((after) => window.recorded.filter((e) => e.type === 'llama-chat-error')[after]?.detail, after, {
    timeout: 30_000,
  });
  return (await handle.jsonValue()) as { code: string; message: string };
}

test.afterEach(async ({ page }) => setFault(page, 'none'));

test('the main bundle carries no engine code: web-llm and wllama load only in the worker', () => {
  const main = readFileSync('dist/llama-chat.js', 'utf8');
  expect(main).not.toContain('MLCEngine');
  expect(main).not.toContain('wllama.wasm');
  expect(readdirSync('dist').some((f) => /^web-llm-backend-.*\.js$/.test(f))).toBe(true);
});

for (const fault of ['404', 'drop'] as const) {
  test(`web-llm in the worker: a server that ${fault === '404' ? 'answers 404' : 'drops the connection'} gives "network", and Try again recovers once it is back`, async ({
    page,
  }) => {
    const served: Array<{ url: string; status: number }> = [];
    page.on('response', (r) => served.push({ url: r.url(), status: r.status() }));
    await openPage(page);
    await setFault(page, fault);
    await addChatFor(page, mlcRecord(new URL(page.url()).origin), { autoload: '' });

    const first = await nextError(page, 0);
    expect(first.code).toBe('network');
    // Our downloader's words: the file it could not get, or the host it could not reach.
    expect(first.message).toMatch(
      fault === '404' ? /has no file at \S+\/mlc\/mlc-test\/resolve\/main\/mlc-chat-config\.json/ : /Could not reach localhost/,
    );
    const chat = page.locator('llama-chat');
    await expect(chat.getByRole('alert')).toContainText(/try again/i);

    await setFault(page, 'none');
    await chat.getByRole('button', { name: 'Try again' }).click();
    const second = await nextError(page, 1);
    // Past the network: web-llm fetched the config and the model library, and stops where it
    // must on a machine with no compiled model library, with its own clear error.
    expect(served.some((s) => s.url.endsWith('/mlc/mlc-test/resolve/main/mlc-chat-config.json') && s.status === 200)).toBe(true);
    expect(served.some((s) => s.url.endsWith('/mlc/not-a-model-lib.wasm') && s.status === 200)).toBe(true);
    expect(second.code).not.toBe('network');
    expect(second.code).toBe('integrity');
    // The web-llm chunk was loaded once the files were in (by the worker: the page's own bundle has no web-llm).
    expect(served.some((s) => /\/dist\/web-llm-backend-.*\.js$/.test(s.url) && s.status === 200)).toBe(true);
  });
}
