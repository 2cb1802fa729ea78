/**
 * The first frame of the popup and of the DevTools panel (opened as a page), drawn from one storage
 * read (the list's first screen, docs/architecture.md#popup-first-frame), shows what the whole list
 * shows once it is read and the worker has answered: the same counts, chips, cards, group heads and
 * rows in the window, in the same order. Opened warm and cold (worker stopped; the panel warm) on a
 * tab holding 10 000 stored records (the bench's log), more than a first screen holds, and more plan
 * steps and cards than either view shows at first (FIRST_FRAME_DIAGNOSIS).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromiumWithExtension, stopServiceWorker, type ChromiumWithExtension } from './support/chromium.ts';
import { POPUP_PAGE, popupUrlOf, seedPopupLog } from '../../scripts/bench/browser.ts';
import { FIRST_SCREEN_ROWS } from '../../src/view/stored-log.ts';

const TAB_ID = 515151;
const COUNT = 10_000;
let browser: ChromiumWithExtension;
let helper: Page;

/**
 * In the popup before it runs: counts the storage reads and the worker's answers, and snapshots what
 * the page shows at the moment the first request row is in the DOM (the first frame's render).
 */
const WATCH_SCRIPT = `(() => {
  window.__reads = 0;
  window.__answers = 0;
  const get = chrome.storage.session.get.bind(chrome.storage.session);
  chrome.storage.session.get = (...args) => { window.__reads++; return get(...args); };
  const send = chrome.runtime.sendMessage.bind(chrome.runtime);
  chrome.runtime.sendMessage = (...args) => {
    const result = send(...args);
    if (result && typeof result.then === 'function') result.then(() => window.__answers++, () => window.__answers++);
    return result;
  };
  const shown = () => ({
    reads: window.__reads,
    counts: document.querySelector('[data-testid="counts"]')?.textContent ?? null,
    chips: [...document.querySelectorAll('.chips button')].map((chip) => chip.textContent),
    // What the diagnosis shows: a collapsed card's body is not drawn in the first frame (it comes with
    // the whole list, src/view/stored-log.ts headlinesOnly), so hidden text is not compared; the plan's
    // steps and the cards are compared apart, as the first frame draws those that can be seen
    // (FIRST_FRAME_DIAGNOSIS), and whether their scrolling boxes are full then.
    cards: (() => {
      const section = document.querySelector('[data-testid="findings"]');
      if (!section) return null;
      const copy = section.cloneNode(true);
      copy.querySelectorAll('.plan-steps, [data-testid="finding"]').forEach((node) => node.remove());
      return copy.textContent;
    })(),
    planSteps: [...document.querySelectorAll('[data-testid="plan-step"]')].map((step) => step.textContent),
    cardHeads: [...document.querySelectorAll('[data-testid="finding"] .finding-toggle')].map((toggle) => toggle.textContent),
    planFull: (() => {
      const list = document.querySelector('.plan-steps');
      return list ? list.scrollHeight > list.clientHeight : null;
    })(),
    slotFull: (() => {
      const slot = document.querySelector('[data-testid="findings"]');
      const cards = slot ? slot.querySelectorAll('[data-testid="finding"]') : [];
      const last = cards[cards.length - 1];
      return slot && last ? last.getBoundingClientRect().bottom >= slot.getBoundingClientRect().bottom : null;
    })(),
    evidence: document.querySelectorAll('[data-testid="finding"] .evidence li').length,
    fixes: document.querySelectorAll('[data-testid="finding"] [data-testid="fix"]').length,
    streams: document.querySelector('[data-testid="streams"]')?.textContent ?? null,
    heads: [...document.querySelectorAll('tr.group-head')].map((head) => head.textContent),
    // The rows in the window (the first frame draws those alone; the whole list adds the ones beyond it).
    rows: [...document.querySelectorAll('[data-testid="request-row"]')].filter((row) => row.getBoundingClientRect().top < window.innerHeight).map((row) => [row.dataset.index, row.dataset.file, row.dataset.outcome, row.dataset.causes].join(' ')),
    drawn: document.querySelectorAll('[data-testid="request-row"]').length,
  });
  window.__shown = shown;
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="request-row"]')) return;
    observer.disconnect();
    window.__first = shown();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function until(page: Page, expression: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not within 60 s: ${expression}`);
    await page.waitForTimeout(20);
  }
}

interface Shown {
  reads: number;
  counts: string | null;
  chips: string[];
  cards: string | null;
  planSteps: string[];
  cardHeads: string[];
  planFull: boolean | null;
  slotFull: boolean | null;
  evidence: number;
  fixes: number;
  heads: string[];
  rows: string[];
  drawn: number;
}

/** The two views drawn from a stored first screen, in a window of their usual size (a DevTools panel docked below a page). */
const VIEWS = {
  popup: { page: POPUP_PAGE, window: { width: 800, height: 600 } },
  panel: { page: 'src/ui/devtools/panel.html', window: { width: 1200, height: 700 } },
} as const;

/** Opens a view (the popup unless said); returns what its first frame showed and what it shows once the worker has answered. */
async function open(view: keyof typeof VIEWS = 'popup'): Promise<{ first: Shown; settled: Shown }> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize(VIEWS[view].window);
  await popup.goto(popupUrlOf(browser.extensionId, TAB_ID, VIEWS[view].page));
  await until(popup, 'window.__first !== undefined');
  // Settled: the whole list read (a second read) and the worker's answer applied, with its diagnosis.
  await until(popup, 'window.__reads >= 2 && window.__answers >= 1 && document.querySelector(\'[data-testid="findings"]\') !== null');
  await popup.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
  const first = (await popup.evaluate('window.__first')) as Shown;
  const settled = (await popup.evaluate('window.__shown()')) as Shown;
  await popup.close();
  return { first, settled };
}

beforeAll(async () => {
  browser = await launchChromiumWithExtension();
  await seedPopupLog(browser.serviceWorker, TAB_ID, COUNT, () => undefined);
  helper = await browser.context.newPage();
  // The worker restores the seeded log, and one open makes it store its diagnosis with the first screen.
  const restarted = await stopServiceWorker(browser.context, helper);
  await browser.context.addInitScript(WATCH_SCRIPT);
  await open();
  await restarted.waitUntilRunning();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the first frame of the popup and the DevTools panel', () => {
  for (const [view, kind] of [['popup', 'warm'], ['popup', 'cold'], ['panel', 'warm']] as const) {
    test(`${view}, ${kind}: drawn from one storage read, cards included, and the same as the whole list once read`, { timeout: 120_000 }, async () => {
      const stopped = kind === 'cold' ? await stopServiceWorker(browser.context, helper) : null;
      const { first, settled } = await open(view);
      await stopped?.waitUntilRunning();
      expect(first.reads).toBe(1);
      // Every record held is counted before the whole list is read (the "All" chip).
      expect(first.chips[0]).toContain(String(COUNT));
      expect(first.cards).not.toBeNull();
      expect(first.rows.length).toBeGreaterThan(0);
      // Only what the window shows: no line beyond it in the first frame, or one in the panel, whose rows
      // (53 px on this log) are taller than the virtualiser's estimate (40 px) so its range reaches one
      // line further; the whole list then draws those too.
      expect(first.drawn - first.rows.length).toBeLessThanOrEqual(view === 'panel' ? 1 : 0);
      expect(first.drawn).toBeGreaterThanOrEqual(first.rows.length);
      expect(settled.drawn).toBeGreaterThan(first.drawn);
      expect(settled.drawn).toBeLessThan(FIRST_SCREEN_ROWS);
      // The cards' bodies, left out of the first frame, are there once the whole list is read.
      expect(settled.evidence).toBeGreaterThan(0);
      expect(settled.fixes).toBeGreaterThan(0);
      // The plan's steps and the cards the first frame draws are the settled view's first ones; when
      // some are left for the whole list, the box they scroll in is already full (nothing seen moves).
      expect(first.cardHeads.length).toBeGreaterThan(0);
      expect(first.planSteps).toEqual(settled.planSteps.slice(0, first.planSteps.length));
      expect(first.cardHeads).toEqual(settled.cardHeads.slice(0, first.cardHeads.length));
      // This log has more of both than a popup shows, so the first frame leaves some for later.
      expect(first.planSteps.length).toBeLessThan(settled.planSteps.length);
      expect(first.cardHeads.length).toBeLessThan(settled.cardHeads.length);
      expect(first.planFull).toBe(true);
      expect(first.slotFull).toBe(true);
      const pick = ({ reads: _reads, evidence: _evidence, fixes: _fixes, drawn: _drawn, planSteps: _steps, cardHeads: _heads, planFull: _planFull, slotFull: _slotFull, ...shown }: Shown) => shown;
      expect(pick(first)).toEqual(pick(settled));
    });
  }
});

/** The answer's other causes as the popup names them (`#n` and relation each), its button, and what of the diagnosis the window shows. */
const OTHER_CAUSES_EXPRESSION = `(() => {
  const others = [...document.querySelectorAll('[data-testid="other-causes"] .other')].map((other) => [(/#(\\d+)/.exec(other.textContent) || [])[1], other.dataset.relation]);
  const slot = document.querySelector('[data-testid="findings"]').getBoundingClientRect();
  const seen = (element) => {
    const box = element.getBoundingClientRect();
    return box.bottom <= Math.min(slot.bottom, window.innerHeight) && box.top >= slot.top;
  };
  const button = document.querySelector('[data-testid="more-causes"]');
  return {
    others,
    button: button && { text: button.textContent, expanded: button.getAttribute('aria-expanded') },
    cards: [...document.querySelectorAll('[data-testid="finding"] .finding-number')].map((number) => number.textContent.replace('#', '')),
    firstStepSeen: seen(document.querySelector('[data-testid="plan-step"]')),
    firstCardSeen: seen(document.querySelector('[data-testid="finding"] .finding-toggle')),
  };
})()`;

describe("the answer's other causes", () => {
  test('with many, three are named and a button names the rest, so the first plan step and the first card are whole on the first screen', { timeout: 120_000 }, async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 800, height: 600 });
    await popup.goto(popupUrlOf(browser.extensionId, TAB_ID));
    await until(popup, 'window.__reads >= 2 && window.__answers >= 1 && document.querySelectorAll(\'[data-testid="finding"] .evidence li\').length > 0');
    type Others = { others: [string, string][]; button: { text: string; expanded: string } | null; cards: string[]; firstStepSeen: boolean; firstCardSeen: boolean };
    const folded = (await popup.evaluate(OTHER_CAUSES_EXPRESSION)) as Others;
    expect(folded.button, 'this log has more other causes than are named').not.toBeNull();
    await popup.click('[data-testid="more-causes"]');
    const all = (await popup.evaluate(OTHER_CAUSES_EXPRESSION)) as Others;
    await popup.click('[data-testid="more-causes"]');
    const again = (await popup.evaluate(OTHER_CAUSES_EXPRESSION)) as Others;
    await popup.close();
    // Unfolded, every other cause is named, each once, each a card (the primary cause's card, and
    // advice that is no cause, are not among them); the button then folds the list again.
    expect(new Set(all.others.map(([number]) => number)).size).toBe(all.others.length);
    expect(all.others.length).toBeLessThan(all.cards.length);
    expect(all.others.every(([number]) => all.cards.includes(number))).toBe(true);
    expect(all.button).toEqual({ text: 'Show fewer', expanded: 'true' });
    expect(again).toEqual(folded);
    // Folded: the first three, and every alternative explanation; the button says how many more.
    const expected = all.others.filter(([, relation], index) => index < 3 || relation === 'alternative');
    expect(folded.others).toEqual(expected);
    expect(folded.button).toEqual({ text: `${all.others.length - expected.length} more (see their cards below)`, expanded: 'false' });
    expect(folded.firstStepSeen).toBe(true);
    expect(folded.firstCardSeen).toBe(true);
  });
});
