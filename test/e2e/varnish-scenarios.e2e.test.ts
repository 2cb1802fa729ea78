/**
 * The causes that are not CloudFront's own, on a real Varnish (Debian's varnishd) in front of the lab's
 * S3-like bucket, played with hls.js in real Chromium with CORS Lens loaded (test/lab/scenarios/varnish.ts).
 * Asserts from the popup and its JSON export: the expected causes at the expected confidence, the
 * leading card, a fix in Varnish's words and never another layer's, and every request's verdict equal
 * to Chromium's own (DevTools protocol Network.loadingFailed.corsErrorStatus); after the fix (applying
 * the ban CORS Lens printed) nothing is flagged.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { chromiumForFile } from './support/chromium-lab.ts';
import { artifactPath } from './support/artifacts.ts';
import { downloadText } from './support/recording.ts';
import { playScenario, startScenarioLab } from '../lab/browser.ts';
import { NOT_VARNISH_WORDS, VARNISH_SCENARIOS, type VarnishScenario } from '../lab/scenarios/varnish.ts';
import type { Confidence, Finding, Report, RequestRecord } from '../../src/engine/model.ts';

const shared = chromiumForFile();

const RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/** Chromium's own CORS error names per URL of the lab, as the DevTools protocol reports them. */
interface ChromiumVerdicts {
  failures: Map<string, string[]>;
  attach(player: Page): Promise<void>;
}

function recordChromiumVerdicts(labOrigin: string): ChromiumVerdicts {
  const failures = new Map<string, string[]>();
  return {
    failures,
    async attach(player) {
      const cdp = await player.context().newCDPSession(player);
      const urlOf = new Map<string, string>();
      cdp.on('Network.requestWillBeSent', (event) => {
        if (event.request.url.startsWith(labOrigin)) urlOf.set(event.requestId, event.request.url);
      });
      cdp.on('Network.loadingFailed', (event) => {
        const url = urlOf.get(event.requestId);
        if (url === undefined || !event.corsErrorStatus) return;
        failures.set(url, [...(failures.get(url) ?? []), event.corsErrorStatus.corsError]);
      });
      await cdp.send('Network.enable');
    },
  };
}

/** The popup's verdicts per URL (the CorsError names of the rejected requests), from its JSON export. */
function extensionFailures(records: readonly RequestRecord[], report: Report): Map<string, string[]> {
  const byId = new Map(report.verdicts.map((entry) => [entry.recordId, entry.verdict]));
  const failures = new Map<string, string[]>();
  for (const record of records) {
    const verdict = byId.get(record.id);
    if (verdict?.outcome !== 'fail' || record.method === 'OPTIONS') continue;
    failures.set(record.url, [...(failures.get(record.url) ?? []), verdict.chromiumError ?? verdict.outcome]);
  }
  return failures;
}

const sorted = (map: Map<string, string[]>): Array<[string, string[]]> => [...map].map(([url, names]): [string, string[]] => [url, [...names].sort()]).sort(([a], [b]) => a.localeCompare(b));

async function play(scenario: VarnishScenario): Promise<void> {
  const context = { pageOrigin: shared.pageServer.origin };
  const lab = await startScenarioLab(scenario, context);
  try {
    const chromium = recordChromiumVerdicts(lab.origin);
    const first = await playScenario(shared.browser, shared.pageServer, lab, scenario, { waitForCauses: scenario.expectedCauses, onPlayerPage: (player) => chromium.attach(player) });
    await first.popup.screenshot({ path: artifactPath(`lab-${scenario.id}.png`) });
    const exported = JSON.parse(await downloadText(first.popup, 'export-json')) as { report: Report; records: RequestRecord[] };
    const findings: Finding[] = exported.report.findings;
    const named = findings.map((finding) => `${finding.cause} (${finding.severity}, ${finding.confidence})`);

    // Every request's verdict is Chromium's own: same CorsError names per URL, nothing more, nothing less.
    expect(chromium.failures.size, `${scenario.id}: Chromium rejected something`).toBeGreaterThan(0);
    expect(sorted(extensionFailures(exported.records, exported.report)), `${scenario.id}: verdicts against Chromium's`).toEqual(sorted(chromium.failures));

    for (const [cause, least] of Object.entries(scenario.expectedConfidence)) {
      const finding = findings.find((candidate) => candidate.cause === cause);
      expect(finding, `${scenario.id}: ${cause} in ${JSON.stringify(named)}`).toBeDefined();
      expect(RANK[finding!.confidence as Confidence], `${scenario.id}: ${cause} is ${finding!.confidence}`).toBeLessThanOrEqual(RANK[least]);
    }
    const allowed = new Set(scenario.expectedCauses);
    expect(findings.filter((finding) => finding.severity === 'error' && !allowed.has(finding.cause)).map((finding) => finding.cause), `${scenario.id}: unexpected error cards`).toEqual([]);
    expect(first.view.findings[0]?.cause, `${scenario.id}: the first card`).toBe(scenario.leadingCause);
    const lead = findings.find((finding) => finding.cause === scenario.leadingCause)!;
    expect(lead.fix, `${scenario.id}: the fix speaks Varnish`).toMatch(scenario.fixNames);
    for (const finding of findings) expect(`${finding.message}\n${finding.fix}`, `${scenario.id}: ${finding.cause} speaks another layer`).not.toMatch(NOT_VARNISH_WORDS);
    // The card the person reads says the same (the popup renders the report's findings).
    expect(first.view.findings.map((finding) => finding.cause).sort()).toEqual(findings.map((finding) => finding.cause).sort());
    await first.popup.close();
    await first.player.close();

    if (scenario.fix) {
      await scenario.fix.apply(lab, context, { findings: findings.map((finding) => ({ cause: finding.cause, fix: finding.fix })) });
      const after = await playScenario(shared.browser, shared.pageServer, lab, scenario, { pass: 'fixed' });
      await after.popup.screenshot({ path: artifactPath(`lab-${scenario.id}-fixed.png`) });
      expect(after.view.rows.filter((row) => row.outcome === 'fail').map((row) => row.file), `${scenario.id} after the fix`).toEqual([]);
      expect(after.view.findings.filter((finding) => finding.severity === 'error' || finding.severity === 'warning').map((finding) => finding.cause), `${scenario.id} after: ${scenario.fix.description}`).toEqual([]);
      await after.popup.close();
      await after.player.close();
    }
  } finally {
    await lab.close();
  }
}

describe('Varnish scenarios in Chromium', () => {
  for (const scenario of VARNISH_SCENARIOS) {
    test(`${scenario.reference} ${scenario.id}: ${scenario.expectedCauses.join(', ')}, the fix in Varnish's words`, () => play(scenario));
  }
});
