/**
 * The origin-without-cors scenarios from Node: the front sends no CORS before the fix; the engine,
 * given what the front answered, names origin-without-cors with the fix for that kind of origin; that
 * printed fix, applied as the scenario applies it (a real nginx reloads it), makes the front answer
 * CORS for the page's GET and preflight. The Chromium run is test/e2e/lab-scenarios.e2e.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../../src/engine/analyze.ts';
import type { RequestRecord } from '../../../src/engine/model.ts';
import { makeRecord } from '../../engine/rules/support/make-record.ts';
import { headerOf } from '../http.ts';
import { startLab, type Lab } from '../lab.ts';
import { ORIGIN_WITHOUT_CORS_SCENARIOS } from './origin-without-cors.ts';

const context = { pageOrigin: 'http://127.0.0.1:3010' };

/** What a browser's hls.js would get for the stream's files: each GET with Origin, as a record. */
async function playFromNode(lab: Lab, video: string, files: readonly string[]): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  for (const [index, file] of files.entries()) {
    const response = await lab.request(`${video}${file}`, { headers: { origin: context.pageOrigin, 'sec-fetch-mode': 'cors' } });
    records.push(
      makeRecord(
        { url: `${lab.origin}${video}${file}`, pageOrigin: context.pageOrigin, requestHeaders: { origin: context.pageOrigin, 'sec-fetch-mode': 'cors' }, status: response.status, responseHeaders: response.headers },
        index,
      ),
    );
  }
  return records;
}

const FILES = ['stream.m3u8', 'segment0.ts', 'segment1.ts'];

describe.each(ORIGIN_WITHOUT_CORS_SCENARIOS.map((scenario) => [scenario.id, scenario] as const))('%s', (_id, scenario) => {
  test('names origin-without-cors, and its printed fix makes the front answer CORS', { timeout: 30_000 }, async () => {
    const lab = await startLab({ ...scenario.lab(context), videos: [scenario.video] });
    try {
      await scenario.prepare(lab, context);
      const before = await playFromNode(lab, scenario.video, FILES);
      expect(before.filter((record) => headerOf({ headers: record.responseHeaders ?? [] }, 'access-control-allow-origin') === null).length).toBeGreaterThan(0);
      const report = analyze(before);
      expect(report.findings.map((finding) => finding.cause)).toContain('origin-without-cors');
      await scenario.fix!.apply(lab, context, { findings: report.findings.map(({ cause, fix }) => ({ cause, fix })) });

      const after = await playFromNode(lab, scenario.video, ['segment2.ts', 'segment3.ts']);
      for (const record of after) expect(headerOf({ headers: record.responseHeaders ?? [] }, 'access-control-allow-origin'), record.url).toBe(context.pageOrigin);
      // Behind the edge, OPTIONS is refused before the bucket (CloudFront's default allowed methods): preflight-rejected's business.
      if (lab.front !== 'edge') {
        const preflight = await lab.request(`${scenario.video}segment2.ts`, {
          method: 'OPTIONS',
          headers: { origin: context.pageOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
        });
        expect([preflight.status >= 200 && preflight.status < 300, headerOf(preflight, 'access-control-allow-origin')]).toEqual([true, context.pageOrigin]);
      }
      expect(analyze(after).findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
