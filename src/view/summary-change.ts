import type { Finding } from '../engine/model.ts';
import type { ViewSummary } from './model.ts';

/**
 * One finding of the new summary, said against the summary the view holds: `same` is the index of a
 * held finding that did not change (the view keeps that very object, so its card is not drawn again);
 * `from` a held finding it continues, with the `fields` that changed and its recordIds as the held
 * ones' [start, end) followed by `added` (records evicted from the front, new ones appended: what a
 * playing stream does to a finding); otherwise the `finding` whole.
 */
export type FindingChange = { same: number } | { from: number; fields: Partial<Finding>; ids: { start: number; end: number; added: string[] } } | { finding: Finding };

/**
 * What changed in a tab's summary since the one a view holds: every finding as a FindingChange, and
 * the other parts that changed, whole (a part absent is as held). A stream adds a rejected request
 * every few updates; the findings then name one more record, and this sends that id, not every id.
 */
export interface SummaryChange {
  findings: FindingChange[];
  changed: Partial<Omit<ViewSummary, 'findings'>>;
}

const OTHER_PARTS = ['streams', 'ruleErrors', 'conclusion', 'plan'] as const;

/** The held finding the new one continues: the same rule and cause, not already taken. */
function heldIndexOf(held: readonly Finding[], taken: ReadonlySet<number>, finding: Finding): number {
  return held.findIndex((candidate, index) => !taken.has(index) && candidate.ruleId === finding.ruleId && candidate.cause === finding.cause);
}

/** The recordIds of `next` as a run of `held`'s followed by new ids, when they are that (else null). */
function idsAsRun(held: readonly string[], next: readonly string[]): { start: number; end: number; added: string[] } | null {
  const start = next.length === 0 ? held.length : held.indexOf(next[0]!);
  if (start < 0) return { start: 0, end: 0, added: [...next] };
  let end = start;
  while (end < held.length && end - start < next.length && held[end] === next[end - start]) end++;
  // The run must reach the end of the held ids: an id dropped in the middle is said with the whole finding.
  if (end < held.length) return null;
  return { start, end, added: next.slice(end - start) };
}

/** The fields of `next` (recordIds aside) that differ from `held`'s; null when `next` lacks one `held` has. */
function changedFields(held: Finding, next: Finding): Partial<Finding> | null {
  const fields: Partial<Finding> = {};
  for (const key of Object.keys(held) as Array<keyof Finding>) if (next[key] === undefined && held[key] !== undefined) return null;
  for (const key of Object.keys(next) as Array<keyof Finding>) {
    if (key !== 'recordIds' && JSON.stringify(next[key]) !== JSON.stringify(held[key])) Object.assign(fields, { [key]: next[key] });
  }
  return fields;
}

/**
 * `next` said against `held` (both of the same log). Null when a part the view holds is gone from
 * `next` (a summary without a conclusion): the view then gets the whole summary.
 */
export function summaryChangeOf(held: ViewSummary, next: ViewSummary): SummaryChange | null {
  const changed: SummaryChange['changed'] = {};
  for (const part of OTHER_PARTS) {
    if (next[part] === undefined) {
      if (held[part] !== undefined) return null;
    } else if (JSON.stringify(next[part]) !== JSON.stringify(held[part])) Object.assign(changed, { [part]: next[part] });
  }
  const taken = new Set<number>();
  const findings = next.findings.map((finding): FindingChange => {
    const from = heldIndexOf(held.findings, taken, finding);
    if (from < 0) return { finding };
    const before = held.findings[from]!;
    const ids = idsAsRun(before.recordIds, finding.recordIds);
    const fields = changedFields(before, finding);
    if (ids === null || fields === null) return { finding };
    taken.add(from);
    const sameIds = ids.added.length === 0 && ids.start === 0 && ids.end === before.recordIds.length;
    return sameIds && Object.keys(fields).length === 0 ? { same: from } : { from, fields, ids };
  });
  return { findings, changed };
}

/**
 * The summary a view holds brought up to `change`: unchanged findings and parts stay the same objects
 * (the view draws again only what changed). Null when `change` does not fit what is held (a finding
 * index it names is not there): the view then asks for everything.
 */
export function applySummaryChange(held: ViewSummary, change: SummaryChange): ViewSummary | null {
  const findings: Finding[] = [];
  for (const entry of change.findings) {
    if ('same' in entry) {
      const finding = held.findings[entry.same];
      if (!finding) return null;
      findings.push(finding);
    } else if ('from' in entry) {
      const from = held.findings[entry.from];
      if (!from) return null;
      findings.push({ ...from, ...entry.fields, recordIds: [...from.recordIds.slice(entry.ids.start, entry.ids.end), ...entry.ids.added] });
    } else findings.push(entry.finding);
  }
  return { ...held, ...change.changed, findings };
}
