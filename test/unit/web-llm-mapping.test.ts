import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelRecord } from '../../protocol/types.js';
import { mapWebLlmError } from '../../worker/engines/web-llm/errors.js';
import { mapWebLlmProgress } from '../../worker/engines/web-llm/progress.js';

test("web-llm's progress texts after our download become load and compile phases", () => {
  // The texts as web-llm 0.2.86 writes them. Every file is in its cache by then (our downloader
  // put it there), so even its "Fetching" reads from the cache: loading, never a second download.
  assert.deepEqual(mapWebLlmProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' }), {
    phase: 'load',
    loaded: 0,
    total: 0,
    text: 'Loading the model onto the GPU',
  });
  const fetching = mapWebLlmProgress({
    progress: 0.25,
    timeElapsed: 12,
    text: 'Fetching param cache[27/108]: 1130MB fetched. 25% completed, 12 secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
  });
  assert.equal(fetching.phase, 'load');
  const loading = mapWebLlmProgress({
    progress: 1,
    timeElapsed: 3,
    text: 'Loading model from cache[108/108]: 4311MB loaded. 100% completed, 3 secs elapsed.',
  });
  assert.deepEqual(loading, { phase: 'load', loaded: 108, total: 108, text: 'Loading the model onto the GPU' });
  const shaders = mapWebLlmProgress({
    progress: 0.5,
    timeElapsed: 5,
    text: 'Loading GPU shader modules[41/82]: 50% completed, 5 secs elapsed.',
  });
  assert.deepEqual(shaders, { phase: 'compile', loaded: 41, total: 82, text: 'Preparing the GPU' });
  assert.equal(mapWebLlmProgress({ progress: 1, timeElapsed: 9, text: 'Finish loading on WebGPU - nvidia' }).phase, 'compile');
});

const record: ModelRecord = {
  id: 'Llama-3.1-8B-Instruct-q4f16_1-MLC',
  engine: 'web-llm',
  url: 'https://example.test/m',
  modelLib: 'https://example.test/lib.wasm',
};
const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

test("web-llm's named errors map to our codes", () => {
  const cases: Array<[Error, string]> = [
    [named('WebGPUNotAvailableError'), 'webgpu-unavailable'],
    [named('ShaderF16SupportError'), 'webgpu-unavailable'],
    [named('DeviceLostError'), 'device-lost'],
    [named('ContextWindowSizeExceededError'), 'context-overflow'],
    [named('QuotaExceededError'), 'quota-exceeded'],
  ];
  for (const [error, code] of cases) assert.equal(mapWebLlmError(error, record).code, code, error.name);
});

test('plain sentences map by what they say', () => {
  const network = mapWebLlmError(
    new Error('Failed to store https://x/resolve/main/params_shard_3.bin with error: Error: Network response was not ok'),
    record,
  );
  assert.equal(network.code, 'network');
  assert.match(network.message, /try again/i);
  assert.equal(mapWebLlmError(new TypeError('Failed to fetch'), record).code, 'network');
  assert.equal(mapWebLlmError(new Error('Out of memory while allocating buffer'), record).code, 'insufficient-memory');
  assert.equal(mapWebLlmError(new WebAssembly.CompileError('bad magic'), record).code, 'integrity');
});

test("web-llm's device loss, memory and context errors read like the other engine's", () => {
  assert.equal(mapWebLlmError(named('DeviceLostError', 'The WebGPU device was lost while loading the model.'), record).code, 'device-lost');
  assert.equal(
    mapWebLlmError(
      new Error('Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096'),
      record,
      'chat',
    ).code,
    'context-overflow',
  );
  assert.equal(mapWebLlmError(new Error('something odd'), record, 'chat').code, 'bad-input');
  assert.match(mapWebLlmError(new Error('something odd'), record).message, /could not be loaded/);
});

test("JSON output reaches web-llm as its own response_format, which web-llm's request check accepts", async () => {
  const { postInitAndCheckFieldsChatCompletion, ModelType } = await import('@mlc-ai/web-llm');
  const { toWebLlmRequest } = await import('../../worker/engines/web-llm/request.js');
  const schema = { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['n'] };
  const messages = [{ role: 'user' as const, content: 'Pick' }];
  const mapped = toWebLlmRequest({ messages, max_tokens: 9, response_format: { type: 'json_schema', json_schema: { name: 'n', schema } } });
  assert.deepEqual(mapped.response_format, { type: 'json_object', schema: JSON.stringify(schema) });
  assert.equal(mapped.max_tokens, 9);
  postInitAndCheckFieldsChatCompletion(mapped, record.id, ModelType.LLM); // throws on anything web-llm refuses
  assert.deepEqual(toWebLlmRequest({ messages, response_format: { type: 'json_object' } }).response_format, { type: 'json_object' });
  assert.equal('response_format' in toWebLlmRequest({ messages }), false);
  // Why tools are planned as a schema rather than passed on: web-llm refuses them for this model.
  assert.throws(
    () =>
      postInitAndCheckFieldsChatCompletion({ messages, tools: [{ type: 'function', function: { name: 'f' } }] }, record.id, ModelType.LLM),
    /not supported for ChatCompletionRequest.tools/,
  );
});
