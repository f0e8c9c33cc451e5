import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, formatDuration } from '../../src/shared/format.js';
import { ProgressTracker } from '../../src/session/progress-tracker.js';

test('formatBytes uses decimal units with sensible precision', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(1500), '1.5 KB');
  assert.equal(formatBytes(883_104), '883 KB');
  assert.equal(formatBytes(4_900_000_000), '4.9 GB');
  assert.equal(formatBytes(-1), '?');
  assert.equal(formatBytes(Number.NaN), '?');
});

test('formatDuration reads like a person would say it', () => {
  assert.equal(formatDuration(4.4), '4 s');
  assert.equal(formatDuration(75), '1 min 15 s');
  assert.equal(formatDuration(3 * 3600 + 120), '3 h 2 min');
  assert.equal(formatDuration(Infinity), '?');
});

test('ProgressTracker reports bytes, speed and time left for downloads', () => {
  let now = 0;
  const tracker = new ProgressTracker(() => now);
  const first = tracker.update({ phase: 'download', loaded: 0, total: 100_000_000, text: 'Downloading m' });
  assert.equal(first.fraction, 0);
  assert.equal(first.text, 'Downloading m: 0 B of 100 MB');
  now = 2000;
  const later = tracker.update({ phase: 'download', loaded: 20_000_000, total: 100_000_000, text: 'Downloading m' });
  assert.equal(later.fraction, 0.2);
  assert.equal(later.text, 'Downloading m: 20.0 MB of 100 MB · 10.0 MB/s · about 8 s left');
});

test('ProgressTracker restarts its clock per phase and passes other phases through', () => {
  let now = 0;
  const tracker = new ProgressTracker(() => now);
  tracker.update({ phase: 'download', loaded: 10, total: 10, text: 'd' });
  now = 5000;
  const load = tracker.update({ phase: 'load', loaded: 1, total: 4, text: 'Loading' });
  assert.deepEqual(load, { fraction: 0.25, text: 'Loading' });
  const unknown = tracker.update({ phase: 'load', loaded: 1, total: 0, text: 'Loading' });
  assert.equal(unknown.fraction, undefined);
});
