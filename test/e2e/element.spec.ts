import { expect, test } from '@playwright/test';
import { addChat, events, modelRequestLog, openPage, waitReady } from './helpers.js';

test.describe('<llama-chat> with the tiny model', () => {
  test('upgrades, loads with progress that climbs to the total, and says it is ready', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '' });
    await waitReady(page);

    const progress = (await events(page, 'llama-chat-progress')).map((e) => e.detail as { phase: string; loaded: number; total: number });
    const download = progress.filter((p) => p.phase === 'download');
    expect(download.length).toBeGreaterThan(0);
    const total = download.at(-1)!.total;
    expect(total).toBeGreaterThan(100_000);
    expect(download.at(-1)!.loaded).toBe(total);
    for (let i = 1; i < download.length; i++) expect(download[i]!.loaded).toBeGreaterThanOrEqual(download[i - 1]!.loaded);
    expect(progress.some((p) => p.phase === 'load')).toBe(true);
    expect(await events(page, 'llama-chat-ready')).toHaveLength(1);
    await expect(page.locator('llama-chat header .status')).toHaveText('Ready');
  });

  test('without autoload, waits for the user and shows the model before downloading', async ({ page }) => {
    const requests = modelRequestLog(page);
    await openPage(page);
    await addChat(page);
    const start = page.getByRole('button', { name: 'Download and start' });
    await expect(start).toBeVisible();
    await expect(page.locator('llama-chat')).toContainText('Tiny test model (random weights)');
    // The consent step may ask for the file's size (HEAD); no model bytes move before the click.
    await expect(page.locator('llama-chat .consent .size')).toHaveText(/^\d+(\.\d)? [KM]B download/);
    expect(requests.filter((r) => r.method() !== 'HEAD')).toHaveLength(0);
    await start.click();
    await waitReady(page);
    expect(requests.length).toBeGreaterThan(0);
  });

  test('send() streams tokens before it resolves with the reply, and the view shows the reply', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '48', temperature: '0' });
    const result = await page.evaluate(async () => {
      const reply = await window.chat.send('Hello there');
      return { reply, resolvedAt: performance.now() };
    });
    const tokens = await events(page, 'llama-chat-token');
    expect(result.reply.trim().length).toBeGreaterThan(0);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.every((t) => t.at <= result.resolvedAt)).toBe(true);
    expect(tokens.map((t) => (t.detail as { delta: string }).delta).join('')).toBe(result.reply);

    // Answers are rendered as Markdown: the words are the reply's, the spacing is the renderer's.
    const shown = await page.locator('llama-chat .message.assistant .content').last().textContent();
    expect(squash(shown)).toBe(squash(result.reply));
    await expect(page.locator('llama-chat .message.user .content')).toHaveText('Hello there');
    const messages = await page.evaluate(() => window.chat.messages);
    expect(messages).toEqual([
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: result.reply },
    ]);
    const message = (await events(page, 'llama-chat-message'))[0]!.detail as { message: { content: string } };
    expect(message.message.content).toBe(result.reply);
  });

  test('typing and pressing Enter sends a message through the view', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '16' });
    await waitReady(page);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Hi from the keyboard');
    await input.press('Enter');
    await expect(page.locator('llama-chat .message.user .content')).toHaveText('Hi from the keyboard');
    await page.waitForFunction(() => window.chat.status === 'ready' && window.chat.messages.length === 2);
    expect((await page.evaluate(() => window.chat.messages))[1]!.content.length).toBeGreaterThan(0);
    await expect(input).toHaveValue('');
  });

  test('stop() ends an answer promptly, keeps the partial answer, and the next send works', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '400' });
    await waitReady(page);
    const result = await page.evaluate(async () => {
      let stoppedAfter = -1;
      let tokens = 0;
      window.chat.addEventListener('llama-chat-token', () => {
        tokens += 1;
        if (tokens === 3) {
          stoppedAfter = tokens;
          void window.chat.stop();
        }
      });
      const reply = await window.chat.send('Tell me a long story');
      return { reply, tokens, stoppedAfter, status: window.chat.status };
    });
    expect(result.stoppedAfter).toBe(3);
    // Stopping lands between engine polls: a few tokens already on their way, not the 400 asked for.
    expect(result.tokens - result.stoppedAfter).toBeLessThan(100);
    expect(result.status).toBe('ready');
    const messages = await page.evaluate(() => window.chat.messages);
    expect(messages[1]).toEqual({ role: 'assistant', content: result.reply });
    expect(result.reply.length).toBeGreaterThan(0);
    await expect(page.locator('llama-chat .message.assistant .note')).toHaveText('Stopped');

    const next = await page.evaluate(() => {
      window.chat.setAttribute('max-tokens', '8');
      return window.chat.send('And now a short one');
    });
    expect(next.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.chat.messages.length)).toBe(4);
  });

  test('after a reload the model loads from IndexedDB without a request for its bytes', async ({ page }) => {
    const requests = modelRequestLog(page);
    await openPage(page);
    await addChat(page, { autoload: '' });
    await waitReady(page);
    expect(requests.length).toBeGreaterThan(0);

    requests.length = 0;
    await page.reload();
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '8' });
    await waitReady(page);
    const download = (await events(page, 'llama-chat-progress')).filter((e) => (e.detail as { phase: string }).phase === 'download');
    expect(download).toHaveLength(0);
    expect(requests.map((r) => r.url())).toEqual([]);
    expect((await page.evaluate(() => window.chat.send('Still here?'))).length).toBeGreaterThan(0);
  });

  test('multi-byte text (emoji, CJK) in the prompt and the answer streams without garbling', async ({ page }) => {
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '120', temperature: '0' });
    const reply = await page.evaluate(() => window.chat.send('你好 👋 🦙 café — 世界'));
    const deltas = (await events(page, 'llama-chat-token')).map((e) => (e.detail as { delta: string }).delta);
    expect(deltas.join('')).toBe(reply);
    expect(reply).not.toContain('\uFFFD');
    expect(reply).toMatch(/[^\x00-\x7F]/); // the fixture model emits emoji/CJK pieces: they arrive intact
    await expect(page.locator('llama-chat .message.user .content')).toHaveText('你好 👋 🦙 café — 世界');
    expect(squash(await page.locator('llama-chat .message.assistant .content').textContent())).toBe(squash(reply));
    expect(pageErrors).toEqual([]);
  });

  test('stop() called right after send(), before the answer began, stops it, and the next send works', async ({ page }) => {
    await openPage(page);
    await addChat(page, { 'max-tokens': '400' }); // not loaded yet: send() waits for the model
    const result = await page.evaluate(async () => {
      const sending = window.chat.send('Stop me before I start');
      await window.chat.stop();
      const reply = await sending;
      return { reply, status: window.chat.status, messages: window.chat.messages.length };
    });
    expect(result.reply).toBe('');
    expect(result.status).toBe('ready');
    await expect(page.locator('llama-chat .message.assistant .note')).toHaveText('Stopped');
    expect(await events(page, 'llama-chat-token')).toHaveLength(0);
    await page.evaluate(() => window.chat.setAttribute('max-tokens', '8'));
    expect((await page.evaluate(() => window.chat.send('Now answer'))).length).toBeGreaterThan(0);
  });

  test('two send() calls before the model is ready: the first is answered, the second refused as busy, not run alongside', async ({
    page,
  }) => {
    await openPage(page);
    await addChat(page, { 'max-tokens': '8' }); // not loaded yet: both wait for the model
    const outcome = await page.evaluate(async () => {
      const settle = (p: Promise<string>) =>
        p.then(
          (reply) => ({ reply }),
          (e: { code?: string }) => ({ code: e.code }),
        );
      const [first, second] = await Promise.all([settle(window.chat.send('First')), settle(window.chat.send('Second'))]);
      return { first, second, contents: window.chat.messages.map((m) => m.role + ':' + (m.role === 'user' ? m.content : '')) };
    });
    expect(outcome.first).toEqual({ reply: expect.any(String) });
    expect(outcome.second).toEqual({ code: 'bad-input' });
    expect(outcome.contents).toEqual(['user:First', 'assistant:']);
    expect((await page.evaluate(() => window.chat.send('Third'))).length).toBeGreaterThan(0);
  });

  test('a model set just before load() is the one that loads', async ({ page }) => {
    await openPage(page);
    await addChat(page);
    const loaded = await page.evaluate(async () => {
      const record = { ...window.chat.models[0]!, id: 'tiny-renamed', label: 'Renamed tiny model' };
      window.chat.models = [...window.chat.models, record];
      window.chat.model = record.id;
      await window.chat.load();
      return window.recorded.filter((e) => e.type === 'llama-chat-ready').map((e) => (e.detail as { model: string }).model);
    });
    expect(loaded).toEqual(['tiny-renamed']);
  });
});

/** Text with runs of whitespace made one space, and trimmed. */
function squash(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
