// Tool calls and tool results written into plain messages, for chat templates that have no
// tool role (most small models', and web-llm's for all but a few Hermes builds). A call is
// written the way the model is asked to make one; a result becomes a user message saying so.
import { LlamaChatError } from '../../protocol/errors.js';
import type { ChatMessage, RequestMessage } from '../../protocol/types.js';

/** `messages` with assistant tool calls and tool results as plain text, and `instructions` in the system message. */
export function plainMessages(messages: readonly RequestMessage[], instructions: string | undefined): ChatMessage[] {
  const callNames = new Map<string, string>();
  const out: ChatMessage[] = [];
  for (const [i, message] of messages.entries()) {
    if (message.role === 'tool') {
      if (typeof message.tool_call_id !== 'string')
        throw new LlamaChatError('bad-input', `messages[${i}] (role "tool") needs its tool_call_id.`);
      const name = callNames.get(message.tool_call_id) ?? 'a tool';
      const text = `Result of ${name} (call ${message.tool_call_id}): ${String(message.content)}`;
      const previous = out.at(-1);
      // Results of one round go in one message: templates expect user and assistant in turn.
      if (previous?.role === 'user' && previous.content.startsWith('Result of ')) previous.content += `\n${text}`;
      else out.push({ role: 'user', content: text });
    } else if (message.role === 'assistant' && 'tool_calls' in message && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) callNames.set(call.id, call.function.name);
      const calls = message.tool_calls.map((c) => ({ name: c.function.name, arguments: parseArguments(c.function.arguments) }));
      const prefix = message.content ? `${message.content}\n` : '';
      out.push({ role: 'assistant', content: `${prefix}${JSON.stringify({ tool_calls: calls })}` });
    } else {
      out.push({ role: message.role, content: message.content ?? '' });
    }
  }
  if (!instructions) return out;
  const first = out[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instructions}` }, ...out.slice(1)];
  return [{ role: 'system', content: instructions }, ...out];
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // kept as written: the model sees what was called
  }
}
