// Figure 3, threads: the large model through createEngine() in this tab. The driver opens one
// tab cross-origin isolated (llama.cpp on every core) and one not (one thread) and compares.
import { createEngine, type Engine, type ModelRecord } from 'llama-chat';
import type { ThreadsRun } from './protocol.js';
import { tokenTimes } from './token-times.js';

let engine: Engine | undefined;

export async function prepareThreads(record: ModelRecord): Promise<boolean> {
  // An engine of its own: shared, the second tab would join the first one's engine, whatever its threads.
  engine = await createEngine({ model: record.id, models: [record], ownEngine: true });
  return crossOriginIsolated;
}

export async function runThreads(prompt: string, maxTokens: number): Promise<ThreadsRun> {
  if (!engine) throw new Error('prepareThreads() first');
  const arrivals: number[] = [];
  let promptTokens = 0;
  const startedAt = performance.now();
  const stream = await engine.chat.completions.create({
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    temperature: 0,
    max_tokens: maxTokens,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) arrivals.push(performance.now());
    if (chunk.usage) promptTokens = chunk.usage.prompt_tokens;
  }
  const { prefillMs, decodeTokensPerS } = tokenTimes(arrivals, startedAt, 'threads run');
  return { tokens: arrivals.length, decodeTokensPerS, promptTokens, ttftMs: prefillMs };
}
