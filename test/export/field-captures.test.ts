/**
 * The held-out field captures (test/fixtures/field, docs/exports.md#field-captures): HAR files written by
 * hand from public incident threads, each with the verdicts and the cause a person needs. The score
 * is how many are diagnosed fully right: every verdict as expected, the leading finding's cause the
 * expected one, and its message and fix saying what they must (and not what they must not).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { importHar } from '../../src/export/har-import.ts';
import { analyze } from '../../src/engine/analyze.ts';

interface FieldCase {
  file: string;
  story: string;
  verdicts: string[];
  cause: string;
  messageHas?: string[];
  messageLacks?: string[];
  fixHas?: string[];
  fixLacks?: string[];
}

const here = new URL('../fixtures/field/', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('expected.json', here), 'utf8')) as { cases: FieldCase[] };

/**
 * Captures the engine does not diagnose fully right yet, with why. The test fails when one of them
 * becomes right (take it off the list) as much as when another one goes wrong.
 */
const KNOWN_MISSES: ReadonlyMap<string, string> = new Map([]);

/** What is wrong with the diagnosis of one capture; empty when it is fully right. */
function problemsOf(fieldCase: FieldCase): string[] {
  const { records } = importHar(readFileSync(new URL(fieldCase.file, here), 'utf8'));
  const report = analyze(records);
  const problems: string[] = [];
  const verdicts = report.verdicts.map(({ verdict }) => (verdict.outcome === 'fail' ? `fail:${verdict.chromiumError ?? 'network'}` : verdict.outcome));
  if (JSON.stringify(verdicts) !== JSON.stringify(fieldCase.verdicts)) problems.push(`verdicts ${JSON.stringify(verdicts)}`);
  const leading = report.findings[0];
  if (leading === undefined) return [...problems, 'no finding'];
  if (leading.cause !== fieldCase.cause) problems.push(`leads with ${leading.cause} (${leading.confidence}): ${leading.message}`);
  for (const text of fieldCase.messageHas ?? []) if (!leading.message.includes(text)) problems.push(`message lacks "${text}": ${leading.message}`);
  for (const text of fieldCase.messageLacks ?? []) if (leading.message.includes(text)) problems.push(`message says "${text}"`);
  for (const text of fieldCase.fixHas ?? []) if (!leading.fix.includes(text)) problems.push(`fix lacks "${text}": ${leading.fix}`);
  for (const text of fieldCase.fixLacks ?? []) if (leading.fix.includes(text)) problems.push(`fix says "${text}"`);
  return problems;
}

describe('held-out field captures', () => {
  const results = cases.map((fieldCase) => ({ file: fieldCase.file, problems: problemsOf(fieldCase) }));

  test('how many are diagnosed fully right (reported), and exactly the known misses are missed', () => {
    const right = results.filter((result) => result.problems.length === 0);
    console.log(`field captures diagnosed fully right: ${right.length} of ${results.length}`);
    for (const result of results) if (result.problems.length > 0) console.log(`  miss ${result.file}: ${result.problems.join('; ')}`);
    const missed = results.filter((result) => result.problems.length > 0).map((result) => result.file);
    expect(missed).toEqual([...KNOWN_MISSES.keys()]);
  });

  test('every known miss names a capture of the set', () => {
    for (const file of KNOWN_MISSES.keys()) expect(cases.map((fieldCase) => fieldCase.file)).toContain(file);
  });
});
