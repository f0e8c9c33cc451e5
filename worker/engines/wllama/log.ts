// wllama's logger, keeping llama.cpp's last warnings and errors: when the wasm aborts, the
// error itself says only "(ABORT)", and the reason (a lost GPU device, a bad tensor, memory)
// is in the lines logged just before.
import type { WllamaLogger } from '@wllama/wllama/esm/index.js';

const KEPT_LINES = 20;

export class EngineLog implements WllamaLogger {
  private readonly lines: string[] = [];

  readonly debug = (): void => {};
  readonly log = (): void => {};

  readonly warn = (...args: unknown[]): void => {
    this.keep(args); // kept for error messages, not printed: the host page's console is not ours
  };

  readonly error = (...args: unknown[]): void => {
    this.keep(args);
    console.error(...args);
  };

  /** The latest warning and error lines, oldest first. */
  recent(): readonly string[] {
    return [...this.lines];
  }

  private keep(args: unknown[]): void {
    this.lines.push(args.map(String).join(' ').trim());
    if (this.lines.length > KEPT_LINES) this.lines.shift();
  }
}
