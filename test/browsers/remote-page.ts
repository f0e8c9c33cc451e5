// A page in a browser engine that Playwright cannot drive here (Debian's Firefox ESR and
// WebKitGTK), driven through the engine's own standard protocol. One shape for every engine, so
// the cross-engine tests (test/e2e/*.engines.spec.ts) are written once.
import { createServer } from 'node:net';

export type EngineName = 'chromium' | 'gecko' | 'webkit';

export interface RemotePage {
  readonly engine: EngineName;
  /** The browser's version, as its driver reports it. */
  readonly version: string;
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and returns what it resolves to, as JSON. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** A real click of the mouse at (x, y) of the viewport, as a person's (it counts as user activation). */
  click(x: number, y: number): Promise<void>;
  /** Real key presses: `keys` pressed in order and released in reverse (a chord, e.g. Control and v). */
  press(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

/** WebDriver's key values for the named keys the tests press (the rest are themselves). */
const WEBDRIVER_KEYS: Record<string, string> = { Control: '\uE009', Meta: '\uE03D', Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004' };

/** A click and a chord as WebDriver input actions (classic /actions and BiDi input.performActions take the same). */
export function inputActions(input: { click: [number, number] } | { press: string[] }): unknown[] {
  if ('click' in input) {
    const [x, y] = input.click;
    return [
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      },
    ];
  }
  const values = input.press.map((key) => WEBDRIVER_KEYS[key] ?? key);
  return [
    {
      type: 'key',
      id: 'keyboard',
      actions: [...values.map((value) => ({ type: 'keyDown', value })), ...values.reverse().map((value) => ({ type: 'keyUp', value }))],
    },
  ];
}

/** The page-side source that runs `fn(arg)` and answers `{ ok: json }` or `{ error: text }`. */
export function pageCall(fn: (arg: never) => unknown, arg: unknown): string {
  // tsx (esbuild) names functions through a helper __name that the page does not have.
  return `(async () => {
    const __name = (target) => target;
    try { return { ok: JSON.stringify((await (${fn.toString()})(${JSON.stringify(arg ?? null)})) ?? null) }; }
    catch (error) { return { error: String(error && error.stack ? error.message + '\\n' + error.stack : error) }; }
  })()`;
}

/** What pageCall's promise resolved to, as the value, or the page's error thrown here. */
export function pageResult<R>(answer: unknown): R {
  const { ok, error } = (answer ?? {}) as { ok?: string; error?: string };
  if (error !== undefined) throw new Error(`In the page: ${error}`);
  return JSON.parse(ok ?? 'null') as R;
}

/** Polls `fn(arg)` in the page until it returns something truthy, and returns that. */
export async function waitForFunction<R, A = undefined>(
  page: RemotePage,
  fn: (arg: A) => R | Promise<R>,
  arg?: A,
  timeoutMs = 30_000,
): Promise<NonNullable<R>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${fn.toString().slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A loopback port nobody listens on, for a driver or a browser to listen on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
