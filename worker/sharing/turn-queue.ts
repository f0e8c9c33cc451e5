// One engine answers one request at a time. Requests from every tab and element that share it
// wait their turn, first come first served; each seat (the hosting tab's own page, or a guest)
// stops only its own answers, whether under way or still waiting.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatMessage, CompletionUsage } from '../../protocol/types.js';
import { chunkBuilder } from '../engines/chunks.js';
import type { ChunkSink, EngineRequest, LoadedModel } from '../engines/engine.js';

/** One tab's or element's place at a shared engine. */
export interface Seat {
  chat(request: EngineRequest, onChunk: ChunkSink): Promise<void>;
  /** The engine's count of the tokens `messages` make (it uses the engine, so it takes a turn too). */
  countTokens(messages: ChatMessage[]): Promise<number>;
  /** Stops this seat's answer under way and drops its waiting ones (they end with finish_reason "abort"). */
  interrupt(): void;
}

interface Turn {
  cancelled: boolean;
  cancel(): void;
}

const NO_USAGE: CompletionUsage = {
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  extra: { time_to_first_token_s: 0, decode_tokens_per_s: 0, e2e_latency_s: 0 },
};

export interface TurnQueue {
  seat(): Seat;
  /** How many answers are under way or waiting, from every seat. */
  readonly length: number;
}

export function turnQueue(model: LoadedModel): TurnQueue {
  let tail: Promise<void> = Promise.resolve();
  let running: Turn | undefined;
  let length = 0;

  /** Runs `work` in its turn; `skipped` instead when its seat stopped it while it waited. */
  function take<T>(mine: Set<Turn>, work: () => Promise<T>, skipped: () => T | Promise<T>): Promise<T> {
    let cancel: () => void = () => {};
    const turn: Turn = { cancelled: false, cancel: () => cancel() };
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    const before = tail;
    mine.add(turn);
    length++;
    const done = (async () => {
      try {
        await Promise.race([before, cancelled]); // a stopped answer that still waits ends at once
        if (turn.cancelled) return await skipped();
        running = turn;
        return await work();
      } finally {
        if (running === turn) running = undefined;
        mine.delete(turn);
        length--;
      }
    })();
    // The next turn waits for this one and for every one before it (this may end early); one
    // turn's failure is its own.
    tail = Promise.allSettled([before, done]).then(() => {});
    return done;
  }

  return {
    get length() {
      return length;
    },
    seat() {
      const mine = new Set<Turn>();
      return {
        chat(request, onChunk) {
          const usage = request.stream_options?.include_usage ? NO_USAGE : undefined;
          return take(
            mine,
            () => model.chat(request, onChunk),
            () => onChunk(chunkBuilder(model.record.id).finish('abort', usage)),
          );
        },
        countTokens(messages) {
          if (!model.countTokens)
            return Promise.reject(new LlamaChatError('bad-input', `The engine of ${model.record.id} cannot count tokens.`));
          const count = model.countTokens.bind(model);
          return take(
            mine,
            () => count(messages),
            () => Promise.reject(new LlamaChatError('aborted', 'The count was stopped.')),
          );
        },
        interrupt() {
          for (const turn of mine) {
            turn.cancelled = true;
            turn.cancel();
            if (running === turn) model.interrupt();
          }
        },
      };
    },
  };
}
