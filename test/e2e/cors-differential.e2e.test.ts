/**
 * Differential test of the CORS verdict engine against real browsers (docs/architecture.md#tests, docs/cors-engine.md): loopback servers
 * answer generated exchanges, a page on another loopback origin fetch()es each, and the engine must
 * agree with Chromium's verdict (outcome, CorsError, failedParameter read over CDP) on every case,
 * and with Firefox ESR's outcome on the cases where the browsers are expected to differ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { evaluateCors, evaluateCorsIn } from '../../src/engine/cors/index.ts';
import type { CorsVerdict } from '../../src/engine/model.ts';
import type { DiffCase } from './cors-differential/cases.ts';
import { generateCases } from './cors-differential/cases.ts';
import { exchangeFor } from './cors-differential/exchange.ts';
import type { PageRequest, PageResult } from './cors-differential/page-fetch.ts';
import { fetchAllExpression } from './cors-differential/page-fetch.ts';
import type { Lab } from './cors-differential/server.ts';
import { startLab } from './cors-differential/server.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface CdpCorsFailure {
  requestId: string;
  errorText: string;
  corsError?: string;
  failedParameter?: string;
}

type BrowserOutcome = 'pass' | 'fail' | 'not-applicable';

/** A fetch that resolved as 'cors' passed the CORS check; 'basic'/'opaque' ones never had one. */
function outcomeOf(result: PageResult): BrowserOutcome {
  if (!result.ok) return 'fail';
  return result.type === 'cors' ? 'pass' : 'not-applicable';
}

function pageRequestsFor(lab: Lab, run: string, cases: readonly DiffCase[]): PageRequest[] {
  return cases.map((diffCase) => ({
    id: diffCase.id,
    url: lab.urlOf(run, diffCase),
    method: diffCase.method,
    mode: diffCase.mode,
    credentials: diffCase.credentials,
    headers: diffCase.headers,
    ...(diffCase.body === undefined ? {} : { body: diffCase.body }),
  }));
}

const CASE_URL = /\/c\/[^/]+\/([^/]+)\/\d+$/;

/** Resolves once `ready()` holds, re-checking whenever `subscribe` reports a change; rejects at the deadline. */
function when(ready: () => boolean, subscribe: (onChange: () => void) => void, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    subscribe(() => {
      if (ready()) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function describeVerdict(verdict: CorsVerdict): string {
  return `${verdict.outcome}${verdict.chromiumError ? ` ${verdict.chromiumError}` : ''}${verdict.failedParameter !== undefined ? ` [${verdict.failedParameter}]` : ''}`;
}

describe('CORS engine vs real browsers', () => {
  const cases = generateCases();
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab(cases);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('agrees with Chromium on outcome, CorsError and failedParameter for every generated exchange', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const caseOfRequest = new Map<string, string>();
      const failuresByCase = new Map<string, CdpCorsFailure[]>();
      const listeners: Array<() => void> = [];
      cdp.on('Network.requestWillBeSent', (event) => {
        const caseId = CASE_URL.exec(event.request.url)?.[1];
        if (caseId) caseOfRequest.set(event.requestId, caseId);
      });
      cdp.on('Network.loadingFailed', (event) => {
        const caseId = caseOfRequest.get(event.requestId);
        if (!caseId) return;
        const failure: CdpCorsFailure = { requestId: event.requestId, errorText: event.errorText };
        if (event.corsErrorStatus) {
          failure.corsError = event.corsErrorStatus.corsError;
          failure.failedParameter = event.corsErrorStatus.failedParameter;
        }
        failuresByCase.set(caseId, [...(failuresByCase.get(caseId) ?? []), failure]);
        for (const listener of listeners) listener();
      });
      await cdp.send('Network.enable');
      await page.goto(`${lab.origins.page}/`);

      const results = (await page.evaluate(fetchAllExpression(pageRequestsFor(lab, 'cr', cases)))) as PageResult[];
      // Every failed fetch that reached the network gets a Network.loadingFailed; wait for all of them.
      const requestedCases = new Set(caseOfRequest.values());
      const failedIds = results.filter((result) => !result.ok && requestedCases.has(result.id)).map((result) => result.id);
      await when(() => failedIds.every((id) => failuresByCase.has(id)), (listener) => listeners.push(listener), 15_000, 'Network.loadingFailed of every failed fetch');

      const disagreements: string[] = [];
      const notOnNetwork: string[] = [];
      const tally: Record<string, number> = {};
      for (const result of results) {
        const diffCase = cases.find((candidate) => candidate.id === result.id) as DiffCase;
        const exchange = exchangeFor(diffCase, lab.logOf('cr', diffCase.id), lab.origins.page, lab.urlOf('cr', diffCase));
        const verdict = evaluateCors(exchange);
        const browserOutcome = outcomeOf(result);
        const failures = failuresByCase.get(result.id) ?? [];
        // The actual request's failure carries the CORS status; a failed preflight is reported on it too.
        const corsFailure = failures.find((failure) => failure.corsError !== undefined);
        const chromium = `${browserOutcome}${corsFailure ? ` ${corsFailure.corsError} [${corsFailure.failedParameter ?? ''}]` : ''}`;
        tally[browserOutcome] = (tally[browserOutcome] ?? 0) + 1;
        // Blink refuses a cross-origin mode:'same-origin' fetch in the renderer, before any network
        // request, so CDP has no CorsErrorStatus to compare; only the outcome can be checked there.
        const reachedNetwork = requestedCases.has(result.id);
        const agrees =
          verdict.outcome === browserOutcome &&
          (browserOutcome !== 'fail' ||
            !reachedNetwork ||
            (verdict.chromiumError === corsFailure?.corsError && (corsFailure === undefined || verdict.failedParameter === corsFailure.failedParameter)));
        if (!reachedNetwork) notOnNetwork.push(result.id);
        if (!agrees) disagreements.push(`${diffCase.id} (${diffCase.about}): Chromium ${chromium}; engine ${describeVerdict(verdict)}`);
      }
      console.info(`[cors-differential] Chromium: ${results.length} exchanges, ${results.length - disagreements.length} agree; outcomes ${JSON.stringify(tally)}; refused before the network: ${notOnNetwork.join(', ') || 'none'}`);
      // Only the renderer-side refusal may escape the CorsError comparison.
      expect(notOnNetwork).toEqual(['mode-same-origin-cross']);
      // The generator must exercise every outcome, or agreement would prove little.
      expect(tally.pass ?? 0).toBeGreaterThan(30);
      expect(tally.fail ?? 0).toBeGreaterThan(30);
      expect(tally['not-applicable'] ?? 0).toBeGreaterThan(3);
      expect(disagreements).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("agrees with Firefox ESR's outcome where the browsers are expected to differ", async () => {
    const firefoxCases = cases.filter((diffCase) => diffCase.firefox === true);
    expect(firefoxCases.length).toBeGreaterThanOrEqual(15);
    const profile = mkdtempSync(path.join(tmpdir(), 'cors-differential-ff-'));
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: profile });
    try {
      const page = await browser.newPage();
      await page.goto(`${lab.origins.page}/`);
      const results = (await page.evaluate(fetchAllExpression(pageRequestsFor(lab, 'ff', firefoxCases)))) as PageResult[];
      const disagreements: string[] = [];
      const differing: string[] = [];
      for (const result of results) {
        const diffCase = firefoxCases.find((candidate) => candidate.id === result.id) as DiffCase;
        const exchange = exchangeFor(diffCase, lab.logOf('ff', diffCase.id), lab.origins.page, lab.urlOf('ff', diffCase));
        const firefoxView = evaluateCorsIn(exchange, 'firefox');
        const combined = evaluateCors(exchange);
        const browserOutcome = outcomeOf(result);
        if (firefoxView.outcome !== browserOutcome) {
          disagreements.push(`${diffCase.id} (${diffCase.about}): Firefox ${browserOutcome}; engine's Firefox view ${firefoxView.outcome} ${firefoxView.firefoxError ?? ''}`);
        }
        // The combined verdict must flag the difference exactly when the two views disagree.
        const chromiumView = evaluateCorsIn(exchange, 'chromium');
        if ((chromiumView.outcome !== firefoxView.outcome) !== (combined.browserDifference !== undefined)) {
          disagreements.push(`${diffCase.id}: browserDifference ${combined.browserDifference ?? 'unset'} but views ${chromiumView.outcome}/${firefoxView.outcome}`);
        }
        if (combined.browserDifference) differing.push(diffCase.id);
      }
      console.info(`[cors-differential] Firefox: ${results.length} exchanges, ${results.length - disagreements.length} agree; differ from Chromium: ${differing.join(', ') || 'none'}`);
      expect(disagreements).toEqual([]);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  });
});
