// Regenerate, edit and resend, copy, export and import in every browser engine: real clicks and
// keys (WebDriver input actions), the real clipboard (copied, then pasted into the composer), the
// real engine on the tiny model. Greedy decoding makes an answer a function of its context.
import type { RemotePage } from '../browsers/remote-page.js';
import { waitForFunction } from '../browsers/remote-page.js';
import { expect, test } from './engines.js';
import { openChat, ready, send, tinyModel } from './remote-chat.js';

type Page = Window & { chat: HTMLElement & Record<string, unknown> & { messages: { role: string; content: string }[]; status: string } };

/** A real click at the middle of the element's shadow part `selector` (the first, or the `nth`). */
async function clickPart(remote: RemotePage, selector: string, nth = 0): Promise<void> {
  const at = await remote.evaluate(
    ({ selector, nth }) => {
      const target = (window as unknown as Page).chat.shadowRoot?.querySelectorAll(selector)[nth];
      if (!target) return undefined;
      target.scrollIntoView({ block: 'center' });
      const box = target.getBoundingClientRect();
      return [box.x + box.width / 2, box.y + box.height / 2] as const;
    },
    { selector, nth },
  );
  if (!at) throw new Error(`Nothing in the element matches ${selector} (#${nth})`);
  await remote.click(at[0], at[1]);
}

const messages = (remote: RemotePage) => remote.evaluate(() => (window as unknown as Page).chat.messages);
const idle = (remote: RemotePage) => waitForFunction(remote, () => (window as unknown as Page).chat.status === 'ready', undefined, 60_000);

/** The greedy answers of a second chat of the same settings, told `questions` from the start. */
function freshAnswers(remote: RemotePage, questions: string[]): Promise<string[]> {
  return remote.evaluate(async (questions) => {
    const chat = (window as unknown as Page).chat;
    const fresh = document.createElement('llama-chat') as unknown as HTMLElement & { models: unknown; send(t: string): Promise<string> };
    fresh.models = chat.models;
    for (const name of ['model', 'max-tokens', 'temperature']) fresh.setAttribute(name, chat.getAttribute(name)!);
    fresh.setAttribute('autoload', '');
    document.body.append(fresh);
    const answers: string[] = [];
    for (const question of questions) answers.push(await fresh.send(question));
    fresh.remove();
    return answers;
  }, questions);
}

test('regenerate, edit and resend, copy, export and import: clicks, keys and methods', async ({ remote }) => {
  const historyKey = `actions-${crypto.randomUUID()}`;
  const record = tinyModel();
  const settings = { autoload: '', 'max-tokens': '8', temperature: '0', 'history-key': historyKey };
  await openChat(remote, record, settings);
  await ready(remote);
  const first = await send(remote, 'One');
  const second = await send(remote, 'Two');

  // Regenerate (clicked): the same context as before, so the same greedy answer, in place.
  await clickPart(remote, '[part~="regenerate-button"]');
  await waitForFunction(
    remote,
    () => (window as unknown as { recorded: { type: string }[] }).recorded.filter((e) => e.type === 'llama-chat-message').length === 3,
  );
  expect(await messages(remote)).toEqual([
    { role: 'user', content: 'One' },
    { role: 'assistant', content: first },
    { role: 'user', content: 'Two' },
    { role: 'assistant', content: second },
  ]);

  // Edit (clicked, typed, Enter): the conversation from the first message is replaced.
  await clickPart(remote, '[part~="edit-button"]');
  await waitForFunction(remote, () => (window as unknown as Page).chat.shadowRoot?.activeElement?.getAttribute('part') === 'edit-input');
  await remote.evaluate(() => ((window as unknown as Page).chat.shadowRoot!.activeElement as HTMLTextAreaElement).select());
  for (const key of 'Uno') await remote.press([key]);
  await remote.press(['Enter']);
  await waitForFunction(remote, () => (window as unknown as Page).chat.messages.length === 2);
  await idle(remote);
  const edited = await messages(remote);
  expect(edited[0]).toEqual({ role: 'user', content: 'Uno' });
  expect(await freshAnswers(remote, ['Uno'])).toEqual([edited[1]!.content]);

  // Copy (clicked): the answer's source on the clipboard, pasted (Control+V) into the composer.
  await clickPart(remote, '.message.assistant [part~="copy-button"]');
  await waitForFunction(remote, () =>
    (window as unknown as Page).chat.shadowRoot?.querySelector('.message.assistant [part~="copy-button"]')?.textContent?.trim() === 'Copied'
      ? true
      : false,
  );
  await clickPart(remote, '[part="input"]');
  await remote.press(['Control', 'v']);
  const pasted = await waitForFunction(
    remote,
    () => ((window as unknown as Page).chat.shadowRoot?.querySelector('textarea[part="input"]') as HTMLTextAreaElement).value,
  );
  expect(pasted).toBe(edited[1]!.content);

  // Export, import elsewhere, and the kept copy after a reload.
  const exported = await remote.evaluate(async () => {
    const chat = (window as unknown as Page).chat as unknown as { exportConversation(f: string): Promise<string> };
    return { json: await chat.exportConversation('json'), markdown: await chat.exportConversation('markdown') };
  });
  expect(exported.markdown).toContain(`## You\n\nUno\n\n## Assistant\n\n${edited[1]!.content}`);
  const refused = await remote.evaluate(() =>
    ((window as unknown as Page).chat as unknown as { importConversation(t: string): Promise<void> })
      .importConversation('[{"role":"system","content":"x"}]')
      .then(
        () => 'imported',
        (e: { code: string }) => e.code,
      ),
  );
  expect(refused).toBe('bad-input');
  expect(await messages(remote)).toEqual(edited);
  const otherKey = `${historyKey}-imported`;
  await openChat(remote, record, { ...settings, 'history-key': otherKey });
  await ready(remote);
  await remote.evaluate(
    (json) => ((window as unknown as Page).chat as unknown as { importConversation(t: string): Promise<void> }).importConversation(json),
    exported.json,
  );
  expect(await messages(remote)).toEqual(edited);
  await openChat(remote, record, { ...settings, 'history-key': otherKey });
  await waitForFunction(remote, () => (window as unknown as Page).chat.messages.length === 2);
  expect(await messages(remote)).toEqual(edited);
});
