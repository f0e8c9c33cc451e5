// A session's conversation and its share of the context window. Counts are the model's own
// (the worker's countTokens); what is evicted when a prompt does not fit is planned from them
// here: whole turns, oldest first, never the initial prompts (the Prompt API's README, "overflow").
import type { RequestMessage } from '../../protocol/types.js';

export interface Turn {
  messages: RequestMessage[];
  /** The tokens this turn added to the conversation, as counted when it was added. */
  tokens: number;
}

export type FitPlan = { evict: number } | { requested: number; quota: number };

export class Conversation {
  constructor(
    /** The initial prompts (system first): never evicted. */
    readonly initial: readonly RequestMessage[],
    readonly initialTokens: number,
    readonly turns: Turn[] = [],
  ) {}

  /** Tokens the conversation takes now: the initial prompts and every turn. */
  get usage(): number {
    return this.turns.reduce((sum, turn) => sum + turn.tokens, this.initialTokens);
  }

  get messages(): RequestMessage[] {
    return [...this.initial, ...this.turns.flatMap((turn) => turn.messages)];
  }

  get isEmpty(): boolean {
    return this.initial.length === 0 && this.turns.length === 0;
  }

  /**
   * How many of the oldest turns must go for `requested` more tokens to fit in `window` with
   * `room` tokens left (an answer needs one); or, when even none but the initial prompts would
   * leave enough, the QuotaExceededError's numbers.
   */
  planFit(requested: number, window: number, room: number): FitPlan {
    let usage = this.usage;
    let evict = 0;
    while (usage + requested + room > window) {
      const turn = this.turns[evict];
      if (!turn) return { requested: this.initialTokens + requested, quota: window };
      usage -= turn.tokens;
      evict++;
    }
    return { evict };
  }

  evict(count: number): void {
    this.turns.splice(0, count);
  }

  clone(): Conversation {
    return new Conversation(structuredClone([...this.initial]), this.initialTokens, structuredClone(this.turns));
  }
}
