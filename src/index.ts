// The library's entry: importing it defines <llama-chat>.
import { LlamaChat } from './element/llama-chat.js';

if (!customElements.get('llama-chat')) customElements.define('llama-chat', LlamaChat);

export { LlamaChat };
export { createEngine, LazyEngineClient as EngineClient } from './client/lazy-engine-client.js';
export type { Engine, EngineOptions, Completions, ModelCache } from './client/engine-client.js';
export { BUILT_IN_MODELS, DEFAULT_MODEL_ID } from './models/catalog.js';
export { LLAMA_3_1_LICENSE, LLAMA_3_2_LICENSE } from './models/licenses.js';
export { LlamaChatError } from '../protocol/errors.js';
export type { ErrorCode } from '../protocol/errors.js';
export type { SessionEvents as LlamaChatEvents } from './session/chat-session.js';
export type { LlamaChatEventMap } from './element/events.js';
export type { LlamaChatAttributes, LlamaChatEventProps } from './element/framework-types.js';
export type * from '../protocol/types.js';
