// The behaviour behind <llama-chat>: loads the model, streams answers (sent, regenerated, edited), stops.
// It knows nothing of the DOM; it tells its host what changed through `onChange` and `emit`.
import { LlamaChatError, toLlamaChatError } from '../../protocol/errors.js';
import { DEFAULT_CONTEXT_LENGTH, type ChatMessage, type CompletionUsage } from '../../protocol/types.js';
import { loadPart } from '../shared/code-part.js';
import { ConversationSession } from './conversation-session.js';
import type { SessionClient, SessionSettings, ToolActivity, ViewMessage } from './session-types.js';
import { checkSampling } from './settings-check.js';
import { promptFor, streamInto, throttle, type Turn, type TurnPrompt } from './turn.js';

/** How long stop() waits for the engine to acknowledge before it ends the engine's worker. */
const STOP_WITHIN_MS = 1000;

const sleep = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms));

export type { SessionEvents, SessionHost, SessionServices, SessionSettings, ViewMessage } from './session-types.js';

export class ChatSession extends ConversationSession {
  /** Usage of the last finished answer. */
  lastUsage: CompletionUsage | undefined;
  /** A message sent before the model was ready: shown as waiting until its turn begins. */
  waiting: string | undefined;
  /** send() calls still waiting for the model, and whether stop() came meanwhile. */
  private sendsWaiting = 0;
  private stopRequested = false;
  /** The turn being answered, and its answer settling (resolves whatever the outcome). */
  private turn: Turn | undefined;
  private answering: Promise<void> = Promise.resolve();

  /** Sends `text` as the user's next message and resolves with the full answer. */
  send(text: string): Promise<string> {
    return this.ask(text.trim());
  }

  /** Answers the person's last message again: the answer it replaces is gone, from the view, the history and the context. */
  regenerate(): Promise<string> {
    const question = this.chatMessages.findLast((m) => m.role === 'user');
    if (!question) return Promise.reject(this.refuseAction('There is no message to answer again yet.'));
    this.host.emit('llama-chat-action', { action: 'regenerate', index: this.chatMessages.indexOf(question) });
    return this.ask(question.content, question);
  }

  /** Replaces the person's message at `index` of `chatMessages`, and all after it, with `text` and its answer. */
  edit(index: number, text: string): Promise<string> {
    const message = this.chatMessages[index];
    if (message?.role !== 'user')
      return Promise.reject(this.refuseAction(`Message ${index} is not one the person wrote, so it cannot be edited.`));
    if (!text.trim()) return Promise.reject(this.refuseAction('An edited message needs some text.'));
    this.host.emit('llama-chat-action', { action: 'edit', index });
    return this.ask(text.trim(), message);
  }

  /** Asks `content`, replacing the conversation from `from` on (the end when absent). */
  private async ask(content: string, from?: ViewMessage): Promise<string> {
    if (!content) return '';
    const client = await this.readyForTurn(content);
    this.refuseWhileAnswering(); // another message waited too, and its turn began first
    const at = from ? this.conversation.indexOf(from) : this.conversation.length;
    if (at < 0) throw this.refuseAction('The conversation changed before this message could be sent again.');
    const settings = this.host.settings();
    const before = this.conversation.slice(0, at).filter((m) => !m.tool);
    const prompt = promptFor(before, content, settings, this.record()?.contextLength ?? DEFAULT_CONTEXT_LENGTH);
    const turn = this.beginTurn(content, prompt.notice, at);
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

  /** After an answer the engine would not stop: a fresh worker loads the model again (from storage). */
  private restartAfterForcedStop(turn: Turn): void {
    turn.answer.stopped = true;
    this.unload();
    this.notice = 'The engine did not stop when asked, so it was restarted; the model is loading again.';
    this.load().catch(() => {}); // shown in the view like any load
  }

  private beginTurn(content: string, notice: string | undefined, at: number): Turn {
    const turn: Turn = {
      question: { role: 'user', content },
      answer: { role: 'assistant', content: '' },
      usage: undefined,
      forcedStop: false,
      replaced: this.conversation.slice(at),
    };
    this.turn = turn;
    this.conversation = [...this.conversation.slice(0, at), turn.question, turn.answer];
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
    const request = {
      messages,
      temperature: settings.temperature,
      max_tokens: settings.maxTokens,
      ...(settings.adapter ? { adapter: settings.adapter } : {}),
    };
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
      // Nothing was answered: take the turn back (and give back what it replaced), or every later message would overflow too.
      this.conversation = [...this.conversation.filter((m) => m !== turn.question && m !== turn.answer), ...turn.replaced];
      this.refuse(failure);
    } else {
      turn.answer.stopped = true;
      turn.answer.failed = failure.code;
    }
    void this.history.save(this.historyKey, this.chatMessages);
    return this.fail(failure);
  }

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
}
