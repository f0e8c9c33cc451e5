// House rules: typescript-eslint's strict set, Prettier for layout, and the layout's own rules:
// the page's code and the worker's meet only in protocol/, and no source file grows past 300 lines.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const boundary = (message, patterns) => ['error', { patterns: [{ group: patterns, message }] }];

export default tseslint.config(
  {
    ignores: [
      'test/consumers/apps/',
      'dist/',
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
  {
    files: ['src/**/*.ts'],
    ignores: ['src/spawn-worker.ts'], // knows the worker by its entry URL only
    rules: {
      'no-restricted-imports': boundary('The page reaches the worker only through protocol/ (and spawn-worker.ts its entry URL).', [
        '**/worker/**',
      ]),
    },
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
