// responseConstraint as our engines take it: a JSON Schema becomes response_format json_schema
// (decoded under a grammar built from it, then validated); the schema is also shown to the model
// unless omitResponseConstraintInput says the prompt already describes it.
import type { JsonSchema, RequestMessage, ResponseFormat } from '../../protocol/types.js';

export function responseFormat(constraint: unknown): ResponseFormat | undefined {
  if (constraint === undefined || constraint === null) return undefined;
  if (constraint instanceof RegExp) {
    throw new DOMException(
      'A RegExp responseConstraint is not supported here (no engine of this library decodes under a regular expression yet); give a JSON Schema.',
      'NotSupportedError',
    );
  }
  if (typeof constraint !== 'object') throw new TypeError('responseConstraint is a JSON Schema (an object) or a RegExp.');
  return { type: 'json_schema', json_schema: { name: 'response_constraint', schema: constraint as JsonSchema } };
}

/** `messages` with the schema written into the last user message (or before the prefix, when none). */
export function withConstraintInput(messages: readonly RequestMessage[], constraint: object): RequestMessage[] {
  const note = `Answer with JSON that matches this JSON Schema: ${JSON.stringify(constraint)}`;
  const out = [...messages];
  const last = out.findLastIndex((m) => m.role === 'user');
  if (last >= 0) {
    const user = out[last]!;
    out[last] = { role: 'user', content: `${String(user.content)}\n\n${note}` };
  } else {
    out.splice(out.at(-1)?.role === 'assistant' ? out.length - 1 : out.length, 0, { role: 'user', content: note });
  }
  return out;
}
