// Which JSON Schema keywords constrained decoding really enforces. llama.cpp turns a schema into
// a grammar (ours for wllama: engines/wllama/schema-grammar.ts; xgrammar in web-llm), and
// grammars cannot express everything (number ranges, uniqueItems, not, …). A schema that leans on anything else is refused
// before generating, naming the keyword, rather than promising a shape nobody enforces.
import { LlamaChatError } from '../../protocol/errors.js';
import type { JsonSchema } from '../../protocol/types.js';

/** Words for people and tools, with no effect on the shape. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Keywords the grammar enforces in full. */
const ENFORCED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'anyOf',
  'minLength',
  'maxLength',
  '$ref',
  '$defs',
  'definitions',
]);

/** Range keywords the grammar enforces for integers only. */
const INTEGER_RANGE = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);

/** Why some common keywords are refused, and what to use instead. */
const ADVICE: Record<string, string> = {
  oneOf: 'its "exactly one" is not enforced; use anyOf',
  allOf: 'combined schemas are not enforced; write the merged object out',
  format: 'formats are not enforced; use enum or maxLength, or check the string after parsing',
  pattern: 'patterns are not enforced; use enum or maxLength, or check the string after parsing',
  multipleOf: 'not enforced by the grammar',
  uniqueItems: 'not enforced by the grammar; remove duplicates after parsing',
};

/** Throws bad-input naming the first keyword of `schema` that decoding cannot enforce. */
export function checkSchemaSupported(schema: JsonSchema, where: string): void {
  visit(schema, '#', where);
}

function visit(schema: unknown, path: string, where: string): void {
  if (typeof schema === 'boolean') return;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw refuse(where, path, 'is not a schema (an object or a boolean)');
  }
  const node = schema as Record<string, unknown>;
  const types = ([] as unknown[]).concat(node.type ?? []);
  for (const [keyword, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (INTEGER_RANGE.has(keyword)) {
      if (types.length === 1 && types[0] === 'integer') continue;
      throw refuse(where, path, `uses "${keyword}" on a non-integer: ranges are enforced for "type": "integer" only`);
    }
    if (!ENFORCED.has(keyword)) {
      const advice = ADVICE[keyword] ?? 'constrained decoding cannot enforce it';
      throw refuse(where, path, `uses "${keyword}", which is not supported: ${advice}`);
    }
    checkKeyword(keyword, value, `${path}/${keyword}`, where);
  }
}

function checkKeyword(keyword: string, value: unknown, path: string, where: string): void {
  const each = (children: unknown, childPath: (key: string) => string) => {
    if (typeof children !== 'object' || children === null) throw refuse(where, path, 'must be an object or a list of schemas');
    for (const [key, child] of Object.entries(children)) visit(child, childPath(key), where);
  };
  switch (keyword) {
    case 'properties':
    case '$defs':
    case 'definitions':
      return each(value, (key) => `${path}/${key}`);
    case 'anyOf':
    case 'prefixItems':
      if (!Array.isArray(value)) throw refuse(where, path, 'must be a list of schemas');
      return each(value, (key) => `${path}/${key}`);
    case 'items':
      if (Array.isArray(value)) throw refuse(where, path, 'is a list: use "prefixItems" for tuples');
      return visit(value, path, where);
    case 'additionalProperties':
      return visit(value, path, where);
    case '$ref':
      if (typeof value !== 'string' || !value.startsWith('#')) throw refuse(where, path, 'must point inside the schema ("#/$defs/…")');
      return;
    default:
      return;
  }
}

function refuse(where: string, path: string, problem: string): LlamaChatError {
  return new LlamaChatError('bad-input', `The JSON schema in ${where} at ${path} ${problem}.`);
}
