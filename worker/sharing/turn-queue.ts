// One engine answers one request at a time. Requests from every tab and element that share it
// wait their turn, first come first served; each seat (the hosting tab's own page, or a guest)
// stops only its own answers, whether under way or still waiting.
import type { CompletionUsage } from '../../protocol/types.js';
import { chunkBuilder } from '../engines/chunks.js';
import type { ChunkSink, EngineRequest, LoadedModel } from '../engines/engine.js';

/** One tab's or element's place at a shared engine. */
export interface Seat {
  chat(request: EngineRequest, onChunk: ChunkSink): Promise<void>;
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
  return {
    get length() {
      return length;
    },
    seat() {
      const mine = new Set<Turn>();
      return {
        chat(request, onChunk) {
          let cancel: () => void = () => {};
          const turn: Turn = { cancelled: false, cancel: () => cancel() };
          const cancelled = new Promise<void>((resolve) => (cancel = resolve));
          const before = tail;
          mine.add(turn);
          length++;
          const answer = (async () => {
            try {
              await Promise.race([before, cancelled]); // a stopped answer that still waits ends at once
              if (turn.cancelled) {
                const usage = request.stream_options?.include_usage ? NO_USAGE : undefined;
                onChunk(chunkBuilder(model.record.id).finish('abort', usage));
                return;
              }
              running = turn;
              await model.chat(request, onChunk);
            } finally {
              if (running === turn) running = undefined;
              mine.delete(turn);
              length--;
            }
          })();
          // The next answer waits for this one and for every one before it (this may end early);
          // one answer's failure is its own.
          tail = Promise.allSettled([before, answer]).then(() => {});
          return answer;
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
