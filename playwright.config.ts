import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { DEMO_ORIGIN, DEMO_PORT, PAGE_ORIGIN, PORT } from './test/server.js';

// Debian's Chromium here (Playwright's own browser download is unavailable on these machines);
// CHROMIUM_PATH picks another, and without either Playwright's installed browser is used.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How the tests (and the benchmark) launch Chromium: with WebGPU, on SwiftShader here. */
export const webgpuLaunchOptions = { executablePath, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] };

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1, // two cores: one browser at a time keeps the engine's timing sane
  timeout: 60_000,
  // A shared CI machine can stall a page for seconds: web-first assertions wait longer than 5 s.
  expect: { timeout: 15_000 },
  outputDir: 'test-results/e2e-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: PAGE_ORIGIN,
    browserName: 'chromium',
  },
  projects: [
    {
      // WebGPU on SwiftShader: real WebGPU, no shader-f16.
      name: 'webgpu',
      testIgnore: ['*.no-webgpu.spec.ts', '*.webkit.spec.ts'],
      use: { launchOptions: webgpuLaunchOptions },
    },
    {
      // The same browser with no WebGPU adapter at all.
      name: 'no-webgpu',
      testMatch: '*.no-webgpu.spec.ts',
      use: { launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
    // The other engines visitors use, on the core set (*.engines.spec.ts, which Chromium runs too):
    // Debian's Firefox ESR through WebDriver BiDi, WebKitGTK (Safari's engine) through WebDriver.
    { name: 'gecko', testMatch: '*.engines.spec.ts', metadata: { engine: 'gecko' }, timeout: 180_000 },
    // and WebKit in a normal profile, which no WebDriver session has (*.webkit.spec.ts).
    { name: 'webkit', testMatch: ['*.engines.spec.ts', '*.webkit.spec.ts'], metadata: { engine: 'webkit' }, timeout: 360_000 },
  ],
  webServer: [
    {
      command: 'node --import tsx test/server.ts',
      url: `${PAGE_ORIGIN}/health`,
      reuseExistingServer: !process.env.CI,
      env: { TEST_PORT: String(PORT) },
    },
    {
      // The demo page as `npm start` serves it (Vite, from the sources), for demo.spec.ts.
      command: `npx vite --port ${DEMO_PORT} --strictPort --open false`,
      url: `${DEMO_ORIGIN}/demo/`,
      reuseExistingServer: !process.env.CI,
    },
  ],
});
