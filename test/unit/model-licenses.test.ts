import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILT_IN_MODELS, CPU_FALLBACK_MODEL_ID } from '../../src/models/catalog.js';
import { LLAMA_3_1_LICENSE, LLAMA_3_2_LICENSE, licenseProblem, webUrl } from '../../src/models/licenses.js';
import { checkModels, ModelsProblem, parseModelsAttribute } from '../../src/element/models-attribute.js';

const record = { id: 'mine', engine: 'wllama', url: '/m.gguf' };

test('every built-in record carries its Llama license: 3.1 for the 8B builds, 3.2 for the 1B CPU fallback', () => {
  for (const model of BUILT_IN_MODELS) {
    const expected = model.id === CPU_FALLBACK_MODEL_ID ? LLAMA_3_2_LICENSE : LLAMA_3_1_LICENSE;
    assert.equal(model.license, expected, model.id);
  }
  assert.equal(BUILT_IN_MODELS.filter((m) => m.license === LLAMA_3_1_LICENSE).length, 4);
});

test('the Llama licenses link their text and Acceptable Use Policy and carry the attribution and Notice they ask for', () => {
  for (const [license, version, folder] of [
    [LLAMA_3_1_LICENSE, '3.1', 'llama3_1'],
    [LLAMA_3_2_LICENSE, '3.2', 'llama3_2'],
  ] as const) {
    assert.equal(license.name, `Llama ${version} Community License`);
    assert.equal(license.url, `https://github.com/meta-llama/llama-models/blob/main/models/${folder}/LICENSE`);
    assert.equal(license.acceptableUseUrl, `https://github.com/meta-llama/llama-models/blob/main/models/${folder}/USE_POLICY.md`);
    assert.equal(license.attribution, 'Built with Llama');
    assert.equal(
      license.notice,
      `Llama ${version} is licensed under the Llama ${version} Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.`,
    );
    assert.equal(licenseProblem(license), undefined);
    assert.ok(Object.isFrozen(license), 'shared by several records: a page cannot change one through another');
  }
});

test('a record with a well-formed license is accepted as it is; one without a license too', () => {
  const license = { name: 'Apache 2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' };
  const models = [{ ...record, license }, record];
  assert.deepEqual(checkModels(models), models);
  const relative = [{ ...record, license: { name: 'Ours', url: '/LICENSE.txt', attribution: 'Made with Ours', notice: 'Ours.' } }];
  assert.deepEqual(parseModelsAttribute(JSON.stringify(relative)), relative);
});

test('a license of the wrong shape is a problem that names the record and the field', () => {
  const cases: Array<[unknown, RegExp]> = [
    ['MIT', /"license" that is not an object/],
    [null, /"license" that is not an object/],
    [[], /"license" that is not an object/],
    [{ url: 'https://example.com/LICENSE' }, /"license" with no "name"/],
    [{ name: ' ', url: 'https://example.com/LICENSE' }, /"license" with no "name"/],
    [{ name: 'X' }, /"url" is not an http\(s\) link/],
    [{ name: 'X', url: 'javascript:alert(1)' }, /"url" is not an http\(s\) link/],
    [{ name: 'X', url: 'data:text/html,hi' }, /"url" is not an http\(s\) link/],
    [{ name: 'X', url: 'https://example.com/L', acceptableUseUrl: 'javascript:void 0' }, /"acceptableUseUrl" is not an http\(s\) link/],
    [{ name: 'X', url: 'https://example.com/L', attribution: 42 }, /"attribution" is not text/],
    [{ name: 'X', url: 'https://example.com/L', notice: { text: 'n' } }, /"notice" is not text/],
  ];
  for (const [license, message] of cases) {
    const checked = checkModels([record, { ...record, id: 'licensed', license }]);
    assert.ok(checked instanceof ModelsProblem, JSON.stringify(license));
    assert.match(checked.message, /record 2 \("licensed"\) has a "license"/);
    assert.match(checked.message, message);
  }
});

test('webUrl keeps http(s) links only, resolved against the page', () => {
  assert.equal(webUrl('/LICENSE', 'https://shop.example/chat/')?.href, 'https://shop.example/LICENSE');
  assert.equal(webUrl('http://example.com/L')?.protocol, 'http:');
  for (const bad of ['javascript:alert(1)', 'mailto:a@b.c', '', 42, undefined]) assert.equal(webUrl(bad), undefined);
});
