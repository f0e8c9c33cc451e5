// The model behind <llama-chat>: which one runs here, loading it into a fresh worker, and the
// status and errors the view shows. ChatSession adds the conversation on top.
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import type { ChatStatus, ModelRecord } from '../../protocol/types.js';
import { findModel } from '../models/catalog.js';
import type { ModelChoice } from '../models/model-choice.js';
import { ProgressTracker, type ProgressView } from './progress-tracker.js';
import type { SessionClient, SessionHost, SessionServices } from './session-types.js';

export class ModelSession {
  status: ChatStatus = 'idle';
  progress: ProgressView | undefined;
  error: LlamaChatError | undefined;
  /** The model this session runs, with a notice when the device got a fallback. */
  chosen: ModelChoice | undefined;
  /** What the load said that lasts (the browser keeps nothing: it downloads again next visit). */
  loadNotice: string | undefined;
  protected client: SessionClient | undefined;
  private loading: Promise<void> | undefined;
  private loadedModel: string | undefined;
  private choice: Promise<ModelChoice> | undefined;

  constructor(
    protected readonly host: SessionHost,
    protected readonly services: SessionServices,
  ) {}

  /**
   * Decides which model runs here (the page's pinned one, checked against this device, or the
   * device's default) before anything is downloaded, so the view can show it and its size.
   */
  prepare(): Promise<ModelChoice> {
    if (this.choice) return this.choice;
    const { model, models, modelsProblem } = this.host.settings();
    if (modelsProblem) return Promise.reject(this.fail(new LlamaChatError('bad-input', modelsProblem)));
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

  /** The notes the view shows about the model: the device's fallback, and what its load said. */
  get modelNotice(): string | undefined {
    return [this.chosen?.notice, this.loadNotice].filter(Boolean).join(' ') || undefined;
  }

  /** The page's own model records (empty when its `models` cannot be used). */
  models(): readonly ModelRecord[] {
    return this.host.settings().models;
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
    this.loadNotice = undefined;
    this.setStatus('downloading');
    this.client?.terminate();
    const client = this.services.createClient(this.host.settings().models);
    this.client = client;
    try {
      const shared = !this.host.settings().ownEngine;
      await client.load(
        record,
        (progress) => {
          if (this.client !== client) return; // a newer load replaced this one
          this.progress = tracker.update(progress);
          if (progress.notice) this.loadNotice = progress.notice;
          this.status = progress.phase === 'download' ? 'downloading' : 'loading';
          this.host.emit('llama-chat-progress', progress);
          this.host.onChange();
        },
        { shared },
      );
      if (this.client !== client) return;
      this.loadedModel = record.id;
      this.progress = undefined;
      this.setStatus('ready');
      const { license } = record;
      const notice = this.loadNotice;
      this.host.emit('llama-chat-ready', { model: record.id, ...(notice ? { notice } : {}), ...(license ? { license } : {}) });
    } catch (error) {
      if (this.client !== client) throw toLlamaChatError(error); // replaced or unloaded: not news
      client.terminate();
      this.client = undefined;
      throw this.fail(error);
    }
  }

  /**
   * Frees the model and forgets the choice (the element left the page, or its model changed).
   * An error stays until the person acts on it, unless `forgetError` (it was about the old model).
   */
  unload(options: { forgetError?: boolean } = {}): void {
    if (options.forgetError) this.error = undefined;
    this.client?.terminate();
    this.client = undefined;
    this.loadedModel = undefined;
    this.loading = undefined;
    this.choice = undefined;
    this.chosen = undefined;
    this.progress = undefined;
    if (this.status !== 'error' || !this.error) this.setStatus('idle');
  }

  /**
   * Every failure a person sees goes through here: shown, reported as `llama-chat-error`, and
   * (unless `keepStatus`) the status set to what the failure leaves usable.
   */
  protected fail(error: unknown, options: { keepStatus?: boolean; keepError?: boolean } = {}): LlamaChatError {
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

  protected setStatus(status: ChatStatus): void {
    this.status = status;
    this.host.onChange();
  }
}
