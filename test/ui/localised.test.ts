/**
 * Engine texts in every UI language: each message id a finding, verdict or import error can carry has
 * an en and a ko key with the placeholders the UI fills, the en text is the engine's English, and the
 * golden scenarios render in Korean through browser.i18n's substitution rules with nothing left over.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorsVerdict, Finding, MessageRef, MessageValue, RequestRecord } from '../../src/engine/model.ts';
import { analyze } from '../../src/engine/analyze.ts';
import { RULE_LIST } from '../../src/engine/rules/index.ts';
import { englishCatalogue } from '../../src/engine/rules/lib/localised.ts';
import { isList, isRef, localeKeyOf, placeholdersOf } from '../../src/engine/rules/lib/text.ts';
import { ImportError, clipboardText, importHar, importJson, toHar } from '../../src/export/index.ts';
import { hlsRecord } from '../export/records.ts';
import { entryProblemOf } from '../../src/export/untrusted.ts';
import {
  baseErrorName,
  findingFix,
  findingMessage,
  hasErrorSentence,
  importMessage,
  localisedText,
  planInLanguage,
  verdictExplanation,
  verdictText,
  type Translate,
} from '../../src/ui/components/localised.ts';
import { SCENARIOS } from '../engine/scenarios/scenarios.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (lang: string): Messages => JSON.parse(readFileSync(path.join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Messages;
const en = load('en');
const ko = load('ko');
const HANGUL = /[\uac00-\ud7a3]/;
/**
 * What a missing substitution or an unfilled template leaves behind: an opening `{{` (a lone `}}` closes
 * nested JSON objects in a command, as Cloudflare's purge by file with its Origin header), `$NAME$`, `$1`.
 */
const LEFTOVER = /\{\{|\$[A-Za-z_]+\$|\$\d/;

/** browser.i18n.getMessage as Chromium does it: $NAME$ → its placeholder's content, $1..$9 → substitutions. */
function translateWith(messages: Messages): Translate {
  return (key, substitutions) => {
    const entry = messages[key];
    if (entry === undefined) return null;
    return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$/g, (whole, name: string | undefined) => {
      if (name === undefined) return '$';
      const content = entry.placeholders?.[name.toLowerCase()]?.content;
      return content === undefined ? whole : content.replace(/\$(\d)/g, (_, index: string) => substitutions[Number(index) - 1] ?? '');
    });
  };
}
const inEnglish = translateWith(en);
const inKorean = translateWith(ko);

/** Message ids of the UI's own sentences for engine data (verdicts, import errors), from the ko file's descriptions. */
function uiIds(): string[] {
  const source = readFileSync(path.join(root, 'src/ui/components/localised.ts'), 'utf8') + readFileSync(path.join(root, 'src/export/untrusted.ts'), 'utf8') + readFileSync(path.join(root, 'src/engine/cors/evaluate.ts'), 'utf8');
  const ids = new Set<string>();
  for (const match of source.matchAll(/'((?:verdict|import)\.[A-Za-z.-]+)'/g)) ids.add(match[1]!);
  for (const match of source.matchAll(/`verdict\.(where|whereStart)\.\$\{stage\}`/g)) for (const stage of ['preflight', 'redirect', 'response']) ids.add(`verdict.${match[1]}.${stage}`);
  for (const name of ERROR_NAMES) ids.add(`verdict.error.${baseErrorName(name)}`);
  for (const file of ['src/export/har-import.ts', 'src/export/json.ts']) {
    for (const match of readFileSync(path.join(root, file), 'utf8').matchAll(/'(import\.[A-Za-z.-]+)'/g)) ids.add(match[1]!);
  }
  return [...ids];
}

/** Every CorsError name the verdict engine can emit, read from its source (string literals in CamelCase). */
const ERROR_NAMES = [
  ...new Set(
    readdirSync(path.join(root, 'src/engine/cors')).flatMap((file) =>
      [...readFileSync(path.join(root, 'src/engine/cors', file), 'utf8').matchAll(/'((?:Preflight)?[A-Z][a-z]+(?:[A-Z][a-z]+)+)'/g)].map((match) => match[1]!),
    ),
  ),
];

function refsIn(value: MessageValue): MessageRef[] {
  if (isList(value)) return value.items.flatMap(refsIn);
  if (!isRef(value)) return [];
  return [value, ...Object.values(value.data ?? {}).flatMap(refsIn)];
}

const scenarioFindings: Array<[string, Finding]> = SCENARIOS.flatMap((scenario) => analyze(scenario.records).findings.map((finding): [string, Finding] => [`${scenario.name}: ${finding.ruleId}`, finding]));

describe('engine texts in _locales', () => {
  const english = englishCatalogue(RULE_LIST);

  test('every rule message, fragment and fix step has an en key equal to the engine English and a ko key with the same placeholders', () => {
    expect(Object.keys(english).length).toBeGreaterThan(100);
    const keys = new Set<string>();
    for (const [id, template] of Object.entries(english)) {
      const key = localeKeyOf(id);
      expect(keys.has(key), `${key} is used by two ids`).toBe(false);
      keys.add(key);
      expect(en[key], `en is missing ${key}`).toBeDefined();
      expect(ko[key], `ko is missing ${key}`).toBeDefined();
      const names = placeholdersOf(template);
      const filled = Object.fromEntries(names.map((name) => [name, `<${name}>`]));
      const values = Object.keys(filled).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)).map((name) => filled[name]!);
      // The en text is the engine's English: the UI in English reads what exports and Node users read.
      expect(inEnglish(key, values)).toBe(template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => `<${name}>`));
      expect(names.length, `${key}: browser.i18n takes at most 9 substitutions`).toBeLessThanOrEqual(9);
      expect(Object.keys(ko[key]!.placeholders ?? {})).toEqual(Object.keys(en[key]!.placeholders ?? {}));
      expect(inKorean(key, values)).not.toMatch(LEFTOVER);
    }
  });

  test('every verdict and import-error message the UI can ask for exists in en and ko with the same placeholders', () => {
    const ids = uiIds();
    expect(ids.length).toBeGreaterThan(40);
    for (const id of ids) {
      const key = localeKeyOf(id);
      expect(en[key], `en is missing ${key}`).toBeDefined();
      expect(ko[key], `ko is missing ${key}`).toBeDefined();
      expect(Object.keys(ko[key]!.placeholders ?? {})).toEqual(Object.keys(en[key]!.placeholders ?? {}));
      expect(ko[key]!.message).toMatch(HANGUL);
    }
  });

  test('placeholders are numbered in the alphabetical order of their names (the order the UI passes values in)', () => {
    for (const messages of [en, ko]) {
      for (const [key, entry] of Object.entries(messages)) {
        const names = Object.keys(entry.placeholders ?? {});
        if (!/^(rule|fix|phrase|list|verdict|import)_/.test(key) || names.length === 0) continue;
        expect(names, key).toEqual([...names].sort());
        expect(names.map((name) => entry.placeholders![name]!.content), key).toEqual(names.map((_, index) => `$${index + 1}`));
      }
    }
  });
});

describe('golden scenarios rendered through _locales', () => {
  test.each(scenarioFindings)('%s', (_name, finding) => {
    expect(finding.messageId).toBeDefined();
    // Each value matches its template's placeholders exactly: the UI passes them by position.
    const english = englishCatalogue(RULE_LIST);
    for (const reference of [...refsIn({ id: `rule.${finding.messageId!}`, data: finding.data! }), ...finding.fixSteps!.flatMap(refsIn)]) {
      expect(Object.keys(reference.data ?? {}).sort(), reference.id).toEqual(placeholdersOf(english[reference.id] ?? '').sort());
    }
    expect(findingMessage(finding, inEnglish)).toBe(finding.message);
    expect(findingFix(finding, inEnglish)).toBe(finding.fix);
    const message = findingMessage(finding, inKorean);
    const fix = findingFix(finding, inKorean);
    for (const text of [message, fix]) {
      expect(text).toMatch(HANGUL);
      expect(text).not.toMatch(LEFTOVER);
    }
    // No fallback to English: the Korean differs from the English sentence and fix.
    expect(message).not.toBe(finding.message);
    expect(fix).not.toBe(finding.fix);
    expect(fix.split('\n').filter((line) => /^\d+\. /.test(line)).length).toBe(finding.fixSteps!.length);
  });

  test('a finding from an older export (no messageId) shows its English text', () => {
    const [, finding] = scenarioFindings[0]!;
    const { messageId: _id, data: _data, fixSteps: _steps, ...old } = finding;
    expect(findingMessage(old, inKorean)).toBe(finding.message);
    expect(findingFix(old, inKorean)).toBe(finding.fix);
  });

  test('a language without a key falls back to the English sentence, not to half a translation', () => {
    const [, finding] = scenarioFindings[0]!;
    const withoutKinds: Translate = (key, values) => (key.startsWith('phrase_kind') ? null : inKorean(key, values));
    expect(findingMessage(finding, withoutKinds)).toBe(finding.message);
  });
});

describe('verdict explanations', () => {
  test('every CorsError name the verdict engine can emit has a sentence', () => {
    expect(ERROR_NAMES.length).toBeGreaterThanOrEqual(15);
    for (const name of ERROR_NAMES) expect(hasErrorSentence(name), name).toBe(true);
  });

  test('every sentence id the verdict engine names has an en and a ko message', () => {
    const engine = readdirSync(path.join(root, 'src/engine/cors'))
      .map((file) => readFileSync(path.join(root, 'src/engine/cors', file), 'utf8'))
      .join('\n');
    const ids = [...new Set([...engine.matchAll(/'(verdict\.case\.\w+)'/g)].map((match) => match[1]!))];
    expect(ids.length).toBeGreaterThanOrEqual(11);
    for (const id of ids) {
      expect(en[localeKeyOf(id)], id).toBeDefined();
      expect(ko[localeKeyOf(id)], id).toBeDefined();
    }
  });

  test('the golden scenarios\' verdicts read in Korean, and in English as the engine wrote them', () => {
    let localised = 0;
    for (const scenario of SCENARIOS) {
      const report = analyze(scenario.records);
      const records = new Map<string, RequestRecord>(scenario.records.map((record) => [record.id, record]));
      for (const { recordId, verdict } of report.verdicts) {
        const record = records.get(recordId)!;
        expect(verdictExplanation(verdict, record, inKorean, 'en_US')).toBe(verdict.explanation);
        const korean = verdictExplanation(verdict, record, inKorean, 'ko');
        expect(korean).not.toMatch(LEFTOVER);
        if (verdictText(verdict, record) !== null) {
          localised++;
          expect(korean, verdict.explanation).toMatch(HANGUL);
        }
      }
    }
    expect(localised).toBeGreaterThan(20);
  });

  test.each([
    [{ outcome: 'fail', chromiumError: 'MissingAllowOriginHeader', stage: 'response', failedParameter: '', needsPreflight: false, explanation: 'x' }, /^응답에 Access-Control-Allow-Origin 헤더가 없으므로/],
    [{ outcome: 'fail', chromiumError: 'PreflightAllowOriginMismatch', stage: 'preflight', failedParameter: 'https://a.example/', needsPreflight: true, explanation: 'x' }, /^사전 요청\(OPTIONS\) 응답의 Access-Control-Allow-Origin 값 "https:\/\/a\.example\/"이\(가\) 요청 출처 http:\/\/localhost:3010과\(와\)/],
    [{ outcome: 'fail', chromiumError: 'InvalidAllowCredentials', stage: 'response', failedParameter: '', needsPreflight: false, explanation: 'x' }, /이 헤더가 없습니다\.$/],
    [{ outcome: 'fail', chromiumError: 'SomethingNew', stage: 'response', needsPreflight: false, explanation: 'The engine sentence.' }, /^The engine sentence\.$/],
  ] as Array<[CorsVerdict, RegExp]>)('%j', (verdict, expected) => {
    const record = { requestHeaders: [['origin', 'http://localhost:3010']], status: 200 } as unknown as RequestRecord;
    expect(verdictExplanation(verdict, record, inKorean, 'ko')).toMatch(expected);
  });
});

describe('import errors', () => {
  const cases: Array<[string, () => unknown]> = [
    ['not JSON', () => importHar('{"log": ')],
    ['not UTF-8', () => importHar(new Uint8Array([0x7b, 0xff, 0xfe]))],
    ['too large', () => importJson('{"tool":"cors-lens"}', { maxChars: 4 })],
    ['no log', () => importHar('{"x": 1}')],
    ['no entries', () => importHar('{"log": {}}')],
    ['HAR version', () => importHar('{"log": {"version": "2.0", "entries": []}}')],
    ['too many entries', () => importHar('{"log": {"entries": [{}, {}]}}', { maxEntries: 1 })],
    ['not CORS Lens', () => importJson('{"a": 1}')],
    ['no schema', () => importJson('{"tool": "cors-lens"}')],
    ['newer schema', () => importJson('{"tool": "cors-lens", "schemaVersion": 99, "records": []}')],
    ['no records', () => importJson('{"tool": "cors-lens", "schemaVersion": 1}')],
    ['too many records', () => importJson('{"tool": "cors-lens", "schemaVersion": 1, "records": [{}, {}]}', { maxEntries: 1 })],
  ];
  test.each(cases)('%s: Korean in the UI, the same English as the error message', (_name, run) => {
    let caught: unknown;
    try {
      run();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImportError);
    const error = caught as ImportError;
    expect(error.text).toBeDefined();
    expect(importMessage(error, inEnglish)).toBe(error.message);
    const korean = importMessage(error, inKorean);
    expect(korean).toMatch(HANGUL);
    expect(korean).not.toMatch(LEFTOVER);
  });
});

describe('import warnings', () => {
  const har = (entries: unknown[]): string => JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } });
  const harEntry = (change: (entry: { request: Record<string, unknown>; response: Record<string, unknown> } & Record<string, unknown>) => void = () => undefined): unknown => {
    const entry = {
      startedDateTime: '2026-11-28T11:46:59.402Z',
      time: 5,
      request: { method: 'GET', url: 'https://cdn.test/v/seg1.ts', httpVersion: 'http/1.1', headers: [], cookies: [], queryString: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: 'OK', httpVersion: 'http/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'video/mp2t' }, redirectURL: '', headersSize: -1, bodySize: -1 },
      cache: {},
      timings: { send: 0, wait: 4, receive: 1 },
    };
    change(entry);
    return entry;
  };
  const tooLongUrl = `https://cdn.test/${'a'.repeat(2 * 1024 * 1024)}`;
  const json = (records: unknown[]): string => JSON.stringify({ tool: 'cors-lens', schemaVersion: 1, records });
  const record = (change: (record: Record<string, unknown>) => void): unknown => {
    const value = JSON.parse(JSON.stringify(hlsRecord(1))) as Record<string, unknown>;
    change(value);
    return value;
  };
  const hop = (change: (hop: Record<string, unknown>) => void = () => undefined) => {
    const value: Record<string, unknown> = { url: 'https://cdn.test/a', status: 302, redirectUrl: 'https://cdn.test/b', headers: [] };
    change(value);
    return record((r) => (r.redirects = [value]));
  };
  const files: Array<[string, () => { warnings: string[]; warningTexts: MessageRef[] }]> = [
    [
      'HAR entries',
      () =>
        importHar(
          har([
            1,
            { response: {} },
            { request: {} },
            harEntry((e) => delete e.request.url),
            harEntry((e) => (e.request.url = tooLongUrl)),
            harEntry((e) => (e.request.method = 'G T')),
            harEntry((e) => delete e.response.status),
            harEntry((e) => (e.startedDateTime = 'yesterday')),
            harEntry((e) => (e.request.headers = 5)),
            harEntry((e) => (e.response.headers = Array.from({ length: 1001 }, () => ({ name: 'x', value: 'y' })))),
            harEntry((e) => (e.request.headers = [{ name: 1, value: 'x' }])),
            harEntry((e) => (e.request.headers = [{ name: 'x a', value: 'x' }])),
            harEntry((e) => (e.response.headers = [{ name: 'x', value: 'y'.repeat(300 * 1024) }])),
            harEntry((e) => Object.assign(e.response, { status: 302, redirectURL: 'https://cdn.test/elsewhere.ts' })),
          ]),
        ),
    ],
    ['an empty HAR', () => importHar(har([]))],
    ['a HAR with more bad entries than warnings', () => importHar(har(Array.from({ length: 30 }, () => 1)))],
    ['a CORS Lens HAR that repeats a record id', () => importHar(JSON.stringify(toHar([hlsRecord(1), hlsRecord(1)], analyze([hlsRecord(1), hlsRecord(1)]))))],
    [
      'CORS Lens records',
      () =>
        importJson(
          json([
            'nope',
            record((r) => delete r.id),
            record((r) => (r.method = '')),
            record((r) => delete r.timings),
            record((r) => (r.status = 1000)),
            record((r) => (r.redirects = 'x')),
            record((r) => (r.error = 5)),
            hop((h) => delete h.status),
            hop((h) => delete h.redirectUrl),
            hop((h) => delete h.url),
            hop((h) => (h.url = tooLongUrl)),
            hop((h) => (h.headers = 'x')),
            record((r) => (r.redirects = [1])),
            record(() => undefined),
            record(() => undefined),
          ]),
        ),
    ],
    ['an empty export', () => importJson(json([]))],
  ];
  const seen = new Set<string>();
  const collectIds = (value: MessageValue): void => {
    if (typeof value !== 'object') return;
    if ('items' in value) return value.items.forEach(collectIds);
    seen.add(value.id);
    for (const inner of Object.values(value.data ?? {})) collectIds(inner);
  };

  test.each(files)('%s: each warning has a text; English renders the same sentence, Korean renders Hangul', (_name, run) => {
    const { warnings, warningTexts } = run();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warningTexts).toHaveLength(warnings.length);
    warnings.forEach((english, index) => {
      const text = warningTexts[index]!;
      collectIds(text);
      expect(importMessage({ message: english, text }, inEnglish)).toBe(english);
      const korean = importMessage({ message: english, text }, inKorean);
      expect(korean).toMatch(HANGUL);
      expect(korean).not.toMatch(LEFTOVER);
    });
  });

  test('an entry that fails in an unforeseen way is "could not be read" in both languages', () => {
    const { message, text } = entryProblemOf(new TypeError('deep inside the parser'));
    collectIds(text);
    expect(importMessage({ message, text }, inEnglish)).toBe(message);
    expect(importMessage({ message, text }, inKorean)).toMatch(HANGUL);
  });

  test('the files above produce every warning and entry problem the importers can name', () => {
    const named = new Set<string>();
    for (const file of ['src/export/har-import.ts', 'src/export/json.ts', 'src/export/untrusted.ts']) {
      for (const match of readFileSync(path.join(root, file), 'utf8').matchAll(/'(import\.(?:warning|entry|field)\.[A-Za-z.-]+)'/g)) named.add(match[1]!);
    }
    // A ternary picks between two ids: both spellings are in the source.
    expect(named.size).toBeGreaterThan(30);
    expect([...named].filter((id) => !seen.has(id))).toEqual([]);
  });
});

describe('the answer in the UI language', () => {
  const reports = SCENARIOS.map((scenario) => [scenario.name, analyze(scenario.records)] as const);

  test.each(reports)('%s: the conclusion and the plan in en are the engine English, in ko Korean and whole', (_name, report) => {
    const { conclusion, plan } = report;
    expect(localisedText(conclusion!.sentence, inEnglish)).toBe(conclusion!.sentence.english);
    expect(localisedText(conclusion!.reasoning, inEnglish)).toBe(conclusion!.reasoning.english);
    expect(planInLanguage(plan!, inEnglish)).toBe(plan!.text);
    for (const text of [localisedText(conclusion!.sentence, inKorean), localisedText(conclusion!.reasoning, inKorean), ...conclusion!.decide.map((decide) => localisedText(decide, inKorean))]) {
      expect(text).toMatch(HANGUL);
      expect(text).not.toMatch(LEFTOVER);
    }
    const korean = planInLanguage(plan!, inKorean);
    expect(korean.split('\n').filter((line) => /^\d+\. /.test(line)).length).toBe(plan!.steps.length);
    if (plan!.steps.length > 0) expect(korean).toMatch(HANGUL);
    expect(korean).not.toMatch(LEFTOVER);
  });

  test('Copy plan goes through the export redactor unless keep secrets is ticked', () => {
    const scenario = SCENARIOS.find((item) => item.name === 'cdn-cache-poisoned')!;
    const secret = 'X-Amz-Signature=zqsecret0123456789abcdef';
    const records = scenario.records.map((record) => ({ ...record, url: `${record.url}?X-Amz-Expires=300&${secret}` }));
    const plan = analyze(records).plan!;
    const text = planInLanguage(plan, inEnglish);
    expect(text).toContain('zqsecret0123456789abcdef');
    expect(clipboardText(text, true)).toBe(text);
    expect(clipboardText(text, false)).not.toContain('zqsecret0123456789abcdef');
    expect(clipboardText(text, false)).toContain('curl ');
  });
});
