// The element's events, typed wherever a page listens: on the element, the document, the window.
import type { SessionEvents } from '../session/session-types.js';

/** `llama-chat-*` events by name, as listeners receive them. */
export type LlamaChatEventMap = { [K in keyof SessionEvents]: CustomEvent<SessionEvents[K]> };

declare global {
  interface HTMLElementTagNameMap {
    'llama-chat': import('./llama-chat.js').LlamaChat;
  }
  interface HTMLElementEventMap extends LlamaChatEventMap {}
  // The events bubble and are composed: listeners on the document and the window get them too.
  interface DocumentEventMap extends LlamaChatEventMap {}
  interface WindowEventMap extends LlamaChatEventMap {}
}
