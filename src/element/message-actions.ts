// The buttons under each message: copy (any message), edit and resend (the person's), answer
// again (the last answer); and the in-place editor an edit opens. The session does the work.
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ViewMessage } from '../session/session-types.js';
import { fitInput, onComposerKey } from './composer.js';

/** How long "Copied" stays on the button. */
const CONFIRM_MS = 2000;

type View = TemplateResult | typeof nothing;

/** The element: what it renders into. */
export interface ViewHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface MessageActionsHost {
  /** Whether an edit or a new answer may start now (no answer is being written, the model is not waiting for consent). */
  canAct(): boolean;
  /** The message's place in the element's `messages` (tool calls left out). */
  indexOf(message: ViewMessage): number;
  regenerate(): Promise<string>;
  edit(index: number, text: string): Promise<string>;
  /** Says `text` to screen readers. */
  announce(text: string): void;
  /** Reports an action for analytics (`llama-chat-action`). */
  copied(index: number): void;
}

export class MessageActions {
  /** The person's message being edited, if any. */
  editing: ViewMessage | undefined;
  /** The message whose copy button says how its copy went, and what it says. */
  private confirmation: { message: ViewMessage; text: string } | undefined;

  constructor(
    private readonly element: ViewHost,
    private readonly host: MessageActionsHost,
  ) {}

  /** The buttons under `message`; `last`: the conversation's last answer, which may be answered again. */
  view(message: ViewMessage, last: boolean): View {
    if (message.tool || message === this.editing || !message.content) return nothing;
    const user = message.role === 'user';
    const acting = this.host.canAct();
    const copyText = this.confirmation?.message === message ? this.confirmation.text : 'Copy';
    return html`<div part="message-actions" class="actions">
      <button part="copy-button" type="button" class="action" aria-label="${copyText} ${user ? 'message' : 'answer'}" @click=${() => void this.copy(message)}>${copyText}</button>
      ${user && acting ? html`<button part="edit-button" type="button" class="action" aria-label="Edit message" @click=${() => this.startEdit(message)}>Edit</button>` : nothing}
      ${!user && last && acting ? html`<button part="regenerate-button" type="button" class="action" aria-label="Regenerate answer" @click=${() => void this.host.regenerate().catch(() => {})}>Regenerate</button>` : nothing}
    </div>`;
  }

  /** The editor in place of the message being edited: Enter sends, Shift+Enter is a new line, Escape cancels. */
  editor(message: ViewMessage): View {
    return html`<form part="edit-form" class="edit-form" @submit=${(e: SubmitEvent) => this.submitEdit(e, message)}>
      <textarea part="edit-input" aria-label="Edit your message" aria-keyshortcuts="Enter Shift+Enter Escape" rows="2" .value=${message.content}
        @keydown=${(e: KeyboardEvent) => onComposerKey(e, () => this.cancelEdit())} @input=${(e: Event) => fitInput(e.target as HTMLTextAreaElement)}></textarea>
      <div class="edit-buttons">
        <button part="edit-cancel-button" type="button" class="secondary" @click=${() => this.cancelEdit()}>Cancel</button>
        <button part="edit-send-button" type="submit">Send</button>
      </div>
    </form>`;
  }

  private async copy(message: ViewMessage): Promise<void> {
    const ok = await navigator.clipboard.writeText(message.fullContent ?? message.content).then(
      () => true,
      () => false,
    );
    this.confirmation = { message, text: ok ? 'Copied' : 'Copy failed' };
    this.host.announce(ok ? 'Copied to the clipboard.' : 'The browser did not allow copying.');
    if (ok) this.host.copied(this.host.indexOf(message));
    this.element.requestUpdate();
    setTimeout(() => {
      if (this.confirmation?.message !== message) return;
      this.confirmation = undefined;
      this.element.requestUpdate();
    }, CONFIRM_MS);
  }

  private startEdit(message: ViewMessage): void {
    this.editing = message;
    this.element.requestUpdate();
    void this.element.updateComplete.then(() => {
      const input = this.element.renderRoot.querySelector<HTMLTextAreaElement>('.edit-form textarea');
      if (!input) return;
      fitInput(input);
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    });
  }

  private cancelEdit(): void {
    const message = this.editing;
    this.editing = undefined;
    this.element.requestUpdate();
    // Focus goes back to the message's Edit button.
    const index = message ? this.host.indexOf(message) : -1;
    void this.element.updateComplete.then(() =>
      this.element.renderRoot.querySelector<HTMLElement>(`.message[data-index="${index}"] [part~="edit-button"]`)?.focus(),
    );
  }

  private submitEdit(event: SubmitEvent, message: ViewMessage): void {
    event.preventDefault();
    const text = (event.currentTarget as HTMLFormElement).querySelector('textarea')!.value;
    if (!text.trim()) return; // an empty edit stays open: Cancel or Escape leaves it
    this.editing = undefined;
    this.element.requestUpdate();
    // A refused edit (the model busy, the text too long) is shown by the session; the message stays as it was.
    this.host.edit(this.host.indexOf(message), text).catch(() => {});
  }
}
