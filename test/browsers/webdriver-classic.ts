// WebKitGTK through W3C WebDriver (classic, over HTTP): WebKitWebDriver starts MiniBrowser in
// automation mode (an ephemeral session, like Safari's Private Browsing) under a virtual display.
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, inputActions, pageCall, pageResult, type RemotePage } from './remote-page.js';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const SCRIPT_TIMEOUT_MS = 120_000;

async function waitForHttp(url: string, process: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (process.exitCode !== null) throw new Error(`The driver ended (exit ${process.exitCode}) before it listened`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Nothing answered at ${url}`);
}

/** Starts WebKitWebDriver under Xvfb and opens a MiniBrowser session. */
export async function launchWebKit(): Promise<RemotePage> {
  const port = await freePort();
  const driver = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', 'WebKitWebDriver', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  driver.stderr?.on('data', (data: Buffer) => (log = (log + data.toString()).slice(-4000)));
  const end = () => {
    try {
      process.kill(-driver.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/status`, driver);
    const created = await command(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
    });
    const { sessionId, capabilities } = created as { sessionId: string; capabilities: { browserVersion?: string } };
    const session = `${base}/session/${sessionId}`;
    await command(session, 'POST', '/timeouts', { script: SCRIPT_TIMEOUT_MS, pageLoad: 60_000 });
    return {
      engine: 'webkit',
      version: `WebKitGTK ${capabilities.browserVersion ?? '?'}`,
      goto: async (url) => void (await command(session, 'POST', '/url', { url })),
      evaluate: async (fn, arg) => {
        const script = `const done = arguments[arguments.length - 1]; ${pageCall(fn, arg)}.then(done, (e) => done({ error: String(e) }));`;
        return pageResult(await command(session, 'POST', '/execute/async', { script, args: [] }));
      },
      click: async (x, y) => void (await command(session, 'POST', '/actions', { actions: inputActions({ click: [x, y] }) })),
      press: async (keys) => void (await command(session, 'POST', '/actions', { actions: inputActions({ press: keys }) })),
      close: async () => {
        await command(session, 'DELETE', '').catch(() => {});
        end();
      },
    };
  } catch (error) {
    end();
    throw new Error(`WebKit did not start: ${String(error)}\n${log}`);
  }
}

async function command(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as { value: { error?: string; message?: string } & Record<string, unknown> };
  if (!response.ok || answer.value?.error)
    throw new Error(`WebDriver ${method} ${path}: ${answer.value?.error} ${answer.value?.message ?? ''}`);
  return answer.value;
}
