// The Prompt API's dictionaries (webmachinelearning/prompt-api, index.bs), as TypeScript types.
import type { AdapterChoice } from '../../protocol/types.js';

export type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';
export type LanguageModelMessageRole = 'system' | 'user' | 'assistant';
export type LanguageModelMessageType = 'text' | 'image' | 'audio' | 'tool-call' | 'tool-response';
export type LanguageModelSamplingMode = 'most-predictable' | 'predictable' | 'balanced' | 'creative' | 'most-creative';

export interface LanguageModelMessageContent {
  type: LanguageModelMessageType;
  value: unknown;
}

export interface LanguageModelMessage {
  role: LanguageModelMessageRole;
  /** A string is shorthand for `[{ type: "text", value }]`. */
  content: string | LanguageModelMessageContent[];
  /** On the last assistant message: the model continues it (a prefill). */
  prefix?: boolean;
}

/** A string is shorthand for one user message. */
export type LanguageModelPrompt = string | LanguageModelMessage[];

export interface LanguageModelExpected {
  type: LanguageModelMessageType;
  languages?: string[];
}

export interface LanguageModelTool {
  name: string;
  description: string;
  /** JSON Schema of the input the model passes to `execute`. */
  inputSchema: object;
  execute(input: never): Promise<string> | string;
}

export interface LanguageModelCreateCoreOptions {
  topK?: number;
  temperature?: number;
  samplingMode?: LanguageModelSamplingMode | 'default';
  expectedInputs?: LanguageModelExpected[];
  expectedOutputs?: LanguageModelExpected[];
  tools?: LanguageModelTool[];
}

export interface CreateMonitor extends EventTarget {
  ondownloadprogress: ((event: ProgressEvent) => void) | null;
}

export interface LanguageModelCreateOptions extends LanguageModelCreateCoreOptions {
  signal?: AbortSignal;
  monitor?: (monitor: CreateMonitor) => void;
  initialPrompts?: LanguageModelMessage[];
  /** Ours, not the spec's: "required" makes the first answer of each prompt a tool call (default "auto": the model decides). */
  toolChoice?: 'auto' | 'required';
  /** Ours, not the spec's: one of the model record's LoRA adapters for every answer, by id or `{ id, scale }`. */
  adapter?: AdapterChoice;
}

export interface LanguageModelPromptOptions {
  /** A JSON Schema (the answer is JSON that matches it) or a RegExp (not supported here). */
  responseConstraint?: object;
  omitResponseConstraintInput?: boolean;
  signal?: AbortSignal;
}

export interface LanguageModelAppendOptions {
  signal?: AbortSignal;
}

export type LanguageModelCloneOptions = LanguageModelAppendOptions;

export interface LanguageModelParams {
  readonly defaultTopK: number;
  readonly maxTopK: number;
  readonly defaultTemperature: number;
  readonly maxTemperature: number;
}
