// Figures 3, 4 and 5: <llama-chat>, createEngine() and direct wllama on one page, in
// interleaved rounds (the order rotates each round) so machine noise hits all three alike.
import type { BrowserContext } from 'playwright-core';
import { openBenchPage } from './bench-page.js';
import { roundInTurn } from './rotation.js';
import { mainThreadWork, startTrace, stopTrace, type MainThreadWork } from './main-thread-trace.js';
import { STREAM_END_MARK, STREAM_START_MARK, type StreamRun, type TokenPathSetup, type Variant } from './page/protocol.js';

export const VARIANTS: readonly Variant[] = ['element', 'engine', 'direct'];

/** A run as kept in the results: the text itself only matters for the same-text check. */
export type KeptRun = Omit<StreamRun, 'text'>;

/**
 * A round's answers, by contestant. Each round also runs wllama directly a second time: how far
 * apart two runs of the same code land is the machine's noise.
 */
export type TokenPathRound = Record<Variant | 'directAgain', KeptRun[]>;

/** A round's speed for one contestant: all its answers' tokens after the first over their decode time. */
export function roundSpeed(answers: readonly KeptRun[]): number {
  const tokens = answers.reduce((sum, a) => sum + a.tokens - 1, 0);
  const ms = answers.reduce((sum, a) => sum + a.decodeMs, 0);
  return (tokens * 1000) / ms;
}

export interface TokenPathRuns {
  /** One entry per round, each with every contestant's answers. */
  rounds: TokenPathRound[];
  /** Traced rounds (tracing slows the page, so their speeds are not used). */
  traced: Record<Variant, KeptRun & MainThreadWork>[];
  /** Every variant produced the same text in every round (same model, same greedy settings). */
  sameText: boolean;
  /** createEngine() free and under a JSON Schema, side by side, in rotating order. */
  constrained: { free: KeptRun; constrained: KeptRun }[];
}

export async function measureTokenPath(
  context: BrowserContext,
  setup: TokenPathSetup,
  options: { warmupRounds: number; rounds: number; answersPerRound: number; tracedRounds: number },
): Promise<TokenPathRuns> {
  const page = await openBenchPage(context);
  try {
    await page.evaluate((s) => window.bench.prepareTokenPath(s), setup);
    const run = (variant: Variant): Promise<StreamRun> => page.evaluate((v) => window.bench.runStream(v), variant);

    for (let i = 0; i < options.warmupRounds; i++) for (const variant of VARIANTS) await run(variant);

    const texts = new Set<string>();
    const keep = ({ text, ...kept }: StreamRun): KeptRun => {
      texts.add(text);
      return kept;
    };

    // An answer lasts a quarter of a second here, so one pause of the shared machine moves a
    // single answer's speed by a fifth: a round takes several answers from each, in turn.
    const rounds: TokenPathRound[] = [];
    const contestants = [...VARIANTS, 'directAgain'] as const;
    for (let i = 0; i < options.rounds; i++) {
      const round: TokenPathRound = { element: [], engine: [], direct: [], directAgain: [] };
      for (let answer = 0; answer < options.answersPerRound; answer++) {
        const pass = await roundInTurn(contestants, i + answer, async (key) => keep(await run(key === 'directAgain' ? 'direct' : key)));
        for (const key of contestants) round[key].push(pass[key]);
      }
      rounds.push(round);
    }

    const session = await context.newCDPSession(page);
    const traced: Record<Variant, KeptRun & MainThreadWork>[] = [];
    for (let i = 0; i < options.tracedRounds; i++) {
      const round = await roundInTurn(VARIANTS, i, async (variant) => {
        await startTrace(session);
        const stream = await run(variant);
        return { ...keep(stream), ...mainThreadWork(await stopTrace(session), STREAM_START_MARK, STREAM_END_MARK) };
      });
      traced.push(round);
    }
    await session.detach();

    const constrained: { free: KeptRun; constrained: KeptRun }[] = [];
    const strip = ({ text: _text, ...kept }: StreamRun): KeptRun => kept;
    const once = async (kind: 'free' | 'constrained') =>
      strip(await page.evaluate((c) => window.bench.runConstrained(c), kind === 'constrained'));
    for (let i = 0; i < options.tracedRounds; i++) constrained.push(await roundInTurn(['free', 'constrained'] as const, i, once));
    return { rounds, traced, sameText: texts.size === 1, constrained };
  } finally {
    await page.close();
  }
}
