// A ChatSession on a fake engine and fake storage, for the session's unit tests.
import {
  ChatSession,
  type SessionEvents,
  type SessionHost,
  type SessionServices,
  type SessionSettings,
} from '../../src/session/chat-session.js';
import type { SessionClient } from '../../src/session/session-types.js';
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatCompletionRequest, ModelRecord } from '../../protocol/types.js';

export const A: ModelRecord = { id: 'model-a', engine: 'wllama', url: '/a.gguf', sizeBytes: 10 };
export const B: ModelRecord = { id: 'model-b', engine: 'wllama', url: '/b.gguf', sizeBytes: 10 };

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** An engine that answers with `words`, one chunk each, and can be held at load or mid-answer. */
export class FakeClient implements SessionClient {
  loads: string[] = [];
  terminated = false;
  interrupted = false;
  requests: ChatCompletionRequest[] = [];
  constructor(private readonly fake: FakeEngine) {}
  readonly cache = { list: async () => [], delete: async () => {}, estimate: async () => ({ usage: 0, quota: 0 }) };
  async isStored(): Promise<boolean> {
    return false;
  }
  async forgetEverything(): Promise<void> {}
  async load(record: ModelRecord): Promise<void> {
    this.loads.push(record.id);
    await this.fake.loadGate?.promise;
    if (this.fake.loadError) throw this.fake.loadError;
  }
  async *stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk> {
    this.requests.push(request);
    const chunk = (content: string | undefined, finish: ChatCompletionChunk['choices'][0]['finish_reason']): ChatCompletionChunk => ({
      id: 'x',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }],
    });
    for (const word of this.fake.words) {
      if (this.interrupted) break;
      yield chunk(word, null);
      await this.fake.tokenGate?.promise;
    }
    if (this.fake.answerError) throw this.fake.answerError;
    yield { ...chunk(undefined, this.interrupted ? 'abort' : 'stop'), ...(this.fake.usage ? { usage: this.fake.usage } : {}) };
    this.fake.usage = undefined; // once
  }
  async interrupt(): Promise<void> {
    if (!this.fake.deaf) this.interrupted = true;
  }
  terminate(): void {
    this.terminated = true;
    this.fake.tokenGate?.reject(new LlamaChatError('aborted', 'The chat engine was unloaded.'));
  }
}

export class FakeEngine {
  clients: FakeClient[] = [];
  words = ['Hello', ' there'];
  loadGate: ReturnType<typeof deferred<void>> | undefined;
  tokenGate: ReturnType<typeof deferred<void>> | undefined;
  loadError: Error | undefined;
  answerError: Error | undefined;
  usage: ChatCompletionChunk['usage'];
  /** An engine that never acknowledges an interrupt. */
  deaf = false;
}

export function setup(settings: Partial<SessionSettings> = {}) {
  const engine = new FakeEngine();
  const events: Array<{ type: keyof SessionEvents; detail: unknown }> = [];
  const stored = new Map<string, unknown>();
  const current: SessionSettings = {
    model: A.id,
    models: [A, B],
    systemPrompt: '',
    temperature: undefined,
    maxTokens: undefined,
    historyKey: undefined,
    tools: [],
    toolChoice: 'auto',
    ownEngine: false,
    ...settings,
  };
  const host: SessionHost = {
    settings: () => current,
    settled: () => Promise.resolve(),
    onChange: () => {},
    emit: (type, detail) => void events.push({ type, detail }),
  };
  const services: SessionServices = {
    createClient: () => {
      const client = new FakeClient(engine);
      engine.clients.push(client);
      return client;
    },
    pickModel: async (id, models) => ({ record: models.find((m) => m.id === id) ?? A }),
    history: {
      load: async (key) => ({ messages: (stored.get(key) as never) ?? [], earlier: [] }),
      save: async (key, messages) => void stored.set(key, messages),
      delete: async (key) => void stored.delete(key),
    },
  };
  return { session: new ChatSession(host, services), engine, events, current, stored };
}
