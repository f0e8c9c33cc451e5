// Llama 3.1's chat format, proven on its own vocabulary (128,256 tokens, Meta's merges and chat
// template) with models whose greedy answer is known without llama.cpp (global-setup.ts
// LLAMA3_CHAIN_MODELS). The reference is computed here in Node: Meta's template rendered by a Jinja
// implementation and tokenized by Llama 3's own tokenizer (test/fixtures/llama31-format.ts).
import { expect, test, type Page } from '@playwright/test';
import type { ChatCompletionChunk, ChatCompletionRequest, ChatMessage, ChatTool, ModelRecord } from '../../protocol/types.js';
import { planTools, toolInstructions } from '../../worker/structured/tool-schema.js';
import { plainMessages } from '../../worker/structured/tool-messages.js';
import { llama31Tokens, renderLlama31, templateDate, type TemplateMessage } from '../fixtures/llama31-format.js';
import { LLAMA3_CHAIN_MODELS, LLAMA3_TOKENS } from './global-setup.js';

type ChainModel = keyof typeof LLAMA3_CHAIN_MODELS;

function record(page: Page, model: ChainModel): ModelRecord {
  const origin = new URL(page.url()).origin;
  return { id: `llama3-${model}`, engine: 'wllama', url: `${origin}/models/${LLAMA3_CHAIN_MODELS[model].file}`, contextLength: 4096 };
}

const CONVERSATION: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant. Answer in one short sentence.' },
  { role: 'user', content: 'What is the capital of France?' },
  { role: 'assistant', content: 'The capital of France is Paris.' },
  { role: 'user', content: "And of Japan? It's for a quiz (question 12)." },
];

const WEATHER: ChatTool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'The weather in a city today',
    // Only enumerated values: the call the grammar forces is short whatever the random weights pick.
    parameters: { type: 'object', properties: { city: { enum: ['Paris', 'Tokyo'] } }, required: ['city'], additionalProperties: false },
  },
};

interface Answer {
  text: string;
  finish: string | null | undefined;
  promptTokens: number | undefined;
}

/** Each request answered by the library (createEngine) with `model`, streamed, greedy. */
async function answers(page: Page, model: ChainModel, requests: ChatCompletionRequest[]): Promise<Answer[]> {
  await page.goto('/pages/headless.html');
  await page.waitForFunction(() => window.llamaChat !== undefined);
  return page.evaluate(
    async ({ record, requests }) => {
      const engine = await window.llamaChat.createEngine({ model: record.id, models: [record] });
      const answers: Answer[] = [];
      for (const request of requests) {
        const stream = await engine.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        answers.push({
          text: chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''),
          finish: chunks.findLast((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason,
          promptTokens: chunks.at(-1)?.usage?.prompt_tokens,
        });
      }
      await engine.unload();
      return answers;
    },
    { record: record(page, model), requests },
  );
}

test('the answer ends at <|eot_id|> and at <|eom_id|>, and without them it would go on', async ({ page }) => {
  const request: ChatCompletionRequest = { messages: [{ role: 'user', content: 'Say hello.' }], temperature: 0, max_tokens: 8 };
  const [eot] = await answers(page, 'eot', [request]);
  const [eom] = await answers(page, 'eom', [request]);
  const [endless] = await answers(page, 'endless', [request]);
  expect(eot).toMatchObject({ text: 'Hello, world', finish: 'stop' });
  expect(eom).toMatchObject({ text: 'Hello, world', finish: 'stop' });
  // The same chain with no end token: it runs on to max_tokens, so the two above stopped at theirs.
  expect(endless).toMatchObject({ text: 'Hello, world more more more more more', finish: 'length' });
});

test("llama.cpp reads as many tokens as Meta's template makes, rendered and tokenized outside it", async ({ page }) => {
  const { hello, comma, world, more, newlines } = LLAMA3_TOKENS;
  expect(llama31Tokens('\n\nHello, world more')).toEqual([newlines, hello, comma, world, more]); // the chains' ids are these words

  const tools = { tools: [WEATHER], tool_choice: 'required' as const };
  const [plain, withTools] = await answers(page, 'eot', [
    { messages: CONVERSATION, temperature: 0, seed: 1, max_tokens: 8 },
    { messages: CONVERSATION, ...tools, temperature: 0, seed: 1, max_tokens: 120 },
  ]);
  // The count is the same whatever the date ("Today Date: 06 Dec 2026" and the default "26 Jul 2024" tokenize alike).
  const expected = (messages: TemplateMessage[]) => llama31Tokens(renderLlama31(messages)).length;
  expect(plain!.promptTokens).toBe(expected(CONVERSATION));
  // With tools, the engine is given plain messages with the tools' instructions written in (worker/structured/).
  const plan = planTools(tools.tools, tools.tool_choice, { type: 'string' })!;
  expect(withTools!.finish).toBe('tool_calls');
  expect(withTools!.promptTokens).toBe(expected(plainMessages(CONVERSATION, toolInstructions(plan))));
  expect(withTools!.promptTokens).toBeGreaterThan(plain!.promptTokens! + 40);
});

test("wllama's llama.cpp renders Meta's template token for token, with today's date", async ({ page }) => {
  // llama.cpp keeps the last prompt in its cache; a raw prompt after it reuses the tokens the two
  // share: all but the last (always evaluated again) when they are the same, fewer where they part.
  await page.goto('/pages/element.html');
  const today = await page.evaluate(() => {
    const now = new Date(); // llama.cpp's strftime in wasm uses the page's local time
    return { day: now.getDate(), month: now.getMonth(), year: now.getFullYear() };
  });
  const candidates = { today: renderLlama31(CONVERSATION, templateDate(today)), templateDefault: renderLlama31(CONVERSATION) };
  const reused = await page.evaluate(
    async ({ messages, candidates, file }) => {
      type Timings = { prompt_n: number; cache_n: number };
      type Chunk = { timings?: Timings };
      const { Wllama } = (await import('/vendor/wllama/index.js' as string)) as {
        Wllama: new (
          paths: { default: string },
          config: { logger: Record<'debug' | 'log' | 'warn' | 'error', () => void> },
        ) => {
          setCompat(paths: null): void;
          loadModel(files: Blob[], params: Record<string, number>): Promise<void>;
          createChatCompletion(options: object): Promise<unknown>;
          createCompletion(options: object): Promise<unknown>;
          exit(): Promise<void>;
        };
      };
      const quiet = { debug: () => {}, log: () => {}, warn: () => {}, error: () => {} };
      const wllama = new Wllama({ default: '/vendor/wllama/wasm/wllama.wasm' }, { logger: quiet });
      wllama.setCompat(null);
      await wllama.loadModel([await (await fetch(`/models/${file}`)).blob()], {
        n_ctx: 4096,
        n_threads: 1,
        n_gpu_layers: 0,
        n_parallel: 1,
      });
      const reused: Record<string, Timings | undefined> = {};
      for (const [name, prompt] of Object.entries(candidates)) {
        let timings: Timings | undefined;
        await wllama.createChatCompletion({ messages, stream: true, max_tokens: 1, onData: () => {} });
        // llama.cpp adds <|begin_of_text|> itself (add_bos_token), as it does to the chat's prompt.
        const raw = prompt.replace(/^<\|begin_of_text\|>/, '');
        await wllama.createCompletion({
          prompt: raw,
          stream: true,
          max_tokens: 1,
          onData: (c: Chunk) => void (timings = c.timings ?? timings),
        });
        reused[name] = timings;
      }
      await wllama.exit();
      return reused;
    },
    { messages: CONVERSATION, candidates, file: LLAMA3_CHAIN_MODELS.eot.file },
  );
  const length = llama31Tokens(candidates.today).length;
  expect(reused.today).toMatchObject({ cache_n: length - 1, prompt_n: 1 });
  // The probe tells renderings apart: with the template's own date they part at the date.
  const firstDifference = llama31Tokens(candidates.templateDefault).findIndex((t, i) => t !== llama31Tokens(candidates.today)[i]);
  expect(reused.templateDefault?.cache_n).toBe(firstDifference);
});
