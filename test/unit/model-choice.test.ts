import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_MODELS } from '../../src/models/catalog.js';
import { isHandheld, type DeviceProfile } from '../../protocol/device-probe.js';
import { LlamaChatError } from '../../protocol/errors.js';
import { chooseModel } from '../../src/models/model-choice.js';

const GB = 1024 ** 3;
const profiles: Record<string, DeviceProfile> = {
  'desktop with f16': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 4 * GB,
    maxStorageBufferBindingSize: 2 * GB,
    deviceMemoryGB: 16,
    handheld: false,
  },
  'desktop without f16': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: false,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: 16,
    handheld: false,
  },
  'small laptop with 4 GB': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: 128 * 1024 ** 2,
    deviceMemoryGB: 4,
    handheld: false,
  },
  'old laptop with 2 GB': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: 128 * 1024 ** 2,
    deviceMemoryGB: 2,
    handheld: false,
  },
  'laptop with small bindings': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 2 * GB,
    maxStorageBufferBindingSize: 512 * 1024 ** 2,
    deviceMemoryGB: 16,
    handheld: false,
  },
  'no WebGPU': {
    webgpu: false,
    fallbackAdapter: false,
    shaderF16: false,
    maxBufferSize: 0,
    maxStorageBufferBindingSize: 0,
    deviceMemoryGB: 8,
    handheld: false,
  },
  'software GPU (SwiftShader)': {
    webgpu: true,
    fallbackAdapter: true,
    shaderF16: false,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: 16,
    handheld: false,
  },
  'Safari on a Mac (memory unknown)': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: undefined,
    handheld: false,
  },
  'iPhone (memory unknown)': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: undefined,
    handheld: true,
  },
  'Android tablet with 8 GB': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 2 * GB,
    maxStorageBufferBindingSize: 2 * GB,
    deviceMemoryGB: 8,
    handheld: true,
  },
};
const record = (id: string) => BUILT_IN_MODELS.find((m) => m.id === id)!;

const defaults: Array<[string, string, boolean]> = [
  ['desktop with f16', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', false],
  ['desktop without f16', 'Llama-3.1-8B-Instruct-q4f32_1-MLC', false],
  ['small laptop with 4 GB', 'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k', false],
  ['old laptop with 2 GB', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['laptop with small bindings', 'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k', false],
  ['no WebGPU', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['software GPU (SwiftShader)', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['Safari on a Mac (memory unknown)', 'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k', true],
  ['iPhone (memory unknown)', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['Android tablet with 8 GB', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
];
for (const [profile, expected, announced] of defaults) {
  test(`default on ${profile}: ${expected}`, () => {
    const choice = chooseModel(profiles[profile]!);
    assert.equal(choice.record.id, expected);
    assert.equal(choice.notice !== undefined, announced);
  });
}

test('where memory is not told, the choice says why and offers the larger model; a phone or tablet never gets the 8B by default', () => {
  const mac = chooseModel(profiles['Safari on a Mac (memory unknown)']!);
  assert.match(mac.notice ?? '', /does not say how much memory/);
  assert.equal(mac.larger?.id, 'Llama-3.1-8B-Instruct-q4f16_1-MLC');
  for (const handheld of ['iPhone (memory unknown)', 'Android tablet with 8 GB']) {
    const choice = chooseModel(profiles[handheld]!);
    assert.equal(choice.record.engine, 'wllama', handheld);
    assert.match(choice.notice ?? '', /phone or tablet/);
    assert.equal(choice.larger?.engine, 'web-llm', handheld);
  }
  assert.equal(chooseModel(profiles['desktop with f16']!).larger, undefined); // nothing was guessed
});

test('phones and tablets are told apart by what the browser says of itself', () => {
  const is = (userAgent: string, more: { maxTouchPoints?: number; userAgentData?: { mobile: boolean } } = {}) =>
    isHandheld({ userAgent, ...more });
  assert.equal(
    is('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1'),
    true,
  );
  assert.equal(
    is('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15', { maxTouchPoints: 5 }),
    true,
  );
  assert.equal(
    is('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/18.0 Safari/605.1.15', { maxTouchPoints: 0 }),
    false,
  );
  assert.equal(is('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/148.0 Mobile Safari/537.36'), true);
  assert.equal(
    is('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/148.0 Safari/537.36', { userAgentData: { mobile: true } }),
    true,
  );
  assert.equal(is('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0'), false);
});

test('the CPU fallback says why in words a visitor understands', () => {
  assert.equal(chooseModel(profiles['no WebGPU']!).notice, 'This device has no WebGPU; using a smaller model on the CPU.');
});

const rejects = (profile: string, id: string, code: string, pattern: RegExp) =>
  assert.throws(
    () => chooseModel(profiles[profile]!, record(id)),
    (error: unknown) => error instanceof LlamaChatError && error.code === code && pattern.test(error.message),
  );

test('a pinned 8B model without WebGPU is webgpu-unavailable, never a silent swap', () => {
  rejects('no WebGPU', 'Llama-3.1-8B-Instruct-q4f32_1-MLC', 'webgpu-unavailable', /needs WebGPU/);
});

test('a pinned q4f16 build on a GPU without shader-f16 names the f32 build to use', () => {
  rejects('desktop without f16', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', 'webgpu-unavailable', /Llama-3\.1-8B-Instruct-q4f32_1-MLC instead/);
});

test('a pinned 8B model on a 4 GB laptop is insufficient-memory with the numbers', () => {
  rejects('small laptop with 4 GB', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', 'insufficient-memory', /4\.9 GB .* reports 4 GB/);
});

test('pinned models that fit are kept as they are', () => {
  const pinned = record('Llama-3.1-8B-Instruct-q4f32_1-MLC');
  assert.equal(chooseModel(profiles['desktop without f16']!, pinned).record, pinned);
  const gguf = record('Llama-3.2-1B-Instruct-Q4_K_M-GGUF');
  assert.equal(chooseModel(profiles['no WebGPU']!, gguf).record, gguf);
});

test('every built-in record says its download size and web-llm records their GPU memory', () => {
  for (const m of BUILT_IN_MODELS) {
    assert.ok((m.sizeBytes ?? 0) > 100_000_000, m.id);
    if (m.engine === 'web-llm') assert.ok(m.vramMB && m.modelLib, m.id);
  }
});

test('a page that pins the 8B model on a software GPU gets it, told that it will be slow', () => {
  const choice = chooseModel(profiles['software GPU (SwiftShader)']!, record('Llama-3.1-8B-Instruct-q4f32_1-MLC'));
  assert.equal(choice.record.id, 'Llama-3.1-8B-Instruct-q4f32_1-MLC');
  assert.match(choice.notice ?? '', /software renderer.*slowly/);
});
