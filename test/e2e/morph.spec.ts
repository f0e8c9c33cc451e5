// morph-children.ts, in a real DOM: an answer streamed in small steps, each step's HTML (as the
// real Markdown renderer writes it) put in place by morphing, must always equal that HTML, and
// what was complete early on must keep its nodes to the end.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Marked } from 'marked';
import ts from 'typescript';

const ANSWER = [
  '# A heading',
  '',
  'A first paragraph with **bold**, *em* and a [link](https://example.com/a).',
  'Its second line.',
  '',
  '- one',
  '- two with `code`',
  '',
  '```js',
  'const x = 1 < 2;',
  '```',
  '',
  '| a | b |',
  '| --- | --- |',
  '| 1 | 2 |',
  '',
  '> quoted, then text that grows and grows',
].join('\n');

/** The source module as a script that puts morphChildren on window. */
function morphScript(): string {
  const source = readFileSync(new URL('../../src/rendering/morph-children.ts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return `${outputText.replace('export function morphChildren', 'function morphChildren')}\nwindow.morphChildren = morphChildren;`;
}

test('an answer morphed step by step always equals a fresh render, and its finished blocks keep their nodes', async ({ page }) => {
  const marked = new Marked({ gfm: true, breaks: true });
  const steps: string[] = [];
  for (let end = 1; end <= ANSWER.length; end += 5) steps.push(marked.parse(ANSWER.slice(0, end), { async: false }));
  steps.push(marked.parse(ANSWER, { async: false }));

  await page.goto('/pages/element.html');
  await page.addScriptTag({ content: morphScript() });
  const result = await page.evaluate((steps) => {
    const morph = (window as unknown as { morphChildren(target: Element, source: Node): void }).morphChildren;
    const fresh = (html: string) => {
      const template = document.createElement('template');
      template.innerHTML = html;
      return template.content;
    };
    const target = document.createElement('div');
    const mismatches: number[] = [];
    let heading: Element | null = null;
    let headingKept = true;
    steps.forEach((html, step) => {
      morph(target, fresh(html));
      const expected = document.createElement('div');
      expected.append(fresh(html));
      if (target.innerHTML !== expected.innerHTML) mismatches.push(step);
      const now = target.querySelector('h1');
      if (heading && now !== heading) headingKept = false;
      if (now && target.children.length > 1) heading ??= now; // the heading is finished once a block follows it
    });
    return { mismatches, headingKept, headingSeen: heading !== null, blocks: target.children.length };
  }, steps);
  expect(result.mismatches).toEqual([]);
  expect(result.blocks).toBe(6);
  expect(result.headingSeen).toBe(true);
  expect(result.headingKept).toBe(true);
});
