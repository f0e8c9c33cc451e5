// The GBNF written for llama.cpp: integer ranges checked number by number (each alternative read
// as a regular expression), and the shape of an object with optional fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integerRange, schemaToGrammar } from '../../worker/engines/wllama/schema-grammar.js';

/** The GBNF alternatives of a digit range as one anchored RegExp (they use only "x", [a-b] and {n}). */
function asRegExp(alternatives: string[]): RegExp {
  const alt = (a: string) => a.replace(/"([^"]*)"/g, (_, text: string) => text.replace(/-/g, '\\-')).replace(/\s+/g, '');
  return new RegExp(`^(?:${alternatives.map(alt).join('|')})$`);
}

test('integer ranges match exactly the integers inside them', () => {
  const ranges: Array<[number, number]> = [
    [0, 9],
    [18, 99],
    [-2, 12],
    [-150, -7],
    [1, 1000],
    [37, 4321],
    [5, 5],
  ];
  for (const [lo, hi] of ranges) {
    const re = asRegExp(integerRange(lo, hi));
    for (let n = lo - 200; n <= hi + 200; n++) assert.equal(re.test(String(n)), n >= lo && n <= hi, `${n} in ${lo}..${hi}`);
    assert.equal(re.test('007'), false);
  }
  const open = asRegExp(integerRange(10, Infinity));
  for (const n of [10, 99, 100, 123456]) assert.ok(open.test(String(n)));
  for (const n of [9, -10, 0]) assert.equal(open.test(String(n)), false);
});

test('objects list required fields in order and optional ones as an in-order subset', () => {
  const grammar = schemaToGrammar({
    type: 'object',
    properties: { a: { type: 'integer' }, b: { type: 'boolean' }, c: { enum: ['x', 1] }, d: { type: 'string', maxLength: 3 } },
    required: ['a'],
  });
  assert.match(grammar, /^root ::= root-value$/m);
  assert.match(grammar, /root-value ::= "\{" space root-value-a-kv \("," space root-value-rest\d*\)\? "\}" space/);
  assert.match(grammar, /root-value-c ::= \("\\"x\\"" \| "1"\) space/);
  assert.match(grammar, /root-value-d ::= "\\"" char\{0,3\} "\\"" space/);
  assert.match(grammar, /char ::= \[ !#-\\\[\\\]-~\]/); // printable ASCII and escapes only
});
