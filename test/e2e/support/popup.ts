/** Reads what the popup shows a person, from its DOM. Works with Playwright and Puppeteer pages. */
export interface PopupRow {
  outcome: string;
  file: string;
  /** The request kind (playlist, segment, preflight, …). */
  kind: string;
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
  /** The fix text (kept in the document, hidden, while the card is collapsed to its headline). */
  fix: string;
}

/** One step of the popup's merged fix plan (`[data-testid="plan-step"]`). */
export interface PopupPlanStep {
  kind: string;
  layer: string;
  /** The step's text, without the card numbers it addresses. */
  text: string;
  /** The card numbers it addresses, e.g. "#1 #3". */
  for: string;
}

/** The answer first: the conclusion sentence, its primary cause and the merged plan. */
export interface PopupAnswer {
  /** The conclusion as shown (confidence and sentence). */
  conclusion: string;
  status: string;
  /** Cause id of the primary cause ('' when none). */
  primaryCause: string;
  confidence: string;
  /** The other causes as shown ("#2 … (alternative explanation)"). */
  others: string;
  steps: PopupPlanStep[];
}

export interface PopupView {
  pageOrigin: string;
  media: string;
  failing: string;
  rows: PopupRow[];
  findings: PopupFinding[];
  /** Null while the popup shows no conclusion (no finding yet). */
  answer: PopupAnswer | null;
  text: string;
}

/**
 * Plain JavaScript, evaluated in the popup as an expression. Kept as source text because transpilers
 * (tsx/esbuild keepNames) inject helpers into functions that do not exist in the page.
 */
const READ_POPUP_EXPRESSION = `(() => {
  const text = (selector) => (document.querySelector(selector)?.textContent ?? '').trim();
  // In list order: the virtualised list may keep a reused row element out of DOM order (data-index is its place).
  const rows = [...document.querySelectorAll('[data-testid="request-row"]')].sort((a, b) => Number(a.dataset.index ?? 0) - Number(b.dataset.index ?? 0)).map((row) => ({
    outcome: row.dataset.outcome ?? '',
    file: row.dataset.file ?? '',
    kind: row.dataset.kind ?? '',
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
  const conclusion = document.querySelector('[data-testid="conclusion"]');
  const answer = conclusion && {
    conclusion: (conclusion.textContent ?? '').trim(),
    status: conclusion.dataset.status ?? '',
    primaryCause: conclusion.dataset.primaryCause ?? '',
    confidence: conclusion.dataset.confidence ?? '',
    others: text('[data-testid="other-causes"]'),
    steps: [...document.querySelectorAll('[data-testid="plan-step"]')].map((step) => ({
      kind: step.dataset.kind ?? '',
      layer: step.dataset.layer ?? '',
      text: (step.querySelector('.plan-text')?.textContent ?? '').trim(),
      for: (step.querySelector('.plan-for')?.textContent ?? '').trim(),
    })),
  };
  return {
    pageOrigin: text('[data-testid="page-origin"]'),
    media: text('[data-testid="count-media"]'),
    failing: text('[data-testid="count-failing"]'),
    rows,
    findings,
    answer,
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
