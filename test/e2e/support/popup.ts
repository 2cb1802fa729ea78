/** Reads what the popup shows a person, from its DOM. Works with Playwright and Puppeteer pages. */
export interface PopupRow {
  outcome: string;
  file: string;
  cells: string[];
  reason: string;
}

export interface PopupView {
  pageOrigin: string;
  media: string;
  failing: string;
  rows: PopupRow[];
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
  return {
    pageOrigin: text('[data-testid="page-origin"]'),
    media: text('[data-testid="count-media"]'),
    failing: text('[data-testid="count-failing"]'),
    rows,
    text: document.body.innerText,
  };
})()`;

interface EvaluatingPage {
  evaluate(expression: string): Promise<unknown>;
}

export async function readPopup(page: EvaluatingPage): Promise<PopupView> {
  return (await page.evaluate(READ_POPUP_EXPRESSION)) as PopupView;
}
