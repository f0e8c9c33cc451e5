// Keeps the README's "Benchmarks" section showing the latest table.
import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** Puts `markdown` between the README's bench markers; false when the markers are missing. */
export function updateReadme(readmePath: string, markdown: string): boolean {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${markdown}${readme.slice(end)}`);
  return true;
}
