// The behaviour behind <llama-chat>: loads the model, keeps the conversation, streams answers.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { findModel, knownModels } from './catalog.js';
import { answerReserve, trimToWindow } from './context-window.js';
import { EngineClient } from './engine-client.js';
import { LlamaChatError, toLlamaChatError, type ErrorCode } from './errors.js';
import { ProgressTracker, type ProgressView } from './format.js';
import { deleteHistory, loadHistory, saveHistory } from './history-store.js';
import { pickModel, type ModelChoice } from './model-choice.js';
import { checkSampling, type AttributeReader } from './settings-check.js';
import type { ChatMessage, ChatStatus, CompletionUsage, LoadProgress, ModelRecord } from './types.js';

export interface SessionSettings {
  model: string;
  models: readonly ModelRecord[];
  systemPrompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** Keep the conversation in IndexedDB under this key; undefined: keep nothing. */
  historyKey: string | undefined;
  /** An attribute's text as written, to name it in errors. */
  attribute?: AttributeReader;
}

/** While an answer streams, what has come so far is kept this often (with history-key). */
const SAVE_WHILE_STREAMING_MS = 1000;

/** Context window assumed for a record that does not say (wllama's load default here). */
const DEFAULT_CONTEXT = 2048;

export interface SessionEvents {
  'llama-chat-progress': LoadProgress;
  'llama-chat-ready': { model: string };
  'llama-chat-token': { delta: string };
  'llama-chat-message': { message: ChatMessage; usage?: CompletionUsage };
  'llama-chat-error': { code: ErrorCode; message: string };
}

export interface SessionHost {
  settings(): SessionSettings;
  /** Resolves once settings changed just before a call have taken effect. */
  settled(): Promise<unknown>;
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
  /** A quiet note for the person, e.g. that early messages no longer fit the context window. */
  notice: string | undefined;
  /** Download size of the configured model: from its record, else from a HEAD request. */
  downloadSize: { model: string; bytes: number | undefined } | undefined;
  private conversation: ViewMessage[] = [];
  /** send() calls still waiting for the model, and whether stop() came meanwhile. */
  private sendsWaiting = 0;
  private stopRequested = false;
  private restoring: Promise<void> = Promise.resolve();
  /** The history key the shown conversation belongs to. */
  private conversationKey: string | undefined;
  /** History writes, in order, so a clear() is never overtaken by an earlier save. */
  private writes: Promise<void> = Promise.resolve();
  private client: EngineClient | undefined;
  private loading: Promise<void> | undefined;
  private loadedModel: string | undefined;
  private choice: Promise<ModelChoice> | undefined;
  /** The model this session runs, with a notice when the device got a fallback. */
  chosen: ModelChoice | undefined;

  constructor(private readonly host: SessionHost) {}

  get messages(): readonly ViewMessage[] {
    return this.conversation;
  }

  /**
   * Decides which model runs here (the page's pinned one, checked against this device, or the
   * device's default) before anything is downloaded, so the view can show it and its size.
   */
  prepare(): Promise<ModelChoice> {
    if (this.choice) return this.choice;
    const { model, models } = this.host.settings();
    // A choice the page replaced (it changed the model meanwhile) neither shows nor reports.
    const choosing: Promise<ModelChoice> = pickModel(model || undefined, models).then(
      (choice) => {
        if (this.choice !== choosing) return choice;
        this.chosen = choice;
        this.host.onChange();
        return choice;
      },
      (error: unknown) => {
        if (this.choice !== choosing) throw toLlamaChatError(error);
        this.choice = undefined; // ask again on retry
        throw this.fail(error);
      },
    );
    this.choice = choosing;
    return choosing;
  }

  /** The chosen model's record once prepare() has run; before, or when it failed, the pinned one. */
  record(): ModelRecord | undefined {
    if (this.chosen) return this.chosen.record;
    const { model, models } = this.host.settings();
    return model ? findModel(model, models) : undefined;
  }

  load(): Promise<void> {
    if (this.loadedModel && this.client) return Promise.resolve();
    this.loading ??= this.loadModel().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadModel(): Promise<void> {
    const choosing = this.prepare();
    const { record } = await choosing; // reports its own failure
    // The page changed the model while it was being chosen: a newer load is under way.
    if (this.choice !== choosing) throw new LlamaChatError('aborted', 'The model changed before it was loaded.');
    const tracker = new ProgressTracker();
    this.error = undefined;
    this.setStatus('downloading');
    this.client?.terminate();
    const client = new EngineClient(this.host.settings().models);
    this.client = client;
    try {
      await client.load(record, (progress) => {
        if (this.client !== client) return; // a newer load replaced this one
        this.progress = tracker.update(progress);
        this.status = progress.phase === 'download' ? 'downloading' : 'loading';
        this.host.emit('llama-chat-progress', progress);
        this.host.onChange();
      });
      if (this.client !== client) return;
      this.loadedModel = record.id;
      this.progress = undefined;
      this.setStatus('ready');
      this.host.emit('llama-chat-ready', { model: record.id });
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
    this.sendsWaiting += 1;
    try {
      await this.host.settled(); // attributes set just before send() apply to it
      await this.restoring;
      await this.load();
    } catch (error) {
      this.stopRequested = false;
      throw error;
    } finally {
      this.sendsWaiting -= 1;
    }
    const client = this.client!;
    const settings = this.host.settings();

    const history: ChatMessage[] = this.conversation.map(({ role, content }) => ({ role, content }));
    const system: ChatMessage | undefined = settings.systemPrompt ? { role: 'system', content: settings.systemPrompt } : undefined;
    const contextLength = this.record()?.contextLength ?? DEFAULT_CONTEXT;
    const budget = contextLength - answerReserve(contextLength, settings.maxTokens);
    // When by estimate not even the new message fits, the engine, which counts real tokens, has
    // the last word: it answers, or refuses with context-overflow at once.
    const fitted = trimToWindow(system, history, { role: 'user', content }, budget) ?? {
      messages: [...(system ? [system] : []), { role: 'user' as const, content }],
      dropped: history.length,
      tokens: 0,
    };
    this.notice = fitted.dropped > 0
      ? `The ${fitted.dropped} earliest messages no longer fit in the model's memory; it answers from the most recent ones.`
      : undefined;

    const question: ViewMessage = { role: 'user', content };
    this.conversation = [...this.conversation, question];
    const answer: ViewMessage = { role: 'assistant', content: '' };
    this.conversation = [...this.conversation, answer];
    this.error = undefined;
    this.setStatus('generating');
    this.persist();
    const stoppedEarly = this.stopRequested; // stop() came before the answer began
    this.stopRequested = false;

    let savedAt = performance.now();
    const stream = async (messages: ChatMessage[]): Promise<void> => {
      const chunks = client.stream({
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: settings.temperature,
        max_tokens: settings.maxTokens,
      });
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        const delta = choice?.delta.content;
        if (delta) {
          answer.content += delta;
          this.host.emit('llama-chat-token', { delta });
          this.host.onChange();
          if (performance.now() - savedAt >= SAVE_WHILE_STREAMING_MS) {
            savedAt = performance.now();
            void this.persist(answer);
          }
        }
        if (choice?.finish_reason === 'abort') answer.stopped = true;
        if (chunk.usage) this.lastUsage = chunk.usage;
      }
    };
    try {
      try {
        if (stoppedEarly) answer.stopped = true;
        else await stream(fitted.messages);
      } catch (error) {
        // The estimate can fall short for text this tokenizer spells out piece by piece: answer
        // from the newest message alone rather than fail, if that leaves anything out.
        const newestOnly: ChatMessage[] = [...(system ? [system] : []), { role: 'user', content }];
        if (toLlamaChatError(error).code !== 'context-overflow' || answer.content || fitted.messages.length === newestOnly.length) throw error;
        this.notice = `Earlier messages no longer fit in the model's memory; it answers from your last message only.`;
        await stream(newestOnly);
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
      this.persist();
      throw this.fail(failure);
    }
    await this.persist(); // stored before send() resolves: a reload right after loses nothing
    this.setStatus('ready');
    const message = { role: answer.role, content: answer.content };
    this.host.emit('llama-chat-message', this.lastUsage ? { message, usage: this.lastUsage } : { message });
    return answer.content;
  }

  /** Stops the answer under way; what was written so far stays. */
  async stop(): Promise<void> {
    if (this.status === 'generating') await this.client?.interrupt();
    else if (this.sendsWaiting > 0) this.stopRequested = true;
  }

  /** Empties the conversation, and forgets the kept one; resolves once it is gone from storage. */
  clear(): Promise<void> {
    void this.stop();
    this.conversation = [];
    this.error = undefined;
    this.notice = undefined;
    this.host.onChange();
    const key = this.host.settings().historyKey;
    return key ? this.write(() => deleteHistory(key)) : Promise.resolve();
  }

  /**
   * Shows the conversation kept under `history-key` (after a reload, or when the key changes).
   * A conversation begun before any key was set is kept under the new key instead.
   */
  restore(): Promise<void> {
    const key = this.host.settings().historyKey;
    if (!key) {
      this.conversationKey = undefined;
      return this.restoring;
    }
    this.restoring = this.writes
      .then(() => loadHistory(key))
      .then((kept) => {
        if (this.host.settings().historyKey !== key || this.status === 'generating') return;
        if (this.conversationKey === undefined && this.conversation.length > 0) {
          this.conversationKey = key;
          this.persist();
          return;
        }
        this.conversationKey = key;
        this.conversation = kept;
        this.notice = undefined;
        this.host.onChange();
      })
      .catch((error: unknown) => console.warn('llama-chat: the kept conversation could not be read', error));
    return this.restoring;
  }

  /** Finds the model's download size for the consent step, once per model. */
  describeDownload(): void {
    const record = this.record();
    if (!record || this.downloadSize?.model === record.id) return;
    this.downloadSize = { model: record.id, bytes: record.sizeBytes };
    this.host.onChange();
    // A web-llm model is many files; a GGUF is one, whose size a HEAD request tells (no user data sent).
    if (record.sizeBytes !== undefined || record.engine !== 'wllama') return;
    fetch(record.url, { method: 'HEAD' })
      .then((response) => {
        const bytes = Number(response.headers.get('Content-Length'));
        if (!response.ok || !(bytes > 0) || this.downloadSize?.model !== record.id) return;
        this.downloadSize = { model: record.id, bytes };
        this.host.onChange();
      })
      .catch(() => {}); // the consent step then shows no size
  }

  /**
   * A model this page could use instead after the configured one failed for lack of a GPU or
   * memory: one that runs on the CPU (wllama), else one with a smaller known download.
   */
  alternative(): ModelRecord | undefined {
    const current = this.record();
    const { models } = this.host.settings();
    const others = knownModels(models).filter((m) => m.id !== current?.id);
    if (current?.engine === 'web-llm') {
      const cpu = others.find((m) => m.engine === 'wllama');
      if (cpu) return cpu;
    }
    const size = current?.sizeBytes;
    if (size === undefined) return undefined;
    return others
      .filter((m) => m.sizeBytes !== undefined && m.sizeBytes < size)
      .sort((a, b) => b.sizeBytes! - a.sizeBytes!)[0];
  }

  /** After quota-exceeded: deletes the other models kept on this device, then loads again. */
  async freeSpaceAndRetry(): Promise<void> {
    const current = this.record()?.id;
    const client = new EngineClient(this.host.settings().models);
    try {
      for (const cached of await client.cache.list()) {
        if (cached.id !== current) await client.cache.delete(cached.id);
      }
    } finally {
      client.terminate();
    }
    await this.load();
  }

  /**
   * Keeps the conversation under `history-key`; resolves once it is stored. `writing` is an
   * answer still streaming: kept as stopped, which is what it is if the page goes away now.
   */
  private persist(writing?: ViewMessage): Promise<void> {
    const key = this.host.settings().historyKey;
    if (!key) return Promise.resolve();
    const messages = this.conversation
      // A trailing answer that has not begun is not worth keeping.
      .filter((m, i, all) => !(i === all.length - 1 && m.role === 'assistant' && !m.content))
      .map((m) => (m === writing ? { ...m, stopped: true } : m));
    return this.write(() => saveHistory(key, messages));
  }

  private write(operation: () => Promise<void>): Promise<void> {
    this.writes = this.writes
      .then(operation)
      .catch((error: unknown) => console.warn('llama-chat: the conversation could not be kept', error));
    return this.writes;
  }

  /** Frees the model and forgets the choice (the element left the page, or its model changed). */
  unload(): void {
    this.client?.terminate();
    this.client = undefined;
    this.loadedModel = undefined;
    this.loading = undefined;
    this.choice = undefined;
    this.chosen = undefined;
    this.progress = undefined;
    if (this.status !== 'error') this.setStatus('idle'); // an error stays until the person acts on it
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
