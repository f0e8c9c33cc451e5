// Figure 10, a LoRA adapter at the real size: createEngine() loading the stored model with and
// without an adapter of the 8B's shapes, and what one answer costs with it, again, and after a
// switch to the model alone (whose prompt llama.cpp then reads anew).
import { createEngine, type ModelRecord } from 'llama-chat';
import type { LoraRun, LoraAnswer } from './protocol.js';
import { tokenTimes } from './token-times.js';

export async function loraRun(record: ModelRecord, question: string, maxTokens: number): Promise<LoraRun> {
  const startedAt = performance.now();
  const engine = await createEngine({ model: record.id, models: [record] });
  const readyMs = performance.now() - startedAt;
  const adapter = record.adapters?.[0]?.id ?? null;
  const ask = async (chosen: string | null): Promise<LoraAnswer> => {
    const arrivals: number[] = [];
    const asked = performance.now();
    const stream = await engine.chat.completions.create({
      messages: [{ role: 'user', content: question }],
      stream: true,
      temperature: 0,
      max_tokens: maxTokens,
      adapter: chosen,
    });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(performance.now());
    return tokenTimes(arrivals, asked, 'lora run');
  };
  try {
    const first = await ask(adapter);
    const again = await ask(adapter); // the same prompt and adapter: llama.cpp reuses its cache
    const switched = adapter ? await ask(null) : undefined; // another set of scales: read anew
    return { readyMs, first, again, ...(switched ? { switched } : {}) };
  } finally {
    await engine.unload();
  }
}
