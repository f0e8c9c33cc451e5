// The custom-elements.json that `npm run build` writes, for editors and framework tooling.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

test('dist/custom-elements.json describes <llama-chat>: attributes, events, parts and custom properties', () => {
  const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'llama-chat')!;
  expect(element).toBeDefined();
  const names = (list: Array<{ name: string }> | undefined) => (list ?? []).map((x) => x.name).sort();
  expect(names(element.attributes)).toEqual(
    [
      'adapter',
      'autoload',
      'history-key',
      'links',
      'max-tokens',
      'model',
      'models',
      'no-attribution',
      'own-engine',
      'placeholder',
      'system-prompt',
      'temperature',
      'theme',
      'tool-choice',
    ].sort(),
  );
  expect(names(element.events)).toEqual(
    [
      'llama-chat-error',
      'llama-chat-message',
      'llama-chat-progress',
      'llama-chat-ready',
      'llama-chat-token',
      'llama-chat-tool-call',
      'llama-chat-tool-result',
      'llama-chat-action',
    ].sort(),
  );
  // The parts and properties that were public before this manifest existed are all still there.
  for (const part of [
    'container',
    'header',
    'messages',
    'message',
    'user-message',
    'assistant-message',
    'consent',
    'progress',
    'error',
    'composer',
    'input',
    'send-button',
    'stop-button',
    'load-button',
  ]) {
    expect(names(element.cssParts)).toContain(part);
  }
  // The conversation's own actions (regenerate, edit, copy, export, import).
  expect(names(element.cssParts)).toEqual(
    expect.arrayContaining([
      'message-actions',
      'copy-button',
      'edit-button',
      'regenerate-button',
      'edit-input',
      'conversation-menu',
      'import-button',
    ]),
  );
  // What the model's license asks to show: before the download, and while the model runs.
  expect(names(element.cssParts)).toEqual(expect.arrayContaining(['license', 'attribution']));
  for (const property of [
    'background',
    'color',
    'muted-color',
    'accent',
    'on-accent',
    'surface',
    'border-color',
    'danger',
    'radius',
    'spacing',
    'font',
    'height',
  ]) {
    expect(names(element.cssProperties)).toContain(`--llama-chat-${property}`);
  }
});

test('every path in custom-elements.json names a file the package ships', () => {
  const manifest = JSON.parse(readFileSync('dist/custom-elements.json', 'utf8')) as {
    modules: Array<{ path: string; exports?: Array<{ declaration?: { module?: string } }> }>;
  };
  const shipped = (JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] }).files;
  const paths = manifest.modules.flatMap((m) => [m.path, ...(m.exports ?? []).flatMap((e) => e.declaration?.module ?? [])]);
  expect(paths.length).toBeGreaterThan(0);
  for (const path of paths) {
    expect(existsSync(path), path).toBe(true);
    expect(
      shipped.some((root) => path === root || path.startsWith(`${root}/`)),
      path,
    ).toBe(true);
  }
});
