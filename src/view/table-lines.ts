import type { RequestRow } from './rows.ts';
import type { RowGroup, RowGroupKey } from './groups.ts';

/** What a line of the request table is known by across updates: a row's id, a group head's key. */
export type LineKey = string | number;

export type Line = { type: 'group'; key: RowGroupKey; count: number } | { type: 'row'; row: RequestRow };

/**
 * The list's lines (a head per group, then its rows) read by index: a long list renders only the few
 * dozen lines near the viewport, so an update does not build a line per row. `keyOf` names a line
 * by what it shows (a row's id, a group's key), which the virtualizer keys its measured sizes by.
 */
export function linesOf(groups: readonly RowGroup[]): { count: number; at: (index: number) => Line; keyOf: (index: number) => LineKey } {
  let count = 0;
  for (const group of groups) count += 1 + group.rows.length;
  const at = (index: number): Line => {
    let offset = index;
    for (const group of groups) {
      if (offset === 0) return { type: 'group', key: group.key, count: group.rows.length };
      if (offset <= group.rows.length) return { type: 'row', row: group.rows[offset - 1]! };
      offset -= 1 + group.rows.length;
    }
    throw new RangeError(`no line ${index} of ${count}`);
  };
  // Called for every line, in order, whenever the lines change (the virtualizer's positions): no Line
  // is built for it, and the group of the line asked last is where the next one is looked for.
  const headKeys = groups.map((group) => `group-${group.key}`);
  let group = 0;
  let groupStart = 0;
  const keyOf = (index: number): LineKey => {
    if (index < groupStart) [group, groupStart] = [0, 0];
    while (group < groups.length && index > groupStart + groups[group]!.rows.length) groupStart += 1 + groups[group++]!.rows.length;
    if (group === groups.length) return index;
    const offset = index - groupStart;
    // A stored first screen's groups have holes past the rows it holds (FirstScreen): known by index.
    return offset === 0 ? headKeys[group]! : (groups[group]!.rows[offset - 1]?.id ?? index);
  };
  return { count, at, keyOf };
}

/** The key of the line that stands for the lines a stored first screen does not hold (no row or group has it). */
export const REST_OF_LIST_KEY: LineKey = -1;

/**
 * The lines the virtualizer positions: all of them, or, for a stored first screen (`linesHeld` of
 * `lines`), those it holds and then one line standing for the rest, never drawn, as tall as they are
 * estimated to be. The table then keeps its height while the virtualizer positions a few dozen
 * lines instead of every line of the log (10 000 on the bench's log, twice: the first frame's work).
 * `rest`: the index of that line, null when there is none.
 */
export function positionedLines(
  lines: { count: number; keyOf: (index: number) => LineKey },
  linesHeld: number | undefined,
  lineEstimate: number,
): { count: number; keyOf: (index: number) => LineKey; estimate: (index: number) => number; rest: number | null } {
  if (linesHeld === undefined || linesHeld >= lines.count) return { count: lines.count, keyOf: lines.keyOf, estimate: () => lineEstimate, rest: null };
  const restSize = (lines.count - linesHeld) * lineEstimate;
  return {
    count: linesHeld + 1,
    keyOf: (index) => (index === linesHeld ? REST_OF_LIST_KEY : lines.keyOf(index)),
    estimate: (index) => (index === linesHeld ? restSize : lineEstimate),
    rest: linesHeld,
  };
}
