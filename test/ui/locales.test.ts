/** Every user-visible string goes through _locales; a key missing in en or ko fails here. */
import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOKED_FOR } from '../../src/engine/rules/lib/looked-for.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
type Messages = Record<string, { message: string; placeholders?: Record<string, unknown> }>;
const load = (lang: string): Messages => JSON.parse(readFileSync(path.join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Messages;
const en = load('en');
const ko = load('ko');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Keys used literally as message('key') plus the families built from enums (outcome_, kind_, …). */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'src/ui'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/message\('([A-Za-z0-9_]+)'/g)) keys.add(match[1]!);
  }
  for (const outcome of ['pass', 'fail', 'unknown', 'not_applicable']) keys.add(`outcome_${outcome}`);
  for (const confidence of ['certain', 'likely', 'possible']) keys.add(`confidence_${confidence}`);
  for (const filter of ['all', 'failing', 'warnings', 'playlists', 'segments']) keys.add(`filter_${filter}`);
  for (const group of ['all', 'rejected', 'playlists', 'segments', 'init', 'keys', 'subtitles', 'preflights', 'requests', 'other']) keys.add(`group_${group}`);
  for (const line of LOOKED_FOR) keys.add(`lookedFor_${line}`);
  const kinds = ['master-playlist', 'media-playlist', 'playlist', 'segment', 'init-segment', 'dash-manifest', 'progressive', 'audio', 'subtitles', 'key', 'preflight', 'cors-request', 'other'];
  for (const kind of kinds) keys.add(`kind_${kind.replace(/-/g, '_')}`);
  return keys;
}

async function ruleCauses(): Promise<string[]> {
  const { RULE_LIST } = await import('../../src/engine/rules/index.ts');
  return [...new Set(RULE_LIST.map((rule) => rule.meta.cause))];
}

describe('_locales', () => {
  test('en and ko have exactly the same keys', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  test('every key the UI uses exists in both, with the same placeholders', () => {
    for (const key of usedKeys()) {
      expect(en[key], `en is missing ${key}`).toBeDefined();
      expect(ko[key], `ko is missing ${key}`).toBeDefined();
      expect(Object.keys(ko[key]?.placeholders ?? {})).toEqual(Object.keys(en[key]?.placeholders ?? {}));
    }
  });

  test('every cause a rule can report has a label', async () => {
    for (const cause of await ruleCauses()) {
      const key = `cause_${cause.replace(/-/g, '_')}`;
      expect(en[key], `en is missing ${key}`).toBeDefined();
      expect(ko[key], `ko is missing ${key}`).toBeDefined();
    }
  });
});
