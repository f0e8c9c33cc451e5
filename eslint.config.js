// House rules: typescript-eslint's strict set, Prettier for layout, and the layout's own rules:
// the page's code and the worker's meet only in protocol/, the page's groups import only the
// groups below them (CONTRIBUTING.md, "The layout"), and no source file grows past 300 lines.
// (Import cycles, types included, are `npm run lint`'s dpdm step.)
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const boundary = (message, patterns) => ['error', { patterns: [{ group: patterns, message }] }];

/**
 * The main thread's groups (folders of src/) and the groups each may import, besides protocol/:
 * element → session → client → worker, one way; only client/ knows that workers exist.
 */
export const PAGE_GROUPS = {
  'language-model': ['client', 'models', 'shared'],
  element: ['session', 'models', 'rendering', 'shared'],
  session: ['client', 'models', 'history', 'shared'],
  client: ['models', 'history', 'shared'],
  models: ['shared'],
  rendering: ['shared'],
  history: [],
  shared: [],
};

function pageGroupRules(group, allowed) {
  const refused = Object.keys(PAGE_GROUPS).filter((other) => other !== group && !allowed.includes(other));
  const workers = group === 'client' ? [] : [{ name: 'Worker' }, { name: 'SharedWorker' }];
  return {
    files: [`src/${group}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: refused.map((other) => `../${other}/*`),
              message: `src/${group}/ imports only ${[...allowed.map((a) => `src/${a}/`), 'protocol/'].join(', ')} (CONTRIBUTING.md, "The layout").`,
            },
            {
              group: ['**/worker/**'],
              message: 'The page reaches the worker only through protocol/ (and client/spawn-worker.ts its entry URL).',
            },
            ...(group === 'client' ? [] : [{ group: ['comlink'], message: 'Only src/client/ talks to workers.' }]),
          ],
        },
      ],
      'no-restricted-globals': ['error', ...workers.map((w) => ({ ...w, message: 'Only src/client/ starts workers.' }))],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'test/consumers/apps/',
      'dist/',
      'bench/.dist-other-wllama/',
      'node_modules/',
      'test-results/',
      'test/.generated/',
      'bench/.build/',
      'bench/results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    rules: {
      // Checked where it matters: the DOM and IndexedDB hand back values TypeScript cannot narrow.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Global interface merges (HTMLElementEventMap extends our event map) declare no members.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // Tests look for control characters on purpose (bidi and NUL tricks).
      'no-control-regex': 'off',
      // `void promise` marks a promise whose failure is handled elsewhere (shown in the view).
      'no-void': 'off',
    },
  },
  {
    files: ['protocol/**/*.ts', 'src/**/*.ts', 'worker/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary('protocol/ is what both threads share: it imports neither of them.', ['**/src/**', '**/worker/**']),
    },
  },
  ...Object.entries(PAGE_GROUPS).map(([group, allowed]) => pageGroupRules(group, allowed)),
  {
    files: ['src/*.ts'], // the public entry: it may export from every group
    rules: { 'no-restricted-imports': boundary('The page reaches the worker only through protocol/.', ['**/worker/**']) },
  },
  {
    files: ['worker/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary("The worker never imports the page's code; shared things live in protocol/.", ['**/src/**']),
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
