// WebKit in a normal profile, as most Safari visitors run it. A WebDriver session is always
// ephemeral (core.engines.spec.ts runs there), so here MiniBrowser is started on a page that does
// the whole visit itself and reports to the test server (pages/visit.html), with a profile of its
// own on disk, twice.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { MINIBROWSER } from '../browsers/webdriver-classic.js';
import { PAGE_ORIGIN } from '../server.js';

interface VisitReport {
  ok: boolean;
  error?: string;
  reply?: string;
  notice?: string | null;
  storage?: string;
}

async function modelRequests(path: string): Promise<number> {
  return Number(await (await fetch(`${PAGE_ORIGIN}/control/requests?url=${encodeURIComponent(path)}`)).text());
}

/** One visit in MiniBrowser with the profile in `home`; resolves with what the page reported. */
async function visit(home: string, model: string): Promise<VisitReport> {
  const id = crypto.randomUUID();
  const url = `${PAGE_ORIGIN}/pages/visit.html?dist=cross&report=${id}&model=${encodeURIComponent(model)}`;
  const profile = {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_CONFIG_HOME: join(home, 'config'),
  };
  const browser = spawn('xvfb-run', ['-a', MINIBROWSER, url], { env: { ...process.env, ...profile }, detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  try {
    for (const until = Date.now() + 150_000; Date.now() < until;) {
      const response = await fetch(`${PAGE_ORIGIN}/control/report?id=${id}`);
      if (response.ok) return (await response.json()) as VisitReport;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('The visit did not report within 150 s');
  } finally {
    process.kill(-browser.pid!, 'SIGTERM');
    await exited; // the profile is free for the next visit
  }
}

test('WebKit in a normal profile answers, keeps the model, and a second visit makes no model request', async () => {
  const home = mkdtempSync(join(tmpdir(), 'llama-chat-webkit-'));
  try {
    const query = `?visit=${crypto.randomUUID()}`;
    const first = await visit(home, `../models/tiny.gguf${query}`);
    expect(first.error).toBeUndefined();
    expect(first.ok).toBe(true);
    expect(first.reply!.length).toBeGreaterThan(0);
    expect(first.notice).toBeNull(); // kept: nothing to tell the person
    expect(['Blob', 'ArrayBuffer']).toContain(first.storage);
    const requests = await modelRequests(`/models/tiny.gguf${query}`);
    expect(requests).toBeGreaterThan(0);

    const second = await visit(home, `../models/tiny.gguf${query}`);
    expect(second).toMatchObject({ ok: true, storage: first.storage });
    expect(second.reply!.length).toBeGreaterThan(0);
    expect(await modelRequests(`/models/tiny.gguf${query}`)).toBe(requests);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
