import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageMeter } from '../../worker/engines/wllama/usage-meter.js';

test('time to first token and decode speed come from the token times', () => {
  let now = 1000;
  const meter = new UsageMeter(() => now);
  now = 1250;
  meter.token();
  for (let i = 0; i < 10; i++) {
    now += 10;
    meter.token();
  }
  const usage = meter.usage();
  assert.equal(usage.completion_tokens, 11);
  assert.equal(usage.extra.time_to_first_token_s, 0.25);
  assert.equal(Math.round(usage.extra.decode_tokens_per_s), 100);
  assert.equal(usage.extra.e2e_latency_s, 0.35);
});

test("the engine's own token counts win over counted chunks", () => {
  const meter = new UsageMeter(() => 0);
  meter.token();
  meter.timings(12, 3);
  const usage = meter.usage();
  assert.deepEqual([usage.prompt_tokens, usage.completion_tokens, usage.total_tokens], [12, 3, 15]);
  assert.equal(usage.extra.decode_tokens_per_s, 0); // one token: no decode interval to measure
});
