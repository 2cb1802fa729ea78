/**
 * Median time of one evaluateCors call (budget ≤ 5 µs, docs/budgets.md), on its own: the same measurement
 * `npm run bench` reports (scripts/bench/cors.ts). Prints one JSON line; exits 1 when over budget.
 * Run: npx tsx scripts/bench-cors.ts
 */
import { EVALUATE_CORS_BUDGET_US, benchEvaluateCors } from './bench/cors.ts';
import { round } from './bench/stats.ts';

const result = benchEvaluateCors();
const medianUs = result.perCallUs.median;
console.log(
  JSON.stringify({
    bench: 'evaluateCors',
    case: 'hls segment, cors/same-origin, 206 with exact ACAO',
    outcome: result.outcome,
    medianUs: round(medianUs),
    p95Us: round(result.p95Us),
    budgetUs: EVALUATE_CORS_BUDGET_US,
    calls: result.calls,
    withinBudget: medianUs <= EVALUATE_CORS_BUDGET_US,
  }),
);
if (!(medianUs <= EVALUATE_CORS_BUDGET_US)) process.exitCode = 1;
