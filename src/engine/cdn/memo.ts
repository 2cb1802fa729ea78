/**
 * Results of the signature patterns per header value, memoised: in a log the same `X-Cache`,
 * `Server` or `X-Amz-Cf-Pop` values come back on every record, and each used to cost several regex
 * runs. The patterns have no `g`/`y` flag, so a result depends on the value alone.
 */
import { isMemoKey } from '../bounds.ts';

/** Distinct values remembered per pattern set; a header whose values never repeat (request ids) stops being memoised there. */
const VALUES_PER_MEMO = 512;

export class ValueMemo<V> {
  #values: Map<string, V> | null = new Map<string, V>();

  /** The remembered result for `value`, or undefined. */
  get(value: string): V | undefined {
    return this.#values?.get(value);
  }

  set(value: string, result: V): void {
    const values = this.#values;
    if (values === null || !isMemoKey(value)) return;
    // Full: the values do not repeat enough to be worth remembering; compute them from now on.
    if (values.size >= VALUES_PER_MEMO) this.#values = null;
    else values.set(value, result);
  }
}

/**
 * One ValueMemo per owner (a header name, a signature entry): `get` answers `compute(owner, value)`
 * from memory when it can. `compute` must be a plain function of its arguments.
 */
export class MemoTable<K, V> {
  readonly #memos = new Map<K, ValueMemo<V>>();
  readonly #compute: (owner: K, value: string) => V;

  constructor(compute: (owner: K, value: string) => V) {
    this.#compute = compute;
  }

  get(owner: K, value: string): V {
    let memo = this.#memos.get(owner);
    if (memo === undefined) {
      memo = new ValueMemo<V>();
      this.#memos.set(owner, memo);
    }
    let result = memo.get(value);
    if (result === undefined) {
      result = this.#compute(owner, value);
      memo.set(value, result);
    }
    return result;
  }
}
