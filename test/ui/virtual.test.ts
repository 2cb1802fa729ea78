import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Virtualizer } from '@tanstack/virtual-core';
import { measureLine, windowVirtualizerOptions } from '../../src/ui/components/virtual.ts';
import { linesOf } from '../../src/view/table-lines.ts';
import type { RequestRow } from '../../src/view/rows.ts';
import type { RowGroup } from '../../src/view/groups.ts';

const ESTIMATE = 40;

/** The window the virtualizer reads its first size and offset from (no DOM in unit tests). */
function stubWindow(scrollY: number): void {
  Object.assign(globalThis, { window: { innerWidth: 800, innerHeight: 600, scrollY } });
}
beforeEach(() => stubWindow(0));
afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

const rowOf = (id: string) => ({ id }) as RequestRow;
const segments = (ids: string[]): RowGroup[] => [{ key: 'segments', rows: ids.map(rowOf) }];

function virtualizerOf(groups: RowGroup[]): Virtualizer<Window, Element> {
  const lines = linesOf(groups);
  return new Virtualizer<Window, Element>(windowVirtualizerOptions(lines.count, ESTIMATE, 0, true, lines.keyOf, () => undefined));
}

/** A drawn line as measureLine sees it: its place, and how often its height was read from the page. */
function lineElement(index: number, height: number): { element: Element; reads: () => number } {
  let reads = 0;
  const element = {
    getAttribute: (name: string) => (name === 'data-index' ? String(index) : null),
    get offsetHeight() {
      reads++;
      return height;
    },
  };
  return { element: element as unknown as Element, reads: () => reads };
}

describe('the request table\'s virtualizer', () => {
  test('a measured size follows its row when rows before it are evicted (not the index it had)', () => {
    const ids = Array.from({ length: 10 }, (_, n) => `r${n}`);
    const virtualizer = virtualizerOf(segments(ids));
    virtualizer.getVirtualItems();
    // Line 0 is the group's head; r0 (line 1) is tall, r1 (line 2) is short.
    virtualizer.resizeItem(1, 120);
    virtualizer.resizeItem(2, 24);
    // r0 is evicted and r10 arrives: as many lines, each row one line up.
    const after = linesOf(segments([...ids.slice(1), 'r10']));
    virtualizer.setOptions(windowVirtualizerOptions(after.count, ESTIMATE, 0, true, after.keyOf, () => undefined));
    const sizes = virtualizer.getVirtualItems().map((item) => [item.key, item.size]);
    expect(sizes.slice(0, 4)).toEqual([
      ['group-segments', ESTIMATE],
      ['r1', 24],
      ['r2', ESTIMATE],
      ['r3', ESTIMATE],
    ]);
    expect(sizes.at(-1)).toEqual(['r10', ESTIMATE]);
  });

  test('a line drawn for the first time below the top of the viewport is not read from the page (the ResizeObserver reports it after layout)', () => {
    const virtualizer = virtualizerOf(segments(Array.from({ length: 50 }, (_, n) => `r${n}`)));
    virtualizer.getVirtualItems();
    const fresh = lineElement(3, 31);
    expect(measureLine(fresh.element, undefined, virtualizer)).toBe(ESTIMATE);
    expect(fresh.reads()).toBe(0);
    // Known by its row: the size measured before, not read again.
    virtualizer.resizeItem(4, 52);
    const known = lineElement(4, 31);
    expect(measureLine(known.element, undefined, virtualizer)).toBe(52);
    expect(known.reads()).toBe(0);
    // The observer's entry is the size, read after layout.
    const observed = { borderBoxSize: [{ blockSize: 33.4, inlineSize: 700 }] } as unknown as ResizeObserverEntry;
    expect(measureLine(lineElement(3, 31).element, observed, virtualizer)).toBe(33);
  });

  test('a new line above the top of the viewport is read at once: its size moves what is on screen', () => {
    stubWindow(1_000);
    const virtualizer = virtualizerOf(segments(Array.from({ length: 100 }, (_, n) => `r${n}`)));
    virtualizer.getVirtualItems();
    const above = lineElement(10, 64);
    expect(measureLine(above.element, undefined, virtualizer)).toBe(64);
    expect(above.reads()).toBe(1);
    const below = lineElement(40, 64);
    expect(measureLine(below.element, undefined, virtualizer)).toBe(ESTIMATE);
    expect(below.reads()).toBe(0);
  });
});

test('a stored first screen\'s lines past the rows it holds (holes) are known by their index', () => {
  const rows = new Array<RequestRow>(5);
  rows[0] = rowOf('r0');
  const lines = linesOf([{ key: 'segments', rows }]);
  expect(Array.from({ length: lines.count }, (_, index) => lines.keyOf(index))).toEqual(['group-segments', 'r0', 2, 3, 4, 5]);
});

test('a line\'s key is the same whatever order the lines are asked in', () => {
  const groups: RowGroup[] = [
    { key: 'rejected', rows: ['f0', 'f1'].map(rowOf) },
    { key: 'playlists', rows: [] },
    { key: 'segments', rows: ['s0', 's1', 's2'].map(rowOf) },
  ];
  const inOrder = ['group-rejected', 'f0', 'f1', 'group-playlists', 'group-segments', 's0', 's1', 's2', 8];
  const lines = linesOf(groups);
  expect(Array.from({ length: 9 }, (_, index) => lines.keyOf(index))).toEqual(inOrder);
  for (const index of [7, 2, 4, 0, 8, 3, 5, 1, 6]) expect(lines.keyOf(index)).toBe(inOrder[index]);
});
