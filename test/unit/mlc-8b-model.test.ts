// The MLC folder of the 8B's size (test/fixtures/mlc-8b-model.ts): the 8B's tensors packed as
// MLC's converter packs them (108 shards, 4.52 GB), and a small variant written to disk that our
// web-llm download code reads as it reads any MLC folder.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ModelRecord } from '../../protocol/types.js';
import { checkTensorCache, contentFiles, parseChatConfig } from '../../worker/engines/web-llm/mlc-files.js';
import { mlc8bShards, writeMlc8bModel, type Mlc8bOptions } from '../fixtures/mlc-8b-model.js';

const dir = await mkdtemp(join(tmpdir(), 'mlc-8b-'));
after(() => rm(dir, { recursive: true, force: true }));

const CAP = 32 << 20;

test("the 8B's folder: 108 shards of 4.52 GB, its tensors under their MLC names, packed in order", () => {
  const shards = mlc8bShards();
  assert.equal(shards.length, 108);
  assert.equal(
    shards.reduce((sum, s) => sum + s.nbytes, 0),
    4_517_404_672,
  );
  const records = shards.flatMap((s) => s.records);
  assert.equal(records.length, 2 + 32 * 10 + 1 + 2);
  const byName = new Map(records.map((r) => [r.name, r]));
  assert.deepEqual(records[0], {
    name: 'model.embed_tokens.q_weight',
    shape: [128256, 512],
    dtype: 'uint32',
    format: 'raw',
    nbytes: 262668288,
    byteOffset: 0,
  });
  assert.deepEqual(byName.get('lm_head.q_scale')?.shape, [128256, 128]);
  assert.deepEqual(byName.get('model.layers.31.self_attn.qkv_proj.q_weight')?.shape, [6144, 512]);
  assert.deepEqual(byName.get('model.layers.31.mlp.gate_up_proj.q_weight')?.shape, [28672, 512]);
  assert.deepEqual(byName.get('model.layers.31.mlp.down_proj.q_scale')?.shape, [4096, 448]);
  for (const [i, shard] of shards.entries()) {
    assert.equal(shard.dataPath, `params_shard_${i}.bin`);
    let offset = 0;
    for (const record of shard.records) {
      assert.equal(record.byteOffset, offset, `${record.name} follows the record before it`);
      offset += record.nbytes;
    }
    assert.equal(shard.nbytes, offset);
    // Over the cap only as a shard of its own (the embedding, lm_head, the FFN's gate_up weights).
    assert.ok(shard.nbytes < CAP || shard.records.length === 1, shard.dataPath);
  }
});

test('a small variant on disk: every shard its declared size, md5 as listed, read as web-llm folders are', async () => {
  const options: Mlc8bOptions = {
    layers: 2,
    hiddenSize: 128,
    intermediateSize: 256,
    vocabSize: 512,
    headCount: 4,
    kvHeadCount: 2,
    shardCap: 64 << 10,
  };
  const { shards, totalBytes } = await writeMlc8bModel(join(dir, 'a'), { ...options, md5: true });
  await writeMlc8bModel(join(dir, 'b'), options);
  const main = (folder: string) => join(dir, folder, 'resolve/main');
  const listing = JSON.parse(readFileSync(join(main('a'), 'tensor-cache.json'), 'utf8')) as { records: typeof shards };
  assert.deepEqual(listing.records, shards);
  assert.ok(shards.length > 3);

  let onDisk = 0;
  for (const name of readdirSync(main('a'))) onDisk += readFileSync(join(main('a'), name)).length;
  assert.equal(onDisk, totalBytes);
  const bytes = (folder: string, name: string) => readFileSync(join(main(folder), name));
  for (const shard of shards) {
    const data = bytes('a', shard.dataPath);
    assert.equal(data.length, shard.nbytes);
    assert.equal(createHash('md5').update(data).digest('hex'), shard.md5sum);
    assert.ok(bytes('b', shard.dataPath).equals(data), 'the same seed makes the same bytes');
  }
  assert.ok(!bytes('a', shards[0]!.dataPath).subarray(0, 4096).equals(bytes('a', shards[1]!.dataPath).subarray(0, 4096)), 'shards differ');

  const tokenizer = JSON.parse(bytes('a', 'tokenizer.json').toString()) as { added_tokens: { id: number; content: string }[] };
  assert.equal(tokenizer.added_tokens.find((t) => t.id === 128008)?.content, '<|eom_id|>');

  const record: ModelRecord = {
    id: 'mlc-8b',
    engine: 'web-llm',
    url: 'http://localhost:1/mlc/8b',
    modelLib: 'https://cdn.example/lib.wasm',
  };
  const config = parseChatConfig(record, new Uint8Array(bytes('a', 'mlc-chat-config.json')).buffer);
  const files = contentFiles(record, config, checkTensorCache(record, listing));
  assert.deepEqual(
    files.filter((f) => f.name.startsWith('params_')).map((f) => [f.name, f.bytes]),
    shards.map((s) => [s.dataPath, s.nbytes]),
  );
});
