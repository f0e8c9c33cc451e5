// The main thread's layout as CONTRIBUTING.md draws it is the tree, and the import rules that
// ESLint enforces (PAGE_GROUPS) are the ones it writes down.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const eslintConfig = '../../eslint.config.js'; // plain JavaScript: typed here, where it is read
const { PAGE_GROUPS } = (await import(eslintConfig)) as { PAGE_GROUPS: Record<string, string[]> };

const folders = readdirSync('src', { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const contributing = readFileSync('CONTRIBUTING.md', 'utf8');

test("every folder of src/ is one of ESLint's page groups, and each group is a folder", () => {
  assert.deepEqual(folders, Object.keys(PAGE_GROUPS).sort());
});

test('every folder of src/ opens with a README.md and is drawn in CONTRIBUTING.md', () => {
  for (const folder of folders) {
    assert.ok(existsSync(`src/${folder}/README.md`), `src/${folder}/README.md`);
    assert.match(contributing, new RegExp(`^  ${folder}/ `, 'm'), `CONTRIBUTING.md's tree lacks src/${folder}/`);
  }
});

test("CONTRIBUTING.md's import table says what ESLint enforces", () => {
  const table = new Map<string, string[]>();
  for (const [, who, what] of contributing.matchAll(/^\| (`[\w-]+\/`(?:, `[\w-]+\/`)*) \| (.+) \|$/gm)) {
    const allowed = [...what!.matchAll(/`([\w-]+)\/`/g)].map((m) => m[1]!).filter((name) => name !== 'worker');
    for (const [, folder] of who!.matchAll(/`([\w-]+)\/`/g)) table.set(folder!, allowed.sort());
  }
  const enforced = Object.fromEntries(Object.entries(PAGE_GROUPS).map(([group, allowed]) => [group, [...allowed].sort()]));
  assert.deepEqual(Object.fromEntries(table), enforced);
});
