// Beyond the tiny models, in every browser engine: a 235 MB model (2048 wide, 4 layers) loads and
// answers, and a model past what this browser's llama.cpp can read is refused before any byte of
// it is requested: 2 GiB of file in WebKit (wllama's 32-bit compat build, as in Safari), 4 GiB of
// memory elsewhere.
import { expect, test } from './engines.js';
import { waitForFunction } from '../browsers/remote-page.js';
import { modelRequests, openChat, ready, send, tinyModel } from './remote-chat.js';
import { ensureRealSizeModel } from '../fixtures/real-size.js';

/** The 8B's shapes at 2 layers: 844 MB, about the size of Llama 3.2 1B's q4 build (the default on phones and Safari). */
const ONE_B_SIZED_LAYERS = 2;

test('a 235 MB model loads and answers', async ({ remote }) => {
  const record = tinyModel('large-2048x4.gguf');
  await openChat(remote, record, { autoload: '', 'max-tokens': '8' });
  await ready(remote);
  expect((await send(remote, 'Hello')).length).toBeGreaterThan(0);
  expect(await modelRequests(record.path)).toBeGreaterThan(0);
});

test("a model the 1B's size (the 8B's shapes, vocabulary and template; 844 MB) loads, answers, and a second visit requests nothing", async ({
  remote,
}) => {
  test.setTimeout(remote.engine === 'webkit' ? 600_000 : 240_000);
  await ensureRealSizeModel(ONE_B_SIZED_LAYERS);
  const file = `real-size/llama3-8b-${ONE_B_SIZED_LAYERS}l.gguf`;
  const record = { ...tinyModel(file, 256), id: 'one-b-sized' };
  await openChat(remote, record, { autoload: '', 'max-tokens': '4' });
  await ready(remote);
  expect((await send(remote, 'Hi')).length).toBeGreaterThan(0);
  const downloads = await modelRequests(record.path);
  expect(downloads).toBeGreaterThan(0);

  await openChat(remote, record, { autoload: '', 'max-tokens': '4' });
  await ready(remote);
  expect((await send(remote, 'Hi')).length).toBeGreaterThan(0);
  expect(await modelRequests(record.path)).toBe(downloads);
});

test("a model past what this browser's llama.cpp can hold is refused before its download, saying why", async ({ remote }) => {
  const webkit = remote.engine === 'webkit';
  // Past the compat build's 2 GiB files but well within 4 GiB of memory; elsewhere past 4 GiB.
  const base = tinyModel();
  const record = { ...base, id: 'too-large', label: 'Too large', sizeBytes: webkit ? 2_300_000_000 : 4_600_000_000 };
  await openChat(remote, record, { autoload: '' });
  const error = await waitForFunction(remote, () => {
    const recorded = (window as unknown as { recorded: { type: string; detail: { code: string; message: string } }[] }).recorded;
    return recorded.find((e) => e.type === 'llama-chat-error')?.detail;
  });
  expect(error.code).toBe('insufficient-memory');
  expect(error.message).toMatch(
    webkit ? /32-bit build that reads model files of at most 2\.15 GB.*Nothing was downloaded/ : /at most 4\.29 GB.*Nothing was downloaded/,
  );
  expect(await modelRequests(base.path)).toBe(0);
});
