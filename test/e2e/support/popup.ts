/** Reads what the popup shows a person, from its DOM. Works with Playwright and Puppeteer pages. */
export interface PopupRow {
  outcome: string;
  file: string;
  cells: string[];
  reason: string;
}

/** One diagnosis card of the popup (`[data-testid="finding"]`). */
export interface PopupFinding {
  cause: string;
  rule: string;
  severity: string;
  confidence: string;
  /** What the card shows (a collapsed part is not shown). */
  text: string;
  message: string;
  /** Evidence lines ("name: value #record"), also while the evidence list is collapsed. */
  evidence: string[];
  /** The fix text; empty while the card is collapsed. */
  fix: string;
}

export interface PopupView {
  pageOrigin: string;
  media: string;
  failing: string;
  rows: PopupRow[];
  findings: PopupFinding[];
  text: string;
}

/**
 * Plain JavaScript, evaluated in the popup as an expression. Kept as source text because transpilers
 * (tsx/esbuild keepNames) inject helpers into functions that do not exist in the page.
 */
const READ_POPUP_EXPRESSION = `(() => {
  const text = (selector) => (document.querySelector(selector)?.textContent ?? '').trim();
  const rows = [...document.querySelectorAll('[data-testid="request-row"]')].map((row) => ({
    outcome: row.dataset.outcome ?? '',
    file: row.dataset.file ?? '',
    cells: [...row.cells].map((cell) => (cell.textContent ?? '').trim()),
    reason: (row.querySelector('[data-testid="reason"]')?.textContent ?? '').trim(),
  }));
  const findings = [...document.querySelectorAll('[data-testid="finding"]')].map((card) => ({
    cause: card.dataset.cause ?? '',
    rule: card.dataset.rule ?? '',
    severity: card.dataset.severity ?? '',
    confidence: card.dataset.confidence ?? '',
    text: (card.innerText ?? card.textContent ?? '').trim(),
    message: (card.querySelector('.finding-message')?.textContent ?? '').trim(),
    evidence: [...card.querySelectorAll('.evidence li')].map((item) => (item.textContent ?? '').replace(/\\s+/g, ' ').trim()),
    fix: (card.querySelector('[data-testid="fix"]')?.textContent ?? '').trim(),
  }));
  return {
    pageOrigin: text('[data-testid="page-origin"]'),
    media: text('[data-testid="count-media"]'),
    failing: text('[data-testid="count-failing"]'),
    rows,
    findings,
    text: document.body.innerText,
  };
})()`;

interface EvaluatingPage {
  evaluate(expression: string): Promise<unknown>;
}

export async function readPopup(page: EvaluatingPage): Promise<PopupView> {
  return (await page.evaluate(READ_POPUP_EXPRESSION)) as PopupView;
}

/**
 * Records what the page's Copy buttons write (navigator.clipboard.writeText) instead of writing it, so
 * a test reads exactly the text the product copied. Plain JavaScript, like READ_POPUP_EXPRESSION.
 */
const RECORD_CLIPBOARD_EXPRESSION = `(() => {
  const writes = (window.__copiedTexts = []);
  Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: async (text) => { writes.push(String(text)); } });
})()`;

export async function recordClipboard(page: EvaluatingPage): Promise<void> {
  await page.evaluate(RECORD_CLIPBOARD_EXPRESSION);
}

/** What was copied since recordClipboard, oldest first. */
export async function copiedTexts(page: EvaluatingPage): Promise<string[]> {
  return (await page.evaluate('window.__copiedTexts ?? []')) as string[];
}
