/** The layer rules of DESIGN §3 are enforced by ESLint; this proves the rules fire where they must. */
import { describe, expect, test } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint zones', () => {
  test.each([
    ['src/engine/x.ts', "import { browser } from '../platform/browser.ts';\nexport const b = browser;\n", 'no-restricted-imports'],
    ['src/export/x.ts', "import { Recorder } from '../background/recorder.ts';\nexport const r = Recorder;\n", 'no-restricted-imports'],
    ['src/engine/x.ts', 'export const now = Date.now();\n', 'no-restricted-syntax'],
    ['src/engine/x.ts', 'export const id = chrome.runtime.id;\n', 'no-restricted-globals'],
    ['src/engine/x.ts', 'export const el = document.body;\n', 'no-restricted-globals'],
    ['src/background/x.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n", 'no-restricted-imports'],
    ['src/ui/x.ts', 'export const id = chrome.runtime.id;\n', 'no-restricted-globals'],
  ])('%s: %j is rejected', async (filePath, code, ruleId) => {
    expect(await ruleIdsFor(filePath, code)).toContain(ruleId);
  });

  test.each([
    ['src/platform/x.ts', "import browser from 'webextension-polyfill';\nexport const b = browser;\n"],
    ['src/background/x.ts', "import { browser } from '../platform/browser.ts';\nexport const b = browser;\n"],
    ['src/engine/x.ts', "import { headerValue } from './headers.ts';\nexport const h = headerValue;\n"],
  ])('%s: %j is allowed', async (filePath, code) => {
    expect(await ruleIdsFor(filePath, code)).toEqual([]);
  });
});
