/** The engine's one memo policy (src/engine/memo.ts): remembered, bounded, long keys never kept. */
import { describe, expect, test } from 'vitest';
import { Memo, OwnedMemo } from '../../src/engine/memo.ts';
import { MAX_MEMO_KEY_CHARS } from '../../src/engine/bounds.ts';

function counted(limit?: number): { memo: Memo<string>; calls: () => number } {
  let calls = 0;
  const memo = new Memo<string>((key) => {
    calls++;
    return key.toUpperCase();
  }, limit);
  return { memo, calls: () => calls };
}

describe('Memo', () => {
  test('computes a key once and answers it from memory after', () => {
    const { memo, calls } = counted();
    expect([memo.get('vary'), memo.get('vary'), memo.get('age'), memo.get('vary')]).toEqual(['VARY', 'VARY', 'AGE', 'VARY']);
    expect(calls()).toBe(2);
  });

  test('once full, it stops: every key is computed each time, with the same answers', () => {
    const { memo, calls } = counted(2);
    memo.get('a');
    memo.get('b');
    memo.get('a');
    expect(calls()).toBe(2);
    expect([memo.get('c'), memo.get('c'), memo.get('a')]).toEqual(['C', 'C', 'A']);
    expect(calls()).toBe(5);
  });

  test('a key longer than MAX_MEMO_KEY_CHARS is never kept', () => {
    const { memo, calls } = counted();
    const long = 'x'.repeat(MAX_MEMO_KEY_CHARS + 1);
    const fits = 'y'.repeat(MAX_MEMO_KEY_CHARS);
    memo.get(long);
    memo.get(long);
    memo.get(fits);
    memo.get(fits);
    expect(calls()).toBe(3);
  });
});

describe('OwnedMemo', () => {
  test('remembers per owner, each owner bounded on its own', () => {
    let calls = 0;
    const memo = new OwnedMemo<string, string>((owner, key) => {
      calls++;
      return `${owner}:${key}`;
    }, 1);
    expect([memo.get('x-cache', 'HIT'), memo.get('server', 'HIT'), memo.get('x-cache', 'HIT')]).toEqual(['x-cache:HIT', 'server:HIT', 'x-cache:HIT']);
    expect(calls).toBe(2);
    memo.get('x-cache', 'MISS');
    memo.get('x-cache', 'MISS');
    expect(calls).toBe(4);
    memo.get('server', 'HIT');
    expect(calls).toBe(4);
  });
});
