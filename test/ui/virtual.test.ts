import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Virtualizer } from '@tanstack/virtual-core';
import { measureLine, windowVirtualizerOptions } from '../../src/ui/components/virtual.ts';
import { REST_OF_LIST_KEY, linesOf, positionedLines } from '../../src/view/table-lines.ts';
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
  return new Virtualizer<Window, Element>(windowVirtualizerOptions({ count: lines.count, estimateSize: ESTIMATE, scrollMargin: 0, enabled: true, keyOf: lines.keyOf }, () => undefined));
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
    virtualizer.setOptions(windowVirtualizerOptions({ count: after.count, estimateSize: ESTIMATE, scrollMargin: 0, enabled: true, keyOf: after.keyOf }, () => undefined));
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

describe('a stored first screen\'s lines as the virtualizer positions them', () => {
  /** A first screen of 10 000 rows holding the first 40 (the rest are holes). */
  const held = 40;
  const rows = new Array<RequestRow>(10_000);
  for (let index = 0; index < held - 1; index++) rows[index] = rowOf(`r${index}`);
  const lines = linesOf([{ key: 'segments', rows }]);

  test('the lines it holds, then one line standing for the rest, as tall as they are estimated', () => {
    const positioned = positionedLines(lines, held, ESTIMATE);
    expect(positioned.count).toBe(held + 1);
    expect(positioned.rest).toBe(held);
    expect(Array.from({ length: 3 }, (_, index) => positioned.keyOf(index))).toEqual(['group-segments', 'r0', 'r1']);
    expect(positioned.keyOf(held)).toBe(REST_OF_LIST_KEY);
    expect(positioned.estimate(1)).toBe(ESTIMATE);
    expect(positioned.estimate(held)).toBe((lines.count - held) * ESTIMATE);
    // No line's key is the rest's: a row, a group or a hole (by index, never negative).
    for (let index = 0; index < lines.count; index += 97) expect(lines.keyOf(index)).not.toBe(REST_OF_LIST_KEY);
  });

  test('the table is as tall as with every line positioned, and the lines in the window are the same', () => {
    const all = new Virtualizer<Window, Element>(windowVirtualizerOptions({ count: lines.count, estimateSize: ESTIMATE, scrollMargin: 300, enabled: true, keyOf: lines.keyOf, overscan: 0 }, () => undefined));
    const positioned = positionedLines(lines, held, ESTIMATE);
    const few = new Virtualizer<Window, Element>(windowVirtualizerOptions({ count: positioned.count, estimateSize: positioned.estimate, scrollMargin: 300, enabled: true, keyOf: positioned.keyOf, overscan: 0 }, () => undefined));
    expect(few.getTotalSize()).toBe(all.getTotalSize());
    const inWindow = (virtualizer: Virtualizer<Window, Element>) => virtualizer.getVirtualItems().map((item) => [item.key, item.start, item.size]);
    expect(inWindow(few)).toEqual(inWindow(all));
    expect(inWindow(few).length).toBeGreaterThan(0);
  });

  test('a whole list, or a first screen that holds every line, is positioned as it is', () => {
    expect(positionedLines(lines, undefined, ESTIMATE)).toMatchObject({ count: lines.count, rest: null });
    expect(positionedLines(lines, lines.count, ESTIMATE)).toMatchObject({ count: lines.count, rest: null });
    expect(positionedLines(lines, undefined, ESTIMATE).keyOf).toBe(lines.keyOf);
  });
});
