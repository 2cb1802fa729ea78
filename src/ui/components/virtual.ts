import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { Virtualizer, observeWindowOffset, observeWindowRect, windowScroll, type VirtualizerOptions } from '@tanstack/virtual-core';

/** Lines drawn beyond each edge of the viewport (a stored first screen must hold them too: storedView.ts). */
export const OVERSCAN_LINES = 6;

/**
 * A window-scrolled virtualizer for Preact (what @tanstack/react-virtual's useWindowVirtualizer does
 * for React): only the rows near the viewport are in the DOM, measured as they render.
 */
export function useWindowVirtualizer<Item extends Element>(count: number, estimateSize: number, scrollMargin: number, enabled: boolean): Virtualizer<Window, Item> {
  const [, rerender] = useReducer((tick: number) => tick + 1, 0);
  const options: VirtualizerOptions<Window, Item> = {
    count,
    enabled,
    getScrollElement: () => window,
    estimateSize: () => estimateSize,
    scrollToFn: windowScroll,
    observeElementRect: observeWindowRect,
    observeElementOffset: observeWindowOffset,
    initialOffset: () => window.scrollY,
    // The window's size from the first render: with the default (0 × 0) the first render lists the
    // overscan alone and the window's real size, reported after mount, draws the list a second time.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    overscan: OVERSCAN_LINES,
    scrollMargin,
    onChange: () => rerender(undefined),
  };
  const [instance] = useState(() => new Virtualizer<Window, Item>(options));
  instance.setOptions(options);
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}
