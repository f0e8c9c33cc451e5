// The consumer matrix: the packed package installed into small apps that users' own tools
// build. Each app is copied from test/consumers/apps/<name> into test/.generated/consumers/,
// gets the tiny model in its public folder (loaded by a URL relative to the page), installs its
// dependencies from the npm registry (kept between runs: only the tarball is installed anew)
// and is built with its own tool.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const APPS = join(ROOT, 'test/consumers/apps');
export const CONSUMERS = join(ROOT, 'test/.generated/consumers');
const TARBALL = join(CONSUMERS, 'llama-chat.tgz');
const TINY_MODEL = join(ROOT, 'test/.generated/tiny.gguf');
const TINY_ALT_MODEL = join(ROOT, 'test/.generated/tiny-alt.gguf'); // a 4096-token window: room for tool rounds

export type AppName = 'vite' | 'webpack' | 'react' | 'esbuild' | 'ai-clients';

function run(command: string, args: string[], cwd: string): void {
  try {
    execFileSync(command, args, { cwd, stdio: 'pipe', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${String(stdout ?? '')}\n${String(stderr ?? '')}`.slice(-6000));
  }
}

let packed = false;

/** `npm pack` of the built package (dist/ must be built), once per test run. */
export function packLibrary(): void {
  if (packed) return;
  mkdirSync(CONSUMERS, { recursive: true });
  const before = new Set(readdirSync(CONSUMERS));
  run('npm', ['pack', '--silent', '--pack-destination', CONSUMERS], ROOT);
  const made = readdirSync(CONSUMERS).find((f) => f.endsWith('.tgz') && f !== 'llama-chat.tgz' && !before.has(f));
  const name = made ?? readdirSync(CONSUMERS).find((f) => /^llama-chat-.*\.tgz$/.test(f));
  if (!name) throw new Error('npm pack wrote no tarball');
  cpSync(join(CONSUMERS, name), TARBALL);
  rmSync(join(CONSUMERS, name));
  packed = true;
}

/** The app's folder, with the fresh package installed and (when `build`) built. Returns its folder. */
export function prepareApp(name: AppName, { build = true } = {}): string {
  packLibrary();
  const dir = join(CONSUMERS, name);
  const manifest = readFileSync(join(APPS, name, 'package.json'), 'utf8');
  // A changed app manifest means a fresh install; otherwise only the package is replaced.
  if (existsSync(dir) && readFileSync(join(dir, 'package.json'), 'utf8') !== manifest) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(APPS, name), dir, { recursive: true });
  mkdirSync(join(dir, 'public/models'), { recursive: true });
  cpSync(TINY_MODEL, join(dir, 'public/models/tiny.gguf'));
  cpSync(TINY_ALT_MODEL, join(dir, 'public/models/tiny-alt.gguf'));
  rmSync(join(dir, 'node_modules/llama-chat'), { recursive: true, force: true });
  rmSync(join(dir, 'node_modules/.vite'), { recursive: true, force: true }); // Vite's pre-bundled copy of the old package
  run('npm', ['install', '--no-package-lock', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  if (build) run('npm', ['run', '--silent', 'build'], dir);
  writeFileSync(join(dir, '.prepared'), new Date().toISOString());
  return dir;
}
