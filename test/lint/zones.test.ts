/** The layer rules are enforced by ESLint (eslint.config.js); this proves the rules fire where they must. */
import { describe, expect, test } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

// The first lint loads the whole ESLint + typescript-eslint configuration: seconds on a loaded 2-core machine.
describe('lint zones', { timeout: 60_000 }, () => {
  test.each([
    ['src/engine/x.ts', "import { browser } from '../platform/browser.ts';\nexport const b = browser;\n", 'no-restricted-imports'],
    ['src/export/x.ts', "import { Recorder } from '../background/recorder.ts';\nexport const r = Recorder;\n", 'no-restricted-imports'],
    ['src/engine/x.ts', 'export const now = Date.now();\n', 'no-restricted-syntax'],
    ['src/engine/x.ts', 'export const id = chrome.runtime.id;\n', 'no-restricted-globals'],
    ['src/engine/x.ts', 'export const el = document.body;\n', 'no-restricted-globals'],
    ['src/background/x.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n", 'no-restricted-imports'],
    ['src/ui/x.ts', 'export const id = chrome.runtime.id;\n', 'no-restricted-globals'],
    // src/view builds on the engine alone: no background, UI, platform, export, DOM or clock.
    ['src/view/x.ts', "import { TabLogStore } from '../background/store.ts';\nexport const s = TabLogStore;\n", 'no-restricted-imports'],
    ['src/view/x.ts', "import type { TabLogResponse } from '../background/store.ts';\nexport type T = TabLogResponse;\n", 'no-restricted-imports'],
    ['src/view/x.ts', "import { message } from '../platform/runtime.ts';\nexport const m = message;\n", 'no-restricted-imports'],
    ['src/view/x.ts', "import { TabView } from '../ui/components/TabView.tsx';\nexport const v = TabView;\n", 'no-restricted-imports'],
    ['src/view/x.ts', "import { toHar } from '../export/index.ts';\nexport const h = toHar;\n", 'no-restricted-imports'],
    ['src/view/x.ts', "import { h } from 'preact';\nexport const x = h;\n", 'no-restricted-imports'],
    ['src/view/x.ts', 'export const el = document.body;\n', 'no-restricted-globals'],
    ['src/view/x.ts', 'export const now = Date.now();\n', 'no-restricted-syntax'],
    ['src/engine/x.ts', "import { rowsOf } from '../view/rows.ts';\nexport const r = rowsOf;\n", 'no-restricted-imports'],
    // The UI never reaches into the background (the message protocol aside, for now).
    ['src/ui/components/x.ts', "import { TabLogStore } from '../../background/store.ts';\nexport const s = TabLogStore;\n", 'no-restricted-imports'],
    ['src/ui/components/x.tsx', "import type { TabLog } from '../../background/store.ts';\nexport type T = TabLog;\n", 'no-restricted-imports'],
    ['src/ui/popup/x.ts', "import { TabViews } from '../../background/view.ts';\nexport const v = TabViews;\n", 'no-restricted-imports'],
    ['src/ui/x.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n", 'no-restricted-imports'],
  ])('%s: %j is rejected', async (filePath, code, ruleId) => {
    expect(await ruleIdsFor(filePath, code)).toContain(ruleId);
  });

  test.each([
    ['src/platform/x.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n"],
    ['src/background/x.ts', "import { browser } from '../platform/browser.ts';\nexport const b = browser;\n"],
    ['src/engine/x.ts', "import { headerValue } from './headers.ts';\nexport const h = headerValue;\n"],
    ['src/view/x.ts', "import { analyze } from '../engine/index.ts';\nimport { rowsOf } from './rows.ts';\nexport const a = [analyze, rowsOf];\n"],
    ['src/ui/components/x.ts', "import { rowsOf } from '../../view/rows.ts';\nimport type { Report } from '../../engine/model.ts';\nexport const r = rowsOf;\nexport type R = Report;\n"],
    ['src/background/x.ts', "import { countRecord } from '../view/totals.ts';\nexport const c = countRecord;\n"],
    ['src/ui/components/x.ts', "import { tabLogPortName } from '../../view/protocol.ts';\nexport const p = tabLogPortName;\n"],
  ])('%s: %j is allowed', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([]);
  });
});
