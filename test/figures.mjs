// Adds up the counts the reliability tests wrote (test-results/figures/*.json, one per passing
// test) into test-results/reliability.json, the source of the README's "Reliability and
// privacy" figures. Run by `npm test` after the end-to-end tests; `node test/figures.mjs` alone works too.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const DIR = 'test-results/figures';
/** Distinct things counted by several tests: the largest count, not the sum. */
const DISTINCT = new Set(['xssVectors']);

export function collectFigures() {
  const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [];
  const totals = {};
  const tests = [];
  for (const file of files) {
    const { test, ...counts } = JSON.parse(readFileSync(`${DIR}/${file}`, 'utf8'));
    tests.push(test);
    for (const [key, value] of Object.entries(counts)) {
      totals[key] = DISTINCT.has(key) ? Math.max(totals[key] ?? 0, value) : (totals[key] ?? 0) + value;
    }
  }
  return { generatedAt: new Date().toISOString(), tests: tests.sort(), totals };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const figures = collectFigures();
  writeFileSync('test-results/reliability.json', `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`Reliability figures from ${figures.tests.length} tests: ${JSON.stringify(figures.totals)}`);
}
