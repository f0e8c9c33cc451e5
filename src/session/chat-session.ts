// The behaviour behind <llama-chat>: loads the model, keeps the conversation, streams answers.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import { DEFAULT_CONTEXT_LENGTH, type ChatMessage, type CompletionUsage } from '../../protocol/types.js';
import { loadPart } from '../shared/code-part.js';
import { ModelSession } from './model-session.js';
import { SessionHistory } from './session-history.js';
import type { SessionClient, SessionHost, SessionServices, SessionSettings, ToolActivity, ViewMessage } from './session-types.js';
import { checkSampling } from './settings-check.js';
import { promptFor, streamInto, throttle, type Turn, type TurnPrompt } from './turn.js';

/** How long stop() waits for the engine to acknowledge before it ends the engine's worker. */
const STOP_WITHIN_MS = 1000;

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

export type { SessionEvents, SessionHost, SessionServices, SessionSettings, ViewMessage } from './session-types.js';

export class ChatSession extends ModelSession {
  /** Usage of the last finished answer. */
  lastUsage: CompletionUsage | undefined;
  /** A quiet note for the person, e.g. that early messages no longer fit the context window. */
  notice: string | undefined;
  /** A message sent before the model was ready: shown as waiting until its turn begins. */
  waiting: string | undefined;
  private conversation: ViewMessage[] = [];
  /** send() calls still waiting for the model, and whether stop() came meanwhile. */
  private sendsWaiting = 0;
  private stopRequested = false;
  /** The turn being answered, and its answer settling (resolves whatever the outcome). */
  private turn: Turn | undefined;
  private answering: Promise<void> = Promise.resolve();
  private restoring: Promise<void> = Promise.resolve();
  /** The history key the shown conversation belongs to. */
  private conversationKey: string | undefined;
  private readonly history: SessionHistory;
  /** Errors of send() calls whose message never joined the conversation (the view gives it back). */
  private readonly refusals = new WeakSet<Error>();

  constructor(host: SessionHost, services: SessionServices) {
    super(host, services);
    this.history = new SessionHistory(services.history, (error) => this.keepFailed(error));
  }

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

  /** Sends `text` as the user's next message and resolves with the full answer. */
  async send(text: string): Promise<string> {
    const content = text.trim();
    if (!content) return '';
    const client = await this.readyForTurn(content);
    this.refuseWhileAnswering(); // another message waited too, and its turn began first
    const settings = this.host.settings();
    const prompt = promptFor(this.chatMessages, content, settings, this.record()?.contextLength ?? DEFAULT_CONTEXT_LENGTH);
    const turn = this.beginTurn(content, prompt.notice);
    const answering = this.answer(turn, client, prompt, settings);
    this.answering = answering.catch(() => {});
    try {
      await answering;
    } catch (error) {
      if (!turn.forcedStop) throw this.failTurn(turn, error);
      this.restartAfterForcedStop(turn); // the engine did not stop when asked; the answer so far stays
    }
    await this.history.save(this.historyKey, this.chatMessages); // stored before send() resolves
    this.lastUsage = turn.usage;
    if (this.status === 'generating') this.setStatus('ready');
    const message = { role: turn.answer.role, content: turn.answer.content };
    this.host.emit('llama-chat-message', turn.usage ? { message, usage: turn.usage } : { message });
    return turn.answer.content;
  }

  /** Checks the settings, waits for the model; a failure here refuses the message. */
  private async readyForTurn(content: string): Promise<SessionClient> {
    const contextLength = this.record()?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
    const invalid = checkSampling(this.host.settings(), this.host.settings().attribute, contextLength);
    if (invalid) throw this.refuse(this.fail(invalid, { keepStatus: true }));
    this.refuseWhileAnswering();
    // A download can take minutes: the message shows from now on, not only once its turn begins.
    const shown = this.status !== 'ready' && this.waiting === undefined;
    if (shown) this.showWaiting(content);
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
      if (shown) this.showWaiting(undefined);
    }
    if (!this.client) throw this.refuse(new LlamaChatError('aborted', 'The model was unloaded before the message could be sent.'));
    return this.client;
  }

  private showWaiting(message: string | undefined): void {
    this.waiting = message;
    this.host.onChange();
  }

  private refuseWhileAnswering(): void {
    if (this.status !== 'generating') return;
    const busy = new LlamaChatError(
      'bad-input',
      'An answer is still being written. Stop it, or wait for it, before sending another message.',
    );
    throw this.refuse(this.fail(busy, { keepStatus: true, keepError: true }));
  }

  /** After an answer the engine would not stop: a fresh worker loads the model again (from storage). */
  private restartAfterForcedStop(turn: Turn): void {
    turn.answer.stopped = true;
    this.unload();
    this.notice = 'The engine did not stop when asked, so it was restarted; the model is loading again.';
    this.load().catch(() => {}); // shown in the view like any load
  }

  private beginTurn(content: string, notice: string | undefined): Turn {
    const turn: Turn = {
      question: { role: 'user', content },
      answer: { role: 'assistant', content: '' },
      usage: undefined,
      forcedStop: false,
    };
    this.turn = turn;
    this.conversation = [...this.conversation, turn.question, turn.answer];
    this.notice = notice;
    this.error = undefined;
    this.setStatus('generating');
    void this.history.save(this.historyKey, this.chatMessages);
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
      const retry =
        toLlamaChatError(error).code === 'context-overflow' && !turn.answer.content && prompt.messages.length > prompt.newestOnly.length;
      if (!retry) throw error;
      this.notice = `Earlier messages no longer fit in the model's memory; it answers from your last message only.`;
      await this.stream(turn, client, prompt.newestOnly, settings);
    }
  }

  private async stream(turn: Turn, client: SessionClient, messages: ChatMessage[], settings: SessionSettings): Promise<void> {
    const request = { messages, temperature: settings.temperature, max_tokens: settings.maxTokens };
    const saver = throttle(() => void this.history.save(this.historyKey, this.chatMessages, turn.answer));
    const onDelta = (delta: string) => {
      this.host.emit('llama-chat-token', { delta });
      this.host.onChange(true);
      saver(); // what has come so far is kept while it streams
    };
    if (settings.tools.length === 0) {
      await streamInto(turn, client.stream({ ...request, stream: true, stream_options: { include_usage: true } }), onDelta);
      return;
    }
    const show = (activity: ToolActivity) => {
      const at = this.conversation.indexOf(turn.answer);
      this.conversation = [
        ...this.conversation.slice(0, at),
        { role: 'assistant', content: '', tool: activity },
        ...this.conversation.slice(at),
      ];
      this.host.onChange();
    };
    const { answerWithTools } = await loadPart(() => import('./tool-loop.js')); // only pages with tools load it
    await answerWithTools(turn, client, messages, settings, {
      emit: this.host.emit.bind(this.host),
      onChange: () => this.host.onChange(),
      show,
      onDelta,
    });
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
    void this.history.save(this.historyKey, this.chatMessages);
    return this.fail(failure);
  }

  /** A save that failed is said, not swallowed: the conversation stays on the page meanwhile. */
  private keepFailed(error: unknown): void {
    const full = error instanceof DOMException && error.name === 'QuotaExceededError';
    const why = full ? 'this device is out of storage' : 'storage refused it';
    const message = `The conversation could not be kept on this device (${why}). It stays on this page until it is closed; free some space to keep it.`;
    this.fail(new LlamaChatError('quota-exceeded', message), { keepStatus: true });
  }

  private refuse(error: LlamaChatError): LlamaChatError {
    this.refusals.add(error);
    return error;
  }

  /** Stops the answer under way; what was written so far stays. */
  async stop(): Promise<void> {
    if (this.status !== 'generating') {
      if (this.sendsWaiting > 0) this.stopRequested = true;
      return;
    }
    const { client, turn, answering } = this;
    void client?.interrupt().catch(() => {});
    // An engine that does not acknowledge within a second is ended: stop always works.
    const stopped = await Promise.race([answering.then(() => true), sleep(STOP_WITHIN_MS).then(() => false)]);
    if (stopped || !turn || this.turn !== turn) return;
    turn.forcedStop = true;
    client?.terminate();
    await answering;
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
    if (!key) {
      this.conversationKey = undefined;
      return this.restoring;
    }
    this.restoring = this.history
      .read(key)
      .then(({ messages: kept, earlier }) => {
        if (this.historyKey !== key || this.status === 'generating') return;
        if (this.conversationKey === undefined && this.conversation.length > 0) {
          this.conversationKey = key;
          void this.history.save(key, this.chatMessages);
          return;
        }
        this.conversationKey = key;
        this.conversation = kept;
        this.history.earlier = earlier;
        const hidden = earlier.length + (kept.some((m) => m.fullContent !== undefined) ? 1 : 0);
        this.notice =
          hidden > 0
            ? `This conversation is long: ${hidden} of its earliest messages (or parts) are kept on this device but not shown.`
            : undefined;
        this.host.onChange();
      })
      .catch((error: unknown) => console.warn('llama-chat: the kept conversation could not be read', error));
    return this.restoring;
  }

  private get historyKey(): string | undefined {
    return this.host.settings().historyKey;
  }
}
