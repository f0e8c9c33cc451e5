// Figure 3, threads: the large model through createEngine() in this tab. The driver opens one
// tab cross-origin isolated (llama.cpp on every core) and one not (one thread) and compares.
import { createEngine, type Engine, type ModelRecord } from 'llama-chat';
import type { ThreadsRun } from './protocol.js';

let engine: Engine | undefined;

export async function prepareThreads(record: ModelRecord): Promise<boolean> {
  engine = await createEngine({ model: record.id, models: [record] });
  return crossOriginIsolated;
}

export async function runThreads(prompt: string, maxTokens: number): Promise<ThreadsRun> {
  if (!engine) throw new Error('prepareThreads() first');
  const arrivals: number[] = [];
  const stream = await engine.chat.completions.create({
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    temperature: 0,
    max_tokens: maxTokens,
  });
  for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(performance.now());
  const first = arrivals[0];
  const last = arrivals[arrivals.length - 1];
  if (first === undefined || last === undefined || arrivals.length < 2) throw new Error('threads run: fewer than two tokens arrived');
  return { tokens: arrivals.length, decodeTokensPerS: ((arrivals.length - 1) * 1000) / (last - first) };
}
