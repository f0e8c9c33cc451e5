// <llama-chat>: the public element. Attributes and rendering live here; the behaviour is in
// ChatSession beside it.
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ChatSession, type SessionEvents, type SessionServices, type SessionSettings, type ViewMessage } from './chat-session.js';
import { EngineClient } from './engine-client.js';
import { formatBytes } from './format.js';
import { styles } from './llama-chat.styles.js';
import { MarkdownCache } from './markdown.js';
import { ScrollFollow } from './scroll-follow.js';
import type { ChatMessage, ChatStatus, ModelRecord } from '../protocol/types.js';
import { deleteHistory, loadHistory, saveHistory } from './history-store.js';
import { pickModel } from './model-choice.js';

/** The real engine, device and storage behind every element. */
const services: SessionServices = {
  createClient: (models) => new EngineClient(models),
  pickModel,
  history: { load: loadHistory, save: saveHistory, delete: deleteHistory },
};

/** A number attribute; absent or not a number → undefined (the engine default). */
const optionalNumber = {
  fromAttribute: (value: string | null) => (value === null || value.trim() === '' ? undefined : Number(value)),
};

/**
 * A private chat with a language model that runs in the visitor's browser.
 *
 * @tag llama-chat
 *
 * @fires llama-chat-progress - `{ phase, loaded, total, text }` while the model downloads and loads
 * @fires llama-chat-ready - `{ model }` once the model can answer
 * @fires llama-chat-token - `{ delta }` for each piece of an answer as it streams
 * @fires llama-chat-message - `{ message, usage? }` when an answer is complete
 * @fires llama-chat-error - `{ code, message }` for every failure a person sees
 *
 * @csspart container - the frame around everything
 * @csspart header - the top bar with the model name and status
 * @csspart status - the status text in the header
 * @csspart messages - the scrolling conversation
 * @csspart message - every message (also `user-message` or `assistant-message`)
 * @csspart user-message - a message the person wrote
 * @csspart assistant-message - an answer
 * @csspart notice - a quiet note, e.g. that early messages were left out of the context
 * @csspart consent - the step before downloading: model, size and the load button
 * @csspart load-button - the button that starts the download
 * @csspart progress - the download / loading progress
 * @csspart error - the error with its action
 * @csspart error-action - the button that acts on an error (retry, another model, …)
 * @csspart composer - the form at the bottom
 * @csspart input - the message text area
 * @csspart send-button - the send button
 * @csspart stop-button - the stop button, shown while answering
 *
 * @cssprop --llama-chat-background - background of the chat
 * @cssprop --llama-chat-color - text colour
 * @cssprop --llama-chat-muted-color - secondary text (status, notes)
 * @cssprop --llama-chat-accent - buttons, the person's messages, focus rings
 * @cssprop --llama-chat-on-accent - text on the accent colour
 * @cssprop --llama-chat-surface - answers' background, code blocks
 * @cssprop --llama-chat-border-color - borders and dividers
 * @cssprop --llama-chat-danger - errors
 * @cssprop --llama-chat-radius - corner radius
 * @cssprop --llama-chat-spacing - the base gap between pieces
 * @cssprop --llama-chat-font - the font shorthand
 * @cssprop --llama-chat-code-font - font family of code
 * @cssprop --llama-chat-height - the element's height (default 480px)
 */
export class LlamaChat extends LitElement {
  static override styles = styles;
  static override properties = {
    model: { type: String },
    models: { attribute: false },
    systemPrompt: { type: String, attribute: 'system-prompt' },
    temperature: { converter: optionalNumber },
    maxTokens: { converter: optionalNumber, attribute: 'max-tokens' },
    autoload: { type: Boolean },
    placeholder: { type: String },
    historyKey: { type: String, attribute: 'history-key' },
    theme: { type: String, reflect: true },
  };

  /** Model id: from the built-in catalog or from `models`. */
  declare model: string;
  /** Extra model records the `model` attribute may name. */
  declare models: ModelRecord[];
  /** System message for every conversation. */
  declare systemPrompt: string;
  /** Sampling temperature; engine default when absent. */
  declare temperature: number | undefined;
  /** Longest answer in tokens; engine default when absent. */
  declare maxTokens: number | undefined;
  /** Start downloading and loading at once, without the consent step. */
  declare autoload: boolean;
  /** Placeholder of the message input. */
  declare placeholder: string;
  /** Keep the conversation in IndexedDB under this key; absent: nothing is stored. */
  declare historyKey: string | undefined;
  /** `light` or `dark` overrides the page's `prefers-color-scheme`. */
  declare theme: 'light' | 'dark' | undefined;
  /** The text of the polite live region: the last finished answer. */
  private announcement = '';

  private readonly markdown = new MarkdownCache();
  private readonly follower = new ScrollFollow(this, () => this.renderRoot.querySelector<HTMLElement>('.messages'));
  private frame = 0;

  private readonly session = new ChatSession({
    settings: (): SessionSettings => ({
      model: this.model,
      models: this.models,
      systemPrompt: this.systemPrompt,
      temperature: this.temperature,
      maxTokens: this.maxTokens,
      historyKey: this.historyKey || undefined,
      attribute: (name) => this.getAttribute(name),
    }),
    onChange: () => this.queueRender(),
    settled: () => this.updateComplete,
    emit: <K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]) => {
      if (type === 'llama-chat-message') this.announce((detail as SessionEvents['llama-chat-message']).message.content);
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    },
  }, services);

  constructor() {
    super();
    this.model = ''; // the best built-in model for this device
    this.models = [];
    this.systemPrompt = '';
    this.autoload = false;
    this.placeholder = 'Type a message…';
  }

  /** `idle` · `downloading` · `loading` · `ready` · `generating` · `error` */
  get status(): ChatStatus {
    return this.session.status;
  }

  /** The conversation so far (read-only copies). */
  get messages(): ChatMessage[] {
    return this.session.messages.map(({ role, content }) => ({ role, content }));
  }

  /** Downloads (if needed) and loads the model. */
  async load(): Promise<void> {
    await this.updateComplete; // a model set just before load() is the one loaded
    return this.session.load();
  }

  /** Sends a message; resolves with the full answer, which also streams into the view. */
  send(text: string): Promise<string> {
    this.follower.follow();
    return this.session.send(text);
  }

  /** Stops the answer under way; what was written so far stays. */
  stop(): Promise<void> {
    return this.session.stop();
  }

  /** Empties the conversation and the kept history; resolves once storage has forgotten it. */
  clear(): Promise<void> {
    return this.session.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.autoload) this.session.load().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.session.unload();
  }

  // Before rendering, so the state these set shows in this update rather than a second one.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const modelChanged = changed.has('model') && changed.get('model') !== undefined;
    if (modelChanged || changed.has('models')) this.session.unload();
    if (changed.has('historyKey')) void this.session.restore();
    if (this.session.status !== 'idle') return;
    // Failures are shown in the view and reported through events.
    if (this.autoload) this.session.load().catch(() => {});
    else this.session.prepare().then(() => this.session.describeDownload(), () => {});
  }

  /** While an answer streams, at most one render per frame; anything else renders at once. */
  private queueRender(): void {
    if (this.session.status !== 'generating') {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.requestUpdate();
    } else if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.requestUpdate();
      });
    }
  }

  private announce(text: string): void {
    // Emptied first so the same words twice are still announced twice.
    this.announcement = '';
    this.requestUpdate();
    requestAnimationFrame(() => {
      this.announcement = `Answer: ${text}`;
      this.requestUpdate();
    });
  }

  protected override render() {
    const { status } = this.session;
    const record = this.session.record();
    const busy = status === 'downloading' || status === 'loading';
    const generating = status === 'generating';
    return html`
      <section part="container" class="chat" aria-label="Chat with ${record?.label ?? this.model}">
        <header part="header">
          <span class="title">${record?.label ?? (this.model || 'Choosing a model…')}</span>
          <span part="status" class="status" data-status=${status}>
            ${generating ? html`<span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>` : nothing}
            ${statusText(status)}
          </span>
        </header>
        <div
          part="messages"
          class="messages"
          role="region"
          aria-label="Conversation"
          aria-busy=${generating ? 'true' : 'false'}
          tabindex="0"
          @click=${this.onMessagesClick}
        >
          ${this.session.messages.length === 0 ? this.renderEmpty(status) : nothing}
          ${repeat(this.session.messages, (_, i) => i, (m) => this.renderMessage(m))}
        </div>
        <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcement}</div>
        ${this.session.chosen?.notice ? html`<p part="notice" class="notice" role="status">${this.session.chosen.notice}</p>` : nothing}
        ${this.session.notice ? html`<div part="notice" class="notice">${this.session.notice}</div>` : nothing}
        ${status === 'idle' && !this.autoload && this.session.messages.length > 0 ? this.renderConsent(record) : nothing}
        ${busy ? this.renderProgress() : nothing}
        ${this.session.error ? this.renderError() : nothing}
        <form part="composer" class="composer" @submit=${this.onSubmit}>
          <textarea
            part="input"
            aria-label="Message"
            aria-keyshortcuts="Enter Shift+Enter Escape"
            rows="1"
            placeholder=${this.placeholder}
            @keydown=${this.onKeyDown}
            @input=${this.onInput}
          ></textarea>
          ${generating
            ? html`<button part="stop-button" class="stop" type="button" aria-label="Stop the answer" @click=${() => this.stop()}>Stop</button>`
            : html`<button part="send-button" type="submit" ?disabled=${busy || this.waitingForConsent}>Send</button>`}
        </form>
      </section>
    `;
  }

  /** Sending from the view never starts a download the person has not agreed to. */
  private get waitingForConsent(): boolean {
    return this.session.status === 'idle' && !this.autoload;
  }

  /** An empty conversation: the consent step in its middle, or a line saying what to do. */
  private renderEmpty(status: ChatStatus) {
    if (status === 'idle' && !this.autoload) return this.renderConsent(this.session.record());
    if (status !== 'ready') return nothing;
    return html`<p class="empty">Ask anything. The answer is written on this device.</p>`;
  }

  private renderMessage(message: ViewMessage) {
    const who = message.role === 'user' ? 'You' : 'Assistant';
    const writing = message.role === 'assistant' && this.session.status === 'generating' && message === this.session.messages.at(-1);
    return html`<div part="message ${message.role}-message" class="message ${message.role}">
      <span class="visually-hidden">${who}:</span>
      <div class="content">${message.role === 'assistant' ? this.markdown.render(message, message.content, writing) : message.content}</div>
      ${writing && !message.content ? html`<span class="dots" aria-hidden="true"><i></i><i></i><i></i></span>` : nothing}
      ${message.failed
        ? html`<div class="note" data-code=${message.failed}>Cut off by an error</div>`
        : message.stopped ? html`<div class="note">Stopped</div>` : nothing}
    </div>`;
  }

  private renderConsent(record: ModelRecord | undefined) {
    if (!record) return nothing; // still choosing the model for this device
    const bytes = this.session.downloadSize?.bytes;
    return html`<div part="consent" class="consent">
      <div class="consent-text">
        <strong>${record.label ?? record.id}</strong>
        <span class="size">${bytes ? `${formatBytes(bytes)} download, kept on this device for next time` : 'Downloaded once, kept on this device'}</span>
        <span>It runs in your browser: nothing you type leaves this device.</span>
      </div>
      <button part="load-button" type="button" @click=${this.onConsent}>Download and start</button>
    </div>`;
  }

  private onConsent(): void {
    // The user agreed to a large download: ask the browser not to evict it under pressure.
    void navigator.storage?.persist?.().catch(() => false);
    this.session.load().catch(() => {});
  }

  private renderProgress() {
    const progress = this.session.progress;
    return html`<div part="progress" class="progress">
      <progress
        aria-label="Model loading progress"
        aria-valuetext=${progress?.text ?? 'Starting'}
        max="1"
        .value=${progress?.fraction ?? 0}
        ?indeterminate=${progress?.fraction === undefined}
      ></progress>
      <!-- Not a live region: it changes with every chunk; the bar carries the same words. -->
      <div class="progress-text">${progress?.text ?? 'Starting…'}</div>
    </div>`;
  }

  private renderError() {
    const error = this.session.error!;
    const action = this.errorAction(error.code);
    return html`<div part="error" class="error" role="alert" data-code=${error.code}>
      <span>${error.message}</span>
      ${action ? html`<button part="error-action" type="button" @click=${action.run}>${action.label}</button>` : nothing}
    </div>`;
  }

  /** What a person can do about an error, as one button. */
  private errorAction(code: string): { label: string; run: () => void } | undefined {
    const ignore = () => {};
    if (code === 'context-overflow') return { label: 'Clear conversation', run: () => void this.clear() };
    if (this.session.status !== 'error') return undefined; // the model still answers: nothing to retry
    if (code === 'quota-exceeded') {
      return { label: 'Free space and retry', run: () => this.session.freeSpaceAndRetry().catch(ignore) };
    }
    const other = code === 'webgpu-unavailable' || code === 'insufficient-memory' ? this.session.alternative() : undefined;
    if (other) {
      return {
        label: `Use ${other.label ?? other.id} instead`,
        run: () => {
          this.model = other.id;
          this.updateComplete.then(() => this.session.load()).catch(ignore);
        },
      };
    }
    const label = code === 'device-lost' ? 'Reload the model' : 'Try again';
    return { label, run: () => this.session.load().catch(ignore) };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('textarea')!;
    const text = input.value;
    if (!text.trim() || this.session.status === 'generating' || this.waitingForConsent) return;
    input.value = '';
    this.fitInput(input);
    this.send(text).catch((error: unknown) => {
      // Shown in the view and reported through events; a message that was refused outright
      // (too long for the model, no model) goes back into the input rather than being lost.
      if (this.session.isRefusal(error) && !input.value) {
        input.value = text;
        this.fitInput(input);
      }
    });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    } else if (event.key === 'Escape' && this.session.status === 'generating') {
      event.preventDefault();
      void this.stop();
    }
  }

  private onInput(event: Event): void {
    this.fitInput(event.target as HTMLTextAreaElement);
  }

  /** The input grows with its text up to a few lines (CSS caps it), then scrolls. */
  private fitInput(input: HTMLTextAreaElement): void {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  }

  private onMessagesClick(event: Event): void {
    const button = (event.target as Element).closest?.('button.copy');
    const code = button?.parentElement?.querySelector('pre')?.textContent;
    if (!button || code === undefined || code === null) return;
    navigator.clipboard.writeText(code).then(
      () => flash(button, 'Copied'),
      () => flash(button, 'Copy failed'),
    );
  }
}

function flash(button: Element, text: string): void {
  button.textContent = text;
  setTimeout(() => (button.textContent = 'Copy'), 1500);
}

function statusText(status: ChatStatus): string {
  switch (status) {
    case 'idle': return 'Not loaded';
    case 'downloading': return 'Downloading';
    case 'loading': return 'Loading';
    case 'ready': return 'Ready';
    case 'generating': return 'Answering…';
    case 'error': return 'Error';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'llama-chat': LlamaChat;
  }
  interface HTMLElementEventMap {
    'llama-chat-progress': CustomEvent<SessionEvents['llama-chat-progress']>;
    'llama-chat-ready': CustomEvent<SessionEvents['llama-chat-ready']>;
    'llama-chat-token': CustomEvent<SessionEvents['llama-chat-token']>;
    'llama-chat-message': CustomEvent<SessionEvents['llama-chat-message']>;
    'llama-chat-error': CustomEvent<SessionEvents['llama-chat-error']>;
  }
}
