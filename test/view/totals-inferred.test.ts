import { describe, expect, test } from 'vitest';
import type { CorsVerdict, OutcomeEvidence } from '../../src/engine/model.ts';
import { emptyTotals, totalsWithInferred } from '../../src/view/totals.ts';

const evidence = (ending: OutcomeEvidence['ending']): OutcomeEvidence => ({ source: 'resource-timing', ending, detail: 'Resource Timing responseStatus 0' });
const verdict = (outcome: CorsVerdict['outcome'], extra: Partial<CorsVerdict> = {}): { verdict: CorsVerdict } => ({ verdict: { outcome, needsPreflight: false, explanation: '', ...extra } });

describe('totalsWithInferred', () => {
  test('rows decided by evidence move out of undetermined into their outcome and cause; the stored totals stay as they were', () => {
    const stored = emptyTotals();
    stored.requests = 5;
    stored.byOutcome = { pass: 1, fail: 1, unknown: 3, 'not-applicable': 0 };
    stored.failuresByCause = { MissingAllowOriginHeader: 1 };
    const rows = [
      verdict('pass'),
      verdict('fail', { chromiumError: 'MissingAllowOriginHeader' }),
      verdict('pass', { inferred: evidence('allowed') }),
      verdict('fail', { chromiumError: 'WildcardOriginNotAllowed', inferred: evidence('blocked') }),
      verdict('unknown'),
    ];
    const shown = totalsWithInferred(stored, rows);
    expect(shown.byOutcome).toEqual({ pass: 2, fail: 2, unknown: 1, 'not-applicable': 0 });
    expect(shown.failuresByCause).toEqual({ MissingAllowOriginHeader: 1, WildcardOriginNotAllowed: 1 });
    expect(shown.requests).toBe(5);
    expect(stored.byOutcome).toEqual({ pass: 1, fail: 1, unknown: 3, 'not-applicable': 0 });
  });

  test('a load its entry shows the page cancelled before any response leaves undetermined for not-applicable (counted as cancelled), never for the rejections', () => {
    const stored = emptyTotals();
    stored.requests = 2;
    stored.byOutcome = { pass: 1, fail: 0, unknown: 1, 'not-applicable': 0 };
    const shown = totalsWithInferred(stored, [verdict('pass'), verdict('not-applicable', { cancelled: true, inferred: evidence('not-received') })]);
    expect(shown.byOutcome).toEqual({ pass: 1, fail: 0, unknown: 0, 'not-applicable': 1 });
    expect(shown.cancelled).toBe(1);
    expect(shown.failuresByCause).toEqual({});
    expect(stored.cancelled).toBe(0);
  });

  test('without inferred rows the very same totals come back', () => {
    const stored = emptyTotals();
    expect(totalsWithInferred(stored, [verdict('unknown'), verdict('pass')])).toBe(stored);
  });
});
