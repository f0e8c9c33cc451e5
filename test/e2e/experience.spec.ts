// The complete <llama-chat> experience: consent, progress, keyboard, history, context
// trimming, safe Markdown and announcements, against the built bundle and the tiny model.
import { expect, test, type Page } from '@playwright/test';
import { addChat, events, modelRequestLog, openPage, waitReady } from './helpers.js';
import { keepConversation } from './kept-conversation.js';

/** Words in the tiny model's vocabulary: about 4 bytes per token, so the estimate is safe. */
const PARAGRAPH = 'Hello, how are you today? Tell me about the water and the way you think. '.repeat(4);

const shadow = (page: Page, selector: string) => page.locator(`llama-chat ${selector}`);

/** Records every text the progress line shows, from the element's first render on. */
async function recordProgressTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const texts: string[] = [];
    (window as unknown as { progressTexts: string[] }).progressTexts = texts;
    const root = window.chat.shadowRoot!;
    new MutationObserver(() => {
      const text = root.querySelector('.progress-text')?.textContent;
      if (text && texts.at(-1) !== text) texts.push(text);
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });
}

test.describe('states and consent', () => {
  test('the consent step shows the model and its size (from a HEAD request), and nothing downloads before the click', async ({ page }) => {
    const requests = modelRequestLog(page);
    await openPage(page);
    await addChat(page);
    await expect(shadow(page, '.consent')).toContainText('Tiny test model (random weights)');
    // The record has no sizeBytes: the size came from Content-Length.
    await expect(shadow(page, '.consent .size')).toHaveText(/^883 KB download/);
    expect(requests.map((r) => r.method())).toEqual(['HEAD']);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.chat.status)).toBe('idle');
    expect(await events(page, 'llama-chat-progress')).toHaveLength(0);

    await page.getByRole('button', { name: 'Download and start' }).click();
    await waitReady(page);
    expect(requests.some((r) => r.method() === 'GET')).toBe(true);
    await expect(shadow(page, '.consent')).toHaveCount(0);
  });

  test('typing a message and pressing Enter before consenting downloads nothing', async ({ page }) => {
    const requests = modelRequestLog(page);
    await openPage(page);
    await addChat(page);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Hello?');
    await input.press('Enter');
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await page.waitForTimeout(300);
    expect(requests.filter((r) => r.method() !== 'HEAD')).toHaveLength(0);
    expect(await page.evaluate(() => window.chat.status)).toBe('idle');
    await expect(input).toHaveValue('Hello?'); // kept for when the model is ready
  });

  test('while downloading, the view shows bytes done of the total; then it loads and is ready', async ({ page }) => {
    await openPage(page);
    await addChat(page);
    await recordProgressTexts(page);
    await page.getByRole('button', { name: 'Download and start' }).click();
    await waitReady(page);
    const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
    expect(texts.some((t) => /\d+(\.\d)? (KB|MB) of 883 KB/.test(t))).toBe(true);
    expect(texts.some((t) => /^Load/.test(t))).toBe(true);
    await expect(shadow(page, '[part~="status"]')).toHaveText('Ready');
  });

  test('a message sent while the model downloads shows at once, waits, and is answered once the model is ready', async ({ page }) => {
    await openPage(page);
    await addChat(page, { 'max-tokens': '8' }, '?stall=1500'); // the download waits 1.5 s before its first byte
    await page.getByRole('button', { name: 'Download and start' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await expect(input).toBeFocused();
    await input.fill('What is kept here?');
    await input.press('Enter');
    await expect(input).toHaveValue('');
    const waiting = shadow(page, '.message.user.waiting');
    await expect(waiting).toContainText('What is kept here?');
    await expect(waiting.locator('.note')).toHaveText('Sent once the model is ready');
    await expect(shadow(page, '[aria-live="polite"]')).toHaveText('Your message is sent once the model is ready.');
    expect(await page.evaluate(() => window.chat.status)).toBe('downloading');
    // One message waits at a time: a second one stays in the input.
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await input.fill('And this one?');
    await input.press('Enter');
    await expect(input).toHaveValue('And this one?');

    await expect.poll(async () => (await events(page, 'llama-chat-message')).length, { timeout: 60_000 }).toBe(1);
    await expect(waiting).toHaveCount(0);
    await expect(shadow(page, '.message.user')).toHaveText([/What is kept here\?/]);
    expect(await page.evaluate(() => window.chat.messages.map((m) => m.role))).toEqual(['user', 'assistant']);
    await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
    await expect(input).toHaveValue('And this one?');
  });

  test('a message waiting for a download that fails goes back into the input', async ({ page }) => {
    await openPage(page);
    await addChat(page, {}, '?status=503');
    await page.getByRole('button', { name: 'Download and start' }).click();
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('Will this be lost?');
    await input.press('Enter');
    await expect(shadow(page, '[part="error"]')).toBeVisible();
    await expect(input).toHaveValue('Will this be lost?');
    await expect(shadow(page, '.message')).toHaveCount(0);
  });

  test('a failed download shows the error with a way forward that works', async ({ page }) => {
    const requests = modelRequestLog(page);
    await openPage(page);
    await addChat(page, { autoload: '' }, '?status=503');
    await expect(shadow(page, '[part="error"]')).toBeVisible();
    const retry = page.getByRole('button', { name: 'Try again' });
    await expect(retry).toBeVisible();
    expect(await page.evaluate(() => window.chat.status)).toBe('error');
    // The button tries again for real: a new request, and the error again while the server fails.
    const before = requests.length;
    await page.evaluate(() => (window.recorded = []));
    await retry.click();
    await expect.poll(async () => (await events(page, 'llama-chat-error')).length).toBe(1);
    expect(requests.length).toBeGreaterThan(before);
    // Point the record at a working URL: a new list makes the old failure moot, and the
    // element (autoload) loads again by itself.
    await page.evaluate(() => {
      window.chat.models = [{ ...window.chat.models[0]!, url: window.chat.models[0]!.url.replace('?status=503', '') }];
      window.recorded = [];
    });
    await waitReady(page);
    await expect(shadow(page, '[part="error"]')).toHaveCount(0);
  });

  test('a model this device cannot run offers a CPU model of the page instead, and that button works', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '' });
    // The built-in Llama 3.1 8B needs WebGPU (web-llm); these machines have no GPU.
    await page.evaluate(() => window.chat.setAttribute('model', 'Llama-3.1-8B-Instruct-q4f16_1-MLC'));
    await expect(shadow(page, '[part="error"]')).toHaveAttribute('data-code', 'webgpu-unavailable');
    const instead = page.getByRole('button', { name: 'Use Tiny test model (random weights) instead' });
    await expect(instead).toBeVisible();
    await page.evaluate(() => (window.recorded = []));
    await instead.click();
    await waitReady(page);
    expect(await page.evaluate(() => window.chat.model)).toBe('tiny-test-model');
  });
});

test.describe('keyboard', () => {
  test('Escape in the input stops the answer; Shift+Enter adds a line instead of sending', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '400' });
    await waitReady(page);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    await expect(input).toHaveValue('first line\nsecond line');
    expect(await page.evaluate(() => window.chat.messages.length)).toBe(0);

    await input.press('Enter');
    await page.waitForFunction(() => window.recorded.filter((e) => e.type === 'llama-chat-token').length >= 3);
    await input.press('Escape');
    await page.waitForFunction(() => window.chat.status === 'ready');
    // Stopped before max-tokens (400), and marked so: the answer ended by the stop, not on its own.
    const tokens = (await events(page, 'llama-chat-token')).length;
    expect(tokens).toBeLessThan(400);
    await expect(shadow(page, '.message.assistant .note')).toHaveText('Stopped');
    expect((await page.evaluate(() => window.chat.messages))[0]!.content).toBe('first line\nsecond line');
  });
});

test.describe('focus', () => {
  test('keyboard focus is visible on the input and the buttons', async ({ page }) => {
    await openPage(page);
    await addChat(page);
    const outline = () =>
      page.evaluate(() => {
        const active = window.chat.shadowRoot!.activeElement!;
        const style = getComputedStyle(active);
        return { tag: active.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
    await expect(page.locator('llama-chat >> summary')).toBeAttached(); // the menu's part has loaded
    await page.keyboard.press('Tab'); // the conversation menu, in the header
    expect(await outline()).toEqual({ tag: 'SUMMARY', outline: 'solid', width: 2 });
    await page.keyboard.press('Tab'); // the conversation region
    await page.keyboard.press('Tab');
    expect(await outline()).toEqual({ tag: 'BUTTON', outline: 'solid', width: 2 });
    await page.keyboard.press('Tab');
    expect(await outline()).toEqual({ tag: 'TEXTAREA', outline: 'solid', width: 2 });
  });
});

test.describe('history', () => {
  test('with history-key the conversation comes back after a reload, and clear() forgets it', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '12', 'history-key': 'support' });
    const reply = await page.evaluate(() => window.chat.send('Remember me'));

    await page.reload();
    await openPage(page);
    await addChat(page, { 'history-key': 'support' });
    await page.waitForFunction(() => window.chat.messages.length === 2);
    expect(await page.evaluate(() => window.chat.messages)).toEqual([
      { role: 'user', content: 'Remember me' },
      { role: 'assistant', content: reply },
    ]);
    await expect(shadow(page, '.message.user .content')).toHaveText('Remember me');

    // Another key is another conversation, on a new element or when the key changes.
    await page.evaluate(() => {
      const other = document.createElement('llama-chat');
      other.setAttribute('history-key', 'sales');
      other.id = 'other';
      document.body.append(other);
    });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (document.getElementById('other') as HTMLElementTagNameMap['llama-chat']).messages)).toEqual([]);
    await page.evaluate(() => window.chat.setAttribute('history-key', 'sales'));
    await page.waitForFunction(() => window.chat.messages.length === 0);
    await page.evaluate(() => window.chat.setAttribute('history-key', 'support'));
    await page.waitForFunction(() => window.chat.messages.length === 2);

    await page.evaluate(() => window.chat.clear());
    expect(await page.evaluate(() => window.chat.messages)).toEqual([]);
    await page.reload();
    await openPage(page);
    await addChat(page, { 'history-key': 'support' });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => window.chat.messages)).toEqual([]);
  });

  test('without history-key nothing is kept', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '8' });
    await page.evaluate(() => window.chat.send('Forget me'));
    const kept = await page.evaluate(async () => {
      const names = (await indexedDB.databases()).map((d) => d.name);
      return names.includes('llama-chat-history');
    });
    expect(kept).toBe(false);
  });

  test('a kept answer shows as plain text until the Markdown part has loaded, then renders in place', async ({ page }) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/markdown-*.js', async (route) => {
      await held;
      await route.continue();
    });
    await openPage(page);
    await keepConversation(page, 'plain', [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Some **bold** words <b>and</b> more.' },
    ]);
    await addChat(page, { 'history-key': 'plain' });
    const answer = shadow(page, '.message.assistant .markdown');
    await expect(answer).toHaveText('Some **bold** words <b>and</b> more.');
    expect(await answer.evaluate((node) => node.childElementCount)).toBe(0); // text, not HTML
    await answer.evaluate((node) => ((window as unknown as { shown: Element }).shown = node));
    release();
    await expect(answer.locator('p strong')).toHaveText('bold');
    await expect(answer).toHaveText('Some bold words <b>and</b> more.'); // raw HTML stays the text it is
    expect(await answer.evaluate((node) => node === (window as unknown as { shown: Element }).shown)).toBe(true);
  });

  test('a kept conversation with HTML and script payloads renders as inert text', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openPage(page);
    const payloads = [
      '<img src=x onerror="window.pwned=1">',
      '<script>window.pwned=2</script>',
      '<a href="javascript:window.pwned=3">click</a> and [link](javascript:window.pwned=4)',
      '<svg onload="window.pwned=5"></svg><iframe src="javascript:window.pwned=6"></iframe>',
      '![pixel](http://127.0.0.1:1/track.png?secret=1) <style>*{display:none}</style>',
      '<div onclick="window.pwned=7" style="position:fixed">click me</div>',
    ];
    await page.evaluate(async (payloads) => {
      const messages = payloads.flatMap((p) => [
        { role: 'user', content: p },
        { role: 'assistant', content: `Here: ${p}` },
      ]);
      // The same database and store the element uses (idb-keyval's createStore).
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('llama-chat-history');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          tx.objectStore('conversations').put({ version: 1, messages }, 'evil');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      });
    }, payloads);
    const images: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('track.png')) images.push(r.url());
    });
    await addChat(page, { 'history-key': 'evil' });
    await page.waitForFunction(() => window.chat.messages.length === 12);
    await expect(shadow(page, '.message')).toHaveCount(12);
    // What is checked is the answers as Markdown renders them (until its part loads they are plain text).
    await page.waitForFunction(() =>
      [...window.chat.shadowRoot!.querySelectorAll('.message.assistant .markdown')].every((answer) => answer.firstElementChild !== null),
    );

    const dom = await page.evaluate(() => {
      const root = window.chat.shadowRoot!;
      const contents = [...root.querySelectorAll('.message .content')];
      const all = contents.flatMap((c) => [...c.querySelectorAll('*')]);
      return {
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))].sort(),
        handlers: all
          .flatMap((e) => [...e.attributes].map((a) => a.name))
          .filter((n) => n.startsWith('on') || n === 'style' || n === 'src'),
        hrefs: all.filter((e) => e.hasAttribute('href')).map((e) => e.getAttribute('href')),
        links: all.filter((e) => e.tagName === 'A').map((e) => `${e.getAttribute('target')} ${e.getAttribute('rel')}`),
        userTexts: [...root.querySelectorAll('.message.user .content')].map((e) => e.textContent),
        answerText: [...root.querySelectorAll('.message.assistant .content')].map((c) => c.textContent).join('\n'),
        pwned: (window as unknown as { pwned?: number }).pwned,
      };
    });
    expect(dom.pwned).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(images).toEqual([]);
    // Only the Markdown allow-list (and the span that shows a link's host): no img, script, svg, iframe, style.
    for (const tag of dom.tags) expect(['a', 'button', 'code', 'div', 'p', 'pre', 'strong', 'em', 'br', 'span']).toContain(tag);
    expect(dom.tags).not.toContain('img');
    expect(dom.tags).not.toContain('script');
    expect(dom.handlers).toEqual([]);
    for (const href of dom.hrefs) expect(href).toMatch(/^https?:/);
    for (const link of dom.links) expect(link).toBe('_blank noopener noreferrer');
    // The person's own messages are plain text, exactly as typed.
    expect(dom.userTexts).toEqual(payloads);
    // Raw HTML in answers shows as the text it is.
    expect(dom.answerText).toContain('<script>window.pwned=2</script>');
    expect(dom.answerText).toContain('<img src=x onerror="window.pwned=1">');
  });
});

test.describe('context window', () => {
  test('a long conversation with the 512-token model is trimmed, oldest first, with a quiet notice', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '24', 'system-prompt': 'You are a test model.' });
    await waitReady(page);
    const replies: string[] = [];
    for (let turn = 0; turn < 8; turn++) {
      replies.push(await page.evaluate((text) => window.chat.send(text), `${turn}: ${PARAGRAPH}`));
    }
    expect(await events(page, 'llama-chat-error')).toEqual([]);
    expect(replies.every((r) => r.length > 0)).toBe(true);
    // The view keeps every message; only what goes to the model is trimmed.
    expect(await page.evaluate(() => window.chat.messages.length)).toBe(16);
    await expect(shadow(page, '[part="notice"]')).toContainText('no longer fit');
    await expect(shadow(page, '[part="notice"]')).not.toHaveAttribute('role', 'alert');
  });

  test('when the estimate falls short (text spelled letter by letter), the answer comes from the newest message instead of failing', async ({
    page,
  }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '16' });
    await waitReady(page);
    // Not words of the tiny vocabulary: about one token per byte, three times the estimate.
    const spelled = 'xq zj vk qx jz kv '.repeat(16);
    for (let turn = 0; turn < 3; turn++) {
      await page.evaluate((text) => window.chat.send(text), `${turn} ${spelled}`);
    }
    expect(await events(page, 'llama-chat-error')).toEqual([]);
    expect(await page.evaluate(() => window.chat.messages.length)).toBe(6);
    await expect(shadow(page, '[part="notice"]')).toContainText('no longer fit');
  });

  test('a single message longer than the window is refused with context-overflow, and the chat goes on', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '24' });
    await waitReady(page);
    const error = await page.evaluate(() =>
      window.chat.send('word '.repeat(2000)).then(
        () => undefined,
        (e: { code: string }) => e.code,
      ),
    );
    expect(error).toBe('context-overflow');
    await expect(page.getByRole('button', { name: 'Clear conversation' })).toBeVisible();
    // Typed into the view, the refused message stays in the input to be shortened.
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('word '.repeat(2000));
    await input.press('Enter');
    await expect(input).toHaveValue('word '.repeat(2000));
    expect(await page.evaluate(() => window.chat.status)).toBe('ready');
    expect((await page.evaluate(() => window.chat.send('Hello'))).length).toBeGreaterThan(0);
  });
});

test.describe('rendering and announcements', () => {
  test('answers render Markdown: headings, lists, tables, code with a copy button, safe links', async ({ page }) => {
    await openPage(page);
    await addChat(page);
    const markdown = [
      '# Title',
      '',
      '- one',
      '- two',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```js',
      'const x = 1;',
      '```',
      '',
      'See [docs](https://example.com/docs).',
    ].join('\n');
    await page.evaluate(async (markdown) => {
      // Through the kept-history path: it renders exactly like a streamed answer.
      await new Promise<void>((resolve) => {
        const open = indexedDB.open('llama-chat-history');
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const tx = open.result.transaction('conversations', 'readwrite');
          tx.objectStore('conversations').put(
            {
              version: 1,
              messages: [
                { role: 'user', content: 'md' },
                { role: 'assistant', content: markdown },
              ],
            },
            'md',
          );
          tx.oncomplete = () => resolve();
        };
      });
      window.chat.setAttribute('history-key', 'md');
    }, markdown);
    await page.waitForFunction(() => window.chat.messages.length === 2);
    const answer = shadow(page, '.message.assistant .content');
    await expect(answer.locator('h1')).toHaveText('Title');
    await expect(answer.locator('li')).toHaveCount(2);
    await expect(answer.locator('table td')).toHaveText(['1', '2']);
    await expect(answer.locator('pre code')).toHaveText('const x = 1;');
    const link = answer.locator('a');
    await expect(link).toHaveAttribute('href', 'https://example.com/docs');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await answer.getByRole('button', { name: 'Copy code' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('const x = 1;\n');
  });

  test('while an answer streams, earlier answers are not parsed or rendered again', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '40' });
    await page.evaluate(() => window.chat.send('First question'));
    // Mark the first answer's rendered nodes; a re-parse would replace them with new ones.
    await page.evaluate(() => {
      const first = window.chat.shadowRoot!.querySelector('.message.assistant .markdown')!;
      for (const node of first.querySelectorAll('*')) (node as Element & { marked?: boolean }).marked = true;
      const replaced: number[] = [];
      (window as unknown as { replaced: number[] }).replaced = replaced;
      new MutationObserver((records) => replaced.push(records.length)).observe(first, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await page.evaluate(() => window.chat.send('Second question'));
    const result = await page.evaluate(() => {
      const first = window.chat.shadowRoot!.querySelector('.message.assistant .markdown')!;
      return {
        mutations: (window as unknown as { replaced: number[] }).replaced.length,
        stillMarked: [...first.querySelectorAll('*')].every((n) => (n as Element & { marked?: boolean }).marked),
        answers: window.chat.shadowRoot!.querySelectorAll('.message.assistant .markdown').length,
      };
    });
    expect(result.answers).toBe(2);
    expect(result.mutations).toBe(0);
    expect(result.stillMarked).toBe(true);
  });

  test('a streaming answer grows in place (what was shown keeps its nodes) and ends as it renders anew from history', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '300', 'history-key': 'in-place' });
    await waitReady(page);
    // The first paragraph and text node the answer shows, and how much text they held then.
    await page.evaluate(() => {
      const root = window.chat.shadowRoot!;
      const seen: { paragraph?: Element; text?: Node; length?: number } = {};
      (window as unknown as { seen: typeof seen }).seen = seen;
      const observer = new MutationObserver(() => {
        const paragraph = root.querySelector('.message.assistant .markdown > p');
        if (!paragraph?.firstChild) return;
        Object.assign(seen, { paragraph, text: paragraph.firstChild, length: paragraph.textContent!.length });
        observer.disconnect();
      });
      observer.observe(root, { subtree: true, childList: true });
    });
    const reply = await page.evaluate(() => window.chat.send('Tell me a long story about the world'));
    const streamed = await page.evaluate(() => {
      const { paragraph, text, length } = (window as unknown as { seen: { paragraph?: Element; text?: Node; length?: number } }).seen;
      const markdown = window.chat.shadowRoot!.querySelector('.message.assistant .markdown')!;
      const last = markdown.querySelector(':scope > p');
      return { samePara: last === paragraph, sameText: last?.firstChild === text, shownFirst: length ?? 0, html: markdown.innerHTML };
    });
    // It was shown while still growing, and the nodes shown then are the ones shown at the end.
    expect(streamed.shownFirst).toBeGreaterThan(0);
    expect(streamed.shownFirst).toBeLessThan(reply.trim().length);
    expect(streamed.samePara).toBe(true);
    expect(streamed.sameText).toBe(true);

    await page.reload();
    await openPage(page);
    await addChat(page, { 'history-key': 'in-place' });
    await page.waitForFunction(() => window.chat.shadowRoot!.querySelector('.message.assistant .markdown > *') !== null);
    expect(await page.evaluate(() => window.chat.shadowRoot!.querySelector('.message.assistant .markdown')!.innerHTML)).toBe(streamed.html);
  });

  test('each finished answer is announced once through a polite live region, not token by token', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '40' });
    await waitReady(page);
    await page.evaluate(() => {
      const root = window.chat.shadowRoot!;
      const region = root.querySelector('[aria-live="polite"][aria-atomic="true"]')!;
      const seen: string[] = [];
      (window as unknown as { announced: string[] }).announced = seen;
      new MutationObserver(() => {
        if (region.textContent?.trim()) seen.push(region.textContent.trim());
      }).observe(region, { subtree: true, childList: true, characterData: true });
    });
    const reply = await page.evaluate(() => window.chat.send('Hello'));
    await page.waitForFunction(() => (window as unknown as { announced: string[] }).announced.length > 0);
    await page.waitForTimeout(200);
    const announced = await page.evaluate(() => (window as unknown as { announced: string[] }).announced);
    expect(announced).toEqual([`Answer: ${reply}`.trim()]);
    // The conversation itself is not a live region, or every token would be read out.
    expect(await shadow(page, '.messages').getAttribute('aria-live')).toBeNull();
    expect(await shadow(page, '.messages').getAttribute('role')).not.toBe('log');
  });

  test('the list follows a streaming answer, but not once the person scrolls up', async ({ page }) => {
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '60' });
    await waitReady(page);
    for (let i = 0; i < 4; i++) await page.evaluate(() => window.chat.send('Tell me more about the water'));
    const atEnd = () =>
      page.evaluate(() => {
        const list = window.chat.shadowRoot!.querySelector('.messages')!;
        return list.scrollHeight - list.scrollTop - list.clientHeight < 30;
      });
    expect(await atEnd()).toBe(true);
    // The person scrolls up while the next answer streams: the view stays where they put it.
    await page.evaluate(async () => {
      const list = window.chat.shadowRoot!.querySelector('.messages')!;
      const done = window.chat.send('More please');
      await new Promise<void>((resolve) => window.chat.addEventListener('llama-chat-token', () => resolve(), { once: true }));
      list.scrollTop = 0;
      await done;
    });
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => window.chat.shadowRoot!.querySelector('.messages')!.scrollTop)).toBeLessThan(50);
  });
});

test.describe('theming and layout', () => {
  const background = (page: Page) => page.evaluate(() => getComputedStyle(window.chat.shadowRoot!.querySelector('.chat')!).backgroundColor);

  test('light and dark follow prefers-color-scheme, theme="light|dark" overrides it, custom properties win', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openPage(page);
    await addChat(page);
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background(page)).toBe('rgb(23, 25, 30)');
    await page.evaluate(() => window.chat.setAttribute('theme', 'light'));
    expect(await background(page)).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate(() => (window.chat.theme = 'dark'));
    await expect(page.locator('llama-chat')).toHaveAttribute('theme', 'dark');
    expect(await background(page)).toBe('rgb(23, 25, 30)');
    await page.evaluate(() => window.chat.style.setProperty('--llama-chat-background', 'rgb(1, 2, 3)'));
    expect(await background(page)).toBe('rgb(1, 2, 3)');
  });

  test('usable at 320 px: nothing overflows sideways and every control is reachable', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await openPage(page);
    await addChat(page, { autoload: '', 'max-tokens': '40' });
    await page.evaluate(() => window.chat.send('Hello there, tell me about the water'));
    const overflow = await page.evaluate(() => {
      const root = window.chat.shadowRoot!;
      const width = document.documentElement.clientWidth;
      return [...root.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !e.classList.contains('visually-hidden'))
        .map((e) => e.className || e.tagName);
    });
    expect(overflow).toEqual([]);
    await expect(page.getByRole('button', { name: 'Send' })).toBeInViewport();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport();
  });

  test('prefers-reduced-motion stops the typing animation', async ({ page }) => {
    const animation = () =>
      page.evaluate(() => {
        const dot = window.chat.shadowRoot!.querySelector('.dots i');
        return dot ? getComputedStyle(dot).animationName : 'no dots';
      });
    await openPage(page);
    await addChat(page, { autoload: '' });
    await waitReady(page);
    // The dots an answer shows before its first words, without an engine racing them away.
    await page.evaluate(() => {
      const root = window.chat.shadowRoot!;
      root.querySelector('.status')!.insertAdjacentHTML('afterbegin', '<span class="dots"><i></i><i></i><i></i></span>');
    });
    expect(await animation()).toBe('pulse');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animation()).toBe('none');
  });
});
