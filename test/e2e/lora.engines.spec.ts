// LoRA adapters in every engine: the tiny model with generated adapters whose greedy answers are
// known from how they were made (test/fixtures/tiny-lora.ts), not from running llama.cpp. The
// same base answers as each adapter token by token, switching adapters loads nothing, and
// adapters that cannot be used are refused before llama.cpp loads anything.
import type { LoraAdapter, ModelRecord } from '../../protocol/types.js';
import { waitForFunction, type RemotePage } from '../browsers/remote-page.js';
import { PAGE_ORIGIN } from '../server.js';
import { expect, test } from './engines.js';
import { LORA_ADAPTERS } from './global-setup.js';
import { modelRequests, openChat, ready, send, tinyModel } from './remote-chat.js';

/** An adapter by a URL relative to the page, with a query of its own so its requests can be counted. */
function adapter(id: string, file: string): LoraAdapter & { path: string } {
  const query = `?visit=${crypto.randomUUID()}`;
  return { id, url: `../models/${file}${query}`, path: `/models/${file}${query}` };
}

function withAdapters(...adapters: LoraAdapter[]): ModelRecord & { path: string } {
  return { ...tinyModel(), adapters: adapters.map(({ id, url }) => ({ id, url })) };
}

const GREEDY = { autoload: '', 'max-tokens': '12', temperature: '0' };

/** How many times the element started loading a model (each load reports "Loading …" first). */
function loadsSeen(remote: RemotePage): Promise<number> {
  return remote.evaluate(
    () =>
      (window as unknown as { recorded: { type: string; detail: { phase: string; loaded: number } }[] }).recorded.filter(
        (e) => e.type === 'llama-chat-progress' && e.detail.phase === 'load' && e.detail.loaded === 0,
      ).length,
  );
}

function setAdapter(remote: RemotePage, id: string | null): Promise<unknown> {
  return remote.evaluate((id) => {
    const chat = (window as unknown as { chat: HTMLElement }).chat;
    if (id === null) chat.removeAttribute('adapter');
    else chat.setAttribute('adapter', id);
  }, id);
}

test('the model answers as the adapter a page names, token by token; switching adapters loads nothing; a second visit requests nothing', async ({
  remote,
}) => {
  const sure = adapter('support', LORA_ADAPTERS.sure.file);
  const hello = adapter('greeter', LORA_ADAPTERS.hello.file);
  const record = withAdapters(sure, hello);
  await openChat(remote, record, { ...GREEDY, adapter: 'support' });
  await ready(remote);
  // Loads from here on: a start-up load that Firefox's stuck-worker check restarts (src/client/heartbeat.ts) is not a switch's.
  const loadsWhenReady = await loadsSeen(remote);
  expect(loadsWhenReady).toBeGreaterThanOrEqual(1);
  expect(await send(remote, 'Hi')).toBe(LORA_ADAPTERS.sure.answer);
  await setAdapter(remote, 'greeter');
  expect(await send(remote, 'Hi again')).toBe(LORA_ADAPTERS.hello.answer);
  await setAdapter(remote, null);
  const base = await send(remote, 'And you?');
  expect(base.length).toBeGreaterThan(0);
  expect([LORA_ADAPTERS.sure.answer, LORA_ADAPTERS.hello.answer]).not.toContain(base);
  await setAdapter(remote, 'support');
  expect(await send(remote, 'Once more')).toBe(LORA_ADAPTERS.sure.answer);
  expect(await loadsSeen(remote)).toBe(loadsWhenReady); // switching loaded nothing
  expect(await modelRequests(sure.path)).toBeGreaterThan(0);

  // Stored like the model: the next visit downloads neither the model nor an adapter.
  const requests = [await modelRequests(record.path), await modelRequests(sure.path), await modelRequests(hello.path)];
  await openChat(remote, record, { ...GREEDY, adapter: 'greeter' });
  await ready(remote);
  expect(await send(remote, 'Hi')).toBe(LORA_ADAPTERS.hello.answer);
  expect([await modelRequests(record.path), await modelRequests(sure.path), await modelRequests(hello.path)]).toEqual(requests);
});

test('createEngine() requests name an adapter and its scale: scale 0 is the model alone, and an unknown adapter is bad-input', async ({
  remote,
}) => {
  await remote.goto(`${PAGE_ORIGIN}/pages/headless.html?dist=cross`);
  await waitForFunction(remote, () => 'llamaChat' in window);
  const record = withAdapters(adapter('support', LORA_ADAPTERS.sure.file), adapter('greeter', LORA_ADAPTERS.hello.file));
  const outcome = await remote.evaluate(async (record) => {
    type Answer = { choices: { message: { content: string } }[] };
    type Engine = { chat: { completions: { create(r: unknown): Promise<Answer> } }; unload(): Promise<void> };
    const lib = (window as unknown as { llamaChat: { createEngine(o: unknown): Promise<Engine> } }).llamaChat;
    let loads = 0;
    const onProgress = (p: { phase: string; loaded: number }) => void (p.phase === 'load' && p.loaded === 0 && loads++);
    const engine = await lib.createEngine({ model: record.id, models: [record], onProgress });
    const loadsWhenReady = loads;
    const ask = async (adapter?: unknown) => {
      const request = {
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 0,
        max_tokens: 12,
        ...(adapter === undefined ? {} : { adapter }),
      };
      return (await engine.chat.completions.create(request)).choices[0]!.message.content;
    };
    const answers = {
      none: await ask(),
      support: await ask('support'),
      greeter: await ask({ id: 'greeter' }),
      supportAtZero: await ask({ id: 'support', scale: 0 }),
      nullAdapter: await ask(null),
      supportAgain: await ask({ id: 'support', scale: 1 }),
    };
    const unknown = await ask('pirate').then(
      () => 'answered',
      (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
    );
    await engine.unload();
    return { answers, unknown, loads: loadsWhenReady, reloads: loads - loadsWhenReady };
  }, record);
  expect(outcome.answers.support).toBe(LORA_ADAPTERS.sure.answer);
  expect(outcome.answers.greeter).toBe(LORA_ADAPTERS.hello.answer);
  expect(outcome.answers.supportAgain).toBe(LORA_ADAPTERS.sure.answer);
  // Scale 0 and no adapter are the model alone, whatever came before.
  expect(outcome.answers.supportAtZero).toBe(outcome.answers.none);
  expect(outcome.answers.nullAdapter).toBe(outcome.answers.none);
  expect(outcome.answers.none).not.toBe(LORA_ADAPTERS.sure.answer);
  expect(outcome.unknown).toBe(`bad-input: ${record.id} has no adapter "pirate". Its adapters are "support", "greeter".`);
  expect(outcome.loads).toBeGreaterThanOrEqual(1);
  expect(outcome.reloads).toBe(0); // no request, whatever its adapter, loaded anything
});

test('adapters that cannot be used are refused before the model loads, naming the file; what is stored stays', async ({ remote }) => {
  const cases = [
    { adapter: adapter('alt', LORA_ADAPTERS.otherBase.file), code: 'bad-input', says: 'does not fit the model' },
    {
      adapter: adapter('deep', LORA_ADAPTERS.extraLayer.file),
      code: 'bad-input',
      says: 'blk.5.attn_q.weight, which this model does not have',
    },
    { adapter: adapter('model', 'tiny.gguf'), code: 'bad-input', says: 'is not a GGUF LoRA adapter' },
    { adapter: adapter('junk', 'garbage.gguf'), code: 'integrity', says: 'GGUF' },
  ];
  for (const { adapter: bad, code, says } of cases) {
    const good = adapter('support', LORA_ADAPTERS.sure.file);
    await openChat(remote, withAdapters(good, bad), { ...GREEDY, adapter: 'support' });
    const error = await waitForFunction(
      remote,
      () =>
        (window as unknown as { recorded: { type: string; detail: unknown }[] }).recorded.find((e) => e.type === 'llama-chat-error')
          ?.detail,
      undefined,
      60_000,
    );
    expect(error).toMatchObject({ code, message: expect.stringContaining(`The adapter "${bad.id}" (`) });
    expect((error as { message: string }).message).toContain(says);
    expect(await loadsSeen(remote)).toBe(0); // llama.cpp never saw it
  }
  // The model and the good adapter stay stored: a page without the bad one loads with no request.
  const good = adapter('support', LORA_ADAPTERS.sure.file);
  const record = withAdapters(good);
  await openChat(remote, record, { ...GREEDY, adapter: 'support' });
  await ready(remote);
  const before = [await modelRequests(record.path), await modelRequests(good.path)];
  await openChat(remote, record, { ...GREEDY, adapter: 'support' });
  await ready(remote);
  expect(await send(remote, 'Hi')).toBe(LORA_ADAPTERS.sure.answer);
  expect([await modelRequests(record.path), await modelRequests(good.path)]).toEqual(before);
});
