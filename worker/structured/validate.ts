// The finished answer checked against its schema on our side too: the engine's grammar
// constrains decoding, and this catches what it did not (an answer cut off by max_tokens, a
// grammar conversion that skipped something). @cfworker/json-schema: small, no eval (so it runs
// under a strict CSP), loaded only when a schema is used.
import { LlamaChatError } from '../../protocol/errors.js';
import type { JsonSchema } from '../../protocol/types.js';

const SHOWN_PROBLEMS = 3;

/** The parsed answer; throws `invalid-output` saying what is wrong with `text`. */
export async function parseAndValidate(text: string, schema: JsonSchema, what: string): Promise<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LlamaChatError('invalid-output', `The model's answer is not valid JSON, so it does not match ${what}. Try again.`);
  }
  const { Validator } = await import('@cfworker/json-schema');
  const result = new Validator(schema as object | boolean, '2020-12', false).validate(value);
  if (!result.valid) {
    // The validator reports every enclosing node too; the deepest ones say what is wrong.
    const problems = result.errors
      .filter((e) => !['properties', 'items', 'prefixItems', 'anyOf', '$ref'].includes(e.keyword))
      .slice(0, SHOWN_PROBLEMS)
      .map((e) => `${e.instanceLocation}: ${e.error}`);
    const detail = problems.length > 0 ? problems.join('; ') : (result.errors[0]?.error ?? 'it does not match');
    throw new LlamaChatError('invalid-output', `The model's answer does not match ${what} (${detail}). Try again.`);
  }
  return value;
}

/** An answer cut off before its JSON was complete. */
export function cutOff(what: string): LlamaChatError {
  return new LlamaChatError(
    'invalid-output',
    `The answer reached max_tokens before its JSON was complete, so it does not match ${what}. Raise max_tokens, or bound the schema's strings and arrays (maxLength, maxItems).`,
  );
}
