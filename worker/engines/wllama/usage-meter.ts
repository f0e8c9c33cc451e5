import type { CompletionUsage } from '../../../protocol/types.js';

/** Counts an answer's tokens and times them, for OpenAI-shaped `usage` with web-llm's `extra`. */
export class UsageMeter {
  private readonly start: number;
  private firstTokenAt: number | undefined;
  private lastTokenAt: number | undefined;
  private counted = 0;
  private promptTokens = 0;
  private engineCompletionTokens: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  token(): void {
    const t = this.now();
    this.firstTokenAt ??= t;
    this.lastTokenAt = t;
    this.counted += 1;
  }

  /** The engine's own counts, when it reports them. */
  timings(promptTokens: number, completionTokens: number): void {
    this.promptTokens = promptTokens;
    this.engineCompletionTokens = completionTokens;
  }

  usage(): CompletionUsage {
    const end = this.now();
    const completion = this.engineCompletionTokens ?? this.counted;
    const first = this.firstTokenAt ?? end;
    const decodeSeconds = ((this.lastTokenAt ?? end) - first) / 1000;
    return {
      prompt_tokens: this.promptTokens,
      completion_tokens: completion,
      total_tokens: this.promptTokens + completion,
      extra: {
        time_to_first_token_s: (first - this.start) / 1000,
        // Tokens after the first, over the time between the first and the last.
        decode_tokens_per_s: this.counted > 1 && decodeSeconds > 0 ? (this.counted - 1) / decodeSeconds : 0,
        e2e_latency_s: (end - this.start) / 1000,
      },
    };
  }
}
