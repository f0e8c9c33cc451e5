// The behaviour behind <llama-chat>: loads the model, keeps the conversation, streams answers.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { LlamaChatError, toLlamaChatError } from '../protocol/errors.js';
import { DEFAULT_CONTEXT_LENGTH, type ChatMessage, type ChatStatus, type CompletionUsage, type ModelRecord } from '../protocol/types.js';
import { findModel } from './catalog.js';
import { answerReserve, trimToWindow } from './context-window.js';
import { alternativeModel, downloadSize } from './model-offers.js';
import type { ModelChoice } from './model-choice.js';
import { ProgressTracker, type ProgressView } from './progress-tracker.js';
import { SessionHistory } from './session-history.js';
import type { SessionClient, SessionHost, SessionServices, SessionSettings, ViewMessage } from './session-types.js';
import { checkSampling } from './settings-check.js';

export type { SessionEvents, SessionHost, SessionServices, SessionSettings, ViewMessage } from './session-types.js';

/** While an answer streams, what has come so far is kept this often (with history-key). */
const SAVE_WHILE_STREAMING_MS = 1000;

/** One question and its answer, from the moment the question joins the conversation. */
interface Turn {
  question: ViewMessage;
  answer: ViewMessage;
  usage: CompletionUsage | undefined;
}

/** The messages a turn sends: trimmed to the window, and the newest message alone as a fallback. */
interface TurnPrompt {
  messages: ChatMessage[];
  newestOnly: ChatMessage[];
  notice: string | undefined;
}

export class ChatSession {
  status: ChatStatus = 'idle';
  progress: ProgressView | undefined;
  error: LlamaChatError | undefined;
  /** Usage of the last finished answer. */
  lastUsage: CompletionUsage | undefined;
  /** A quiet note for the person, e.g. that early messages no longer fit the context window. */
  notice: string | undefined;
  /** Download size of the configured model: from its record, else from a HEAD request. */
  downloadSize: { model: string; bytes: number | undefined } | undefined;
  /** The model this session runs, with a notice when the device got a fallback. */
  chosen: ModelChoice | undefined;
  private conversation: ViewMessage[] = [];
  /** send() calls still waiting for the model, and whether stop() came meanwhile. */
  private sendsWaiting = 0;
  private stopRequested = false;
  private restoring: Promise<void> = Promise.resolve();
  /** The history key the shown conversation belongs to. */
  private conversationKey: string | undefined;
  private readonly history: SessionHistory;
  private client: SessionClient | undefined;
  private loading: Promise<void> | undefined;
  private loadedModel: string | undefined;
  private choice: Promise<ModelChoice> | undefined;
  /** Errors of send() calls whose message never joined the conversation (the view gives it back). */
  private readonly refusals = new WeakSet<Error>();

  constructor(
    private readonly host: SessionHost,
    private readonly services: SessionServices,
  ) {
    this.history = new SessionHistory(services.history);
  }

  get messages(): readonly ViewMessage[] {
    return this.conversation;
  }

  /** True when `error`, thrown by send(), means its message was not taken into the conversation. */
  isRefusal(error: unknown): boolean {
    return error instanceof Error && this.refusals.has(error);
  }

  /**
   * Decides which model runs here (the page's pinned one, checked against this device, or the
   * device's default) before anything is downloaded, so the view can show it and its size.
   */
  prepare(): Promise<ModelChoice> {
    if (this.choice) return this.choice;
    const { model, models } = this.host.settings();
    // A choice the page replaced (it changed the model meanwhile) neither shows nor reports.
    const choosing: Promise<ModelChoice> = this.services.pickModel(model || undefined, models).then(
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
    const client = this.services.createClient(this.host.settings().models);
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
    const client = await this.readyForTurn();
    const settings = this.host.settings();
    const prompt = this.promptFor(content, settings);
    const turn = this.beginTurn(content, prompt.notice);
    try {
      await this.answer(turn, client, prompt, settings);
    } catch (error) {
      throw this.failTurn(turn, error);
    }
    await this.history.save(this.historyKey, this.conversation); // stored before send() resolves
    this.lastUsage = turn.usage;
    this.setStatus('ready');
    const message = { role: turn.answer.role, content: turn.answer.content };
    this.host.emit('llama-chat-message', turn.usage ? { message, usage: turn.usage } : { message });
    return turn.answer.content;
  }

  /** Checks the settings, waits for the model; a failure here refuses the message. */
  private async readyForTurn(): Promise<SessionClient> {
    const invalid = checkSampling(this.host.settings(), this.host.settings().attribute);
    if (invalid) throw this.refuse(this.fail(invalid, { keepStatus: true }));
    if (this.status === 'generating') {
      const busy = new LlamaChatError('bad-input', 'An answer is still being written. Stop it, or wait for it, before sending another message.');
      throw this.refuse(this.fail(busy, { keepStatus: true, keepError: true }));
    }
    this.sendsWaiting += 1;
    try {
      await this.host.settled(); // attributes set just before send() apply to it
      await this.restoring;
      await this.load();
    } catch (error) {
      this.stopRequested = false;
      throw this.refuse(toLlamaChatError(error));
    } finally {
      this.sendsWaiting -= 1;
    }
    if (!this.client) throw this.refuse(new LlamaChatError('aborted', 'The model was unloaded before the message could be sent.'));
    return this.client;
  }

  /** The conversation trimmed to the context window, by estimate. */
  private promptFor(content: string, settings: SessionSettings): TurnPrompt {
    const history: ChatMessage[] = this.conversation.map(({ role, content }) => ({ role, content }));
    const system: ChatMessage | undefined = settings.systemPrompt ? { role: 'system', content: settings.systemPrompt } : undefined;
    const newestOnly: ChatMessage[] = [...(system ? [system] : []), { role: 'user', content }];
    const contextLength = this.record()?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const budget = contextLength - answerReserve(contextLength, settings.maxTokens);
    const fitted = trimToWindow(system, history, { role: 'user', content }, budget);
    // When by estimate not even the new message fits, the engine, which counts real tokens, has
    // the last word: it answers, or refuses with context-overflow at once.
    if (!fitted) return { messages: newestOnly, newestOnly, notice: undefined };
    const notice =
      fitted.dropped > 0 ? `The ${fitted.dropped} earliest messages no longer fit in the model's memory; it answers from the most recent ones.` : undefined;
    return { messages: fitted.messages, newestOnly, notice };
  }

  private beginTurn(content: string, notice: string | undefined): Turn {
    const turn: Turn = { question: { role: 'user', content }, answer: { role: 'assistant', content: '' }, usage: undefined };
    this.conversation = [...this.conversation, turn.question, turn.answer];
    this.notice = notice;
    this.error = undefined;
    this.setStatus('generating');
    void this.history.save(this.historyKey, this.conversation);
    return turn;
  }

  /** Streams the answer; when the engine finds the trimmed prompt too long, from the newest message alone. */
  private async answer(turn: Turn, client: SessionClient, prompt: TurnPrompt, settings: SessionSettings): Promise<void> {
    const stoppedEarly = this.stopRequested; // stop() came before the answer began
    this.stopRequested = false;
    if (stoppedEarly) {
      turn.answer.stopped = true;
      return;
    }
    try {
      await this.stream(turn, client, prompt.messages, settings);
    } catch (error) {
      const retry = toLlamaChatError(error).code === 'context-overflow' && !turn.answer.content && prompt.messages.length > prompt.newestOnly.length;
      if (!retry) throw error;
      this.notice = `Earlier messages no longer fit in the model's memory; it answers from your last message only.`;
      await this.stream(turn, client, prompt.newestOnly, settings);
    }
  }

  private async stream(turn: Turn, client: SessionClient, messages: ChatMessage[], settings: SessionSettings): Promise<void> {
    let savedAt = performance.now();
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
        turn.answer.content += delta;
        this.host.emit('llama-chat-token', { delta });
        this.host.onChange();
        if (performance.now() - savedAt >= SAVE_WHILE_STREAMING_MS) {
          savedAt = performance.now();
          void this.history.save(this.historyKey, this.conversation, turn.answer);
        }
      }
      if (choice?.finish_reason === 'abort') turn.answer.stopped = true;
      if (chunk.usage) turn.usage = chunk.usage;
    }
  }

  /** A failed answer: a turn with nothing answered is taken back; a partial one is kept and marked. */
  private failTurn(turn: Turn, error: unknown): LlamaChatError {
    const failure = toLlamaChatError(error);
    if (failure.code === 'context-overflow' && !turn.answer.content) {
      // Nothing was answered: take the turn back, or every later message would overflow too.
      this.conversation = this.conversation.filter((m) => m !== turn.question && m !== turn.answer);
      this.refuse(failure);
    } else {
      turn.answer.stopped = true;
      turn.answer.failed = failure.code;
    }
    void this.history.save(this.historyKey, this.conversation);
    return this.fail(failure);
  }

  private refuse(error: LlamaChatError): LlamaChatError {
    this.refusals.add(error);
    return error;
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
    return this.history.forget(this.historyKey);
  }

  /**
   * Shows the conversation kept under `history-key` (after a reload, or when the key changes).
   * A conversation begun before any key was set is kept under the new key instead.
   */
  restore(): Promise<void> {
    const key = this.historyKey;
    if (!key) {
      this.conversationKey = undefined;
      return this.restoring;
    }
    this.restoring = this.history
      .read(key)
      .then((kept) => {
        if (this.historyKey !== key || this.status === 'generating') return;
        if (this.conversationKey === undefined && this.conversation.length > 0) {
          this.conversationKey = key;
          void this.history.save(key, this.conversation);
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
    void downloadSize(record).then((bytes) => {
      if (bytes === undefined || this.downloadSize?.model !== record.id) return;
      this.downloadSize = { model: record.id, bytes };
      this.host.onChange();
    });
  }

  /** A model this page could use instead after the configured one failed for lack of a GPU or memory. */
  alternative(): ModelRecord | undefined {
    return alternativeModel(this.record(), this.host.settings().models);
  }

  /** After quota-exceeded: deletes the other models kept on this device, then loads again. */
  async freeSpaceAndRetry(): Promise<void> {
    const current = this.record()?.id;
    const client = this.services.createClient(this.host.settings().models);
    try {
      for (const cached of await client.cache.list()) {
        if (cached.id !== current) await client.cache.delete(cached.id);
      }
    } finally {
      client.terminate();
    }
    await this.load();
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

  private get historyKey(): string | undefined {
    return this.host.settings().historyKey;
  }

  /**
   * Every failure a person sees goes through here: shown, reported as `llama-chat-error`, and
   * (unless `keepStatus`) the status set to what the failure leaves usable.
   */
  private fail(error: unknown, options: { keepStatus?: boolean; keepError?: boolean } = {}): LlamaChatError {
    const failure = toLlamaChatError(error);
    if (!options.keepError) this.error = failure;
    if (!options.keepStatus) {
      this.progress = undefined;
      if (failure.code === 'worker-crashed' || failure.code === 'device-lost') {
        // A lost GPU device stays lost in that worker: a fresh one gets a fresh device.
        this.client?.terminate();
        this.client = undefined;
        this.loadedModel = undefined;
      }
      // A failed answer leaves a loaded model usable; a failed load or a crash does not.
      this.status = this.client && this.loadedModel ? 'ready' : 'error';
    }
    this.host.onChange();
    this.host.emit('llama-chat-error', { code: failure.code, message: failure.message });
    return failure;
  }

  private setStatus(status: ChatStatus): void {
    this.status = status;
    this.host.onChange();
  }
}
