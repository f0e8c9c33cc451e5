// Firefox ESR through WebDriver BiDi (over a WebSocket), which Firefox speaks itself: no
// geckodriver. A fresh profile per launch, headless.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { freePort, inputActions, pageCall, pageResult, type RemotePage } from './remote-page.js';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export async function launchFirefox(): Promise<RemotePage> {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'llama-chat-firefox-'));
  const firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const listening = new Promise<string>((resolve, reject) => {
    firefox.stderr.on('data', (data: Buffer) => {
      log = (log + data.toString()).slice(-4000);
      const url = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log)?.[1];
      if (url) resolve(url);
    });
    firefox.on('exit', (code) => reject(new Error(`Firefox ended (exit ${code}) before it listened:\n${log}`)));
    setTimeout(() => reject(new Error(`Firefox did not listen within 30 s:\n${log}`)), 30_000);
  });
  const end = () => {
    firefox.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const socket = new WebSocket(`${await listening}/session`);
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    const bidi = new BidiConnection(socket);
    const { capabilities } = (await bidi.send('session.new', { capabilities: {} })) as { capabilities: { browserVersion?: string } };
    const tree = (await bidi.send('browsingContext.getTree', {})) as { contexts: { context: string }[] };
    const context = tree.contexts[0]!.context;
    return {
      engine: 'gecko',
      version: `Firefox ${capabilities.browserVersion ?? '?'}`,
      goto: async (url) => void (await bidi.send('browsingContext.navigate', { context, url, wait: 'complete' })),
      evaluate: async (fn, arg) => {
        const answer = (await bidi.send('script.evaluate', {
          expression: pageCall(fn, arg),
          target: { context },
          awaitPromise: true,
          resultOwnership: 'none',
        })) as { type: string; result?: RemoteValue; exceptionDetails?: { text: string } };
        if (answer.type === 'exception') throw new Error(`In the page: ${answer.exceptionDetails?.text}`);
        return pageResult(fromRemote(answer.result));
      },
      click: async (x, y) => void (await bidi.send('input.performActions', { context, actions: inputActions({ click: [x, y] }) })),
      press: async (keys) => void (await bidi.send('input.performActions', { context, actions: inputActions({ press: keys }) })),
      close: async () => {
        await bidi.send('browser.close', {}).catch(() => {});
        socket.close();
        end();
      },
    };
  } catch (error) {
    end();
    throw error;
  }
}

type RemoteValue = { type: string; value?: unknown };

/** pageCall answers `{ ok }` or `{ error }`, strings only: that much of BiDi's value encoding. */
function fromRemote(value: RemoteValue | undefined): unknown {
  if (value?.type !== 'object') return undefined;
  return Object.fromEntries((value.value as [string, RemoteValue][]).map(([key, entry]) => [key, entry.value]));
}

class BidiConnection {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; type: string; result?: unknown; error?: string; message?: string };
      const call = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (!call) return; // an event
      this.waiting.delete(message.id!);
      if (message.type === 'error') call.reject(new Error(`BiDi: ${message.error}: ${message.message}`));
      else call.resolve(message.result);
    });
    socket.on('close', () => {
      for (const call of this.waiting.values()) call.reject(new Error('The BiDi connection closed'));
      this.waiting.clear();
    });
  }

  private readonly socket: WebSocket;

  send(method: string, params: object): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
