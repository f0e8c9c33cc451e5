// One answer's speed from when its tokens arrived: the prompt's prefill (request → first token)
// and decode speed (tokens after the first, per second).
import type { SettingsRun } from './protocol.js';

/** `arrivals`: each token's arrival time; `startedAt`: the request's. `run` names the step in the error. */
export function tokenTimes(arrivals: readonly number[], startedAt: number, run: string): SettingsRun {
  const first = arrivals[0];
  const last = arrivals.at(-1);
  if (first === undefined || last === undefined || arrivals.length < 2) throw new Error(`${run}: fewer than two tokens arrived`);
  return { prefillMs: first - startedAt, decodeTokensPerS: ((arrivals.length - 1) * 1000) / (last - first) };
}
