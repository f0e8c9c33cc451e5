// Page tools in <llama-chat> and tool calls through createEngine(), on the tiny random model:
// tool_choice "required" makes it call, constrained decoding makes the arguments valid.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { ChatCompletionChunk } from '../../protocol/types.js';
import { addChatFor, events, openPage, tinyAltRecord, waitReady } from './helpers.js';

const CITY = {
  type: 'object',
  properties: { city: { type: 'string', minLength: 1, maxLength: 10 } },
  required: ['city'],
  additionalProperties: false,
};

declare global {
  interface Window {
    calls: unknown[];
  }
}

/** <llama-chat> that must call a tool first, with tools made in the page by `makeTools`. */
async function chatWithTools(page: Page, kind: 'weather' | 'throws' | 'slow' | 'confirm'): Promise<void> {
  await openPage(page);
  await page.evaluate(() => {
    for (const type of ['llama-chat-tool-call', 'llama-chat-tool-result']) {
      document.addEventListener(type, (e) => window.recorded.push({ type, detail: (e as CustomEvent).detail, at: performance.now() }));
    }
  });
  await addChatFor(page, tinyAltRecord(new URL(page.url()).origin), {
    autoload: '',
    'tool-choice': 'required',
    'max-tokens': '200',
    temperature: '1',
  });
  await page.evaluate(
    ({ kind, CITY }) => {
      window.calls = [];
      const run = {
        weather: (args: Record<string, unknown>) => (window.calls.push(args), { city: args.city, tempC: 21 }),
        throws: (args: Record<string, unknown>) => {
          window.calls.push(args);
          throw new Error('the weather service is down');
        },
        slow: (args: Record<string, unknown>) => (window.calls.push(args), new Promise(() => {})),
        confirm: (args: Record<string, unknown>) => (window.calls.push(args), 'sent'),
      }[kind];
      window.chat.tools = [
        {
          name: kind === 'confirm' ? 'send_email' : 'get_weather',
          description: 'A page tool',
          parameters: CITY,
          run,
          confirm: kind === 'confirm',
          timeoutMs: kind === 'slow' ? 300 : undefined,
        },
      ];
    },
    { kind, CITY },
  );
  await waitReady(page);
}

const toolParts = (page: Page) => page.locator('llama-chat [part~="tool-call"]');

test('the model calls a page tool with valid arguments; the call and result show, and the answer finishes', async ({ page }) => {
  await chatWithTools(page, 'weather');
  const answer = await page.evaluate(() => window.chat.send('What is the weather?'));
  expect(typeof answer).toBe('string');
  const calls = await page.evaluate(() => window.calls as Array<{ city: string }>);
  expect(calls.length).toBeGreaterThanOrEqual(1);
  for (const call of calls) {
    expect(Object.keys(call)).toEqual(['city']);
    expect(call.city.length).toBeGreaterThanOrEqual(1);
    expect(call.city.length).toBeLessThanOrEqual(10);
  }
  const called = await events(page, 'llama-chat-tool-call');
  const results = await events(page, 'llama-chat-tool-result');
  expect(called[0]!.detail).toEqual({ name: 'get_weather', arguments: calls[0] });
  expect(results[0]!.detail).toEqual({ name: 'get_weather', result: JSON.stringify({ city: calls[0]!.city, tempC: 21 }) });
  const first = toolParts(page).first();
  await expect(first.locator('summary')).toContainText('get_weather');
  await expect(first.locator('summary')).toContainText('done');
  await first.locator('summary').click();
  await expect(first.locator('.tool-outcome')).toHaveText(`Result: {"city":${JSON.stringify(calls[0]!.city)},"tempC":21}`);
  // The answer after the tool is the last message, finished; tool calls are not in `messages`.
  expect(await page.evaluate(() => window.chat.status)).toBe('ready');
  const messages = await page.evaluate(() => window.chat.messages);
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  expect(messages[1]!.content).toBe(answer);
  expect(await events(page, 'llama-chat-error')).toEqual([]);
});

for (const [kind, state, error] of [
  ['throws', 'failed', /The tool failed: the weather service is down/],
  ['slow', 'failed', /did not finish within 300 ms/],
] as const) {
  test(`a tool that ${kind === 'throws' ? 'throws' : 'times out'} is a visible outcome the model is told about`, async ({ page }) => {
    await chatWithTools(page, kind);
    await page.evaluate(() => window.chat.send('Weather in Oslo?'));
    const results = await events(page, 'llama-chat-tool-result');
    expect((results[0]!.detail as { error: string }).error).toMatch(error);
    await expect(toolParts(page).first().locator('summary')).toContainText(state);
    expect(await page.evaluate(() => window.chat.status)).toBe('ready');
    expect(await events(page, 'llama-chat-error')).toEqual([]);
  });
}

test('a tool with confirm asks first; Deny (by keyboard) refuses it without running it', async ({ page }) => {
  await chatWithTools(page, 'confirm');
  let settled = false;
  const sent = page.evaluate(() => window.chat.send('Email Bob')).finally(() => (settled = true));
  const deny = page.locator('llama-chat [part="tool-deny"]').first();
  await expect(deny).toBeVisible();
  await expect(page.locator('llama-chat [part="tool-allow"]').first()).toBeVisible();
  // Told it was declined, the model may try again (tool_choice is "auto" after the first round).
  while (!settled) {
    if (await deny.isVisible()) {
      // Focus and Enter (keyboard reachable); the button may go between the look and the press.
      await deny.press('Enter', { timeout: 1000 }).catch(() => {});
    } else {
      await page.waitForTimeout(50);
    }
  }
  await sent;
  expect(await page.evaluate(() => window.calls.length)).toBe(0);
  const results = await events(page, 'llama-chat-tool-result');
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) expect(result.detail).toEqual({ name: 'send_email', error: 'The person declined to run this tool.' });
  await expect(toolParts(page).first().locator('summary')).toContainText('declined');
});

for (const theme of ['light', 'dark'] as const) {
  test(`axe-core finds nothing while the person is asked to Allow or Deny a call (${theme} theme)`, async ({ page }) => {
    await chatWithTools(page, 'confirm');
    await page.evaluate((theme) => window.chat.setAttribute('theme', theme), theme);
    void page.evaluate(() => window.chat.send('Email Bob')).catch(() => {});
    await expect(page.locator('llama-chat [part="tool-allow"]').first()).toBeVisible();
    const result = await new AxeBuilder({ page })
      .include('llama-chat')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
      .analyze();
    await expect(page.locator('llama-chat [part="tool-allow"]').first()).toBeVisible(); // axe saw the question
    expect(result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
}

test('createEngine() returns OpenAI-shaped tool_calls, whole and streamed', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const record = tinyAltRecord(new URL(page.url()).origin);
  const result = await page.evaluate(
    async ({ record, CITY }) => {
      const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
      const tools = [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather in a city', parameters: CITY } }];
      const messages = [{ role: 'user' as const, content: 'Weather in Oslo?' }];
      const whole = await engine.chat.completions.create({ messages, tools, tool_choice: 'required', max_tokens: 200 });
      const stream = await engine.chat.completions.create({
        messages,
        tools,
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        max_tokens: 200,
        stream: true,
      });
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      // The result goes back as OpenAI client code sends it, and the model answers.
      const call = whole.choices[0]!.message.tool_calls![0]!;
      const after = await engine.chat.completions.create({
        messages: [...messages, whole.choices[0]!.message as never, { role: 'tool', tool_call_id: call.id, content: '{"tempC":21}' }],
        tools,
        tool_choice: 'none',
        max_tokens: 16,
      });
      await engine.unload();
      return { whole, chunks, after };
    },
    { record, CITY },
  );
  const message = result.whole.choices[0]!.message;
  expect(result.whole.choices[0]!.finish_reason).toBe('tool_calls');
  expect(message.content).toBeNull();
  expect(message.tool_calls).toHaveLength(1);
  const call = message.tool_calls![0]!;
  expect(call).toEqual({
    id: expect.stringMatching(/^call_/),
    type: 'function',
    function: { name: 'get_weather', arguments: expect.any(String) },
  });
  const args = JSON.parse(call.function.arguments) as { city: string };
  expect(Object.keys(args)).toEqual(['city']);
  expect(args.city.length).toBeLessThanOrEqual(10);
  const streamed = result.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
  expect(streamed).toEqual([
    { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: expect.any(String) } },
  ]);
  expect(result.chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
  expect(result.after.choices[0]!.finish_reason).not.toBe('tool_calls');
  expect(typeof result.after.choices[0]!.message.content).toBe('string');
});

test('regenerating an answer that called a tool replaces its calls too: the tool runs again, the old calls leave the view', async ({
  page,
}) => {
  await chatWithTools(page, 'weather');
  await page.evaluate(() => window.chat.send('What is the weather?'));
  const before = await page.evaluate(() => window.calls.length);
  expect(before).toBeGreaterThanOrEqual(1);
  await expect(toolParts(page)).toHaveCount(before);
  await page.evaluate(() => window.chat.regenerate());
  const after = await page.evaluate(() => window.calls.length);
  expect(after).toBeGreaterThan(before); // asked again: the required first call runs again
  await expect(toolParts(page)).toHaveCount(after - before);
  expect(await page.evaluate(() => window.chat.messages.map((m) => m.role))).toEqual(['user', 'assistant']);
});
