// <llama-chat>: the public element. Attributes and rendering live here; the behaviour is in
// ChatSession beside it.
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { DEFAULT_MODEL_ID } from './catalog.js';
import { ChatSession, type SessionEvents, type SessionSettings, type ViewMessage } from './chat-session.js';
import { formatBytes } from './format.js';
import { styles } from './llama-chat.styles.js';
import type { ChatMessage, ChatStatus, ModelRecord } from './types.js';

/** A number attribute; absent or not a number → undefined (the engine default). */
const optionalNumber = {
  fromAttribute: (value: string | null) => (value === null || value.trim() === '' ? undefined : Number(value)),
};

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
  };

  declare model: string;
  declare models: ModelRecord[];
  declare systemPrompt: string;
  declare temperature: number | undefined;
  declare maxTokens: number | undefined;
  declare autoload: boolean;
  declare placeholder: string;

  private readonly session = new ChatSession({
    settings: (): SessionSettings => ({
      model: this.model,
      models: this.models,
      systemPrompt: this.systemPrompt,
      temperature: this.temperature,
      maxTokens: this.maxTokens,
      attribute: (name) => this.getAttribute(name),
    }),
    onChange: () => this.requestUpdate(),
    emit: <K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]) => {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    },
  });

  constructor() {
    super();
    this.model = DEFAULT_MODEL_ID;
    this.models = [];
    this.systemPrompt = '';
    this.autoload = false;
    this.placeholder = 'Type a message…';
  }

  get status(): ChatStatus {
    return this.session.status;
  }

  get messages(): ChatMessage[] {
    return this.session.messages.map(({ role, content }) => ({ role, content }));
  }

  load(): Promise<void> {
    return this.session.load();
  }

  send(text: string): Promise<string> {
    return this.session.send(text);
  }

  stop(): Promise<void> {
    return this.session.stop();
  }

  clear(): void {
    this.session.clear();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.unload();
  }

  // Before rendering, so the state these set shows in this update rather than a second one.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const modelChanged = changed.has('model') && changed.get('model') !== undefined;
    if (modelChanged || changed.has('models')) this.session.unload();
    if (this.autoload && this.session.status === 'idle') this.session.load().catch(() => {}); // reported through events
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.autoload) this.session.load().catch(() => {});
  }

  protected override render() {
    const { status } = this.session;
    const record = this.session.record();
    const busy = status === 'downloading' || status === 'loading';
    return html`
      <section part="container" class="chat">
        <header part="header">
          <span class="title">${record?.label ?? this.model}</span>
          <span class="status" data-status=${status}>${statusText(status)}</span>
        </header>
        <div part="messages" class="messages" role="log" aria-live="polite" aria-label="Conversation">
          ${repeat(this.session.messages, (_, i) => i, (m) => this.renderMessage(m))}
        </div>
        ${status === 'idle' && !this.autoload ? this.renderConsent(record) : nothing}
        ${busy ? this.renderProgress() : nothing}
        ${this.session.error ? this.renderError() : nothing}
        <form part="composer" class="composer" @submit=${this.onSubmit}>
          <textarea
            part="input"
            aria-label="Message"
            rows="1"
            placeholder=${this.placeholder}
            @keydown=${this.onKeyDown}
          ></textarea>
          ${status === 'generating'
            ? html`<button part="stop-button" type="button" @click=${() => this.stop()}>Stop</button>`
            : html`<button part="send-button" type="submit" ?disabled=${busy}>Send</button>`}
        </form>
      </section>
    `;
  }

  private renderMessage(message: ViewMessage) {
    const who = message.role === 'user' ? 'You' : 'Assistant';
    return html`<div part="message ${message.role}-message" class="message ${message.role}">
      <span class="visually-hidden">${who}:</span>
      <div class="content">${message.content}</div>
      ${message.failed
        ? html`<div class="note" data-code=${message.failed}>Cut off by an error</div>`
        : message.stopped ? html`<div class="note">Stopped</div>` : nothing}
    </div>`;
  }

  private renderConsent(record: ModelRecord | undefined) {
    const size = record?.sizeBytes ? ` (${formatBytes(record.sizeBytes)} download)` : '';
    return html`<div part="consent" class="consent">
      <p>${record?.label ?? this.model}${size} runs in your browser. Nothing you type leaves this device.</p>
      <button part="load-button" type="button" @click=${() => this.session.load().catch(() => {})}>
        Download and start
      </button>
    </div>`;
  }

  private renderProgress() {
    const progress = this.session.progress;
    return html`<div part="progress" class="progress">
      <progress
        aria-label="Model loading progress"
        max="1"
        .value=${progress?.fraction ?? 0}
        ?indeterminate=${progress?.fraction === undefined}
      ></progress>
      <div class="progress-text" aria-live="polite">${progress?.text ?? 'Starting…'}</div>
    </div>`;
  }

  private renderError() {
    const error = this.session.error!;
    return html`<div part="error" class="error" role="alert" data-code=${error.code}>
      <span>${error.message}</span>
      ${this.session.status === 'error'
        ? html`<button type="button" @click=${() => this.session.load().catch(() => {})}>
            ${error.code === 'device-lost' ? 'Reload the model' : 'Try again'}
          </button>`
        : nothing}
    </div>`;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('textarea')!;
    const text = input.value;
    if (!text.trim() || this.session.status === 'generating') return;
    input.value = '';
    this.send(text).catch(() => {}); // shown in the view and reported through events
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      (event.target as HTMLTextAreaElement).form?.requestSubmit();
    } else if (event.key === 'Escape') {
      void this.stop();
    }
  }
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
