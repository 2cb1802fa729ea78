/**
 * message(): a key is looked up from the browser once, and every later call gives what
 * browser.i18n.getMessage would have given (its placeholders filled by position, in en and ko).
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string): Messages => JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/_locales/${lang}/messages.json`, import.meta.url)), 'utf8')) as Messages;

/** browser.i18n.getMessage as Chromium does it: $NAME$ → its placeholder's content, $1..$9 → substitutions ('' when missing). */
function getMessageOf(messages: Messages) {
  return (key: string, substitutions?: string | string[]): string => {
    const entry = messages[key];
    if (entry === undefined) return '';
    const values = substitutions === undefined ? [] : [substitutions].flat();
    return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (whole, name: string | undefined) => {
      if (name === undefined) return '$';
      const content = entry.placeholders?.[name.toLowerCase()]?.content;
      return content === undefined ? whole : content.replace(/\$(\d)/g, (_, index: string) => values[Number(index) - 1] ?? '');
    });
  };
}

const browserFake = { i18n: { getMessage: vi.fn((_key: string, _substitutions?: string | string[]): string => '') } };
vi.mock('../../src/platform/browser.ts', () => ({ browser: browserFake }));

describe.each(['en', 'ko'])('message() in %s', (lang) => {
  const messages = load(lang);
  const getMessage = getMessageOf(messages);

  beforeEach(async () => {
    vi.resetModules();
    browserFake.i18n.getMessage.mockReset();
    browserFake.i18n.getMessage.mockImplementation(getMessage);
  });

  test('every key gives getMessage\'s text, and the browser is asked once per key', async () => {
    const { message } = await import('../../src/platform/runtime.ts');
    // Values that look like placeholders must come out as they are.
    const values = ['a$1b', '$$', '12', 'x $2$ y', '5'];
    const keys = Object.keys(messages);
    for (let round = 0; round < 3; round++) {
      for (const key of keys) {
        // An empty text (a language leaving a word out) answers the key, as before.
        expect(message(key, values)).toBe(getMessage(key, values) || key);
        expect(message(key, values[0])).toBe(getMessage(key, values[0]) || key);
        expect(message(key)).toBe(getMessage(key) || key);
      }
    }
    expect(browserFake.i18n.getMessage).toHaveBeenCalledTimes(keys.length);
    expect(message('noSuchKey')).toBe('noSuchKey');
  });

  test('countMessage uses the _one wording for one', async () => {
    const { countMessage } = await import('../../src/platform/runtime.ts');
    const withOne = Object.keys(messages).filter((key) => key.endsWith('_one')).map((key) => key.slice(0, -'_one'.length));
    expect(withOne.length).toBeGreaterThan(0);
    for (const key of withOne) {
      expect(countMessage(key, 1)).toBe(getMessage(`${key}_one`, '1') || getMessage(key, '1') || key);
      expect(countMessage(key, 7)).toBe(getMessage(key, '7') || key);
    }
  });
});
