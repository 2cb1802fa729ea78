import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { Virtualizer, observeWindowOffset, observeWindowRect, windowScroll, type VirtualizerOptions } from '@tanstack/virtual-core';
import type { LineKey } from '../../view/table-lines.ts';

/** Lines drawn beyond each edge of the viewport (a stored first screen must hold them too: storedView.ts). */
export const OVERSCAN_LINES = 6;

/**
 * A line's height as the virtualizer keeps it, read from the page only when needed. From the
 * ResizeObserver (it reports after layout, so reading it forces none): the size it measured. When a
 * line is first drawn: the size already known for its key, else, for a line that starts above the
 * viewport (its size moves what is on screen: scrolling up), its height read now (a forced layout),
 * else the size the virtualizer holds (the estimate), which changes nothing until the observer
 * reports the real one after the frame is laid out.
 */
export function measureLine<Item extends Element>(element: Item, entry: ResizeObserverEntry | undefined, instance: Virtualizer<Window, Item>): number {
  if (entry) {
    const box = entry.borderBoxSize?.[0];
    return box ? Math.round(box.blockSize) : (element as unknown as HTMLElement).offsetHeight;
  }
  const index = instance.indexFromElement(element);
  const known = instance.itemSizeCache.get(instance.options.getItemKey(index));
  if (known !== undefined) return known;
  const item = instance.measurementsCache[index];
  if (item && item.start < (instance.scrollOffset ?? 0)) return (element as unknown as HTMLElement).offsetHeight;
  return item?.size ?? instance.options.estimateSize(index);
}

/** The lines a window-scrolled virtualizer positions, and how. */
export interface WindowLines {
  count: number;
  /** A line's height until it is measured: one for every line, or per line. */
  estimateSize: number | ((index: number) => number);
  /** Where the list starts below the page's top. */
  scrollMargin: number;
  enabled: boolean;
  keyOf: (index: number) => LineKey;
  /** Lines drawn beyond each edge of the viewport (OVERSCAN_LINES unless said). */
  overscan?: number;
}

/**
 * The options of a window-scrolled virtualizer whose lines are known by `keyOf` (a row's id): the
 * sizes measured follow the line, not its index, which changes for every line below a row evicted
 * or added. `keyOf` must be a new function whenever the lines changed (the virtualizer recomputes
 * its positions when it does).
 */
export function windowVirtualizerOptions<Item extends Element>(
  { count, estimateSize, scrollMargin, enabled, keyOf, overscan = OVERSCAN_LINES }: WindowLines,
  onChange: () => void,
): VirtualizerOptions<Window, Item> {
  return {
    count,
    enabled,
    getScrollElement: () => window,
    estimateSize: typeof estimateSize === 'number' ? () => estimateSize : estimateSize,
    getItemKey: keyOf,
    measureElement: measureLine,
    scrollToFn: windowScroll,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    initialOffset: () => window.scrollY,
    // The window's size from the first render: with the default (0 × 0) the first render lists the
    // overscan alone and the window's real size, reported after mount, draws the list a second time.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    overscan,
    scrollMargin,
    onChange,
  };
}

/**
 * A window-scrolled virtualizer for Preact (what @tanstack/react-virtual's useWindowVirtualizer does
 * for React): only the rows near the viewport are in the DOM, measured as measureLine says.
 */
export function useWindowVirtualizer<Item extends Element>(lines: WindowLines): Virtualizer<Window, Item> {
  const [, rerender] = useReducer((tick: number) => tick + 1, 0);
  const options = windowVirtualizerOptions<Item>(lines, () => rerender(undefined));
  const [instance] = useState(() => new Virtualizer<Window, Item>(options));
  instance.setOptions(options);
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}
