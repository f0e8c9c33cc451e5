// The demo page (what `npm start` opens), served by Vite: it works, and screenshots of it in
// light and dark at 1280 and 360 px go to test-results/screenshots/ for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { DEMO_ORIGIN, DEMO_PORT } from '../server.js';

const chat = (page: Page) => page.locator('llama-chat');

async function startAndAnswer(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Download and start' }).click();
  await expect(chat(page).locator('[part~="status"]')).toHaveText('Ready', { timeout: 30_000 });
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Hello! What can you do?');
  await input.press('Enter');
  await expect(page.locator('#stat-tokens')).not.toHaveText('–', { timeout: 30_000 });
}

test('the demo: load the tiny model, see answer stats and the stored model, delete it', async ({ page }) => {
  await page.goto(`${DEMO_ORIGIN}/demo/`);
  await expect(page.getByRole('combobox', { name: 'Model to run' })).toHaveValue('tiny-test-model');
  await expect(page.locator('#snippet')).toContainText('model="tiny-test-model"');
  await startAndAnswer(page);
  expect(Number(await page.locator('#stat-tokens').textContent())).toBeGreaterThan(0);
  await expect(page.locator('#stat-speed')).toHaveText(/^\d+$/);
  await expect(page.locator('#stat-ttft')).toHaveText(/^\d+ ms$/);

  const row = page.locator('#cache li', { hasText: 'Tiny test model' });
  await expect(row).toContainText('883 KB');
  await expect(page.locator('#storage')).toHaveText(/used of .* available/);

  // The page-tool switch gives the chat a tool (asked first) and takes it away.
  const tools = page.getByRole('checkbox', { name: /page tool/ });
  await tools.check();
  expect(await chat(page).evaluate((el) => (el as HTMLElementTagNameMap['llama-chat']).tools.map((t) => [t.name, t.confirm]))).toEqual([
    ['read_clock', true],
  ]);
  await tools.uncheck();
  expect(await chat(page).evaluate((el) => (el as HTMLElementTagNameMap['llama-chat']).tools.length)).toBe(0);

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(chat(page)).toHaveAttribute('theme', 'dark');
  await page.getByRole('radio', { name: 'System' }).check();
  await expect(chat(page)).not.toHaveAttribute('theme');

  await row.getByRole('button', { name: /^Delete/ }).click();
  await expect(page.locator('#cache')).toContainText('No models stored yet.');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 360]) {
    test(`screenshot: demo in ${scheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: width > 800 ? 860 : 780 });
      await page.goto(`${DEMO_ORIGIN}/demo/`);
      await expect(page.getByRole('button', { name: 'Download and start' })).toBeVisible();
      await expect(chat(page).locator('.consent .size')).toContainText('883 KB');
      await page.screenshot({ path: `test-results/screenshots/demo-${scheme}-${width}-consent.png` });
      await startAndAnswer(page);
      await page.getByRole('textbox', { name: 'Message' }).blur();
      await page.screenshot({ path: `test-results/screenshots/demo-${scheme}-${width}.png`, fullPage: true });
      // Nothing may stick out sideways, down to 360 px.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
}

test('the URL `npm start` prints opens the demo', async ({ page }) => {
  const port = DEMO_PORT + 40;
  // `npm start` as a newcomer runs it (its own arguments after --), with no browser to open.
  const server = spawn('npm', ['start', '--', '--port', String(port), '--strictPort', '--open', 'false'], {
    stdio: 'pipe',
    detached: true,
  });
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout?.on('data', (data: Buffer) => {
        // Vite colours its banner; the URL is what follows "Local:".
        output += String(data).replace(/\u001b\[[0-9;]*m/g, '');
        const url = /Local:\s+(http:\/\/\S+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      server.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
    await page.goto(printed);
    await expect(page.getByRole('combobox', { name: 'Model to run' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/demo/');
  } finally {
    try {
      if (server.pid) process.kill(-server.pid); // npm and the vite it started
    } catch {
      // already gone
    }
  }
});
