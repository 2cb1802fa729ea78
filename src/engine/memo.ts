/**
 * The engine's one memo: answers of pure functions of a string, remembered across analyses.
 *
 * What may be memoised here, and why that is safe to share between analyze() calls, tabs and views:
 * - the answer is a function of the key alone (a header name lower-cased, a Vary line's tokens, a
 *   signature pattern's result on a header value, a template cut at its placeholders), so a
 *   remembered answer is the answer any analysis would compute; nothing of one log can reach
 *   another through it;
 * - the answer is a primitive or frozen, so no holder can change it for the others.
 * Anything that depends on a log (groups of records, indexes, streams, the page origin) is not
 * memoised here: it lives in the analysis that made it (src/engine/analysis.ts).
 *
 * One policy for every memo: keys of at most MAX_MEMO_KEY_CHARS (src/engine/bounds.ts) are
 * remembered, up to `limit` of them (MEMO_LIMIT unless a memo's values are large). A memo that fills
 * up holds keys that do not repeat (request ids, dates, a hostile log's made-up names): it is then
 * dropped, and from then on every answer is computed, with no lookup that would only miss. So no
 * memo grows without end, and none costs more than computing.
 */
import { isMemoKey } from './bounds.ts';

/** Entries a memo keeps at most, unless it says otherwise. */
export const MEMO_LIMIT = 4096;

/** `compute(key)`, remembered (see the policy above). `compute` must be a pure function of the key, never undefined. */
export class Memo<V> {
  /** Null once full (see the policy above). */
  #values: Map<string, V> | null = new Map<string, V>();
  readonly #compute: (key: string) => V;
  readonly #limit: number;

  constructor(compute: (key: string) => V, limit = MEMO_LIMIT) {
    this.#compute = compute;
    this.#limit = limit;
  }

  get(key: string): V {
    const values = this.#values;
    if (values === null) return this.#compute(key);
    let value = values.get(key);
    if (value === undefined) {
      value = this.#compute(key);
      if (!isMemoKey(key)) return value;
      if (values.size >= this.#limit) this.#values = null;
      else values.set(key, value);
    }
    return value;
  }
}

/**
 * `compute(owner, key)` for a fixed set of owners (a header name, a signature entry), remembered
 * per owner with the policy above: each owner's own Memo of `limitPerOwner` entries. Owners come
 * from the engine's own tables, never from a log, so there are few of them.
 */
export class OwnedMemo<O, V> {
  readonly #memos = new Map<O, Memo<V>>();
  readonly #compute: (owner: O, key: string) => V;
  readonly #limitPerOwner: number;

  constructor(compute: (owner: O, key: string) => V, limitPerOwner = MEMO_LIMIT) {
    this.#compute = compute;
    this.#limitPerOwner = limitPerOwner;
  }

  get(owner: O, key: string): V {
    let memo = this.#memos.get(owner);
    if (memo === undefined) {
      const compute = this.#compute;
      memo = new Memo<V>((value) => compute(owner, value), this.#limitPerOwner);
      this.#memos.set(owner, memo);
    }
    return memo.get(key);
  }
}
