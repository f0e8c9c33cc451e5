// `npm test`: builds the library, checks the house rules (npm run lint: Prettier, ESLint,
// types of the tests, lit-analyzer; one check), runs the unit tests (Node) and the end-to-end
// tests (Playwright in Chromium), then prints one line with the totals of all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

/** Debian's Chromium, CHROMIUM_PATH, or (on a root Debian machine without either) installed now. */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH || existsSync('/usr/bin/chromium')) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("Installing Debian's chromium for the end-to-end tests…");
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    if (existsSync('/usr/bin/chromium')) return true;
  }
  console.error('No Chromium found. Install it (Debian: `sudo apt-get install chromium`) or set CHROMIUM_PATH.');
  return false;
}

let passed = 0;
let failed = 0;

if (run('npm', ['run', '--silent', 'build']) !== 0) {
  console.error('The build failed.');
  failed += 1;
} else {
  if (run('node', ['scripts/package-sizes.mjs', '--check']) === 0) passed += 1;
  else failed += 1; // the README quotes sizes the build no longer has
  if (run('npm', ['run', '--silent', 'lint']) === 0) passed += 1;
  else {
    console.error('The house rules failed: `npm run lint` says where (`npm run format` fixes the layout).');
    failed += 1;
  }
  const unitTests = readdirSync('test/unit')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/unit/${f}`);
  run('node', [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    '--test-reporter-destination=test-results/unit.tap',
    ...unitTests,
  ]);
  const tap = existsSync('test-results/unit.tap') ? readFileSync('test-results/unit.tap', 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)`, 'm').exec(tap)?.[1] ?? 0);
  if (count('tests') === 0) failed += 1; // a suite that ran nothing is broken
  passed += count('pass');
  failed += count('fail') + count('cancelled');

  if (!ensureChromium()) {
    failed += 1;
  } else {
    run('npx', ['playwright', 'test']);
    run('node', ['test/figures.mjs']); // test-results/reliability.json, for the README's figures
    const report = existsSync('test-results/e2e.json') ? JSON.parse(readFileSync('test-results/e2e.json', 'utf8')) : undefined;
    if (!report) failed += 1;
    else {
      passed += report.stats.expected;
      // A skipped or flaky end-to-end test is not a pass here.
      failed += report.stats.unexpected + report.stats.flaky + report.stats.skipped;
    }
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
