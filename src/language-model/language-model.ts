// The Prompt API's LanguageModel (webmachinelearning/prompt-api, index.bs) on this library's
// engines: sessions over one model in the worker, real token counts from the model itself.
import { adapterScales } from '../../protocol/lora-adapters.js';
import type { AdapterChoice, RequestMessage } from '../../protocol/types.js';
import { answer, chatTools } from './answer.js';
import { Conversation } from './conversation.js';
import { abortReason, quotaExceeded, toDomError } from './errors.js';
import { ModelHost, type LanguageModelOptions } from './model-host.js';
import { downloadMonitor } from './monitor.js';
import { untilAborted } from './signals.js';
import { canonicalPrompt, prefixOf, SUPPORTED_TYPES, toChatMessages } from './prompt-input.js';
import { responseFormat, withConstraintInput } from './response-constraint.js';
import { PARAMS, samplingFor, type Sampling } from './sampling.js';
import type * as Api from './types.js';

let host = new ModelHost();

/** The model every session after this runs (installLanguageModel's options); refused while sessions are open. */
export function useModel(options: LanguageModelOptions): void {
  if (!host.idle) throw new DOMException('Sessions are open on the model already in use: destroy them first.', 'InvalidStateError');
  host = new ModelHost(options);
}

/** Types the sessions take (text, and the tool parts the library writes itself). */
const ACCEPTED_TYPES = new Set<string>([...SUPPORTED_TYPES, 'tool-call', 'tool-response']);

/** The first expected type no session here takes; language tags that are not BCP 47 are a RangeError, as the spec says. */
function unsupportedType(options: Api.LanguageModelCreateCoreOptions): string | undefined {
  const expected = [...(options.expectedInputs ?? []), ...(options.expectedOutputs ?? [])];
  for (const { languages } of expected) if (languages) Intl.getCanonicalLocales(languages);
  return expected.find((e) => !ACCEPTED_TYPES.has(e.type))?.type;
}

interface Settings {
  host: ModelHost;
  window: number;
  sampling: Sampling;
  samplingMode: Api.LanguageModelSamplingMode | 'default';
  tools: readonly Api.LanguageModelTool[];
  toolChoice: 'auto' | 'required';
  adapter: AdapterChoice | undefined;
}

const CREATING = Symbol('LanguageModel.create');

export class LanguageModel extends EventTarget {
  static async create(options: Api.LanguageModelCreateOptions = {}): Promise<LanguageModel> {
    const signal = options.signal ?? new AbortController().signal;
    if (signal.aborted) throw abortReason(signal);
    const sampling = samplingFor(options);
    const type = unsupportedType(options);
    if (type)
      throw new DOMException(`"${type}" input or output is not supported here: this library runs text-only models.`, 'NotSupportedError');
    const initial = options.initialPrompts?.length ? toChatMessages(canonicalPrompt(options.initialPrompts, SUPPORTED_TYPES, false)) : [];
    const chosen = host;
    const monitor = downloadMonitor(options.monitor);
    try {
      if ((await chosen.availability()) === 'unavailable') {
        throw new DOMException('No engine of this library can run the configured model on this device.', 'NotSupportedError');
      }
      const record = await chosen.acquire(monitor.progress, signal);
      monitor.done();
      const settings: Settings = {
        host: chosen,
        window: chosen.contextWindow(record),
        sampling,
        samplingMode: options.samplingMode ?? 'default',
        tools: options.tools ?? [],
        toolChoice: options.toolChoice ?? 'auto',
        adapter: options.adapter,
      };
      try {
        adapterScales(record, options.adapter); // one the record does not have: refused here, not at the first prompt
        const counting = chosen.run(() => chosen.count({ messages: initial, tools: chatTools(settings.tools) }));
        const tokens = await untilAborted(counting, signal);
        if (tokens >= settings.window) throw quotaExceeded(tokens, settings.window);
        return new LanguageModel(CREATING, settings, new Conversation(initial, tokens));
      } catch (error) {
        chosen.release();
        throw error;
      }
    } catch (error) {
      throw toDomError(error);
    }
  }

  static async availability(options: Api.LanguageModelCreateCoreOptions = {}): Promise<Api.Availability> {
    samplingFor(options); // the same checks as create()
    if (unsupportedType(options)) return 'unavailable';
    return host.availability().catch((error: unknown) => Promise.reject(toDomError(error)));
  }

  /** The spec keeps this to extensions; a library may answer it. */
  static async params(): Promise<Api.LanguageModelParams | null> {
    return (await LanguageModel.availability()) === 'unavailable' ? null : PARAMS;
  }

  oncontextoverflow: ((event: Event) => void) | null = null;
  readonly #settings: Settings;
  readonly #conversation: Conversation;
  readonly #destroyed = new AbortController();

  private constructor(token: typeof CREATING, settings: Settings, conversation: Conversation) {
    super();
    if (token !== CREATING) throw new TypeError('Illegal constructor: use LanguageModel.create().');
    this.#settings = settings;
    this.#conversation = conversation;
    this.addEventListener('contextoverflow', (event) => this.oncontextoverflow?.call(this, event));
  }

  get contextUsage(): number {
    return this.#conversation.usage;
  }
  get contextWindow(): number {
    return this.#settings.window;
  }
  /** Older names (the spec keeps them for extensions). */
  get inputUsage(): number {
    return this.contextUsage;
  }
  get inputQuota(): number {
    return this.contextWindow;
  }
  get topK(): number {
    return this.#settings.sampling.topK;
  }
  get temperature(): number {
    return this.#settings.sampling.temperature;
  }
  get samplingMode(): string {
    return this.#settings.samplingMode;
  }

  prompt(input: Api.LanguageModelPrompt, options: Api.LanguageModelPromptOptions = {}): Promise<string> {
    let text = '';
    return this.#prompt(input, options, options.signal, (delta) => (text += delta)).then(() => text);
  }

  /** A stream of the answer's pieces as they come: each chunk is new text (a delta). */
  promptStreaming(input: Api.LanguageModelPrompt, options: Api.LanguageModelPromptOptions = {}): ReadableStream<string> {
    const cancelled = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, cancelled.signal]) : cancelled.signal;
    return new ReadableStream<string>({
      start: (controller) => {
        this.#prompt(input, options, signal, (delta) => controller.enqueue(delta)).then(
          () => controller.close(),
          (error: unknown) => controller.error(error),
        );
      },
      cancel: (reason: unknown) => cancelled.abort(reason),
    });
  }

  append(input: Api.LanguageModelPrompt, options: Api.LanguageModelAppendOptions = {}): Promise<undefined> {
    return this.#operation(options.signal, async (signal) => {
      const { messages, requested } = await this.#prefill(input, undefined, true, signal, 0);
      await this.#addTurn(messages, requested);
      return undefined;
    });
  }

  measureContextUsage(input: Api.LanguageModelPrompt, options: Api.LanguageModelPromptOptions = {}): Promise<number> {
    if (options.omitResponseConstraintInput && options.responseConstraint === undefined) {
      return Promise.reject(new TypeError('omitResponseConstraintInput needs a responseConstraint.'));
    }
    return this.#operation(options.signal, async (signal) => (await this.#measure(input, options, signal, false)).requested);
  }

  measureInputUsage(input: Api.LanguageModelPrompt, options: Api.LanguageModelPromptOptions = {}): Promise<number> {
    return this.measureContextUsage(input, options);
  }

  clone(options: Api.LanguageModelCloneOptions = {}): Promise<LanguageModel> {
    return this.#operation(options.signal, async (signal) => {
      // The model is loaded already: this only counts one more session on it.
      await this.#settings.host.acquire(() => {}, signal);
      return new LanguageModel(CREATING, this.#settings, this.#conversation.clone());
    });
  }

  /** Ends the session: calls under way reject with `reason` (an AbortError by default), later calls with InvalidStateError. */
  destroy(reason?: unknown): void {
    if (this.#destroyed.signal.aborted) return;
    this.#destroyed.abort(reason ?? new DOMException('The session was destroyed.', 'AbortError'));
    this.#settings.host.release();
  }

  #prompt(
    input: Api.LanguageModelPrompt,
    options: Api.LanguageModelPromptOptions,
    given: AbortSignal | undefined,
    onDelta: (delta: string) => void,
  ): Promise<void> {
    return this.#operation(given, async (signal) => {
      const format = responseFormat(options.responseConstraint);
      const { messages, requested, prefix } = await this.#prefill(input, options, false, signal, 1);
      const { host, sampling, tools, toolChoice, window } = this.#settings;
      const room = window - this.#conversation.usage - requested;
      const request = {
        messages: [...this.#conversation.messages, ...messages],
        temperature: sampling.temperature,
        top_k: sampling.topK,
        max_tokens: Math.max(1, Math.min(room, host.options.maxOutputTokens ?? 1024)),
        ...(format ? { response_format: format } : {}),
        ...(this.#settings.adapter ? { adapter: this.#settings.adapter } : {}),
      };
      const added = await answer({ host, request, tools, toolChoice, prefix, onDelta, signal });
      // The prefix is in the answer now: the turn keeps it once.
      await this.#addTurn([...(prefix === undefined ? messages : messages.slice(0, -1)), ...added], requested);
    });
  }

  /** The input checked and measured, and made to fit: older turns go (with a contextoverflow event), or it is refused. */
  async #prefill(
    input: Api.LanguageModelPrompt,
    options: Api.LanguageModelPromptOptions | undefined,
    append: boolean,
    signal: AbortSignal,
    room: number,
  ) {
    const measured = await this.#measure(input, options ?? {}, signal, !this.#conversation.isEmpty);
    const plan = this.#conversation.planFit(measured.requested, this.#settings.window, append ? 0 : room);
    if ('quota' in plan) throw quotaExceeded(plan.requested, plan.quota);
    if (plan.evict > 0) {
      this.#conversation.evict(plan.evict);
      this.dispatchEvent(new Event('contextoverflow'));
    }
    return measured;
  }

  /** `hasAppendedInput`: a system message is refused (the spec measures without that check). */
  async #measure(input: Api.LanguageModelPrompt, options: Api.LanguageModelPromptOptions, signal: AbortSignal, hasAppendedInput: boolean) {
    const canonical = canonicalPrompt(input, SUPPORTED_TYPES, hasAppendedInput);
    let messages: RequestMessage[] = toChatMessages(canonical);
    const constraint = options.responseConstraint;
    if (constraint && !options.omitResponseConstraintInput) messages = withConstraintInput(messages, constraint);
    const total = await this.#count([...this.#conversation.messages, ...messages], signal);
    return { messages, requested: Math.max(0, total - this.#conversation.usage), prefix: prefixOf(canonical) };
  }

  /** Adds a turn, with what it really takes: the whole conversation counted again. */
  async #addTurn(messages: RequestMessage[], requested: number): Promise<void> {
    const before = this.#conversation.usage;
    const total = await this.#settings.host.count({
      messages: [...this.#conversation.messages, ...messages],
      tools: chatTools(this.#settings.tools),
    });
    this.#conversation.turns.push({ messages, tokens: Math.max(requested, total - before) });
  }

  #count(messages: RequestMessage[], signal: AbortSignal): Promise<number> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return this.#settings.host.count({ messages, tools: chatTools(this.#settings.tools) });
  }

  /** Runs `work` when the model is free, for a live session; aborted by `given` or by destroy(). */
  #operation<T>(given: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const destroyed = this.#destroyed.signal;
    if (destroyed.aborted) return Promise.reject(new DOMException('The session was destroyed.', 'InvalidStateError'));
    const signal = given ? AbortSignal.any([given, destroyed]) : destroyed;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const running = this.#settings.host.run(async () => {
      if (signal.aborted) throw abortReason(signal);
      return work(signal);
    });
    return untilAborted(running, signal).catch((error: unknown) => Promise.reject(toDomError(error)));
  }
}
