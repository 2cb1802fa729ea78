/**
 * Every lab scenario (test/lab/scenarios) played with hls.js (or a native <video>) in real Chromium
 * with CORS Lens loaded, against the lab's S3-like bucket behind its CloudFront-like edge (or the
 * bucket alone, or a real nginx). Asserts from the popup: the expected causes are named, nothing the
 * scenario does not expect is named as an error, requests that are not CORS requests are never red,
 * and after the fix (which may apply what the popup printed) nothing is flagged.
 * LAB_RECORD_DIR=<dir> also saves each first play's JSON export there (how the captures under
 * test/fixtures/origin-without-cors were made).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { chromiumForFile } from './support/chromium-lab.ts';
import { artifactPath } from './support/artifacts.ts';
import type { PopupView } from './support/popup.ts';
import type { ViewerLogEntry } from '../lab/lab.ts';
import { downloadText } from './support/recording.ts';
import { playScenario, startScenarioLab } from '../lab/browser.ts';
import { LAB_SCENARIOS, type LabScenario } from '../lab/scenarios/index.ts';

const shared = chromiumForFile();

const named = (view: PopupView) => view.findings.map((finding) => `${finding.cause} (${finding.severity}, ${finding.confidence})`);

/**
 * No request without CORS (no-cors <video>, a no-cors prefetch) is red, and the not-a-cors-request card
 * is never an error or warning. Which files the browser fetched without Origin comes from the front's
 * own log (edge, bucket or nginx), not from the popup, so the check can fail.
 */
function expectNotACorsRequestIsNotRed(view: PopupView, frontLog: readonly ViewerLogEntry[]): void {
  for (const finding of view.findings.filter((f) => f.cause === 'not-a-cors-request')) expect(finding.severity).toBe('info');
  // Each request the browser sent without Origin (from the edge's own log, so this can fail) must be
  // in the popup as a not-applicable row, never as a rejected one.
  const withoutOrigin = new Map<string, number>();
  for (const entry of frontLog) {
    if (entry.fromLabClient || entry.origin !== null) continue;
    const file = entry.path.slice(entry.path.lastIndexOf('/') + 1);
    withoutOrigin.set(file, (withoutOrigin.get(file) ?? 0) + 1);
  }
  for (const [file, sent] of withoutOrigin) {
    const shownAsNotCors = view.rows.filter((row) => row.file === file && row.outcome === 'not-applicable').length;
    expect(shownAsNotCors, `${file}: ${sent} request(s) without Origin reached the edge`).toBeGreaterThanOrEqual(sent);
  }
}

async function play(scenario: LabScenario): Promise<void> {
  const context = { pageOrigin: shared.pageServer.origin };
  const lab = await startScenarioLab(scenario, context);
  try {
    const first = await playScenario(shared.browser, shared.pageServer, lab, scenario, { waitForCauses: scenario.expectedCauses });
    await first.popup.screenshot({ path: artifactPath(`lab-${scenario.id}.png`) });
    if (process.env.LAB_DEBUG) console.log(scenario.id, JSON.stringify(first.view.rows.map((row) => [row.outcome, row.file, row.cells.join(' | ')]), null, 1), named(first.view), lab.viewerLog().filter((entry) => !entry.fromLabClient).map((entry) => `${entry.method} ${entry.path} ${entry.origin ?? '-'}`));
    if (process.env.LAB_RECORD_DIR) {
      await mkdir(process.env.LAB_RECORD_DIR, { recursive: true });
      await writeFile(path.join(process.env.LAB_RECORD_DIR, `${scenario.id}.json`), await downloadText(first.popup, 'export-json'));
    }
    const causes = first.view.findings.map((finding) => finding.cause);
    for (const cause of scenario.expectedCauses) expect(causes, `${scenario.id}: popup named ${JSON.stringify(named(first.view))}`).toContain(cause);
    const allowed = new Set([...scenario.expectedCauses, ...Object.keys(scenario.alsoNamed ?? {})]);
    const unexpectedErrors = first.view.findings.filter((finding) => finding.severity === 'error' && !allowed.has(finding.cause));
    expect(unexpectedErrors.map((finding) => finding.cause), `${scenario.id}: unexpected error cards`).toEqual([]);
    expectNotACorsRequestIsNotRed(first.view, lab.viewerLog());
    // The answer first: the conclusion names the scenario's primary cause (its first expected cause,
    // from its story), the plan holds no step twice, and both are on the first screen of the popup.
    const answer = first.view.answer;
    expect(answer, `${scenario.id}: no conclusion shown`).not.toBeNull();
    if (scenario.id === 'not-a-cors-request') {
      expect([answer!.status, answer!.steps.length]).toEqual(['clean', 0]);
    } else {
      expect(answer!.primaryCause, `${scenario.id}: ${answer!.conclusion}`).toBe(scenario.expectedCauses[0]);
      const steps = answer!.steps.map((step) => step.text);
      expect(steps.length).toBeGreaterThan(0);
      expect(new Set(steps).size, steps.join('\n---\n')).toBe(steps.length);
      const firstStep = await first.popup.locator('[data-testid="plan-step"]').first().boundingBox();
      expect(firstStep!.y + firstStep!.height, `${scenario.id}: the first plan step is below the 600 px popup`).toBeLessThanOrEqual(600);
    }
    // The header's exact count (kept by the background as requests finish) agrees with the rows (judged with the whole log).
    expect(Number.parseInt(first.view.failing, 10), `${scenario.id}: "${first.view.failing}" in the header`).toBe(first.view.rows.filter((row) => row.outcome === 'fail').length);
    // Privacy: the extension itself sent nothing to the lab; every browser request came from the page.
    const fromBrowser = lab.viewerLog().filter((entry) => !entry.fromLabClient);
    expect(fromBrowser.length).toBeGreaterThan(0);
    expect(fromBrowser.filter((entry) => entry.origin !== null && entry.origin !== shared.pageServer.origin).map((entry) => `${entry.origin} ${entry.path}`)).toEqual([]);
    if (scenario.id === 'not-a-cors-request') {
      expect(first.view.rows.length).toBeGreaterThan(0);
      expect(first.view.rows.every((row) => row.outcome === 'not-applicable')).toBe(true);
      expect(first.playerState).toMatchObject({ ended: true, error: null });
    } else {
      expect(first.view.rows.some((row) => row.outcome === 'fail'), `${scenario.id}: some request is rejected`).toBe(true);
    }
    await first.popup.close();
    await first.player.close();

    if (scenario.fix) {
      await scenario.fix.apply(lab, context, { findings: first.view.findings });
      const after = await playScenario(shared.browser, shared.pageServer, lab, scenario, { pass: 'fixed' });
      await after.popup.screenshot({ path: artifactPath(`lab-${scenario.id}-fixed.png`) });
      expect(after.view.rows.filter((row) => row.outcome === 'fail').map((row) => row.file), `${scenario.id} after the fix`).toEqual([]);
      const stillWarned = new Set(Object.keys(scenario.fix.stillWarned ?? {}));
      const flagged = after.view.findings.filter(
        (finding) => finding.severity === 'error' || (finding.severity === 'warning' && !stillWarned.has(finding.cause)),
      );
      expect(named({ ...after.view, findings: flagged }), `${scenario.id} after the fix: ${scenario.fix.description}`).toEqual([]);
      expect(after.playerState.fatal ?? null).toBeNull();
      await after.popup.close();
      await after.player.close();
    }
  } finally {
    await lab.close();
  }
}

/** LAB_SCENARIO=<id>[,<id>…] plays only those (for working on one scenario). */
const only = process.env.LAB_SCENARIO?.split(',');

describe('lab scenarios in Chromium', () => {
  for (const scenario of LAB_SCENARIOS.filter((candidate) => !only || only.includes(candidate.id))) {
    const name = `${scenario.reference} ${scenario.id}: the popup names ${scenario.expectedCauses.join(', ')}`;
    test(name, () => play(scenario));
  }
});
