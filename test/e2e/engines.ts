// The cross-engine tests' fixture: `remote`, a page in the engine the project names (Chromium
// through Playwright, Firefox ESR through WebDriver BiDi, WebKitGTK through WebDriver), behind one
// interface (test/browsers/remote-page.ts), so *.engines.spec.ts is written once for all three.
import { test as base } from '@playwright/test';
import { launchFirefox } from '../browsers/webdriver-bidi.js';
import { launchWebKit } from '../browsers/webdriver-classic.js';
import type { EngineName, RemotePage } from '../browsers/remote-page.js';
import { webgpuLaunchOptions } from '../../playwright.config.js';

export const test = base.extend<{ remote: RemotePage }>({
  remote: async ({ playwright }, use, testInfo) => {
    const engine = (testInfo.project.metadata as { engine?: EngineName }).engine ?? 'chromium';
    let remote: RemotePage;
    if (engine === 'gecko') remote = await launchFirefox();
    else if (engine === 'webkit') remote = await launchWebKit();
    else {
      const browser = await playwright.chromium.launch(webgpuLaunchOptions);
      const page = await (await browser.newContext()).newPage();
      remote = {
        engine,
        version: `Chromium ${browser.version()}`,
        goto: async (url) => void (await page.goto(url)),
        evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
        click: (x, y) => page.mouse.click(x, y),
        press: (keys) => page.keyboard.press(keys.join('+')),
        close: () => browser.close(),
      };
    }
    try {
      await use(remote);
    } finally {
      await remote.close();
    }
  },
});

export { expect } from '@playwright/test';
