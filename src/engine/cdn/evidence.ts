/** Header evidence objects, shared between records where the caller allows it. */
import { OwnedMemo } from '../memo.ts';

/** A response header that supports a fact. */
export interface HeaderEvidence {
  name: string;
  value: string;
}

/**
 * Distinct values remembered per header name: a header whose values never repeat (request ids)
 * fills its memo and is then built each time.
 */
export const VALUES_PER_HEADER = 512;

const SHARED = new OwnedMemo<string, HeaderEvidence>((name, value) => Object.freeze({ name, value }), VALUES_PER_HEADER);

/**
 * `{ name, value }`; with `share`, one frozen object per distinct pair (a log repeats
 * `x-cache: Hit from cloudfront` on every record, and the rules keep one per record).
 */
export function evidenceOf(name: string, value: string, share: boolean): HeaderEvidence {
  return share ? SHARED.get(name, value) : { name, value };
}
