// Counts the reliability tests establish (faults survived, bad inputs, XSS vectors, requests
// carrying user text). Each passing test writes its own file; test/figures.mjs adds them up
// for the README's "Reliability and privacy" section.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestInfo } from '@playwright/test';

export const FIGURES_DIR = fileURLToPath(new URL('../../test-results/figures/', import.meta.url));

export interface Figures {
  /** Faults injected (dropped connections, damaged chunks, crashed workers, …) the element survived. */
  faultsSurvived?: number;
  /** Rapid send/stop cycles run without a hang or a leak. */
  sendStopCycles?: number;
  /** Invalid inputs tried (empty messages, bad attributes, corrupt files, …), each handled cleanly. */
  badInputs?: number;
  /** HTML/JS payloads rendered, each found inert. */
  xssVectors?: number;
  /** Places those payloads were rendered (messages, header, error panel), all inert. */
  xssRenderings?: number;
  /** Requests observed during the privacy sessions. */
  requestsObserved?: number;
  /** Of those, requests whose URL, headers or body carried text the user typed (must be 0). */
  requestsCarryingUserText?: number;
  /** Requests made by a session with the model already cached, beyond the page and library files. */
  cachedSessionExtraRequests?: number;
}

/** Call at the end of a test, after its assertions: only a passing test counts. */
export function recordFigures(testInfo: TestInfo, figures: Figures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const name = testInfo.titlePath
    .join(' › ')
    .replace(/[^a-z0-9]+/gi, '-')
    .slice(0, 150);
  writeFileSync(`${FIGURES_DIR}${name}.json`, JSON.stringify({ test: testInfo.titlePath.join(' › '), ...figures }, null, 2));
}
