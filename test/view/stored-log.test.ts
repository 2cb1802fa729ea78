import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { CorsOutcome, CorsVerdict, Finding, MediaKind, Severity } from '../../src/engine/model.ts';
import { RequestList } from '../../src/view/list.ts';
import { verdictKeyOf, type RowFacts } from '../../src/view/row-facts.ts';
import { emptyTotals } from '../../src/view/totals.ts';
import { FIRST_SCREEN_ROWS, NO_VERSION, currentStoredSummary, firstScreenOf, firstScreenView, type StoredMeta } from '../../src/view/stored-log.ts';
import type { RequestRow } from '../../src/view/rows.ts';

const KINDS: MediaKind[] = ['media-playlist', 'segment', 'init-segment', 'key', 'preflight', 'cors-request', 'other'];
const OUTCOMES: CorsOutcome[] = ['fail', 'unknown', 'pass', 'not-applicable'];
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

/** What every generated row shares; a row differs by its id, place, kind and verdict. */
const ROW_BASE = { url: 'https://cdn.test/f.ts', status: 200, allowOrigin: null, cacheStatus: null, age: null, fromBrowserCache: false, error: null, requestOrigin: 'https://a.test', retest: false, retestOf: null };

function factOf(kind: number, outcome: number, seq: number): RowFacts {
  const chromiumError = outcome === 0 && seq % 3 !== 0 ? (seq % 2 ? 'MissingAllowOriginHeader' : 'AllowOriginMismatch') : undefined;
  const verdict: CorsVerdict = { outcome: OUTCOMES[outcome]!, needsPreflight: false, explanation: OUTCOMES[outcome]!, ...(chromiumError ? { chromiumError } : {}) };
  return { ...ROW_BASE, id: `r${seq}`, seq, fileName: `f${seq}.ts`, kind: KINDS[kind]!, verdict, verdictKey: verdictKeyOf(verdict), start: seq };
}

function findingsOf(facts: readonly RowFacts[], specs: ReadonlyArray<{ picks: number[]; severity: number }>): Finding[] {
  return specs.map(
    (spec, index) =>
      ({
        ruleId: `rule-${index}`,
        cause: `cause-${index % 2}`,
        severity: SEVERITIES[spec.severity]!,
        recordIds: facts.length === 0 ? [] : spec.picks.map((pick) => facts[pick % facts.length]!.id),
        evidence: spec.picks.slice(0, 2).map((pick) => ({ name: 'vary', value: null, recordId: `r${pick}` })),
      }) as unknown as Finding, // only what the list and the first screen read of a finding: its cause, severity, records and evidence
  );
}

/** A meta naming the records firstSeq…endSeq, with complete totals. */
function metaOf(firstSeq: number, endSeq: number): StoredMeta {
  return { pageUrl: 'https://a.test/watch', firstSeq, endSeq, chunks: [], totals: emptyTotals() };
}

/** What a list row shows, without the identity of its object. */
const shownOf = (row: RequestRow) => ({ id: row.id, seq: row.seq, kind: row.kind, outcome: row.verdict.outcome, causes: row.causes, warned: row.warned, position: row.position });

describe('the first screen stored for a view', () => {
  test('is the top of the list the view builds from every row: groups and their sizes, rows in order with their findings, counts, rejections per cause', () => {
    const rowSpec = fc.record({ kind: fc.nat(KINDS.length - 1), outcome: fc.nat(3) });
    fc.assert(
      fc.property(
        fc.array(rowSpec, { maxLength: 700 }),
        fc.nat(40),
        fc.array(fc.record({ picks: fc.array(fc.nat(), { maxLength: 30 }), severity: fc.nat(2) }), { maxLength: 4 }),
        (specs, firstSeq, findingSpecs) => {
          const facts = specs.map((spec, index) => factOf(spec.kind, spec.outcome, firstSeq + index));
          const findings = findingsOf(facts, findingSpecs);
          const range = { firstSeq, endSeq: firstSeq + facts.length };
          const version = { logId: 'w:1', revision: 3 };
          const stored = firstScreenOf(facts, range, version, findings);
          const summary = { firstSeq, endSeq: range.endSeq, ...version, rejudged: { verdicts: [], origins: [], rows: [] }, summary: { findings, streams: [], ruleErrors: [] } };
          // Through storage: JSON text.
          const view = firstScreenView(metaOf(firstSeq, range.endSeq), JSON.stringify(stored), summary);
          const first = view!.data.firstScreen!;

          const list = new RequestList();
          list.update(facts, findings, { filter: 'all', sort: null, groupedAt: 0 });
          const groups = list.groups();
          expect(first.groups.map((group) => [group.key, group.rows.length])).toEqual(groups.map((group) => [group.key, group.rows.length]));
          expect(first.counts).toEqual(list.counts());
          expect(first.failuresByCause).toEqual(list.failuresByCause());
          expect(first.rowCount).toBe(facts.length);
          // Every line down to linesHeld is there, in the list's order; the rows held are the list's first ones.
          const listLines = groups.flatMap((group) => [group.key, ...group.rows.map(shownOf)]);
          const heldLines = first.groups.flatMap((group) => [group.key, ...Array.from(group.rows, (row) => (row === undefined ? undefined : shownOf(row)))]);
          expect(heldLines.slice(0, first.linesHeld)).toEqual(listLines.slice(0, first.linesHeld));
          const heldRows = first.groups.flatMap((group) => group.rows.filter((row) => row !== undefined));
          expect(heldRows).toHaveLength(Math.min(facts.length, FIRST_SCREEN_ROWS));
          // A list short enough to be drawn whole (not virtualised) is held whole.
          if (facts.length <= FIRST_SCREEN_ROWS) expect(first.linesHeld).toBe(listLines.length);
          else expect(first.linesHeld).toBeGreaterThan(FIRST_SCREEN_ROWS);
          // The cards as headlines (their bodies are shown only once a card is opened; the whole list
          // brings them), the diagnosis read left whole.
          expect(view!.data).toMatchObject({ rows: [], provisional: true, summary: { ...summary.summary, findings: findings.map((finding) => ({ ...finding, message: '', evidence: [], fix: '' })) } });
          expect(summary.summary.findings).toBe(findings);
          expect(findings.map((finding) => finding.evidence.length)).toEqual(findingSpecs.map((spec) => Math.min(2, spec.picks.length)));
          expect(view!.version).toEqual(version);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('is drawn only for the meta\'s records, and with the cards only when the diagnosis stored is of its version', () => {
    const facts = Array.from({ length: 5 }, (_, index) => factOf(1, index % 2 === 0 ? 0 : 2, 10 + index));
    const range = { firstSeq: 10, endSeq: 15 };
    const summaryText = (logId: string, revision: number) => JSON.stringify({ ...range, logId, revision, rejudged: { verdicts: [], origins: [], rows: [] }, summary: { findings: [], streams: [], ruleErrors: [] } });
    const meta = metaOf(10, 15);
    const unversioned = JSON.stringify(firstScreenOf(facts, range, NO_VERSION, []));
    const versioned = JSON.stringify(firstScreenOf(facts, range, { logId: 'w:1', revision: 4 }, []));
    const same = currentStoredSummary(meta, summaryText('w:1', 4));
    const other = currentStoredSummary(meta, summaryText('w:1', 5));

    // The store's first screen: rows and counts, no cards (whatever diagnosis is stored).
    expect(firstScreenView(meta, unversioned, null)).toMatchObject({ data: { summary: null }, version: NO_VERSION });
    expect(firstScreenView(meta, unversioned, other)).toMatchObject({ data: { summary: null }, version: NO_VERSION });
    // The worker's, with its diagnosis: the cards too, and its version.
    expect(firstScreenView(meta, versioned, same)).toMatchObject({ data: { summary: { findings: [] } }, version: { logId: 'w:1', revision: 4 } });
    // The worker's without its diagnosis (its rows may be re-judged and joined with findings not shown): not drawn.
    expect(firstScreenView(meta, versioned, other)).toBeNull();
    expect(firstScreenView(meta, versioned, null)).toBeNull();
    // Of other records than the meta names: not drawn.
    expect(firstScreenView(metaOf(10, 16), unversioned, null)).toBeNull();
    expect(firstScreenView(metaOf(11, 15), unversioned, null)).toBeNull();
    expect(firstScreenView({ ...meta, totals: undefined }, unversioned, null)).toBeNull();
    expect(firstScreenView(meta, 'not JSON', null)).toBeNull();
    expect(firstScreenView(meta, undefined, null)).toBeNull();
  });
});
