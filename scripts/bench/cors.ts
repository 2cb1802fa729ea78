/**
 * Median time of one evaluateCors call (budget ≤ 5 µs, docs/budgets.md). Calls are timed in batches, since
 * one call is below the timer's resolution; the median over batches resists GC pauses.
 */
import { performance } from 'node:perf_hooks';
import { evaluateCors } from '../../src/engine/cors/index.ts';
import type { CorsExchange, CorsVerdict } from '../../src/engine/model.ts';
import type { Summary } from './stats.ts';
import { summarise } from './stats.ts';

export const EVALUATE_CORS_BUDGET_US = 5;
const BATCHES = 200;
const CALLS_PER_BATCH = 1_000;
const WARMUP_CALLS = 50_000;

/** What hls.js sends for a segment and what a CloudFront edge answers, as the recorder captures it. */
export const SEGMENT_EXCHANGE: CorsExchange = {
  pageOrigin: 'https://player.example.com',
  request: {
    url: 'https://d111111abcdef8.cloudfront.net/live/stream_1080p/segment_00421.ts?token=abc123',
    method: 'GET',
    mode: 'cors',
    credentials: 'same-origin',
    headers: [
      ['accept', '*/*'], ['accept-encoding', 'gzip, deflate, br, zstd'], ['accept-language', 'en-US,en;q=0.9'],
      ['origin', 'https://player.example.com'], ['referer', 'https://player.example.com/'], ['range', 'bytes=0-'],
      ['sec-ch-ua', '"Chromium";v="156"'], ['sec-ch-ua-mobile', '?0'], ['sec-fetch-dest', 'empty'], ['sec-fetch-mode', 'cors'],
      ['sec-fetch-site', 'cross-site'], ['user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0'],
    ],
  },
  preflight: null,
  redirects: [],
  response: {
    status: 206,
    headers: [
      ['content-type', 'video/mp2t'], ['content-length', '1048576'], ['content-range', 'bytes 0-1048575/2097152'],
      ['date', 'Tue, 05 May 2026 10:00:00 GMT'], ['last-modified', 'Tue, 05 May 2026 09:59:58 GMT'], ['etag', '"abc123"'],
      ['accept-ranges', 'bytes'], ['server', 'AmazonS3'], ['x-cache', 'Hit from cloudfront'], ['via', '1.1 abc.cloudfront.net (CloudFront)'],
      ['x-amz-cf-pop', 'FRA56-P1'], ['x-amz-cf-id', 'abcdefghijklmnop=='], ['age', '12'], ['vary', 'Origin'],
      ['access-control-allow-origin', 'https://player.example.com'], ['access-control-expose-headers', 'Content-Length, Content-Range'],
    ],
  },
};

export interface CorsBenchResult {
  /** Per-call time of each batch, µs. */
  perCallUs: Summary;
  p95Us: number;
  calls: number;
  outcome: string | undefined;
}

export function benchEvaluateCors(exchange: CorsExchange = SEGMENT_EXCHANGE): CorsBenchResult {
  let sink: CorsVerdict | null = null;
  for (let i = 0; i < WARMUP_CALLS; i++) sink = evaluateCors(exchange);
  const perCallUs: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const start = performance.now();
    for (let i = 0; i < CALLS_PER_BATCH; i++) sink = evaluateCors(exchange);
    perCallUs.push(((performance.now() - start) * 1000) / CALLS_PER_BATCH);
  }
  const sorted = [...perCallUs].sort((a, b) => a - b);
  return {
    perCallUs: summarise(perCallUs),
    p95Us: sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN,
    calls: BATCHES * CALLS_PER_BATCH,
    outcome: sink?.outcome,
  };
}
