// One lint configuration for the whole tree; prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Scripts in bench/ and scripts/ are plain JavaScript run by Node: they see Node's globals.
const nodeGlobals = [
  'process',
  'console',
  'Buffer',
  'URL',
  'performance',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'AbortController',
  'AbortSignal',
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.dist-*/',
      'node_modules/',
      'runs/',
      'lab/',
      '.netops/',
      'coverage/',
      'test-artifacts/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: Object.fromEntries(nodeGlobals.map((name) => [name, 'readonly'])),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // noUncheckedIndexedAccess makes indexed reads optional; `!` after a checked bound is the honest form.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/platforms/*'], message: 'only tasks/ and cli/ may use platforms' }] },
      ],
    },
  },
  {
    // Layers above platforms/ may import it; src/lab/ never may (a shared mistake would pass every test).
    files: ['src/tasks/**', 'src/cli/**', 'src/platforms/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
