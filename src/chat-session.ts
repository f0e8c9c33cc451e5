// The behaviour behind <llama-chat>: loads the model, keeps the conversation, streams answers.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { resolveModel } from './catalog.js';
import { EngineClient } from './engine-client.js';
import { LlamaChatError, toLlamaChatError, type ErrorCode } from './errors.js';
import { ProgressTracker, type ProgressView } from './format.js';
import { checkSampling, type AttributeReader } from './settings-check.js';
import type { ChatMessage, ChatStatus, CompletionUsage, LoadProgress, ModelRecord } from './types.js';

export interface SessionSettings {
  model: string;
  models: readonly ModelRecord[];
  systemPrompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** An attribute's text as written, to name it in errors. */
  attribute?: AttributeReader;
}

export interface SessionEvents {
  'llama-chat-progress': LoadProgress;
  'llama-chat-ready': { model: string };
  'llama-chat-token': { delta: string };
  'llama-chat-message': { message: ChatMessage; usage?: CompletionUsage };
  'llama-chat-error': { code: ErrorCode; message: string };
}

export interface SessionHost {
  settings(): SessionSettings;
  onChange(): void;
  emit<K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]): void;
}

/** A message as the view shows it. */
export interface ViewMessage extends ChatMessage {
  /** The answer was stopped before it finished. */
  stopped?: boolean;
  /** The answer was cut off by this error (the partial text is kept). */
  failed?: ErrorCode;
}

export class ChatSession {
  status: ChatStatus = 'idle';
  progress: ProgressView | undefined;
  error: LlamaChatError | undefined;
  lastUsage: CompletionUsage | undefined;
  private conversation: ViewMessage[] = [];
  private client: EngineClient | undefined;
  private loading: Promise<void> | undefined;
  private loadedModel: string | undefined;

  constructor(private readonly host: SessionHost) {}

  get messages(): readonly ViewMessage[] {
    return this.conversation;
  }

  /** The record of the configured model, or undefined when the id is unknown. */
  record(): ModelRecord | undefined {
    const { model, models } = this.host.settings();
    try {
      return resolveModel(model, models);
    } catch {
      return undefined;
    }
  }

  load(): Promise<void> {
    const { model, models } = this.host.settings();
    if (this.loadedModel === model && this.client) return Promise.resolve();
    this.loading ??= this.loadModel(model, models).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadModel(model: string, models: readonly ModelRecord[]): Promise<void> {
    const tracker = new ProgressTracker();
    this.error = undefined;
    this.setStatus('downloading');
    this.client?.terminate();
    const client = new EngineClient();
    this.client = client;
    try {
      await client.load(resolveModel(model, models), (progress) => {
        if (this.client !== client) return; // a newer load replaced this one
        this.progress = tracker.update(progress);
        this.status = progress.phase === 'download' ? 'downloading' : 'loading';
        this.host.emit('llama-chat-progress', progress);
        this.host.onChange();
      });
      if (this.client !== client) return;
      this.loadedModel = model;
      this.progress = undefined;
      this.setStatus('ready');
      this.host.emit('llama-chat-ready', { model });
    } catch (error) {
      if (this.client !== client) throw toLlamaChatError(error); // replaced or unloaded: not news
      client.terminate();
      this.client = undefined;
      throw this.fail(error);
    }
  }

  /** Sends `text` as the user's next message and resolves with the full answer. */
  async send(text: string): Promise<string> {
    const content = text.trim();
    if (!content) return '';
    const invalid = checkSampling(this.host.settings(), this.host.settings().attribute);
    if (invalid) {
      this.error = invalid;
      this.host.onChange();
      this.host.emit('llama-chat-error', { code: invalid.code, message: invalid.message });
      throw invalid;
    }
    if (this.status === 'generating') {
      const busy = new LlamaChatError('bad-input', 'An answer is still being written. Stop it, or wait for it, before sending another message.');
      this.host.emit('llama-chat-error', { code: busy.code, message: busy.message });
      throw busy;
    }
    await this.load();
    const client = this.client!;
    const settings = this.host.settings();

    const history: ChatMessage[] = this.conversation.map(({ role, content }) => ({ role, content }));
    const question: ViewMessage = { role: 'user', content };
    this.conversation = [...this.conversation, question];
    const answer: ViewMessage = { role: 'assistant', content: '' };
    this.conversation = [...this.conversation, answer];
    this.error = undefined;
    this.setStatus('generating');

    const messages: ChatMessage[] = [
      ...(settings.systemPrompt ? [{ role: 'system' as const, content: settings.systemPrompt }] : []),
      ...history,
      { role: 'user', content },
    ];
    try {
      const stream = client.stream({
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: settings.temperature,
        max_tokens: settings.maxTokens,
      });
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = choice?.delta.content;
        if (delta) {
          answer.content += delta;
          this.host.emit('llama-chat-token', { delta });
          this.host.onChange();
        }
        if (choice?.finish_reason === 'abort') answer.stopped = true;
        if (chunk.usage) this.lastUsage = chunk.usage;
      }
    } catch (error) {
      const failure = toLlamaChatError(error);
      if (failure.code === 'context-overflow' && !answer.content) {
        // Nothing was answered: take the turn back, or every later message would overflow too.
        this.conversation = this.conversation.filter((m) => m !== question && m !== answer);
      } else {
        answer.stopped = true;
        answer.failed = failure.code;
      }
      throw this.fail(failure);
    }
    this.setStatus('ready');
    const message = { role: answer.role, content: answer.content };
    this.host.emit('llama-chat-message', this.lastUsage ? { message, usage: this.lastUsage } : { message });
    return answer.content;
  }

  /** Stops the answer under way; what was written so far stays. */
  async stop(): Promise<void> {
    if (this.status === 'generating') await this.client?.interrupt();
  }

  clear(): void {
    void this.stop();
    this.conversation = [];
    this.error = undefined;
    this.host.onChange();
  }

  /** Frees the model (the element left the page, or its model changed). */
  unload(): void {
    this.client?.terminate();
    this.client = undefined;
    this.loadedModel = undefined;
    this.loading = undefined;
    this.progress = undefined;
    if (this.status !== 'error') this.setStatus('idle');
  }

  private fail(error: unknown): LlamaChatError {
    const failure = toLlamaChatError(error);
    this.error = failure;
    this.progress = undefined;
    if (failure.code === 'worker-crashed' || failure.code === 'device-lost') {
      // A lost GPU device stays lost in that worker: a fresh one gets a fresh device.
      this.client?.terminate();
      this.client = undefined;
      this.loadedModel = undefined;
    }
    // A failed answer leaves a loaded model usable; a failed load or a crash does not.
    this.setStatus(this.client && this.loadedModel ? 'ready' : 'error');
    this.host.emit('llama-chat-error', { code: failure.code, message: failure.message });
    return failure;
  }

  private setStatus(status: ChatStatus): void {
    this.status = status;
    this.host.onChange();
  }
}
