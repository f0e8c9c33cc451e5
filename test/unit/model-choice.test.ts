import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_MODELS } from '../../src/models/catalog.js';
import type { DeviceProfile } from '../../protocol/device-probe.js';
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
  },
  'desktop without f16': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: false,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: 16,
  },
  'phone with 4 GB': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: 128 * 1024 ** 2,
    deviceMemoryGB: 4,
  },
  'phone with 2 GB': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: 128 * 1024 ** 2,
    deviceMemoryGB: 2,
  },
  'laptop with small bindings': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 2 * GB,
    maxStorageBufferBindingSize: 512 * 1024 ** 2,
    deviceMemoryGB: 16,
  },
  'no WebGPU': {
    webgpu: false,
    fallbackAdapter: false,
    shaderF16: false,
    maxBufferSize: 0,
    maxStorageBufferBindingSize: 0,
    deviceMemoryGB: 8,
  },
  'software GPU (SwiftShader)': {
    webgpu: true,
    fallbackAdapter: true,
    shaderF16: false,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: 16,
  },
  'Safari (memory unknown)': {
    webgpu: true,
    fallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: GB,
    maxStorageBufferBindingSize: GB,
    deviceMemoryGB: undefined,
  },
};
const record = (id: string) => BUILT_IN_MODELS.find((m) => m.id === id)!;

const defaults: Array<[string, string, boolean]> = [
  ['desktop with f16', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', false],
  ['desktop without f16', 'Llama-3.1-8B-Instruct-q4f32_1-MLC', false],
  ['phone with 4 GB', 'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k', false],
  ['phone with 2 GB', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['laptop with small bindings', 'Llama-3.1-8B-Instruct-q4f16_1-MLC-1k', false],
  ['no WebGPU', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['software GPU (SwiftShader)', 'Llama-3.2-1B-Instruct-Q4_K_M-GGUF', true],
  ['Safari (memory unknown)', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', false],
];
for (const [profile, expected, announced] of defaults) {
  test(`default on ${profile}: ${expected}`, () => {
    const choice = chooseModel(profiles[profile]!);
    assert.equal(choice.record.id, expected);
    assert.equal(choice.notice !== undefined, announced);
  });
}

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

test('a pinned 8B model on a 4 GB phone is insufficient-memory with the numbers', () => {
  rejects('phone with 4 GB', 'Llama-3.1-8B-Instruct-q4f16_1-MLC', 'insufficient-memory', /4\.9 GB .* reports 4 GB/);
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
