// The conversation behind <llama-chat>, apart from its answers: what is shown, kept under
// `history-key`, restored, cleared, exported and imported. ChatSession adds the turns.
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import type { ExportFormat, ImportedConversation } from './conversation-file.js';
import { loadPart } from '../shared/code-part.js';
import { ModelSession } from './model-session.js';
import { SessionHistory, type ShownConversation } from './session-history.js';
import type { SessionHost, SessionServices, ViewMessage } from './session-types.js';

export abstract class ConversationSession extends ModelSession {
  /** A quiet note for the person, e.g. that early messages no longer fit the context window. */
  notice: string | undefined;
  protected conversation: ViewMessage[] = [];
  protected restoring: Promise<void> = Promise.resolve();
  protected readonly history: SessionHistory;
  /** Errors of calls whose message never joined the conversation (the view gives it back). */
  private readonly refusals = new WeakSet<Error>();

  constructor(host: SessionHost, services: SessionServices) {
    super(host, services);
    this.history = new SessionHistory(services.history, (error) => this.keepFailed(error));
  }

  /** Stops the answer under way; what was written so far stays. */
  abstract stop(): Promise<void>;

  get messages(): readonly ViewMessage[] {
    return this.conversation;
  }

  /** The conversation without tool calls: what is sent, kept and reported. */
  get chatMessages(): readonly ViewMessage[] {
    return this.conversation.filter((m) => !m.tool);
  }

  /** True when `error`, thrown by send(), means its message was not taken into the conversation. */
  isRefusal(error: unknown): boolean {
    return error instanceof Error && this.refusals.has(error);
  }

  protected refuseWhileAnswering(): void {
    if (this.status !== 'generating') return;
    const busy = new LlamaChatError(
      'bad-input',
      'An answer is still being written. Stop it, or wait for it, before sending another message.',
    );
    throw this.refuse(this.fail(busy, { keepStatus: true, keepError: true }));
  }

  /** A save that failed is said, not swallowed: the conversation stays on the page meanwhile. */
  private keepFailed(error: unknown): void {
    const full = error instanceof DOMException && error.name === 'QuotaExceededError';
    const why = full ? 'this device is out of storage' : 'storage refused it';
    const message = `The conversation could not be kept on this device (${why}). It stays on this page until it is closed; free some space to keep it.`;
    this.fail(new LlamaChatError('quota-exceeded', message), { keepStatus: true });
  }

  /** A conversation action that cannot be done: said in the view and the error event; nothing changes. */
  protected refuseAction(message: string): LlamaChatError {
    return this.refuse(this.fail(new LlamaChatError('bad-input', message), { keepStatus: true }));
  }

  protected refuse(error: LlamaChatError): LlamaChatError {
    this.refusals.add(error);
    return error;
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

  /** Deletes every byte the library stored on this origin and starts over, empty and idle. */
  async forgetEverything(): Promise<void> {
    await this.stop();
    this.conversation = [];
    this.history.earlier = [];
    this.notice = undefined;
    this.unload({ forgetError: true });
    await this.services.createClient(this.models()).forgetEverything();
  }

  /**
   * Shows the conversation kept under `history-key` (after a reload, or when the key changes).
   * A conversation begun before any key was set is kept under the new key instead.
   */
  restore(): Promise<void> {
    const key = this.historyKey;
    this.restoring = this.history
      .restore(
        key,
        () => this.chatMessages,
        () => this.historyKey === key && this.status !== 'generating',
      )
      .then((shown) => shown && this.show(shown))
      .catch((error: unknown) => console.warn('llama-chat: the kept conversation could not be read', error));
    return this.restoring;
  }

  /** The conversation as a file: Markdown for people, JSON for programs (and importConversation). */
  async exportConversation(format: ExportFormat): Promise<string> {
    const { model, systemPrompt } = this.host.settings();
    const about = { model: this.record()?.id ?? model, label: this.record()?.label, systemPrompt };
    const messages = [...this.history.earlier, ...this.chatMessages]; // as it is now
    const { conversationFile, conversationMarkdown } = await conversationFiles();
    this.host.emit('llama-chat-action', { action: 'export', format });
    return (format === 'json' ? conversationFile : conversationMarkdown)(messages, about);
  }

  /** Replaces the conversation with an exported one (kept under `history-key`); a file it cannot take changes nothing. */
  async importConversation(input: unknown): Promise<void> {
    let imported: ImportedConversation;
    try {
      const { parseConversation } = await conversationFiles();
      this.refuseWhileAnswering();
      imported = parseConversation(input);
    } catch (error) {
      throw this.refuse(this.fail(toLlamaChatError(error), { keepStatus: true }));
    }
    const { shown, saved } = this.history.replace(this.historyKey, imported.messages);
    const model = this.record()?.id ?? this.host.settings().model;
    const other = imported.model && imported.model !== model ? `It was written with ${imported.model}; ${model} answers from here on.` : '';
    this.show({ ...shown, notice: [shown.notice, other].filter(Boolean).join(' ') || undefined });
    this.error = undefined;
    this.host.emit('llama-chat-action', { action: 'import', messages: imported.messages.length });
    await saved;
  }

  private show({ messages, notice }: ShownConversation): void {
    this.conversation = messages;
    this.notice = notice;
    this.host.onChange();
  }

  protected get historyKey(): string | undefined {
    return this.host.settings().historyKey;
  }
}

/** Making and reading conversation files: a part loaded on first use. */
const conversationFiles = () => loadPart(() => import('./conversation-file.js'));
