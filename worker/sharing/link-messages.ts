// What the worker hosting an engine and the workers of other tabs (its guests) say to each
// other. A guest asks on the engine's join channel (its name is the engine key) and is answered
// on a channel of its own, named at random, that only the two of them listen on.
import type { WireError } from '../../protocol/errors.js';
import type { ChatCompletionChunk, ChatMessage, LoadProgress } from '../../protocol/types.js';
import type { EngineRequest } from '../engines/engine.js';

/** On the join channel: a guest asks to be served on `link`; `life` is a lock it holds for its life. */
export interface JoinMessage {
  type: 'join';
  link: string;
  life: string;
}

/** Guest → holder, on the guest's own link. */
export type GuestMessage =
  | { type: 'chat'; id: number; request: EngineRequest }
  | { type: 'count'; id: number; messages: ChatMessage[] }
  | { type: 'interrupt'; id: number }
  | { type: 'leave' };

/** Holder → guest, on the guest's own link. */
export type HolderMessage =
  /** The answer to a join; `life` is a lock the holder holds for its life. */
  | { type: 'welcome'; life: string }
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'ready' }
  | { type: 'load-failed'; error: WireError }
  /** An answer's chunks of about one frame, together (chunk-batcher.ts): one message, not one per token. */
  | { type: 'chunks'; id: number; chunks: ChatCompletionChunk[] }
  | { type: 'done'; id: number }
  | { type: 'counted'; id: number; tokens: number }
  | { type: 'failed'; id: number; error: WireError }
  /** The holder unloaded the engine: what is under way fails, the next request finds a new holder. */
  | { type: 'gone' };
