// Lint enforces the layers: pure engine/export, a pure view layer on the engine (src/view), a UI that
// never reaches into the background, one door to the browser (src/platform).
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

const noNodeBuiltins = { group: ['node:*', 'fs', 'path'], message: 'Pure layers run in the browser too: no Node built-ins.' };

/** A layer of plain TypeScript: no browser, DOM, timers, clock, network or Node, and none of the layers in `forbidden`. */
function pureZone(files, layer, forbidden, forbiddenMessage) {
  return {
    files,
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [polyfillOnlyInPlatform, { name: 'preact', message: `${layer} is pure: no UI.` }],
          patterns: [{ group: forbidden, message: forbiddenMessage }, noNodeBuiltins],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...browserGlobals,
        { name: 'window', message: `${layer} is pure: no DOM.` },
        { name: 'document', message: `${layer} is pure: no DOM.` },
        { name: 'setTimeout', message: `${layer} is pure: no timers.` },
        { name: 'setInterval', message: `${layer} is pure: no timers.` },
        { name: 'performance', message: `${layer} is pure: no clock.` },
        { name: 'fetch', message: `${layer} is pure: no network.` },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: `${layer} is pure: no clock (pass time in).` },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `${layer} is pure: no clock (pass time in).` },
      ],
    },
  };
}

const pureLayer = pureZone(
  ['src/engine/**/*.ts', 'src/export/**/*.ts'],
  'engine/export',
  ['**/platform/**', '**/background/**', '**/ui/**', '**/view/**'],
  'engine/export are pure TypeScript: no browser layer imports.',
);

/** The view layer (rows, counts, groups, totals, updates) is built on the engine alone, so it runs in Node tests as it runs in the popup. */
const viewLayer = pureZone(['src/view/**/*.ts'], 'src/view', ['**/platform/**', '**/background/**', '**/ui/**', '**/export/**'], 'src/view imports only src/engine (and itself).');

/** The UI shows what src/view works out and talks to the background by messages only. */
const uiLayer = {
  files: ['src/ui/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [polyfillOnlyInPlatform],
        patterns: [
          {
            group: ['**/background/**'],
            message: 'The UI imports src/view and the engine, never src/background (the background only stores, routes and pushes).',
          },
        ],
      },
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
  viewLayer,
  uiLayer,
);
