// `npm test`: builds the library, checks the house rules (npm run lint: Prettier, ESLint,
// types of the tests, lit-analyzer; one check), runs the unit tests (Node) and the end-to-end
// tests (Playwright: everything in Chromium, the core set in Firefox ESR and WebKitGTK too),
// then prints one line with the totals of all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

/** The browsers the end-to-end tests drive, each with the Debian package that brings it. */
const BROWSERS = [
  { name: 'Chromium', path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', packages: ['chromium'] },
  { name: 'Firefox ESR', path: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', packages: ['firefox-esr'] },
  { name: 'WebKitGTK', path: '/usr/bin/WebKitWebDriver', packages: ['webkit2gtk-driver', 'xvfb'] },
];

/** Installs the missing browsers from Debian where that is possible (root, apt-get); returns the ones still missing. */
function ensureBrowsers() {
  const missing = () => BROWSERS.filter((b) => !existsSync(b.path) || (b.name === 'WebKitGTK' && !existsSync('/usr/bin/xvfb-run')));
  const isRoot = process.getuid?.() === 0;
  if (missing().length > 0 && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(
      `Installing Debian's ${missing()
        .map((b) => b.name)
        .join(', ')} for the end-to-end tests…`,
    );
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...missing().flatMap((b) => b.packages)], { DEBIAN_FRONTEND: 'noninteractive' });
  }
  for (const browser of missing()) {
    console.error(
      `${browser.name} not found: install it (Debian: \`sudo apt-get install ${browser.packages.join(' ')}\`) or set its path.`,
    );
  }
  return missing();
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

  const missing = ensureBrowsers();
  failed += missing.length; // an engine nobody tested is not a pass
  if (missing.some((b) => b.name === 'Chromium')) {
    // Chromium runs everything; without it there is nothing to run.
  } else {
    const skipped = missing.map((b) => ({ 'Firefox ESR': 'gecko', WebKitGTK: 'webkit' })[b.name]);
    const projects = ['webgpu', 'no-webgpu', 'gecko', 'webkit'].filter((p) => !skipped.includes(p));
    run('npx', ['playwright', 'test', ...(skipped.length > 0 ? projects.map((p) => `--project=${p}`) : [])]);
    run('node', ['test/figures.mjs']); // test-results/reliability.json, for the README's figures
    // The README's browser table says what this run saw of each engine.
    if (missing.length === 0 && run('node', ['scripts/browser-table.mjs', '--check']) === 0) passed += 1;
    else failed += 1;
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
