// One lint configuration for the whole tree; prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './scripts/lint/layer-rule.js';

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
    },
  },
  {
    // The layer table of src/ (scripts/lint/layers.js): imports go down, lab/ stays apart. Per folder, so a
    // moved file takes its new folder's rule.
    files: ['src/**/*.ts', 'src/**/*.cts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports-go-down': 'error' },
  },
  {
    // A function does one job: a longer one is split where its jobs meet (docs/development.md).
    files: ['src/**/*.ts', 'src/**/*.cts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // A CommonJS module (the bin, src/cli/bin.cts) imports as CommonJS does, with `import x = require()`.
    files: ['**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }] },
  },
);
