// A block of README.md that a script writes from what it measured, between two markers:
// `--check` fails (exit 1, `message`) when the README no longer says it; otherwise it is rewritten.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeReadmeBlock(start, end, content, message) {
  const readme = readFileSync('README.md', 'utf8');
  const [before, rest] = readme.split(start);
  if (rest === undefined || !rest.includes(end)) throw new Error(`README.md has no ${start} … ${end} block`);
  const updated = `${before}${start}\n${content}\n${end}${rest.slice(rest.indexOf(end) + end.length)}`;
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error(message);
      process.exit(1);
    }
  } else {
    writeFileSync('README.md', updated);
    console.log(content);
  }
}
