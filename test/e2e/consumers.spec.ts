// The consumer matrix: the packed package, installed into apps built by users' own tools,
// served as their own sites, loading the tiny model by a URL relative to the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { prepareApp, type AppName } from '../consumers/prepare.js';
import { serveFolder } from '../consumers/static-server.js';
import { cspFor } from '../csp-policies.js';
import { PORT } from '../server.js';

test.describe.configure({ timeout: 600_000 }); // a first run installs Vite, webpack and React from the registry

const APP_PORT = PORT + 20;

/** Records the element's errors from the very first script, for a clear failure. */
async function recordErrors(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const errors: unknown[] = [];
    Object.assign(window, { chatErrors: errors });
    document.addEventListener('llama-chat-error', (e) => errors.push((e as CustomEvent).detail));
  });
}

/** Waits for <llama-chat> to be ready, then asks it something and returns the answer. */
async function askTheApp(page: Page, url: string): Promise<string> {
  await recordErrors(page);
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const errors = (window as unknown as { chatErrors: unknown[] }).chatErrors;
      if (errors.length > 0) return { error: errors[0] };
      const chat = document.querySelector('llama-chat');
      return chat && 'status' in chat && chat.status === 'ready' ? { ok: true } : false;
    },
    undefined,
    { timeout: 60_000 },
  );
  const outcome = (await handle.jsonValue()) as { error?: unknown };
  expect(outcome.error, JSON.stringify(outcome.error)).toBeUndefined();
  const answer = await page.evaluate(() => document.querySelector('llama-chat')!.send('Hello from an app'));
  // Rendered as Markdown: the app's bundler loaded the renderer, a part loaded when first needed.
  await page.waitForFunction(
    () => document.querySelector('llama-chat')!.shadowRoot!.querySelector('.message.assistant .markdown > *') !== null,
    undefined,
    { polling: 100, timeout: 30_000 },
  );
  return answer;
}

/** Ends a spawned server and everything it started (npx → vite). */
function stopGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid);
  } catch {
    // already gone
  }
}

async function servedBuild(name: AppName, page: Page, { folder = 'dist', csp }: { folder?: string; csp?: string } = {}): Promise<string> {
  const dir = prepareApp(name);
  const stop = await serveFolder(join(dir, folder), APP_PORT, { csp });
  try {
    return await askTheApp(page, `http://localhost:${APP_PORT}/`);
  } finally {
    await stop();
  }
}

test('a Vite app (vite build) that imports the package loads a model by a relative URL and answers', async ({ page }) => {
  expect((await servedBuild('vite', page)).length).toBeGreaterThan(0);
});

test('a webpack 5 app (production build) that imports the package loads a model and answers', async ({ page }) => {
  expect((await servedBuild('webpack', page)).length).toBeGreaterThan(0);
});

test('a React 19 app that renders <llama-chat> before importing the package (models as JSON) answers', async ({ page }) => {
  const answer = await servedBuild('react', page);
  expect(answer.length).toBeGreaterThan(0);
  // The attributes React set before the element was defined took effect (theme reflects).
  await expect(page.locator('llama-chat').first()).toHaveAttribute('theme', 'dark');
});

test('a React 19 app that renders <llama-chat> after the package is defined (the same JSX: models as JSON, now a property) answers', async ({
  page,
}) => {
  const dir = prepareApp('react');
  const stop = await serveFolder(join(dir, 'dist'), APP_PORT);
  try {
    await recordErrors(page);
    await page.goto(`http://localhost:${APP_PORT}/`);
    const later = page.locator('#defined-first');
    await expect.poll(() => later.evaluate((chat) => ('status' in chat ? chat.status : 'undefined')), { timeout: 60_000 }).toBe('ready');
    expect(await page.evaluate(() => (window as unknown as { chatErrors: unknown[] }).chatErrors)).toEqual([]);
    expect((await later.evaluate((chat) => (chat as HTMLElementTagNameMap['llama-chat']).send('Hello'))).length).toBeGreaterThan(0);
  } finally {
    await stop();
  }
});

test("a Vite app on a page with the README's same-origin CSP and Trusted Types (sent with the page only) answers", async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|Trusted ?Type/i.test(message.text())) refusals.push(message.text());
  });
  expect((await servedBuild('vite', page, { csp: cspFor('same-origin', '') })).length).toBeGreaterThan(0);
  expect(refusals).toEqual([]);
});

test("a webpack app (a classic worker) on a page with the README's same-origin CSP answers, and Trusted Types get advice for webpack", async ({
  page,
}) => {
  const withoutTrustedTypes = cspFor('same-origin', '').replace(/; require-trusted-types-for.*$/, '');
  expect((await servedBuild('webpack', page, { csp: withoutTrustedTypes })).length).toBeGreaterThan(0);
  const dir = prepareApp('webpack');
  const stop = await serveFolder(join(dir, 'dist'), APP_PORT, { csp: cspFor('same-origin', '') });
  try {
    await recordErrors(page);
    await page.goto(`http://localhost:${APP_PORT}/`);
    const error = await page.waitForFunction(() => (window as unknown as { chatErrors: { message: string }[] }).chatErrors[0]);
    expect(await error.jsonValue()).toMatchObject({ code: 'bad-input', message: expect.stringContaining("webpack's output.trustedTypes") });
  } finally {
    await stop();
  }
});

test('an esbuild app, with dist/ copied beside its bundle as the README says, loads a model and answers', async ({ page }) => {
  expect((await servedBuild('esbuild', page)).length).toBeGreaterThan(0);
});

test('the same Vite app under the Vite dev server: one worker module, answers after ready', async ({ page }) => {
  const dir = prepareApp('vite', { build: false });
  const server: ChildProcess = spawn('npx', ['vite', '--port', String(APP_PORT + 1), '--strictPort', '--host', '127.0.0.1'], {
    cwd: dir,
    stdio: 'pipe',
    detached: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      server.stdout?.on('data', (data: Buffer) => {
        output += String(data).replace(/\u001b\[[0-9;]*m/g, ''); // Vite colours its banner
        if (output.includes(`:${APP_PORT + 1}/`)) resolve();
      });
      server.on('exit', (code) => reject(new Error(`vite exited with ${code}: ${output}`)));
    });
    const answer = await askTheApp(page, `http://localhost:${APP_PORT + 1}/`);
    expect(answer.length).toBeGreaterThan(0);
  } finally {
    stopGroup(server);
  }
});
