// Lint enforces the layers of DESIGN §3: pure engine/export, one door to the browser (src/platform).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const polyfillOnlyInPlatform = {
  name: 'webextension-polyfill',
  message: 'Import the browser API from src/platform/browser.ts: the polyfill must stay removable in one edit.',
};

const browserGlobals = [
  { name: 'chrome', message: 'Browser APIs live in src/platform (import from there).' },
  { name: 'browser', message: 'Browser APIs live in src/platform (import from there).' },
];

const pureLayer = {
  files: ['src/engine/**/*.ts', 'src/export/**/*.ts'],
  languageOptions: { globals: {} },
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [polyfillOnlyInPlatform, { name: 'preact', message: 'engine/export are pure: no UI.' }],
        patterns: [
          { group: ['**/platform/**', '**/background/**', '**/ui/**'], message: 'engine/export are pure TypeScript: no browser layer imports.' },
          { group: ['node:*', 'fs', 'path'], message: 'engine/export run in the browser too: no Node built-ins.' },
        ],
      },
    ],
    'no-restricted-globals': [
      'error',
      ...browserGlobals,
      { name: 'window', message: 'engine/export are pure: no DOM.' },
      { name: 'document', message: 'engine/export are pure: no DOM.' },
      { name: 'setTimeout', message: 'engine/export are pure: no timers.' },
      { name: 'setInterval', message: 'engine/export are pure: no timers.' },
      { name: 'performance', message: 'engine/export are pure: no clock.' },
      { name: 'fetch', message: 'engine/export are pure: no network.' },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'engine/export are pure: no clock (pass time in).' },
      { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'engine/export are pure: no clock (pass time in).' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/platform/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [polyfillOnlyInPlatform] }],
      'no-restricted-globals': ['error', ...browserGlobals],
    },
  },
  pureLayer,
);
