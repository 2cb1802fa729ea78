/**
 * What each golden scenario must give, written by hand from its story in scenarios.ts — never copied
 * from golden/*.findings.json, which is regenerated from the code it checks. The golden files keep the
 * full wording; these are the facts that matter: the page origin, which records the browser rejects,
 * and every finding's cause, confidence and records, in the report's order (most severe, then most
 * certain first, then by rule id). Record ids are r1, r2… in the order scenarios.ts lists them.
 */
import type { Confidence } from '../../../src/engine/model.ts';
import { PAGE_ORIGIN } from '../rules/support/make-record.ts';

export interface ExpectedFinding {
  cause: string;
  confidence: Confidence;
  /** Compared as a set: the order of a finding's records is not what matters. */
  recordIds: string[];
}

export interface ScenarioExpectation {
  pageOrigin: string;
  /** Records whose verdict is 'fail', in log order. */
  failing: string[];
  /** Every finding, in report order. */
  findings: ExpectedFinding[];
}

export const EXPECTATIONS: Readonly<Record<string, ScenarioExpectation>> = {
  'cdn-cache-poisoned': {
    // Segments 2 and 4 are edge Hits (ages 5200 s, 5300 s) of copies without ACAO and without Vary:
    // Origin; segments 1, 3, 5 and the master came from S3 (Miss) with ACAO, so the origin answers CORS.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r3', 'r5'],
    findings: [{ cause: 'cdn-cache-poisoned', confidence: 'likely', recordIds: ['r3', 'r5'] }],
  },
  'origin-not-forwarded': {
    // Three segments, all fetched from the origin (Miss), none with ACAO: the edge never passes Origin on
    // for .ts. The playlist's ACAO "*" comes from the edge, so the distribution does answer CORS elsewhere.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1', 'r2', 'r3'],
    findings: [{ cause: 'origin-not-forwarded', confidence: 'likely', recordIds: ['r1', 'r2', 'r3'] }],
  },
  'origin-without-cors': {
    // An S3 bucket without any CORS configuration, no CDN: the playlist and both segments come back
    // without ACAO, and no response of the host ever carries CORS.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1', 'r2', 'r3'],
    findings: [{ cause: 'origin-without-cors', confidence: 'certain', recordIds: ['r1', 'r2', 'r3'] }],
  },
  'preflight-rejected': {
    // One preflight (OPTIONS asking for x-session-id) answered 403 without CORS headers: the browser
    // rejects it, so the request it was for is never sent.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'preflight-rejected', confidence: 'certain', recordIds: ['r1'] }],
  },
  'error-without-cors': {
    // Segment 1 is a 404 without ACAO (the browser says CORS, the cause is the status); segment 2 is fine.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'error-without-cors', confidence: 'certain', recordIds: ['r1'] }],
  },
  'stale-cache-after-change': {
    // Two old-video segments cached 70 000 s and more ago without ACAO; a new-video segment cached 120 s
    // ago has it: the copies without CORS all predate the working one by hours.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1', 'r2'],
    findings: [
      { cause: 'stale-cache-after-change', confidence: 'likely', recordIds: ['r1', 'r2'] },
      // The same two copies are edge Hits without ACAO and without Vary: Origin; with no origin response
      // in the log, how they were filled is only possible.
      { cause: 'cdn-cache-poisoned', confidence: 'possible', recordIds: ['r1', 'r2'] },
    ],
  },
  'duplicate-acao': {
    // One segment whose response carries Access-Control-Allow-Origin twice (S3's and the edge's).
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'duplicate-acao', confidence: 'certain', recordIds: ['r1'] }],
  },
  'wildcard-with-credentials': {
    // A CORS request with a cookie answered with ACAO "*": credentials forbid the wildcard.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'wildcard-with-credentials', confidence: 'certain', recordIds: ['r1'] }],
  },
  'browser-cache-reuse': {
    // A <video> without crossorigin fetched segment 1 first (no Origin: not a CORS request, nothing to
    // reject); the CORS request for the same URL then got that stored copy from the browser's cache.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r2'],
    findings: [
      { cause: 'browser-cache-reuse', confidence: 'likely', recordIds: ['r2'] },
      { cause: 'not-a-cors-request', confidence: 'certain', recordIds: ['r1'] },
    ],
  },
  'per-pop-difference': {
    // Segments 1 and 2 fail at ICN (edge Hits without ACAO, ages 900 s and 950 s) and pass at NRT (Hits
    // with ACAO, 120 s old): the same objects differ by edge location.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1', 'r2'],
    findings: [
      // The ICN copies were filled about 800 s before the NRT copies: a change in between is possible.
      { cause: 'stale-cache-after-change', confidence: 'possible', recordIds: ['r1', 'r2'] },
      // They are also edge Hits without ACAO or Vary: Origin, and no origin response is in the log.
      { cause: 'cdn-cache-poisoned', confidence: 'possible', recordIds: ['r1', 'r2'] },
      // A warning, so after the two errors above although it is the likelier explanation.
      { cause: 'per-pop-difference', confidence: 'likely', recordIds: ['r1', 'r2'] },
    ],
  },
  'cdn-ignores-vary': {
    // Cloudflare: segment 1 is a Hit with Vary: Origin but no ACAO (a copy made for no Origin);
    // segment 2, a Miss, echoes the page origin.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'cdn-ignores-vary', confidence: 'likely', recordIds: ['r1'] }],
  },
  'not-a-cors-request': {
    // A <video> without crossorigin: no Origin, so nothing is rejected; both requests are named as not CORS.
    pageOrigin: PAGE_ORIGIN,
    failing: [],
    findings: [{ cause: 'not-a-cors-request', confidence: 'certain', recordIds: ['r1', 'r2'] }],
  },
  'mixed-layers': {
    // The playlist gets ACAO "*" from a response headers policy at the edge (security headers next to
    // it, S3's own headers without CORS); segment 1 gets it from S3; segment 2 is an edge Hit without it.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r3'],
    findings: [
      // Segment 2's copy: a Hit without ACAO or Vary: Origin, while segment 1 from S3 had ACAO.
      { cause: 'cdn-cache-poisoned', confidence: 'likely', recordIds: ['r3'] },
      // Playlist and segments get CORS from different layers: every CORS request of the stream is named.
      { cause: 'mixed-layers', confidence: 'likely', recordIds: ['r1', 'r2', 'r3'] },
    ],
  },
  'origin-mismatch': {
    // ACAO "http://localhost:3010/" (a trailing slash) for the page http://localhost:3010.
    pageOrigin: PAGE_ORIGIN,
    failing: ['r1'],
    findings: [{ cause: 'origin-mismatch', confidence: 'certain', recordIds: ['r1'] }],
  },
};
