/**
 * Structure test (docs/architecture.md#rules): every rule file is registered under its own id, documented and
 * tested, and the registry is sorted. Checks the registry object, not source text.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RULES } from '../../../src/engine/rules/index.ts';
import { LOOKED_FOR } from '../../../src/engine/rules/lib/looked-for.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ruleFiles = readdirSync(`${root}src/engine/rules`)
  .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
  .map((name) => name.slice(0, -'.ts'.length));

/** Stable cause ids (docs/causes.md), plus the verdict-mapped header errors. */
const CAUSES = new Set([
  'cdn-cache-poisoned',
  'origin-not-forwarded',
  'preflight-rejected',
  'error-without-cors',
  'stale-cache-after-change',
  'duplicate-acao',
  'wildcard-with-credentials',
  'browser-cache-reuse',
  'per-pop-difference',
  'cdn-ignores-vary',
  'not-a-cors-request',
  'mixed-layers',
  'origin-mismatch',
  'origin-without-cors',
  'not-a-cors-failure',
  'expose-headers-missing',
  'preflight-per-segment',
  'redirect-taints-origin',
  'timing-allow-origin-missing',
  'preflight-cached-at-cdn',
  'local-network-access',
  'coep-blocks-media',
  'extension-interference',
]);

describe('rule registry', () => {
  test('registers exactly the rule files, sorted by id', () => {
    expect(Object.keys(RULES)).toEqual([...ruleFiles].sort());
  });

  test('every cause of docs/causes.md has a rule', () => {
    expect(new Set(Object.values(RULES).map((rule) => rule.meta.cause))).toEqual(CAUSES);
  });

  // The list a view shows when nothing is found says what the rules look for: each of its lines covers
  // some rule (every rule names its line, which typecheck holds to the list).
  test('every line of the "looked for" list is named by a rule', () => {
    const named = new Set(Object.values(RULES).map((rule) => rule.meta.lookedFor));
    expect(LOOKED_FOR.filter((line) => !named.has(line))).toEqual([]);
    expect(new Set(LOOKED_FOR).size).toBe(LOOKED_FOR.length);
  });

  test.each(ruleFiles)('%s: id, meta, docs and tests', (id) => {
    const rule = RULES[id];
    expect(rule, `${id}.ts is not registered in src/engine/rules/index.ts`).toBeDefined();
    const { meta } = rule!;
    expect(meta.id).toBe(id);
    expect(CAUSES.has(meta.cause), `unknown cause ${meta.cause}`).toBe(true);
    expect(meta.description).toMatch(/Learn more: https:\/\/\S+$/);
    expect(meta.title.length).toBeGreaterThan(10);
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    for (const messageId of Object.keys(meta.messages)) expect(messageId).toMatch(/^[a-z][a-zA-Z]*$/);
    expect(existsSync(`${root}test/engine/rules/${id}.test.ts`), `test/engine/rules/${id}.test.ts is missing`).toBe(true);
    const docPath = `${root}docs/rules/${id}.md`;
    expect(existsSync(docPath), `docs/rules/${id}.md is missing`).toBe(true);
    const doc = readFileSync(docPath, 'utf8');
    expect(doc.startsWith(`# ${id}`)).toBe(true);
    for (const section of ['## What it means', '## Evidence', '## Fix', '## Example']) expect(doc, `${id}.md lacks ${section}`).toContain(section);
    expect(doc).toContain(`\`${meta.cause}\``);
  });
});
