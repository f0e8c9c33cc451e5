// What the README tells a page that already speaks OpenAI's API: createEngine(), then hand
// engine.fetch to the client it uses. The test calls window.clients.* and checks what comes back.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { createEngine, type Engine } from 'llama-chat';
import OpenAI from 'openai';

const MODEL = 'tiny';
const BASE_URL = 'https://llm.invalid/v1'; // any base URL: nothing is sent anywhere
const PERSON = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 2, maxLength: 8 }, age: { type: 'integer', minimum: 18, maximum: 99 } },
  required: ['name', 'age'],
  additionalProperties: false,
} as const;
const CITY = { type: 'object', properties: { city: { type: 'string', minLength: 1, maxLength: 10 } }, required: ['city'] } as const;

let engine: Engine | undefined;
async function local(): Promise<Engine> {
  engine ??= await createEngine({
    model: MODEL,
    models: [{ id: MODEL, engine: 'wllama', url: 'models/tiny-alt.gguf', contextLength: 4096 }],
  });
  return engine;
}
const openai = async () => new OpenAI({ baseURL: BASE_URL, apiKey: 'unused', fetch: (await local()).fetch, dangerouslyAllowBrowser: true });
const provider = async () =>
  createOpenAICompatible({
    name: 'local',
    baseURL: BASE_URL,
    fetch: (await local()).fetch,
    supportsStructuredOutputs: true,
    includeUsage: true,
  });

const clients = {
  async openaiPlain() {
    const answer = await (
      await openai()
    ).chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 16 });
    return { content: answer.choices[0]?.message.content, finish: answer.choices[0]?.finish_reason, usage: answer.usage };
  },
  async openaiStream() {
    const stream = await (
      await openai()
    ).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Tell me a story' }],
      max_tokens: 24,
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
      if (chunk.usage) usage = chunk.usage;
    }
    return { deltas, usage };
  },
  async openaiSchema() {
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await (
        await openai()
      ).chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: `Describe person ${i}` }],
        response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON } },
        max_tokens: 120,
        temperature: 1,
      });
      answers.push(answer.choices[0]?.message.content ?? '');
    }
    return answers;
  },
  async openaiTools() {
    const answer = await (
      await openai()
    ).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: CITY } }],
      tool_choice: 'required',
      max_tokens: 200,
    });
    return { finish: answer.choices[0]?.finish_reason, calls: answer.choices[0]?.message.tool_calls };
  },
  /** Aborts a stream after its third piece, then asks again. */
  async openaiAbortThenAgain() {
    const client = await openai();
    const controller = new AbortController();
    let pieces = 0;
    let aborted = '';
    try {
      const stream = await client.chat.completions.create(
        { model: MODEL, messages: [{ role: 'user', content: 'A long story' }], max_tokens: 400, stream: true },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content && ++pieces === 3) controller.abort();
      }
      aborted = controller.signal.aborted ? 'ended' : ''; // openai's stream ends quietly when its signal aborts
    } catch (error) {
      aborted = (error as Error).name;
    }
    const next = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Short one' }], max_tokens: 8 });
    return { pieces, aborted, next: next.choices[0]?.message.content };
  },
  async openaiModels() {
    const ids: string[] = [];
    for await (const model of (await openai()).models.list()) ids.push(model.id);
    return ids;
  },
  async openaiErrors() {
    const client = await openai();
    const caught = async (run: () => Promise<unknown>) =>
      run().then(
        () => undefined,
        (error: { status?: number; code?: string; message: string }) => ({
          status: error.status,
          code: error.code,
          message: error.message,
        }),
      );
    return {
      unknownModel: await caught(() => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] })),
      badRequest: await caught(() =>
        client.chat.completions.create({
          model: MODEL,
          messages: [{ role: 'user', content: 'Hi' }],
          response_format: { type: 'xml' } as never,
        }),
      ),
    };
  },
  async aiStreamText() {
    const result = streamText({ model: (await provider())(MODEL), prompt: 'Tell me a story', maxOutputTokens: 24 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    return { deltas, text: await result.text, usage: await result.usage };
  },
  async aiGenerateObject() {
    const { object } = await generateObject({
      model: (await provider())(MODEL),
      schema: jsonSchema(PERSON),
      prompt: 'Describe a person',
      temperature: 1,
    });
    return object;
  },
  async aiTools() {
    const calls: unknown[] = [];
    const result = await generateText({
      model: (await provider())(MODEL),
      prompt: 'What is the weather?',
      tools: {
        get_weather: tool({
          description: 'Weather in a city',
          inputSchema: jsonSchema(CITY),
          execute: async (input) => (calls.push(input), { tempC: 21 }),
        }),
      },
      toolChoice: 'required',
      stopWhen: stepCountIs(1),
    });
    return { calls, toolCalls: result.toolCalls.map((c) => c.toolName) };
  },
};
Object.assign(window, { clients });
