import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_MODELS, DEFAULT_MODEL_ID, resolveModel } from '../../src/models/catalog.js';
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';

test('the default model is in the built-in catalog', () => {
  assert.equal(resolveModel(DEFAULT_MODEL_ID).id, DEFAULT_MODEL_ID);
  assert.ok(BUILT_IN_MODELS.length > 0);
});

test("a page's own record wins over a built-in one with the same id", () => {
  const own = { id: DEFAULT_MODEL_ID, engine: 'wllama' as const, url: 'http://localhost/m.gguf' };
  assert.equal(resolveModel(DEFAULT_MODEL_ID, [own]), own);
});

test('an unknown id is bad-input that names the id and the known ones', () => {
  assert.throws(
    () => resolveModel('nope', [{ id: 'mine', engine: 'wllama', url: 'u' }]),
    (error: unknown) =>
      error instanceof LlamaChatError && error.code === 'bad-input' && /"nope"/.test(error.message) && /mine/.test(error.message),
  );
});

test('errors from the wire keep their code; anything else gets the fallback', () => {
  assert.equal(toLlamaChatError({ code: 'network', message: 'down' }).code, 'network');
  assert.equal(toLlamaChatError({ code: 'not-a-code', message: 'x' }, 'integrity').code, 'integrity');
  assert.equal(toLlamaChatError(new Error('plain')).message, 'plain');
});

test('the built-in GGUF is pinned: a commit, not a branch, and the SHA-256 of its bytes', () => {
  const gguf = BUILT_IN_MODELS.find((m) => m.engine === 'wllama')!;
  assert.match(gguf.url, /\/resolve\/[0-9a-f]{40}\//);
  assert.match(String(gguf.sha256), /^[0-9a-f]{64}$/);
});
