import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LlamaChatError } from '../../protocol/errors.js';
import { toEngineError } from '../../worker/engines/errors.js';

// What engines and browsers really throw when the GPU goes away (WebGPU's GPUDevice.lost
// reasons, web-llm's typed error, Dawn's and drivers' texts); each must become device-lost.
const DEVICE_LOST: unknown[] = [
  Object.assign(new Error('Device was lost. This can happen due to insufficient memory or other GPU constraints.'), {
    name: 'DeviceLostError',
  }),
  new Error('WebGPU device lost: destroyed'),
  new Error('GPUDevice was lost: The device was lost'),
  new Error('Dawn: DXGI_ERROR_DEVICE_REMOVED'),
  new Error('vkQueueSubmit failed with VK_ERROR_DEVICE_LOST'),
  'device lost',
];

test('every lost-GPU failure becomes device-lost with a reload action, while loading or answering', () => {
  for (const stage of ['load', 'chat'] as const) {
    for (const thrown of DEVICE_LOST) {
      const error = toEngineError(thrown, stage, 'm');
      assert.equal(error.code, 'device-lost', String(thrown));
      assert.match(error.message, /Reload the model/);
    }
  }
});

test('memory, context and unknown failures keep their own codes', () => {
  assert.equal(toEngineError(new Error('failed to allocate buffer of 5 GB'), 'load', 'm').code, 'insufficient-memory');
  assert.equal(
    toEngineError(Object.assign(new Error('KV cache is full'), { type: 'kv_cache_full' }), 'chat', 'm').code,
    'context-overflow',
  );
  assert.equal(toEngineError(new Error('the prompt exceeds the context window (600 > 512)'), 'chat', 'm').code, 'context-overflow');
  assert.equal(toEngineError(new Error('invalid magic characters'), 'load', 'm').code, 'integrity');
  assert.equal(toEngineError(new Error('something odd'), 'load', 'm').code, 'bad-input');
  assert.match(toEngineError(new Error('something odd'), 'load', 'm').message, /passed its checks and was kept/);
  assert.equal(toEngineError(new Error('something odd'), 'chat', 'm').code, 'bad-input');
});

test("a load that llama.cpp could not allocate is insufficient-memory from its log, whatever wllama's error says", () => {
  const log = [
    'ggml_aligned_malloc: insufficient memory (attempted to allocate 4308.64 MB)',
    'llama_model_load: error loading model: unable to allocate CPU buffer',
  ];
  const error = toEngineError(new Error('llama.cpp could not read the model'), 'load', 'big', log);
  assert.equal(error.code, 'insufficient-memory');
  assert.match(error.message, /attempted to allocate 4308\.64 MB.*Its file was kept.*4 GiB/);
  // The same words in an answer's log: only an abort consults it there.
  assert.equal(toEngineError(new Error('something odd'), 'chat', 'big', log).code, 'bad-input');
});

test('an error that already has a code passes through unchanged', () => {
  const own = new LlamaChatError('network', 'x');
  assert.equal(toEngineError(own, 'load', 'm'), own);
});

test('a bare wasm abort takes its reason from the engine log: a lost device logged before it is device-lost', () => {
  const abort = Object.assign(new Error('(ABORT) '), { name: 'WllamaRuntimeError' });
  const log = [
    'llama_context: n_ctx_per_seq (512) < n_ctx_train',
    'ggml_webgpu: Device lost! Reason: 2, Message: A valid external Instance reference no longer exists.',
  ];
  const lost = toEngineError(abort, 'chat', 'm', log);
  assert.equal(lost.code, 'device-lost');
  assert.match(lost.message, /Device lost! Reason: 2/);
  // Without such a line, the abort keeps its own code, with the last logged line as its reason.
  const other = toEngineError(abort, 'chat', 'm', ['GGML_ASSERT(n_tokens > 0) failed']);
  assert.equal(other.code, 'bad-input');
  assert.match(other.message, /GGML_ASSERT/);
  // A failure that is not an abort never borrows old log lines.
  assert.equal(toEngineError(new Error('something odd'), 'chat', 'm', log).code, 'bad-input');
});

test('a worker llama.cpp could not start is not blamed on the file', () => {
  const error = toEngineError(
    new TypeError("Failed to construct 'Worker': This document requires 'TrustedScriptURL' assignment."),
    'load',
    'm',
  );
  assert.equal(error.code, 'worker-crashed');
  assert.match(error.message, /could not start its worker/);
});
