// A conversation as a file: Markdown for people, JSON for programs (and for import). Pure: the
// session hands it messages and gets text back, or a clear error for a file it cannot take.
import { LlamaChatError } from '../../protocol/errors.js';
import { plainMessages, type StoredMessage } from '../history/kept-messages.js';

/** What names our JSON files, so an import can tell one from any other JSON. */
export const CONVERSATION_FORMAT = 'llama-chat/conversation';

/** An import larger than this is refused before it is read: far beyond any chat, small enough to hold. */
export const IMPORT_LIMITS = { characters: 20_000_000, messages: 20_000 } as const;

export type ExportFormat = 'markdown' | 'json';

/** What a file says about where the conversation came from. */
export interface ConversationAbout {
  model: string;
  /** The model's name as people read it. */
  label?: string | undefined;
  systemPrompt: string;
}

/** The JSON file: `messages` as the OpenAI API takes them (plus `stopped` on an answer cut short). */
export interface ConversationFile extends ConversationAbout {
  format: typeof CONVERSATION_FORMAT;
  version: 1;
  exportedAt: string;
  messages: StoredMessage[];
}

export interface ImportedConversation {
  messages: StoredMessage[];
  model: string | undefined;
  systemPrompt: string | undefined;
}

export function conversationFile(messages: readonly StoredMessage[], about: ConversationAbout, now = new Date()): string {
  const file: ConversationFile = {
    format: CONVERSATION_FORMAT,
    version: 1,
    model: about.model,
    ...(about.label ? { label: about.label } : {}),
    systemPrompt: about.systemPrompt,
    exportedAt: now.toISOString(),
    messages: plainMessages(messages),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function conversationMarkdown(messages: readonly StoredMessage[], about: ConversationAbout, now = new Date()): string {
  const facts = [`Model: ${about.label ? `${about.label} (\`${about.model}\`)` : `\`${about.model}\``}`, `Exported ${now.toISOString()}`];
  const parts = [`# Conversation with ${about.label ?? about.model}`, facts.join(' · ')];
  if (about.systemPrompt) parts.push(`## System prompt\n\n${about.systemPrompt}`);
  for (const m of messages) {
    const text = m.fullContent ?? m.content;
    parts.push(`## ${m.role === 'user' ? 'You' : 'Assistant'}\n\n${text}${m.stopped ? '\n\n*(stopped before the end)*' : ''}`);
  }
  return `${parts.join('\n\n')}\n`;
}

const refuse = (why: string) =>
  new LlamaChatError('bad-input', `This is not a conversation llama-chat can import: ${why}. Nothing was changed.`);

/**
 * The conversation in `input`: our JSON file (as text or parsed), or a bare list of OpenAI-style
 * messages. Anything else throws `bad-input` saying what is wrong, before anything changes.
 */
export function parseConversation(input: unknown): ImportedConversation {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > IMPORT_LIMITS.characters)
      throw refuse(`it is larger than ${IMPORT_LIMITS.characters / 1_000_000} million characters`);
    if (/^\s*#/.test(input)) throw refuse('it is the Markdown export, which is for people; import the JSON export');
    try {
      value = JSON.parse(input);
    } catch {
      throw refuse('it is not JSON');
    }
  }
  if (Array.isArray(value)) return { messages: parseMessages(value), model: undefined, systemPrompt: undefined };
  if (typeof value !== 'object' || value === null) throw refuse('it is neither a conversation file nor a list of messages');
  const file = value as Record<string, unknown>;
  if (file.format !== CONVERSATION_FORMAT) throw refuse(`its "format" is not "${CONVERSATION_FORMAT}"`);
  if (file.version !== 1) throw refuse(`its "version" ${JSON.stringify(file.version)} is not one this version reads (1)`);
  if (!Array.isArray(file.messages)) throw refuse('it has no "messages" list');
  const optionalText = (name: string) => {
    const v = file[name];
    if (v !== undefined && typeof v !== 'string') throw refuse(`its "${name}" is not text`);
    return v;
  };
  return { messages: parseMessages(file.messages), model: optionalText('model'), systemPrompt: optionalText('systemPrompt') };
}

function parseMessages(list: unknown[]): StoredMessage[] {
  if (list.length > IMPORT_LIMITS.messages) throw refuse(`it has more than ${IMPORT_LIMITS.messages} messages`);
  return list.map((item, i): StoredMessage => {
    const at = `message ${i + 1}`;
    if (typeof item !== 'object' || item === null) throw refuse(`${at} is not an object`);
    const { role, content, stopped } = item as Record<string, unknown>;
    if (role !== 'user' && role !== 'assistant')
      throw refuse(`${at} has the role ${JSON.stringify(role)}; a conversation holds "user" and "assistant" messages`);
    if (typeof content !== 'string') throw refuse(`${at} has no text "content"`);
    return stopped === true && role === 'assistant' ? { role, content, stopped } : { role, content };
  });
}
