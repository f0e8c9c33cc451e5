// <llama-chat>: the public element. Attributes and rendering live here; the behaviour is in ChatSession beside it.
import { html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { LlamaChatProperties } from './llama-chat-properties.js';
import { ChatSession } from '../session/chat-session.js';
import { sessionHost } from './element-settings.js';
import { composerButton, emptyView, messageView, progressView, statusView, waitingView } from './chat-view.js';
import { copyCodeOnClick, fitInput, onComposerKey, submitInput } from './composer.js';
import { ErrorPanel } from './error-actions.js';
import { Announcer } from './announcer.js';
// The stylesheet as text, minified by Vite's CSS pipeline (Lightning CSS) in the build.
import stylesheet from './llama-chat.css?inline';
import { linkPolicy } from '../rendering/link-policy.js';
import { MarkdownCache, preloadMarkdown } from '../rendering/markdown-cache.js';
import { RenderPacer } from './render-pacer.js';
import { ScrollFollow } from './scroll-follow.js';
import type { ChatMessage, ChatStatus } from '../../protocol/types.js';
import { browserServices } from '../session/browser-services.js';
import { ConsentStep } from './consent-step.js';
import { toolView } from './tool-view.js';
import { attributionView } from './license-view.js';
import type { ConversationTools } from './conversation-tools.js';
import { loadPart } from '../shared/code-part.js';
import type { ExportFormat } from '../session/conversation-file.js';

/**
 * A private chat with a language model that runs in the visitor's browser.
 *
 * @tag llama-chat
 * @attr own-engine - load a model of this chat's own instead of sharing the site's one copy with its other tabs and chats
 * @attr no-attribution - hide the attribution a model's license asks for ("Built with Llama"): the site must then display it itself
 *
 * @fires llama-chat-progress - `{ phase, loaded, total, text }` while the model downloads and loads
 * @fires llama-chat-ready - `{ model, notice?, license? }` once the model can answer
 * @fires llama-chat-token - `{ delta }` for each piece of an answer as it streams
 * @fires llama-chat-message - `{ message, usage? }` when an answer is complete
 * @fires llama-chat-error - `{ code, message }` for every failure a person sees
 * @fires llama-chat-tool-call - `{ name, arguments }` when the model calls one of `tools`
 * @fires llama-chat-tool-result - `{ name, result?, error? }` when a tool call has its outcome
 * @fires llama-chat-action - `{ action, index?, format?, messages? }` when a message is copied, edited or answered again, or the conversation exported or imported
 *
 * @csspart container - the frame around everything
 * @csspart header - the top bar with the model name and status
 * @csspart status - the status text in the header
 * @csspart messages - the scrolling conversation
 * @csspart message - every message (also `user-message` or `assistant-message`)
 * @csspart user-message - a message the person wrote
 * @csspart assistant-message - an answer
 * @csspart message-actions - the row of buttons under a message
 * @csspart copy-button - copies a message's text (an answer's Markdown source); says "Copied"
 * @csspart edit-button - on the person's messages: edit the message and send it again
 * @csspart regenerate-button - on the last answer: answer the last message again
 * @csspart edit-form - the editor that takes a message's place while it is edited
 * @csspart edit-input - its text area
 * @csspart edit-send-button - sends the edited message (the conversation after it is replaced)
 * @csspart edit-cancel-button - leaves the message as it was
 * @csspart conversation-menu - the header's menu (a details element)
 * @csspart conversation-menu-button - the summary that opens it
 * @csspart export-markdown-button - saves the conversation as a Markdown file
 * @csspart export-json-button - saves it as JSON (importable)
 * @csspart import-button - opens a JSON export, replacing the conversation
 * @csspart tool-call - a call of a page tool in the conversation
 * @csspart tool-allow - the button that lets a tool with `confirm` run
 * @csspart tool-deny - the button that refuses it
 * @csspart notice - a quiet note, e.g. that early messages were left out of the context
 * @csspart larger-model-button - in the consent step, where the device's memory is not known: choose the larger model
 * @csspart consent - the step before downloading: model, size, license and the load button
 * @csspart license - in the consent step: the model's license and its Acceptable Use Policy, as links
 * @csspart load-button - the button that starts the download
 * @csspart consent-problem - in the consent step, instead of the button: why this device cannot run the model (too large), and what to choose
 * @csspart progress - the download / loading progress
 * @csspart error - the error with its action
 * @csspart error-action - the button that acts on an error (retry, another model, …)
 * @csspart free-space - after quota-exceeded: the stored models to choose from for deleting
 * @csspart free-space-delete - the button that deletes the chosen models and retries
 * @csspart composer - the form at the bottom
 * @csspart input - the message text area
 * @csspart send-button - the send button
 * @csspart stop-button - the stop button, shown while answering
 * @csspart attribution - while the model is loaded: what its license asks to display ("Built with Llama"), linked to the license
 */
export class LlamaChat extends LlamaChatProperties {
  static override styles = unsafeCSS(stylesheet);
  private readonly announcer = new Announcer(this);

  private readonly markdown = new MarkdownCache(() => this.requestUpdate());
  private readonly consent = new ConsentStep({
    record: () => this.session.record(),
    choice: () => this.session.chosen,
    models: () => this.session.models(),
    load: () => this.session.load(),
    useModel: (id) => void (this.model = id),
    requestUpdate: () => this.requestUpdate(),
    started: () => this.focusInput(), // the person can write while the model loads
  });
  private readonly follower = new ScrollFollow(this, () => this.renderRoot.querySelector<HTMLElement>('.messages'));
  private readonly pacer = new RenderPacer(this);

  private readonly session: ChatSession = new ChatSession(
    sessionHost(this, {
      onChange: (streamed) => this.pacer.queue(!!streamed),
      announce: (text) => this.announcer.say(text),
    }),
    browserServices,
  );
  /** The buttons under messages and the header's menu: a part, loaded when the element first connects. */
  private controls: ConversationTools | undefined;
  private readonly errors = new ErrorPanel(this, this.session, { useModel: (id) => this.useModel(id), after: () => this.focusInput() });

  /** `idle` · `downloading` · `loading` · `ready` · `generating` · `error` */
  get status(): ChatStatus {
    return this.session.status;
  }

  /** The conversation so far (read-only copies). */
  get messages(): ChatMessage[] {
    return this.session.chatMessages.map(({ role, content }) => ({ role, content }));
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

  /** Answers the person's last message again, replacing the last answer (in the view, the kept history and the model's context); resolves with the new answer. */
  regenerate(): Promise<string> {
    this.follower.follow();
    return this.session.regenerate();
  }

  /** Replaces the person's message at `index` of `messages`, and everything after it, with `text`; resolves with its answer. */
  edit(index: number, text: string): Promise<string> {
    this.follower.follow();
    return this.session.edit(index, text);
  }

  /** The whole conversation as a file's text: `markdown` for people, `json` (with the model and system prompt) for programs and importConversation(). */
  exportConversation(format: ExportFormat = 'markdown'): Promise<string> {
    return this.session.exportConversation(format);
  }

  /** Replaces the conversation with a JSON export (text or parsed), kept under `history-key`; input it cannot take is refused with `bad-input` and changes nothing. */
  importConversation(conversation: string | object): Promise<void> {
    return this.session.importConversation(conversation);
  }

  /** Stops the answer under way; what was written so far stays. */
  stop(): Promise<void> {
    return this.session.stop();
  }

  /** Empties the conversation and the kept history; resolves once storage has forgotten it. */
  clear(): Promise<void> {
    return this.session.clear();
  }

  /** Deletes every byte the library stored on this origin: all models, engine caches and kept conversations. */
  forgetEverything(): Promise<void> {
    this.autoload = false; // what was just forgotten is not downloaded again by itself
    return this.session.forgetEverything();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadControls();
    if (this.hasUpdated) this.requestUpdate(); // back on the page: willUpdate starts what autoload asks
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.pacer.cancel();
    // Moving the element (removed and added back in one task) is not leaving: decide after it.
    setTimeout(() => {
      if (!this.isConnected) this.session.unload();
    });
  }

  // Before rendering, so the state these set shows in this update rather than a second one.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const modelChanged = changed.has('model') && changed.get('model') !== undefined;
    // A new model or list makes earlier failures moot (an unknown id may be known now).
    if (modelChanged || changed.has('models')) this.session.unload({ forgetError: true });
    if (changed.has('historyKey')) void this.session.restore();
    if (changed.has('links')) this.markdown.setLinkPolicy(linkPolicy(this.links));
    // Off the page nothing starts: a removed element frees its worker and stays idle.
    if (this.session.status !== 'idle' || !this.isConnected) return;
    // Failures are shown in the view and reported through events.
    if (this.autoload) this.session.load().catch(() => {});
    else
      this.session.prepare().then(
        () => this.consent.describe(),
        () => {},
      );
  }

  protected override render() {
    const { status, messages } = this.session;
    const record = this.session.record();
    const busy = status === 'downloading' || status === 'loading';
    if (status !== 'idle') void preloadMarkdown(); // ready before the first answer
    const generating = status === 'generating';
    const chats = this.session.chatMessages;
    const places = new Map(chats.map((m, i) => [m, i]));
    const lastAnswer = chats.at(-1)?.role === 'assistant' && chats.length > 1 ? chats.at(-1) : undefined;
    const adapter = record?.adapters?.find((a) => a.id === this.adapter); // the LoRA adapter answering, by its name
    const title = `${record?.label ?? (this.model || 'Choosing a model…')}${adapter ? ` · ${adapter.label ?? adapter.id}` : ''}`;
    return html`
      <section part="container" class="chat" aria-label="Chat with ${record ? title : this.model}">
        <header part="header">
          <span class="title">${title}</span>
          <span class="header-end">${statusView(status)} ${this.controls?.menu.view({ empty: chats.length === 0, busy: generating })}</span>
        </header>
        <div part="messages" class="messages" role="region" aria-label="Conversation" aria-busy=${generating ? 'true' : 'false'} tabindex="0" @click=${copyCodeOnClick}>
          ${messages.length > 0 ? nothing : this.waitingForConsent ? this.consent.view() : status === 'ready' ? emptyView : nothing}
          ${messages.map((m) =>
            // Lit keeps each message's nodes by position: an answer renders in place as it streams.
            m.tool
              ? toolView(m.tool)
              : messageView(
                  m,
                  { writing: generating && m === messages.at(-1), index: places.get(m) ?? -1, last: m === lastAnswer },
                  this.markdown,
                  this.controls?.actions,
                ),
          )}
          ${waitingView(this.session.waiting)}
        </div>
        <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.announcer.text}</div>
        ${this.session.modelNotice ? html`<p part="notice" class="notice" role="status">${this.session.modelNotice}</p>` : nothing}
        ${this.session.notice ? html`<div part="notice" class="notice">${this.session.notice}</div>` : nothing}
        ${this.waitingForConsent && messages.length > 0 ? this.consent.view() : nothing}
        ${busy ? progressView(this.session.progress) : nothing}
        ${this.errors.view()}
        <form part="composer" class="composer" @submit=${this.onSubmit}>
          <textarea part="input" aria-label="Message" aria-keyshortcuts="Enter Shift+Enter Escape" rows="1" placeholder=${this.placeholder} @keydown=${(e: KeyboardEvent) => onComposerKey(e, this.session.status === 'generating' ? () => void this.stop() : undefined)} @input=${(e: Event) => fitInput(e.target as HTMLTextAreaElement)}></textarea>
          ${composerButton(generating, !this.canSubmit, () => void this.stop())}
        </form>
        ${attributionView(record?.license, status, this.noAttribution)}
      </section>
    `;
  }

  /** Sending from the view never starts a download the person has not agreed to. */
  private get waitingForConsent(): boolean {
    return this.session.status === 'idle' && !this.autoload;
  }

  /** While the model loads, one message may wait for it; during an answer, none. */
  private get canSubmit(): boolean {
    return this.session.status !== 'generating' && !this.waitingForConsent && this.session.waiting === undefined;
  }

  private async loadControls(): Promise<void> {
    if (this.controls) return;
    try {
      const { conversationTools } = await loadPart(() => import('./conversation-tools.js'));
      this.controls ??= conversationTools(this, {
        canAct: () => this.canSubmit,
        indexOf: (message) => this.session.chatMessages.indexOf(message),
        regenerate: () => this.regenerate(),
        edit: (index, text) => this.edit(index, text),
        copied: (index) =>
          this.dispatchEvent(new CustomEvent('llama-chat-action', { detail: { action: 'copy', index }, bubbles: true, composed: true })),
        exportConversation: (format) => this.exportConversation(format),
        importConversation: (text) => this.importConversation(text),
        model: () => this.session.record()?.id ?? this.model,
        announce: (text) => this.announcer.say(text),
      });
      this.requestUpdate();
    } catch (error) {
      console.warn('llama-chat: the conversation buttons could not load; the chat works without them', error);
    }
  }

  /** After a button that goes away, focus goes to the input. */
  private focusInput = () => void this.updateComplete.then(() => this.renderRoot.querySelector('textarea')?.focus());

  private async useModel(id: string): Promise<void> {
    this.model = id;
    await this.updateComplete;
    await this.session.load();
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.canSubmit) return; // the text stays in the input
    submitInput(
      this.renderRoot.querySelector('textarea')!,
      (text) => this.send(text),
      (error) => this.session.isRefusal(error),
    );
    if (this.session.waiting !== undefined) this.announcer.say('Your message is sent once the model is ready.');
  }
}
