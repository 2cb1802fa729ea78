/**
 * The incident of test/fixtures/incident (docs/cdn-behaviour.md#incident): two real captures of master playlists, plus segment
 * records built the way config.json's `/*.ts` behavior answers (Elemental-MediaPackage, no policy,
 * S3 CORS "*"), because the captures hold no segment.
 */
import { describe, expect, test } from 'vitest';
import { analyze } from '../../../src/engine/analyze.ts';
import { diagnose } from '../../../src/engine/diagnose.ts';
import { readIncident } from '../../fixtures/incident/parse-http.ts';
import { cloudFront, corsRequest, makeRecord, s3Cors } from '../rules/support/make-record.ts';

const { config, working, failing } = readIncident();
const options = { pageOrigin: config.pageOrigin };

/** A segment of the working video as the `/*.ts` behavior serves it: S3's CORS answer, no policy headers. */
function segmentOfWorkingVideo(index: number) {
  const url = working.url.replace('origin.m3u8', `wm16_9_${String(index).padStart(5, '0')}.ts`);
  return makeRecord({ id: `segment-${index}`, url, requestHeaders: corsRequest(config.pageOrigin), responseHeaders: { ...s3Cors(), 'content-type': 'video/MP2T', ...cloudFront({ cache: 'Miss' }) } }, index);
}

describe('incident captures', () => {
  test('the capture sent without Origin is not a CORS request, and nothing flags it as failing', () => {
    const records = [working, failing];
    const report = analyze(records, options);
    const failingVerdict = report.verdicts.find((verdict) => verdict.recordId === failing.id)!.verdict;
    expect(failingVerdict.outcome).toBe('not-applicable');
    const findings = diagnose(records, report.verdicts, options);
    const aboutFailing = findings.filter((finding) => finding.recordIds.includes(failing.id));
    expect(aboutFailing.map((finding) => [finding.cause, finding.severity])).toEqual([['not-a-cors-request', 'info']]);
    expect(aboutFailing[0]!.fix).toContain("-H 'Origin: http://localhost:3010'");
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  test('the working capture carries both fingerprints: S3 answered CORS, and a response headers policy ran', async () => {
    const { cdnFactsOf } = await import('../../../src/engine/cdn/index.ts');
    const facts = cdnFactsOf(working.responseHeaders, working.method);
    expect(facts.vendor?.id).toBe('cloudfront');
    expect(facts.pop).toBe('ICN');
    expect(facts.cacheStatus).toBe('MISS');
    expect(facts.corsLayer).toBe('storage');
    expect(facts.storage.securityHeadersPolicy.length).toBe(5);
  });

  test('with the segments of the /*.ts behavior, the report points out mixed layers and the fix', () => {
    const records = [working, failing, segmentOfWorkingVideo(1), segmentOfWorkingVideo(2)];
    const report = analyze(records, options);
    const findings = diagnose(records, report.verdicts, options);
    const mixed = findings.find((finding) => finding.cause === 'mixed-layers');
    expect(mixed, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(mixed!.confidence).toBe('likely');
    expect(mixed!.message).toContain('playlists get CORS from a response headers policy at the Amazon CloudFront edge');
    expect(mixed!.fix).toContain('behavior (/*.ts)');
    expect(mixed!.fix).toContain('eaab4381-ed33-4a86-88ca-d9558dc6cd63');
    expect(mixed!.fix).toContain('--paths /public/movie/145cb700-9539-42fe-9709-2a43721b112f/wm16_9_00001.ts /public/movie/145cb700-9539-42fe-9709-2a43721b112f/wm16_9_00002.ts');
    expect(mixed!.recordIds).not.toContain(failing.id);
    expect(findings.find((finding) => finding.cause === 'not-a-cors-request')?.recordIds).toEqual([failing.id]);
  });
});
