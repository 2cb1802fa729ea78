/** Small wording and evidence helpers shared by the rules, so every message reads the same way. */
import { cacheStatusLabel, cacheVendorLabel } from '../../cdn/facts.ts';
import type { Evidence, MessageList, MessageRef, MessageValue } from '../../model.ts';
import { headerValue } from '../../headers.ts';
import type { FileKind, RecordFacts } from './types.ts';
import { maxOf, minOf } from './numbers.ts';
import { ref } from './text.ts';

/** "a, b and 3 more": the first `max` distinct values and how many more there were. */
export function listOf(values: readonly MessageValue[], max = 3): MessageList {
  const unique = [...new Map(values.map((value) => [typeof value === 'object' ? JSON.stringify(value) : `${typeof value}:${value}`, value])).values()];
  return unique.length <= max ? { items: unique, more: 0 } : { items: unique.slice(0, max), more: unique.length - max };
}

/** The ids kindWord names, built once (a fresh id per report would be hashed again at each lookup). */
const KIND_WORD_IDS: Readonly<Record<FileKind, { readonly one: string; readonly many: string }>> = {
  playlist: { one: 'phrase.kind.playlist.one', many: 'phrase.kind.playlist.many' },
  segment: { one: 'phrase.kind.segment.one', many: 'phrase.kind.segment.many' },
  other: { one: 'phrase.kind.other.one', many: 'phrase.kind.other.many' },
};

/** "segment" / "segments" (other languages may say both alike). */
export function kindWord(kind: FileKind, count: number): MessageRef {
  const ids = KIND_WORD_IDS[kind];
  return ref(count === 1 ? ids.one : ids.many);
}

/** The most common file kind of a group, for its wording. */
export function kindOfGroup(group: readonly RecordFacts[]): FileKind {
  // One kind throughout (a single record, most groups): that kind, without counting.
  const first = group[0]?.fileKind;
  if (first !== undefined && group.every((item) => item.fileKind === first)) return first;
  const counts = new Map<FileKind, number>();
  for (const item of group) counts.set(item.fileKind, (counts.get(item.fileKind) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'other';
}

/** "5 200 s" style, with a thin grouping so large ages read at a glance. */
export function seconds(value: number): MessageRef {
  return ref('phrase.seconds', { value: String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ') });
}

/** "5 200 s" for one value (or several equal ones), "5 200 s to 5 300 s" for a range. */
export function secondsRange(values: readonly number[]): MessageValue {
  if (values.length === 0) return ref('phrase.unknown');
  const low = minOf(values);
  const high = maxOf(values);
  return Math.round(low) === Math.round(high) ? seconds(low) : ref('phrase.range', { low: seconds(low), high: seconds(high) });
}

/** The English of the phrases above. */
export const DESCRIBE_TEXT: Readonly<Record<string, string>> = {
  'phrase.kind.playlist.one': 'playlist',
  'phrase.kind.playlist.many': 'playlists',
  'phrase.kind.segment.one': 'segment',
  'phrase.kind.segment.many': 'segments',
  'phrase.kind.other.one': 'request',
  'phrase.kind.other.many': 'requests',
  'phrase.seconds': '{{value}} s',
  'phrase.range': '{{low}} to {{high}}',
  'phrase.unknown': 'unknown',
};

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

/** Why a record's response is the browser's own stored copy: the browser said so, or it is the very response an earlier request got. */
export function browserCopyFact(facts: RecordFacts): Evidence {
  return fact(facts, 'from-browser-cache', facts.record.fromCache ? 'true (reported by the browser)' : `same response as request #${facts.browserCopyOf?.record.id ?? '?'}`);
}

/** A preflight's exchange: what it asked (method, headers), what it was allowed, and its cache facts. */
export function preflightEvidence(facts: RecordFacts): Evidence[] {
  return [
    requestHeader(facts, 'access-control-request-method'),
    requestHeader(facts, 'access-control-request-headers'),
    responseHeader(facts, 'access-control-allow-origin'),
    responseHeader(facts, 'access-control-allow-methods'),
    responseHeader(facts, 'access-control-allow-headers'),
    ...cacheEvidence(facts),
  ];
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

/** The cache status as the request list shows it (`Hit from cloudfront`, `Varnish HIT`), null when no header states one. */
export function cacheStatusWords(facts: RecordFacts): string | null {
  const { cacheStatus, cacheStatusEvidence, vendor } = facts.cdn;
  if (cacheStatus === null || cacheStatusEvidence === null || cacheStatusEvidence.name === 'age') return null;
  return cacheStatusLabel({ status: cacheStatus, evidence: cacheStatusEvidence, vendorId: vendor?.id ?? null });
}

/** The edge location as shown to people: the full header value when short (ICN80-P3), else the code. */
export function popLabel(facts: RecordFacts): string | null {
  const { pop, popEvidence } = facts.cdn;
  if (popEvidence && popEvidence.value.length <= 12) return popEvidence.value;
  return pop;
}

/** The cache vendor's name as the texts say it ('Varnish', not the signature's 'Varnish (generic)'). */
export function vendorName(group: readonly RecordFacts[]): string {
  return cacheVendorLabel(vendorIdOf(group)) ?? 'CDN';
}

export function vendorIdOf(group: readonly RecordFacts[]): string | null {
  return group.find((item) => item.cdn.vendor)?.cdn.vendor?.id ?? null;
}

export function ids(group: readonly RecordFacts[]): string[] {
  return group.map((item) => item.record.id);
}

/** Evidence lists stay readable: a few records speak for the rest. */
export const EVIDENCE_SAMPLE = 5;
