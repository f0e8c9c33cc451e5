// JSON Schema → GBNF, for llama.cpp's `grammar`. wllama would convert `response_format` itself,
// but (seen in 3.8.1) its chat parser wraps the schema's grammar in the chat template's generation prompt
// ("<|im_start|>assistant\n" …), which the grammar sampler then fails to start with ("Failed to
// initialize samplers"). A grammar of our own also enforces exactly the keywords
// worker/structured/schema-support.ts admits. Properties come in their declared order
// (required, then optional) and extra properties are never generated: a valid subset.
import type { JsonSchema } from '../../../protocol/types.js';

type Node = { [keyword: string]: unknown };

const SPACE = 'space';
// Printable ASCII and escapes only: llama.cpp's grammar sees code points, not bytes, and does not
// check UTF-8 continuation bytes, so raw non-ASCII in strings let byte tokens form invalid UTF-8
// that passes the grammar. Other characters are still possible, written as \uXXXX escapes.
const CHAR = String.raw`char ::= [ !#-\[\]-~] | [\\] (["\\/bfnrt] | "u" [0-9a-fA-F]{4})`;
const PRIMITIVES: Record<string, string> = {
  boolean: `("true" | "false") ${SPACE}`,
  null: `"null" ${SPACE}`,
  integer: `"-"? ([0] | [1-9] [0-9]{0,15}) ${SPACE}`,
  number: `"-"? ([0] | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? ${SPACE}`,
  string: `"\\"" char* "\\"" ${SPACE}`,
};

/** A GBNF grammar whose every sentence is a JSON value that matches `schema`. */
export function schemaToGrammar(schema: JsonSchema): string {
  const rules = new Map<string, string>([[SPACE, '" "?']]);
  const byBody = new Map<string, string>();
  const refs = new Map<string, string>();
  let needsChar = false;

  const rule = (name: string, body: string): string => {
    const known = byBody.get(body);
    if (known) return known;
    let unique = name.replace(/[^a-zA-Z0-9-]/g, '-');
    for (let i = 1; rules.has(unique); i++) unique = `${name}${i}`;
    rules.set(unique, body);
    byBody.set(body, unique);
    return unique;
  };

  const visit = (node: JsonSchema, name: string): string => {
    if (node === true || (typeof node === 'object' && Object.keys(node).every((k) => !SHAPING.has(k)))) return anyValue();
    if (node === false) throw new Error('false schema admits nothing');
    const s = node as Node;
    if (typeof s.$ref === 'string') return ref(s.$ref);
    if ('const' in s) return rule(name, `${literal(JSON.stringify(s.const))} ${SPACE}`);
    if (Array.isArray(s.enum)) return rule(name, `(${s.enum.map((v) => literal(JSON.stringify(v))).join(' | ')}) ${SPACE}`);
    if (Array.isArray(s.anyOf)) return rule(name, s.anyOf.map((sub, i) => visit(sub as JsonSchema, `${name}-${i}`)).join(' | '));
    const types = Array.isArray(s.type) ? (s.type as string[]) : [typeof s.type === 'string' ? s.type : guessType(s)];
    if (types.length > 1) return rule(name, types.map((t) => visit({ ...s, type: t }, `${name}-${t}`)).join(' | '));
    const type = types[0]!;
    if (type === 'object') return object(s, name);
    if (type === 'array') return array(s, name);
    if (type === 'string') {
      needsChar = true;
      const min = Number(s.minLength ?? 0);
      const max = s.maxLength === undefined ? '' : String(s.maxLength);
      return rule(name, min === 0 && max === '' ? PRIMITIVES.string! : `"\\"" char{${min},${max}} "\\"" ${SPACE}`);
    }
    if (type === 'integer' && ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].some((k) => k in s)) {
      const lo = Math.max(num(s.minimum, -Infinity), num(s.exclusiveMinimum, -Infinity) + 1);
      const hi = Math.min(num(s.maximum, Infinity), num(s.exclusiveMaximum, Infinity) - 1);
      return rule(name, `(${integerRange(Math.ceil(lo), Math.floor(hi)).join(' | ')}) ${SPACE}`);
    }
    const primitive = PRIMITIVES[type];
    if (!primitive) throw new Error(`unknown type "${type}"`);
    return rule(type, primitive);
  };

  const object = (s: Node, name: string): string => {
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    const names = Object.keys(properties);
    if (names.length === 0 && s.additionalProperties !== false) return anyObject();
    const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
    const pair = (key: string) =>
      rule(`${name}-${key}-kv`, `${literal(JSON.stringify(key))} ${SPACE} ":" ${SPACE} ${visit(properties[key]!, `${name}-${key}`)}`);
    const must = names.filter((k) => required.has(k)).map(pair);
    const may = names.filter((k) => !required.has(k)).map(pair);
    // Any in-order subset of the optional pairs: from(i) = pair_i ("," from(i+1))? | from(i+1).
    let from: string | undefined;
    for (let i = may.length - 1; i >= 0; i--) {
      const head = from ? `${may[i]} ("," ${SPACE} ${from})?` : may[i]!;
      from = rule(`${name}-rest`, from ? `${head} | ${from}` : head);
    }
    const body = must.join(` "," ${SPACE} `);
    const tail = from ? (must.length ? `("," ${SPACE} ${from})?` : `${from}?`) : '';
    return rule(name, `"{" ${SPACE} ${body} ${tail} "}" ${SPACE}`);
  };

  const array = (s: Node, name: string): string => {
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems.map((p, i) => visit(p as JsonSchema, `${name}-${i}`)) : [];
    const item = s.items === false ? undefined : visit((s.items ?? true) as JsonSchema, `${name}-item`);
    const min = Math.max(0, Number(s.minItems ?? 0) - prefix.length);
    const max = s.maxItems === undefined ? undefined : Number(s.maxItems) - prefix.length;
    const parts = [...prefix];
    let body = prefix.join(` "," ${SPACE} `);
    if (item && (max === undefined || max > 0)) {
      const more = (least: number, most: number | undefined) => (most === 0 ? '' : `("," ${SPACE} ${item}){${least},${most ?? ''}}`);
      const run = prefix.length
        ? more(min, max)
        : min > 0
          ? `${item} ${more(min - 1, max && max - 1)}`
          : `(${item} ${more(0, max && max - 1)})?`;
      body = parts.length ? `${body} ${run}` : run;
    }
    return rule(name, `"[" ${SPACE} ${body} "]" ${SPACE}`);
  };

  const anyValue = (): string => {
    needsChar = true;
    const value = 'value';
    if (!rules.has(value)) {
      rules.set(value, ''); // reserved: object and array refer back to it
      rules.set(
        value,
        `${anyObject()} | ${anyArray()} | ${rule('string', PRIMITIVES.string!)} | ${rule('number', PRIMITIVES.number!)} | ${rule('boolean', PRIMITIVES.boolean!)} | ${rule('null', PRIMITIVES.null!)}`,
      );
    }
    return value;
  };
  const anyObject = () => {
    needsChar = true;
    const pair = `${rule('string', PRIMITIVES.string!)} ":" ${SPACE} value`;
    const name = rule('object', `"{" ${SPACE} (${pair} ("," ${SPACE} ${pair})*)? "}" ${SPACE}`);
    anyValue();
    return name;
  };
  const anyArray = () => rule('array', `"[" ${SPACE} (value ("," ${SPACE} value)*)? "]" ${SPACE}`);

  const ref = (pointer: string): string => {
    const known = refs.get(pointer);
    if (known) return known;
    const name = `ref${refs.size}`;
    refs.set(pointer, name);
    rules.set(name, ''); // reserved: a recursive schema refers to itself
    const target = resolvePointer(schema, pointer);
    rules.set(name, visit(target, `${name}-def`));
    return name;
  };

  const root = visit(schema, 'root-value');
  if (needsChar) rules.set('char', CHAR.slice('char ::= '.length));
  return [`root ::= ${root}`, ...[...rules].map(([name, body]) => `${name} ::= ${body}`)].join('\n');
}

/** Keywords that shape a value; a schema with none of them admits any JSON. */
const SHAPING = new Set([
  'type',
  'properties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'anyOf',
  '$ref',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
]);

function guessType(s: Node): string {
  if ('properties' in s) return 'object';
  if ('items' in s || 'prefixItems' in s) return 'array';
  if ('minLength' in s || 'maxLength' in s) return 'string';
  return 'number';
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function resolvePointer(root: JsonSchema, pointer: string): JsonSchema {
  let node: unknown = root;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  if (node === undefined) throw new Error(`$ref "${pointer}" points nowhere`);
  return node as JsonSchema;
}

/** A GBNF string literal. */
function literal(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`;
}

/** Alternatives matching the decimal integers lo..hi (either end may be infinite). */
export function integerRange(lo: number, hi: number): string[] {
  if (lo > hi) throw new Error(`empty integer range ${lo}..${hi}`);
  const alts: string[] = [];
  if (lo < 0) {
    const negHi = hi < 0 ? -hi : 1;
    alts.push(...unsignedRange(negHi, -lo).map((a) => `"-" ${a}`));
  }
  if (hi >= 0) alts.push(...unsignedRange(Math.max(lo, 0), hi));
  return alts;
}

const MAX_DIGITS = 16;

function unsignedRange(lo: number, hi: number): string[] {
  if (hi === Infinity) {
    const digits = String(lo).length;
    return [...unsignedRange(lo, 10 ** digits - 1), `[1-9] [0-9]{${digits},${MAX_DIGITS - 1}}`];
  }
  const a = String(lo);
  const b = String(hi);
  if (a.length < b.length) return [...sameLength(a, '9'.repeat(a.length)), ...unsignedRange(10 ** a.length, hi)];
  return sameLength(a, b);
}

function sameLength(a: string, b: string): string[] {
  if (a.length === 0) return [''];
  const rest = a.length - 1;
  const any = rest > 0 ? ` [0-9]{${rest}}` : '';
  if (a[0] === b[0]) return sameLength(a.slice(1), b.slice(1)).map((s) => `"${a[0]}" ${s}`.trim());
  if (/^0*$/.test(a.slice(1)) && /^9*$/.test(b.slice(1))) return [`[${a[0]}-${b[0]}]${any}`];
  const alts = sameLength(a.slice(1), '9'.repeat(rest)).map((s) => `"${a[0]}" ${s}`.trim());
  if (Number(b[0]) - Number(a[0]) >= 2) alts.push(`[${Number(a[0]) + 1}-${Number(b[0]) - 1}]${any}`);
  alts.push(...sameLength('0'.repeat(rest), b.slice(1)).map((s) => `"${b[0]}" ${s}`.trim()));
  return alts;
}
