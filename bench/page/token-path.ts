// Figures 3–5: the same model, prompt and settings through <llama-chat>, through createEngine()
// and through wllama driven directly on this page, one answer at a time.
import { createEngine, type Engine, type LlamaChat } from 'llama-chat';
import type { Wllama } from '@wllama/wllama/esm/index.js';
import { loadDirectWllama } from './direct-wllama.js';
import { STREAM_END_MARK, STREAM_START_MARK, type StreamRun, type TokenPathSetup, type Variant } from './protocol.js';
import { addElement } from './element.js';

interface Contestants {
  setup: TokenPathSetup;
  element: LlamaChat;
  engine: Engine;
  direct: Wllama;
}

let contestants: Contestants | undefined;

export async function prepareTokenPath(setup: TokenPathSetup): Promise<void> {
  const { element, ready } = addElement(setup.record, { temperature: '0', 'max-tokens': String(setup.maxTokens) });
  await ready;
  const engine = await createEngine({ model: setup.record.id, models: [setup.record] });

  // The same bytes and the same load settings as our engine.
  const modelFile = await (await fetch(setup.record.url)).blob();
  const direct = await loadDirectWllama(modelFile, setup.record, setup.wasmUrl);
  contestants = { setup, element, engine, direct };
}

export async function runStream(variant: Variant): Promise<StreamRun> {
  if (!contestants) throw new Error('prepareTokenPath() first');
  const { setup, element, engine, direct } = contestants;
  const messages = [{ role: 'user' as const, content: setup.prompt }];
  const arrivals: number[] = [];
  let text = '';
  const onDelta = (delta: string | undefined): void => {
    if (!delta) return;
    arrivals.push(performance.now());
    text += delta;
  };

  performance.mark(STREAM_START_MARK);
  const startedAt = performance.now();
  if (variant === 'element') {
    element.clear(); // the same one-message conversation every time
    const listener = (event: CustomEvent<{ delta: string }>): void => onDelta(event.detail.delta);
    element.addEventListener('llama-chat-token', listener);
    try {
      await element.send(setup.prompt);
    } finally {
      element.removeEventListener('llama-chat-token', listener);
    }
  } else if (variant === 'engine') {
    const stream = await engine.chat.completions.create({ messages, stream: true, temperature: 0, max_tokens: setup.maxTokens });
    for await (const chunk of stream) onDelta(chunk.choices[0]?.delta.content);
  } else {
    await direct.createChatCompletion({
      messages,
      stream: true,
      temperature: 0,
      max_tokens: setup.maxTokens,
      onData: (chunk) => onDelta(chunk.choices[0]?.delta.content ?? undefined),
    });
  }
  const endedAt = performance.now();
  performance.mark(STREAM_END_MARK);

  const first = arrivals[0];
  const last = arrivals[arrivals.length - 1];
  if (first === undefined || last === undefined || arrivals.length < 2) throw new Error(`${variant}: fewer than two tokens arrived`);
  return {
    variant,
    tokens: arrivals.length,
    ttftMs: first - startedAt,
    decodeMs: last - first,
    decodeTokensPerS: ((arrivals.length - 1) * 1000) / (last - first),
    totalMs: endedAt - startedAt,
    text,
  };
}

/**
 * A JSON answer the grammar constrains: one string, bounded so that the object always closes
 * within the window (every token writes at least one character), else the answer would be cut off.
 */
const STORY_SCHEMA = {
  type: 'object',
  properties: { story: { type: 'string', maxLength: 300 } },
  required: ['story'],
  additionalProperties: false,
} as const;

/** Room for the whole object (300 characters and its braces) in the tiny model's 512-token window. */
const CONSTRAINED_MAX_TOKENS = 480;

/** One answer through createEngine(), free or under a JSON Schema (constrained decoding). */
export async function runConstrained(constrained: boolean): Promise<StreamRun> {
  if (!contestants) throw new Error('prepareTokenPath() first');
  const { setup, engine } = contestants;
  const arrivals: number[] = [];
  let text = '';
  const startedAt = performance.now();
  const stream = await engine.chat.completions.create({
    messages: [{ role: 'user', content: setup.prompt }],
    stream: true,
    temperature: 0,
    max_tokens: CONSTRAINED_MAX_TOKENS,
    ...(constrained ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'story', schema: STORY_SCHEMA } } } : {}),
  });
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta.content;
    if (!delta) continue;
    arrivals.push(performance.now());
    text += delta;
  }
  const first = arrivals[0];
  const last = arrivals[arrivals.length - 1];
  if (first === undefined || last === undefined || arrivals.length < 2) throw new Error('constrained run: fewer than two tokens arrived');
  return {
    variant: 'engine',
    tokens: arrivals.length,
    ttftMs: first - startedAt,
    decodeMs: last - first,
    decodeTokensPerS: ((arrivals.length - 1) * 1000) / (last - first),
    totalMs: performance.now() - startedAt,
    text,
  };
}
