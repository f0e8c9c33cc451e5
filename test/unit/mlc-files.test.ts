import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ModelRecord } from '../../protocol/types.js';
import {
  checkModelLibrary,
  checkTensorCache,
  contentFiles,
  configFile,
  hexToSri,
  modelBaseUrl,
  parseChatConfig,
  tensorCacheFile,
  tokenizerFile,
  webLlmCachesLibrary,
  webLlmIntegrity,
} from '../../worker/engines/web-llm/mlc-files.js';
import { fakeModelLibrary, mlcModelFiles } from '../fixtures/mlc-model.js';

const hf = 'https://huggingface.co/mlc-ai/Llama-3.1-8B-Instruct-q4f16_1-MLC';
const lib =
  'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Llama-3_1-8B-Instruct-q4f16_1_cs1k-webgpu.wasm';
const record: ModelRecord = { id: 'llama', engine: 'web-llm', url: hf, modelLib: lib };
const buffer = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

test('the folder URL is the one web-llm asks for: /resolve/main/ added unless a revision is named', () => {
  assert.equal(modelBaseUrl(hf), `${hf}/resolve/main/`);
  assert.equal(modelBaseUrl(`${hf}/`), `${hf}/resolve/main/`);
  assert.equal(modelBaseUrl(`${hf}/resolve/v2/`), `${hf}/resolve/v2/`);
  assert.equal(configFile(record).url, `${hf}/resolve/main/mlc-chat-config.json`);
  assert.equal(tensorCacheFile(record).url, `${hf}/resolve/main/tensor-cache.json`);
});

test('each file goes where web-llm 0.2.86 reads it, in the form it reads it', () => {
  assert.deepEqual(
    [configFile(record), tensorCacheFile(record)].map((f) => [f.database, f.form]),
    [
      ['webllm/config', 'arraybuffer'], // it decodes and parses the bytes itself
      ['webllm/model', 'json'], // fetchWithCache(url, 'json')
    ],
  );
  const fixture = mlcModelFiles();
  const config = parseChatConfig(record, buffer(fixture.files['mlc-chat-config.json']!.toString()));
  const tensorCache = checkTensorCache(record, JSON.parse(fixture.files['tensor-cache.json']!.toString()));
  const files = contentFiles(record, config, tensorCache);
  // The tokenizer web-llm reads (tokenizer_config.json is listed too, but never read), the
  // library under its URL exactly as given, then every shard with its declared size.
  assert.deepEqual(
    files.map((f) => [f.name, f.database, f.url === lib || f.url.startsWith(`${hf}/resolve/main/`), f.bytes]),
    [
      ['tokenizer.json', 'webllm/model', true, undefined],
      ['Llama-3_1-8B-Instruct-q4f16_1_cs1k-webgpu.wasm', 'webllm/wasm', true, undefined],
      ...fixture.shards.map((name) => [name, 'webllm/model', true, fixture.files[name]!.length]),
    ],
  );
  assert.equal(files[1]!.url, lib);
});

test('tokenizer: tokenizer.json when listed, else tokenizer.model, else none', () => {
  assert.equal(tokenizerFile({ tokenizer_files: ['tokenizer.model', 'tokenizer.json'] }), 'tokenizer.json');
  assert.equal(tokenizerFile({ tokenizer_files: ['tokenizer.model', 'tokenizer_config.json'] }), 'tokenizer.model');
  assert.equal(tokenizerFile({ tokenizer_files: 'tokenizer.json' }), undefined);
  assert.equal(tokenizerFile({}), undefined);
});

test('a library web-llm fetches itself every time (localhost, relative) is not downloaded ahead', () => {
  assert.equal(webLlmCachesLibrary(lib), true);
  assert.equal(webLlmCachesLibrary('http://127.0.0.1:4173/mlc/lib.wasm'), true);
  assert.equal(webLlmCachesLibrary('http://localhost:4173/mlc/lib.wasm'), false);
  assert.equal(webLlmCachesLibrary('/mlc/lib.wasm'), false);
  const local = contentFiles({ ...record, modelLib: 'http://localhost:1/lib.wasm' }, {}, { records: [] });
  assert.deepEqual(local, []);
});

test('broken listings are refused with integrity, before anything is downloaded from them', () => {
  assert.throws(() => parseChatConfig(record, buffer('<html>')), { code: 'integrity' });
  assert.throws(() => parseChatConfig(record, buffer('[1]')), { code: 'integrity' });
  for (const bad of [
    null,
    {},
    { records: [{ dataPath: 'a.bin' }] },
    { records: [{ dataPath: '', nbytes: 1 }] },
    { records: [{ dataPath: 'a', nbytes: -1 }] },
  ]) {
    assert.throws(() => checkTensorCache(record, bad), { code: 'integrity' }, JSON.stringify(bad));
  }
});

test("the record's hashes: per file for our check, as SRI in web-llm's own integrity option", () => {
  const digest = (text: string) => createHash('sha256').update(text);
  const hex = digest('config').digest('hex');
  assert.equal(hexToSri(hex), `sha256-${digest('config').digest('base64')}`);
  const hashed: ModelRecord = {
    ...record,
    sha256: {
      'mlc-chat-config.json': hex,
      'tokenizer.json': hex,
      'Llama-3_1-8B-Instruct-q4f16_1_cs1k-webgpu.wasm': hex,
      'params_shard_0.bin': hex.toUpperCase(),
    },
  };
  assert.deepEqual(webLlmIntegrity(hashed), {
    config: hexToSri(hex),
    model_lib: hexToSri(hex),
    tokenizer: { 'tokenizer.json': hexToSri(hex) },
  });
  assert.equal(webLlmIntegrity(record), undefined);
  assert.equal(webLlmIntegrity({ ...record, sha256: hex }), undefined); // a one-file hash names no file here
  const files = contentFiles(hashed, { tokenizer_files: ['tokenizer.json'] }, { records: [{ dataPath: 'params_shard_0.bin', nbytes: 5 }] });
  assert.deepEqual(
    files.map((f) => f.sha256),
    [hex, hex, hex],
  );
  assert.equal(configFile(hashed).sha256, hex);
  assert.equal(tensorCacheFile(hashed).sha256, undefined);
});

test('a model library is checked as soon as it arrives: WebAssembly with the runtime exports web-llm checks first', async () => {
  await checkModelLibrary(record, new Uint8Array(fakeModelLibrary()).buffer); // shaped like one: accepted here, fails in web-llm
  await assert.rejects(checkModelLibrary(record, buffer('{"not": "wasm"}')), { code: 'integrity', message: /is not WebAssembly/ });
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]).buffer;
  await assert.rejects(checkModelLibrary(record, empty), { code: 'integrity', message: /lacks TVMWasmAllocSpace and TVMWasmFreeSpace/ });
});
