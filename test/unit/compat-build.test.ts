// Safari's llama.cpp (wllama's compat build) reads no file past 2 GiB: such a model is refused
// before its download, wherever its layers would run; and a load there waits longer for its worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMPAT_FILE_BYTES } from '../../protocol/cpu-build.js';
import { compatFileProblem } from '../../protocol/memory-limits.js';
import { cpuPathProblem } from '../../src/models/cpu-path.js';
import { loadPatienceMs, STUCK_AFTER_MS, STUCK_PER_GB_MS } from '../../src/client/heartbeat.js';
import type { ModelRecord } from '../../protocol/types.js';

const record: ModelRecord = { id: 'big', engine: 'wllama', url: '/big.gguf', label: 'Big model' };

test('a GGUF past 2 GiB is refused in the compat build only, with insufficient-memory and the way forward', () => {
  const over = COMPAT_FILE_BYTES + 1;
  for (const shaderF16 of [false, true]) {
    const problem = cpuPathProblem(record, { shaderF16, compatBuild: true }, over);
    assert.equal(problem?.code, 'insufficient-memory');
    assert.match(
      problem!.message,
      /Big model \(2\.15 GB\) is too large for this browser.*Nothing was downloaded.*Llama 3\.2 1B.*Chrome, Edge or Firefox/,
    );
  }
  assert.equal(cpuPathProblem(record, { shaderF16: false, compatBuild: false }, over), undefined, 'the default build reads it');
  assert.equal(cpuPathProblem(record, { shaderF16: false, compatBuild: true }, COMPAT_FILE_BYTES), undefined, '2 GiB − 1 is read');
  assert.match(compatFileProblem(record, 2.56e9, true)!.message, /The stored file was kept/);
});

test("a load's patience with its worker grows with the model, twice as fast in the compat build", () => {
  assert.equal(loadPatienceMs(undefined, false), STUCK_AFTER_MS);
  assert.equal(loadPatienceMs(1e9, false), STUCK_AFTER_MS + STUCK_PER_GB_MS);
  assert.equal(loadPatienceMs(2e9, true), STUCK_AFTER_MS + 2 * 2 * STUCK_PER_GB_MS);
});
