// A prompt in the Prompt API's shapes, validated and canonicalized as the spec's "validate and
// canonicalize a prompt" says, then written as the plain text messages our engines read.
import type { ChatMessage } from '../../protocol/types.js';
import type { LanguageModelMessage, LanguageModelMessageContent, LanguageModelMessageType, LanguageModelPrompt } from './types.js';

export interface CanonicalMessage {
  role: LanguageModelMessage['role'];
  content: LanguageModelMessageContent[];
  prefix: boolean;
}

/** The input types our engines read: text only (no image or audio model runs here yet). */
export const SUPPORTED_TYPES: readonly LanguageModelMessageType[] = ['text'];

/**
 * `hasAppendedInput`: the session already holds messages, so a system message is refused.
 * Throws the spec's errors: SyntaxError (a misplaced prefix), TypeError (a misplaced system
 * message, text that is not a string), NotSupportedError (a type the session does not take).
 */
export function canonicalPrompt(
  input: LanguageModelPrompt,
  expectedTypes: readonly string[],
  hasAppendedInput: boolean,
): CanonicalMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', value: input }], prefix: false }];
  if (!Array.isArray(input)) throw new TypeError('A prompt is a string or a list of { role, content } messages.');
  if (input.length === 0) return [{ role: 'user', content: [{ type: 'text', value: '' }], prefix: false }];
  let appended = hasAppendedInput;
  return input.map((message, i) => {
    if (!message || !['system', 'user', 'assistant'].includes(message.role)) {
      throw new TypeError(`Message ${i} needs a role: "system", "user" or "assistant".`);
    }
    const given = typeof message.content === 'string' ? [{ type: 'text' as const, value: message.content }] : message.content;
    if (!Array.isArray(given)) throw new TypeError(`Message ${i}'s content is a string or a list of { type, value }.`);
    const prefix = message.prefix === true;
    if (prefix && message.role !== 'assistant')
      throw new DOMException(`Message ${i}: only an assistant message can be a prefix.`, 'SyntaxError');
    if (prefix && i !== input.length - 1) throw new DOMException(`Message ${i}: a prefix must be the last message.`, 'SyntaxError');
    if (message.role === 'system' && appended) {
      throw new TypeError('A system message must come first: in initialPrompts, or first in the first prompt.');
    }
    const content = collapseText(given.length === 0 ? [{ type: 'text', value: '' }] : given, i, message.role, expectedTypes);
    appended = true;
    return { role: message.role, content, prefix };
  });
}

function collapseText(
  content: readonly LanguageModelMessageContent[],
  index: number,
  role: string,
  expectedTypes: readonly string[],
): LanguageModelMessageContent[] {
  const out: LanguageModelMessageContent[] = [];
  for (const part of content) {
    if (role === 'assistant' && part.type !== 'text') {
      throw new DOMException(`Message ${index}: an assistant message holds text only.`, 'NotSupportedError');
    }
    if (part.type === 'text') {
      if (typeof part.value !== 'string') throw new TypeError(`Message ${index}: a "text" value must be a string.`);
      const last = out.at(-1);
      if (last?.type === 'text') last.value = `${String(last.value)}${part.value}`;
      else out.push({ type: 'text', value: part.value });
    } else if (!expectedTypes.includes(part.type)) {
      throw new DOMException(
        `Message ${index}: "${part.type}" input is not supported here (this library runs text-only models); the session was not created for it.`,
        'NotSupportedError',
      );
    } else {
      out.push(part);
    }
  }
  return out;
}

/** The messages as our engines read them: text only (SUPPORTED_TYPES). */
export function toChatMessages(messages: readonly CanonicalMessage[]): ChatMessage[] {
  return messages.map((m) => ({ role: m.role, content: m.content.map((part) => String(part.value)).join('') }));
}

/** The prefix the model continues, when the last message is one. */
export function prefixOf(messages: readonly CanonicalMessage[]): string | undefined {
  const last = messages.at(-1);
  return last?.prefix ? toChatMessages([last])[0]!.content : undefined;
}
