// Regenerate, edit and resend, copy, export and import in <llama-chat>, with the real engine on
// the tiny model. Greedy decoding (temperature 0) makes an answer a function of its context, so
// "as if answered once" is checked by the answer itself: the same words as a fresh conversation's.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { addChat, events, openPage, waitReady } from './helpers.js';

const GREEDY = { autoload: '', 'max-tokens': '12', temperature: '0' };

async function recordActions(page: Page): Promise<void> {
  await page.evaluate(() =>
    document.addEventListener('llama-chat-action', (e) => window.recorded.push({ type: 'llama-chat-action', detail: e.detail, at: 0 })),
  );
}

/** Waits for the `n`th llama-chat-message event (1-based) and returns its answer. */
async function nthAnswer(page: Page, n: number): Promise<string> {
  await page.waitForFunction((n) => window.recorded.filter((e) => e.type === 'llama-chat-message').length >= n, n, { timeout: 60_000 });
  const messages = await events(page, 'llama-chat-message');
  return (messages[n - 1]!.detail as { message: { content: string } }).message.content;
}

/** The greedy answer to `conversation` asked fresh: a chat of its own engine, cleared, told the same turns. */
async function freshAnswers(page: Page, questions: string[]): Promise<string[]> {
  return page.evaluate(async (questions) => {
    const chat = document.createElement('llama-chat');
    chat.models = window.chat.models;
    for (const name of ['model', 'max-tokens', 'temperature', 'system-prompt']) {
      const value = window.chat.getAttribute(name);
      if (value !== null) chat.setAttribute(name, value);
    }
    chat.setAttribute('autoload', '');
    document.body.append(chat);
    const answers: string[] = [];
    for (const question of questions) answers.push(await chat.send(question));
    chat.remove();
    return answers;
  }, questions);
}

const shadow = (page: Page, selector: string) => page.locator(`llama-chat >> ${selector}`).first();

test('Regenerate replaces the last answer as if it had been answered once, and is kept across a reload', async ({ page }) => {
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'regenerate' });
  await recordActions(page);
  await waitReady(page);
  const first = await page.evaluate(() => window.chat.send('One'));
  const second = await page.evaluate(() => window.chat.send('Two'));
  // Only the last answer offers it.
  await expect(page.getByRole('button', { name: 'Regenerate answer' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Regenerate answer' }).click();
  const again = await nthAnswer(page, 3);
  expect(again).toBe(second); // the same context as the first time: the old answer is not in it
  expect(await page.evaluate(() => window.chat.messages)).toEqual([
    { role: 'user', content: 'One' },
    { role: 'assistant', content: first },
    { role: 'user', content: 'Two' },
    { role: 'assistant', content: again },
  ]);
  expect((await events(page, 'llama-chat-action')).map((e) => e.detail)).toEqual([{ action: 'regenerate', index: 2 }]);

  // The method, with another temperature: a different answer replaces the last one, not appended.
  await page.evaluate(() => window.chat.setAttribute('temperature', '1.5'));
  const varied = await page.evaluate(() => window.chat.regenerate());
  const kept = await page.evaluate(() => window.chat.messages);
  expect(kept).toHaveLength(4);
  expect(kept[3]!.content).toBe(varied);

  await page.reload();
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'regenerate' });
  await expect.poll(() => page.evaluate(() => window.chat.messages)).toEqual(kept);
});

test('Edit and resend from the keyboard replaces the conversation from that message; Escape leaves it as it was', async ({ page }) => {
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'edit' });
  await waitReady(page);
  await page.evaluate(() => window.chat.send('One'));
  await page.evaluate(() => window.chat.send('Two'));
  const before = await page.evaluate(() => window.chat.messages);

  // Escape: the editor closes, nothing changes, focus is back on the Edit button.
  const editFirst = page.getByRole('button', { name: 'Edit message' }).first();
  await editFirst.focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: 'Edit your message' });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue('One');
  await page.keyboard.type(' more');
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(editFirst).toBeFocused();
  expect(await page.evaluate(() => window.chat.messages)).toEqual(before);

  // Enter: sent; what came after the edited message is replaced by its answer.
  await page.keyboard.press('Enter');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Uno');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => window.chat.messages.length)).toBe(2);
  await page.waitForFunction(() => window.chat.status === 'ready');
  const edited = await page.evaluate(() => window.chat.messages);
  expect(edited[0]).toEqual({ role: 'user', content: 'Uno' });
  const [fresh] = await freshAnswers(page, ['Uno']);
  expect(edited[1]!.content).toBe(fresh);

  // The method, for a later message: the conversation before it is the context.
  await page.evaluate(() => window.chat.send('Dos'));
  const answer = await page.evaluate(() => window.chat.edit(2, 'Tres'));
  expect(await freshAnswers(page, ['Uno', 'Tres'])).toEqual([fresh, answer]);

  await page.reload();
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'edit' });
  await expect.poll(() => page.evaluate(() => window.chat.messages.map((m) => m.content))).toEqual(['Uno', fresh, 'Tres', answer]);
});

test('Copy puts the Markdown source on the clipboard, says so on the button and to screen readers, and reports it', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPage(page);
  await addChat(page, GREEDY);
  await recordActions(page);
  await waitReady(page);
  await page.evaluate(() => window.chat.send('**Bold** question'));
  const answer = page.getByRole('button', { name: 'Copy answer' });
  await answer.click();
  await expect(page.getByRole('button', { name: 'Copied answer' })).toBeVisible();
  const source = (await page.evaluate(() => window.chat.messages))[1]!.content;
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(source);
  await expect(shadow(page, '[aria-live="polite"]')).toHaveText('Copied to the clipboard.');
  await expect(page.getByRole('button', { name: 'Copy answer' })).toBeVisible(); // the confirmation goes again

  await page.getByRole('button', { name: 'Copy message' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('**Bold** question');
  expect((await events(page, 'llama-chat-action')).map((e) => e.detail)).toEqual([
    { action: 'copy', index: 1 },
    { action: 'copy', index: 0 },
  ]);
});

test('Export as Markdown and JSON from the menu; the JSON imports into another chat, kept, and the conversation goes on', async ({
  page,
}) => {
  await openPage(page);
  await addChat(page, { ...GREEDY, 'system-prompt': 'Answer briefly.' });
  await waitReady(page);
  const answers = [await page.evaluate(() => window.chat.send('One')), await page.evaluate(() => window.chat.send('Two'))];

  await shadow(page, 'summary').click();
  const [markdownFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as Markdown' }).click(),
  ]);
  expect(markdownFile.suggestedFilename()).toMatch(/^conversation-tiny-test-model-\d{4}-\d\d-\d\d\.md$/);
  const markdown = await readFile((await markdownFile.path())!, 'utf8');
  expect(markdown).toContain('## System prompt\n\nAnswer briefly.');
  expect(markdown).toContain(`## You\n\nTwo\n\n## Assistant\n\n${answers[1]}`);

  await shadow(page, 'summary').click();
  const [jsonFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()]);
  const jsonPath = (await jsonFile.path())!;
  const file = JSON.parse(await readFile(jsonPath, 'utf8')) as { model: string; systemPrompt: string; messages: unknown[] };
  expect(file).toMatchObject({ format: 'llama-chat/conversation', version: 1, model: 'tiny-test-model', systemPrompt: 'Answer briefly.' });
  expect(file.messages).toEqual(await page.evaluate(() => window.chat.messages));

  // Another page, another chat with a history key: the file picker brings the conversation in.
  await page.goto('about:blank');
  await openPage(page);
  await addChat(page, { ...GREEDY, 'system-prompt': 'Answer briefly.', 'history-key': 'imported' });
  await waitReady(page);
  await shadow(page, 'summary').click();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import JSON…' }).click()]);
  await chooser.setFiles(jsonPath);
  await expect.poll(() => page.evaluate(() => window.chat.messages)).toEqual(file.messages);
  // The imported conversation is the model's context: the next answer is the one the original chat would give.
  const next = await page.evaluate(() => window.chat.send('Three'));
  expect((await freshAnswers(page, ['One', 'Two', 'Three']))[2]).toBe(next);
  await page.reload();
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'imported' });
  await expect.poll(() => page.evaluate(() => window.chat.messages.length)).toBe(6);
});

test('A bad import is refused with a clear error and changes nothing', async ({ page }) => {
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'bad-import' });
  await waitReady(page);
  await page.evaluate(() => window.chat.send('Keep this'));
  const before = await page.evaluate(() => window.chat.messages);
  const refused = await page.evaluate(() =>
    window.chat.importConversation('{"format":"llama-chat/conversation","version":1,"messages":[{"role":"tool","content":"x"}]}').then(
      () => 'imported',
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    ),
  );
  expect(refused).toMatch(/^bad-input: .*message 1 has the role "tool".*Nothing was changed/);
  await expect(shadow(page, '[part="error"]')).toContainText('message 1 has the role "tool"');
  expect(await page.evaluate(() => window.chat.messages)).toEqual(before);
  await page.reload();
  await openPage(page);
  await addChat(page, { ...GREEDY, 'history-key': 'bad-import' });
  await expect.poll(() => page.evaluate(() => window.chat.messages)).toEqual(before);
});
