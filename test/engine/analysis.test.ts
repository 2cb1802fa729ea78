/**
 * Per-analysis state (src/engine/analysis.ts): what one analysis works out stays with it, nothing
 * is kept on the caller's objects, and what the engine returns is the caller's to keep.
 */
import { describe, expect, test } from 'vitest';
import { analyze, diagnose, evaluateCors, exchangeFromRecord, verdictsOf } from '../../src/engine/index.ts';
import type { RequestRecord } from '../../src/engine/model.ts';
import type { RecordFacts, Rule, RuleContext } from '../../src/engine/rules/lib/types.ts';
import { runRules } from '../../src/engine/rules/lib/run.ts';
import { corsRequestsByBehavior } from '../../src/engine/rules/lib/groups.ts';
import { makeRecord } from './rules/support/make-record.ts';
import { SCENARIOS } from './scenarios/scenarios.ts';

const ORIGIN = 'http://localhost:3010';

function passing(index: number, url: string): RequestRecord {
  return makeRecord({ url, requestHeaders: { origin: ORIGIN, 'sec-fetch-mode': 'cors' }, responseHeaders: { 'access-control-allow-origin': '*' } }, index);
}

const LOG = [
  passing(0, 'https://cdn.example/v/master.m3u8'),
  passing(1, 'https://cdn.example/v/720p/index.m3u8'),
  passing(2, 'https://cdn.example/v/720p/seg1.ts'),
  passing(3, 'https://cdn.example/v/720p/seg2.ts'),
  passing(4, 'https://other.example/x/file.ts'),
];

function probe(check: (context: RuleContext) => void): Rule {
  return { meta: { id: 'probe', cause: 'probe', category: 'cors', lookedFor: 'advice', kind: 'advice', severity: 'info', title: '', description: '', messages: {}, requires: [] }, check };
}

describe('what a rule shares with other rules lives in the analysis', () => {
  test('a computation asked for twice in one analysis runs once; another analysis runs it again', () => {
    let runs = 0;
    const count = (facts: readonly RecordFacts[]): number => {
      runs++;
      return facts.length;
    };
    const asks: number[] = [];
    const rule = probe((context) => asks.push(context.computed(count), context.computed(count)));
    const verdicts = analyze(LOG).verdicts;
    runRules([rule, rule], LOG, verdicts);
    expect(asks).toEqual([5, 5, 5, 5]);
    expect(runs).toBe(1);
    runRules([rule], LOG, verdicts);
    expect(runs).toBe(2);
  });

  test('the behaviour groups are one object per analysis, and nothing is written on the caller’s arrays', () => {
    const seen: Array<ReadonlyMap<string, readonly RecordFacts[]>> = [];
    const rule = probe((context) => seen.push(corsRequestsByBehavior(context)));
    const records = Object.freeze([...LOG]);
    const verdicts = Object.freeze(analyze(records).verdicts);
    runRules([rule, rule], records, verdicts);
    runRules([rule], records, verdicts);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[2]).not.toBe(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect([...seen[0]!.keys()]).toEqual(['cdn.example /*.m3u8', 'cdn.example /*.ts', 'other.example /*.ts']);
    const mutable = [...LOG];
    analyze(mutable);
    diagnose(mutable, analyze(mutable).verdicts);
    expect(Object.getOwnPropertySymbols(mutable)).toEqual([]);
    expect(Object.keys(mutable)).toEqual(LOG.map((_record, index) => String(index)));
  });

  test('streamOf gives each record the stream the report counts it in', () => {
    const report = analyze(LOG);
    const keys: Array<string | null> = [];
    runRules([probe((context) => keys.push(...context.facts.map(context.streamOf)))], LOG, report.verdicts);
    expect(keys).toEqual(['cdn.example/v/', 'cdn.example/v/720p/', 'cdn.example/v/720p/', 'cdn.example/v/720p/', 'other.example/x/']);
    for (const stream of report.streams) expect(keys.filter((key) => key === stream.key).length).toBe(stream.total);
  });
});

describe('what the engine returns is the caller’s own', () => {
  test('every verdict is an object of its own, in every call, and may be changed', () => {
    const first = analyze(LOG);
    const second = analyze(LOG);
    const objects = [...first.verdicts, ...second.verdicts].map((entry) => entry.verdict);
    expect(new Set(objects).size).toBe(objects.length);
    expect(new Set(objects.map((verdict) => verdict.explanationText)).size).toBe(objects.length);
    const quick = verdictsOf(LOG);
    expect(quick[0]).not.toBe(first.verdicts[0]!.verdict);
    const verdict = first.verdicts[0]!.verdict;
    expect(Object.isFrozen(verdict)).toBe(false);
    verdict.outcome = 'fail';
    verdict.explanationText!.id = 'changed';
    expect(second.verdicts[0]!.verdict).toMatchObject({ outcome: 'pass', explanationText: { id: 'verdict.case.pass' } });
    expect(analyze(LOG).verdicts[0]!.verdict).toEqual(second.verdicts[0]!.verdict);
    expect(verdictsOf(LOG)[0]).toEqual(second.verdicts[0]!.verdict);
  });

  test('an exchange is the caller’s: its redirect list may be added to without touching another', () => {
    const one = exchangeFromRecord(LOG[2]!);
    const two = exchangeFromRecord(LOG[3]!);
    expect(one.redirects).not.toBe(two.redirects);
    one.redirects!.push({ status: 302, headers: [['location', 'https://elsewhere.example/']] });
    expect(two.redirects).toEqual([]);
    expect(evaluateCors(exchangeFromRecord(LOG[3]!))).toEqual(evaluateCors(two));
  });

  test('analyses of the scenarios give the same report again, whatever the caller did to an earlier one', () => {
    for (const scenario of SCENARIOS) {
      const before = JSON.parse(JSON.stringify(analyze(scenario.records))) as unknown;
      const report = analyze(scenario.records);
      for (const { verdict } of report.verdicts) {
        verdict.explanation = 'changed';
        delete verdict.explanationText;
      }
      for (const finding of report.findings) finding.evidence.length = 0;
      expect(analyze(scenario.records)).toEqual(before);
    }
  });
});
