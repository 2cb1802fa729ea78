/** Reads what the popup shows a person: works on any page object that can evaluate in the popup. */
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

/** Runs in the popup page (serialised by the driver): no closures over test code. */
export function readPopupInPage(): PopupView {
  const text = (selector: string): string => document.querySelector(selector)?.textContent?.trim() ?? '';
  const rows = [...document.querySelectorAll<HTMLTableRowElement>('[data-testid="request-row"]')].map((row) => ({
    outcome: row.dataset.outcome ?? '',
    file: row.dataset.file ?? '',
    cells: [...row.cells].map((cell) => cell.textContent?.trim() ?? ''),
    reason: row.querySelector('[data-testid="reason"]')?.textContent?.trim() ?? '',
  }));
  return {
    pageOrigin: text('[data-testid="page-origin"]'),
    media: text('[data-testid="count-media"]'),
    failing: text('[data-testid="count-failing"]'),
    rows,
    text: document.body.innerText,
  };
}
