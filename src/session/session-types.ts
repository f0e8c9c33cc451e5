// What ChatSession needs from the outside, as interfaces: the element implements SessionHost,
// and SessionServices is injected so the session runs in a unit test with a fake engine.
import type { ErrorCode } from '../../protocol/errors.js';
import type { LoadOptions } from '../../protocol/worker-api.js';
import type {
  CachedModel,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  CompletionUsage,
  LoadProgress,
  ModelLicense,
  ModelRecord,
  StorageEstimate,
} from '../../protocol/types.js';
import type { RestoredHistory, StoredMessage } from '../history/history-store.js';
import type { ModelChoice } from '../models/model-choice.js';
import type { PageTool } from './page-tools.js';
import type { AttributeReader } from './settings-check.js';

export interface SessionSettings {
  model: string;
  models: readonly ModelRecord[];
  /** Why the page's `models` cannot be used (not JSON, not records); the session reports it. */
  modelsProblem?: string | undefined;
  systemPrompt: string;
  temperature: number | undefined;
  maxTokens: number | undefined;
  /** One of the model record's LoRA adapters for every answer; undefined: the model alone. */
  adapter?: string | undefined;
  /** Keep the conversation in IndexedDB under this key; undefined: keep nothing. */
  historyKey: string | undefined;
  /** Functions on the page the model may call; empty: none. */
  tools: readonly PageTool[];
  /** The first round of each answer: `auto` (the model decides) or `required` (it must call one). */
  toolChoice: 'auto' | 'required';
  /** A model of this chat's own, never shared with other tabs and elements of the site. */
  ownEngine: boolean;
  /** An attribute's text as written, to name it in errors. */
  attribute?: AttributeReader;
}

export interface SessionEvents {
  'llama-chat-progress': LoadProgress;
  /** `license`: the loaded model's, when its record has one (what it asks of the site: README, "Models and their licenses"). */
  'llama-chat-ready': { model: string; notice?: string; license?: ModelLicense };
  'llama-chat-token': { delta: string };
  'llama-chat-message': { message: ChatMessage; usage?: CompletionUsage };
  'llama-chat-error': { code: ErrorCode; message: string };
  /** The model called a page tool (before it runs, or before the person is asked). */
  'llama-chat-tool-call': { name: string; arguments: Record<string, unknown> };
  /** A page tool's outcome: its result, or why there is none (failed, timed out, declined). */
  'llama-chat-tool-result': { name: string; result?: string; error?: string };
  /** The person (or the page) acted on the conversation; `index` is the message's in `messages`. For analytics. */
  'llama-chat-action': ConversationAction;
}

export interface ConversationAction {
  action: 'regenerate' | 'edit' | 'copy' | 'export' | 'import';
  index?: number;
  format?: 'markdown' | 'json';
  /** After an import: how many messages came in. */
  messages?: number;
}

export interface SessionHost {
  settings(): SessionSettings;
  /** Resolves once settings changed just before a call have taken effect. */
  settled(): Promise<unknown>;
  /** `streamed`: a piece of an answer as it streams in, which the view may show together with the next ones. */
  onChange(streamed?: boolean): void;
  emit<K extends keyof SessionEvents>(type: K, detail: SessionEvents[K]): void;
}

/** The part of EngineClient the session uses: one worker, one model. */
export interface SessionClient {
  load(record: ModelRecord, onProgress: (progress: LoadProgress) => void, options?: LoadOptions): Promise<void>;
  isStored(record: ModelRecord): Promise<boolean>;
  /** Deletes every byte the library stored on this origin; the worker ends. */
  forgetEverything(): Promise<void>;
  stream(request: ChatCompletionRequest): AsyncIterable<ChatCompletionChunk>;
  interrupt(): Promise<void>;
  terminate(): void;
  readonly cache: { list(): Promise<CachedModel[]>; delete(id: string): Promise<void>; estimate(): Promise<StorageEstimate> };
}

export interface HistoryStorage {
  load(key: string): Promise<RestoredHistory>;
  save(key: string, messages: readonly StoredMessage[]): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface SessionServices {
  /** A client on a fresh worker; `models` are the page's own records. */
  createClient(models: readonly ModelRecord[]): SessionClient;
  /** The model to run: `id` when the page pins one (checked against the device), else the default. */
  pickModel(id: string | undefined, models: readonly ModelRecord[]): Promise<ModelChoice>;
  history: HistoryStorage;
}

/** A call of a page tool as the conversation shows it. */
export interface ToolActivity {
  name: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'denied';
  /** What the model was told. */
  outcome?: string;
  /** While waiting: the person's answer (true: allow). */
  decide?: ((allow: boolean) => void) | undefined;
}

/** A message as the view shows it. */
export interface ViewMessage extends ChatMessage {
  /** A tool call shown in the conversation (not part of what is sent or kept). */
  tool?: ToolActivity;
  /** The answer was stopped before it finished. */
  stopped?: boolean;
  /** The answer was cut off by this error (the partial text is kept). */
  failed?: ErrorCode;
  /** A kept message too long to show whole: its whole text (copied and exported whole). */
  fullContent?: string;
}
