/** Small wording and evidence helpers shared by the rules, so every message reads the same way. */
import type { Evidence } from '../../model.ts';
import { firstHeaderValue as headerValue } from '../../cors/header-names.ts';
import type { FileKind, RecordFacts } from './types.ts';

/** "a, b and 3 more" */
export function listOf(values: readonly string[], max = 3): string {
  const unique = [...new Set(values)];
  if (unique.length === 0) return '(none)';
  if (unique.length <= max) return unique.length === 1 ? unique[0]! : `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)!}`;
  return `${unique.slice(0, max).join(', ')} and ${unique.length - max} more`;
}

const KIND_WORDS: Record<FileKind, [one: string, many: string]> = {
  playlist: ['playlist', 'playlists'],
  segment: ['segment', 'segments'],
  other: ['request', 'requests'],
};

export function kindWord(kind: FileKind, count: number): string {
  const [one, many] = KIND_WORDS[kind];
  return count === 1 ? one : many;
}

/** The most common file kind of a group, for its wording. */
export function kindOfGroup(group: readonly RecordFacts[]): FileKind {
  const counts = new Map<FileKind, number>();
  for (const item of group) counts.set(item.fileKind, (counts.get(item.fileKind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
}

/** "5 200 s" style, with a thin grouping so large ages read at a glance. */
export function seconds(value: number): string {
  return `${String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} s`;
}

/** A response header as evidence; a missing header is evidence too (value null). */
export function responseHeader(facts: RecordFacts, name: string): Evidence {
  return { recordId: facts.record.id, name, value: headerValue(facts.record.responseHeaders, name) };
}

/** A request header as evidence. Credentials are named, never copied. */
export function requestHeader(facts: RecordFacts, name: string): Evidence {
  const value = headerValue(facts.record.requestHeaders, name);
  const redacted = name === 'cookie' || name === 'authorization' ? (value === null ? null : '(present)') : value;
  return { recordId: facts.record.id, name: `request ${name}`, value: redacted };
}

/** A derived fact as evidence ('cache-status', 'pop', 'verdict'…). */
export function fact(facts: RecordFacts, name: string, value: string | number | null): Evidence {
  return { recordId: facts.record.id, name, value: value === null ? null : String(value) };
}

/** The cache facts of a response: status header, Age, POP. */
export function cacheEvidence(facts: RecordFacts): Evidence[] {
  const evidence: Evidence[] = [];
  const { cacheStatusEvidence, popEvidence, age } = facts.cdn;
  if (cacheStatusEvidence) evidence.push({ recordId: facts.record.id, name: cacheStatusEvidence.name, value: cacheStatusEvidence.value });
  if (age !== null && cacheStatusEvidence?.name !== 'age') evidence.push(fact(facts, 'age', age));
  if (popEvidence) evidence.push({ recordId: facts.record.id, name: popEvidence.name, value: popEvidence.value });
  return evidence;
}

/** The edge location as shown to people: the full header value when short (ICN80-P3), else the code. */
export function popLabel(facts: RecordFacts): string | null {
  const { pop, popEvidence } = facts.cdn;
  if (popEvidence && popEvidence.value.length <= 12) return popEvidence.value;
  return pop;
}

export function vendorName(group: readonly RecordFacts[]): string {
  return group.find((item) => item.cdn.vendor)?.cdn.vendor?.name ?? 'CDN';
}

export function vendorIdOf(group: readonly RecordFacts[]): string | null {
  return group.find((item) => item.cdn.vendor)?.cdn.vendor?.id ?? null;
}

export function ids(group: readonly RecordFacts[]): string[] {
  return group.map((item) => item.record.id);
}

/** Evidence lists stay readable: a few records speak for the rest. */
export const EVIDENCE_SAMPLE = 5;
