import { expect, test } from '@playwright/test';
import type { ChatCompletionChunk } from '../../protocol/types.js';
import { tinyRecord } from './helpers.js';

test('createEngine() streams OpenAI-shaped chunks with no element on the page', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const record = tinyRecord(new URL(page.url()).origin);
  const result = await page.evaluate(async (record) => {
    const progress: number[] = [];
    const engine = await window.llamaChat.createEngine({ model: record.id, models: [record], onProgress: (p) => progress.push(p.loaded) });
    const stream = await engine.chat.completions.create({
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      max_tokens: 24,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const whole = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8 });
    const cached = await engine.cache.list();
    await engine.unload();
    return { chunks, whole, cached, progress, elements: document.querySelectorAll('llama-chat').length };
  }, record);

  expect(result.elements).toBe(0);
  expect(result.progress.length).toBeGreaterThan(0);
  const content = result.chunks.filter((c) => c.choices[0]?.delta.content);
  expect(content.length).toBeGreaterThan(5);
  for (const chunk of result.chunks) {
    expect(chunk.object).toBe('chat.completion.chunk');
    expect(chunk.model).toBe(record.id);
  }
  const last = result.chunks.at(-1)!;
  expect(last.choices[0]!.finish_reason).toBe('length');
  expect(last.usage!.completion_tokens).toBe(24);
  expect(last.usage!.extra.decode_tokens_per_s).toBeGreaterThan(0);

  expect(result.whole.object).toBe('chat.completion');
  expect(result.whole.choices[0]!.message.content?.length).toBeGreaterThan(0);
  expect(result.cached).toEqual([expect.objectContaining({ id: record.id, engine: 'wllama', complete: true })]);
});

test('usage.prompt_tokens counts the whole prompt, also when llama.cpp read it from its cache', async ({ page }) => {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  const record = tinyRecord(new URL(page.url()).origin);
  const counts = await page.evaluate(async (record) => {
    const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
    const ask = async () =>
      (await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hello there, how are you?' }], max_tokens: 4 })).usage
        .prompt_tokens;
    const counts = [await ask(), await ask()]; // the second finds the whole prompt cached
    await engine.unload();
    return counts;
  }, record);
  expect(counts[0]).toBeGreaterThan(8);
  expect(counts[1]).toBe(counts[0]);
});
