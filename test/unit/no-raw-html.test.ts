// No text reaches the DOM as HTML unless it went through a sanitiser: every HTML sink in the
// library's sources must be in SANITISED below, with the reason it is safe.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const SINKS =
  /\b(innerHTML|outerHTML|insertAdjacentHTML|unsafeHTML|unsafeSVG|unsafeMathML|createContextualFragment|document\.write|srcdoc)\b/;

/** file → why its HTML sink is safe. Add an entry only with a sanitiser in front of the sink. */
const SANITISED: ReadonlyMap<string, string> = new Map();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

test('no HTML sink in protocol/, src/ or worker/ outside the sanitised list', () => {
  const found: string[] = [];
  for (const file of [...sources('protocol'), ...sources('src'), ...sources('worker')]) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (SINKS.test(line) && !SANITISED.has(file)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, []);
});
