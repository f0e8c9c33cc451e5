// Kept messages as pure data: how much of a kept conversation is shown, and the form messages are
// kept and exported in. Apart from history-store.ts so the session uses them without IndexedDB.
import type { ChatMessage } from '../../protocol/types.js';

export interface StoredMessage extends ChatMessage {
  stopped?: boolean;
  /** Only in memory: the whole text of a message restored cut (it is saved whole). */
  fullContent?: string;
}

/** At most this much of a kept conversation comes back (newest first): enough for any chat, small enough to render at once. */
export const RESTORE_LIMITS = { messages: 400, characters: 400_000 } as const;

export interface RestoredHistory {
  /** What is shown: the newest messages; one longer than the limit is cut (its whole text in `fullContent`). */
  messages: StoredMessage[];
  /** Earlier messages left out, verbatim: kept in storage by every later save. */
  earlier: StoredMessage[];
}

/** The newest messages that fit RESTORE_LIMITS; a single message longer than the limit shows its start. */
export function limitHistory(all: readonly StoredMessage[]): RestoredHistory {
  const shown: StoredMessage[] = [];
  let characters = 0;
  let first = all.length;
  while (first > 0 && shown.length < RESTORE_LIMITS.messages && characters < RESTORE_LIMITS.characters) {
    const message = all[first - 1]!;
    const room = RESTORE_LIMITS.characters - characters;
    const cut = message.content.length > room;
    shown.unshift(cut ? { ...message, content: `${message.content.slice(0, room)} […]`, fullContent: message.content } : message);
    characters += Math.min(room, message.content.length);
    first -= 1;
  }
  return { messages: shown, earlier: all.slice(0, first) };
}
/** Messages as they are kept and exported: whole (a cut one's full text), `stopped` only where true. */
export function plainMessages(messages: readonly StoredMessage[]): StoredMessage[] {
  return messages.map(({ role, content, stopped, fullContent }) =>
    stopped ? { role, content: fullContent ?? content, stopped: true } : { role, content: fullContent ?? content },
  );
}
