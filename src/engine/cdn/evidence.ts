/** Header evidence objects, shared between records where the caller allows it. */
import { MemoTable } from './memo.ts';

/** A response header that supports a fact. */
export interface HeaderEvidence {
  name: string;
  value: string;
}

const SHARED = new MemoTable<string, HeaderEvidence>((name, value) => Object.freeze({ name, value }));

/**
 * `{ name, value }`; with `share`, one frozen object per distinct pair (a log repeats
 * `x-cache: Hit from cloudfront` on every record, and the rules keep one per record).
 */
export function evidenceOf(name: string, value: string, share: boolean): HeaderEvidence {
  return share ? SHARED.get(name, value) : { name, value };
}
