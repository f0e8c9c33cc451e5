// The behaviour behind <llama-chat>: loads the model, keeps the conversation, streams answers.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { LlamaChatError, toLlamaChatError } from '../protocol/errors.js';
import { DEFAULT_CONTEXT_LENGTH, type ChatMessage, type CompletionUsage } from '../protocol/types.js';
import { ModelSession } from './model-session.js';
import { SessionHistory } from './session-history.js';
import type { SessionClient, SessionHost, SessionServices, SessionSettings, ToolActivity, ViewMessage } from './session-types.js';
import { checkSampling } from './settings-check.js';
import { answerWithTools } from './tool-loop.js';
import { promptFor, streamInto, throttle, type Turn, type TurnPrompt } from './turn.js';

export type { SessionEvents, SessionHost, SessionServices, SessionSettings, ViewMessage } from './session-types.js';

export class ChatSession extends ModelSession {
  /** Usage of the last finished answer. */
  lastUsage: CompletionUsage | undefined;
  /** A quiet note for the person, e.g. that early messages no longer fit the context window. */
  notice: string | undefined;
  private conversation: ViewMessage[] = [];
  /** send() calls still waiting for the model, and whether stop() came meanwhile. */
  private sendsWaiting = 0;
  private stopRequested = false;
  private restoring: Promise<void> = Promise.resolve();
  /** The history key the shown conversation belongs to. */
  private conversationKey: string | undefined;
  private readonly history: SessionHistory;
  /** Errors of send() calls whose message never joined the conversation (the view gives it back). */
  private readonly refusals = new WeakSet<Error>();

  constructor(host: SessionHost, services: SessionServices) {
    super(host, services);
    this.history = new SessionHistory(services.history);
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
    const client = await this.readyForTurn();
    const settings = this.host.settings();
    const prompt = promptFor(this.chatMessages, content, settings, this.record()?.contextLength ?? DEFAULT_CONTEXT_LENGTH);
    const turn = this.beginTurn(content, prompt.notice);
    try {
      await this.answer(turn, client, prompt, settings);
    } catch (error) {
      throw this.failTurn(turn, error);
    }
    await this.history.save(this.historyKey, this.chatMessages); // stored before send() resolves
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
      const busy = new LlamaChatError(
        'bad-input',
        'An answer is still being written. Stop it, or wait for it, before sending another message.',
      );
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

  private beginTurn(content: string, notice: string | undefined): Turn {
    const turn: Turn = { question: { role: 'user', content }, answer: { role: 'assistant', content: '' }, usage: undefined };
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
      this.host.onChange();
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
          void this.history.save(key, this.chatMessages);
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

  private get historyKey(): string | undefined {
    return this.host.settings().historyKey;
  }
}
