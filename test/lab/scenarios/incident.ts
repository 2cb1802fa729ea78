/**
 * The incident of test/fixtures/incident: the distribution and bucket of config.json, played with
 * the history docs/cdn-behaviour.md#incident finds most likely. The final config keys `.ts` on Origin
 * (Elemental-MediaPackage), so by itself it cannot fail: the failure is cached state from before it.
 */
import { HOUR, MINUTE } from '../clock.ts';
import { incidentConfig, type LabConfig } from '../config.ts';
import { behavior, prewarm, type LabScenario } from './types.ts';

/** The failing video's folder in the incident (failing-origin.m3u8.http). */
export const INCIDENT_VIDEO = '/public/movie/b296e729-d72a-47cc-b6cc-ded1f63c8e8f/';

/** The `.ts` behavior as it was before the current set-up: Origin forwarded (CORS-S3Origin) but not in the key. */
function earlierConfig(): LabConfig {
  const config = incidentConfig();
  config.description = 'Before the current set-up: /*.ts on CachingOptimized with CORS-S3Origin (Origin forwarded, not in the cache key).';
  config.distribution.behaviors = config.distribution.behaviors.map((b) => (b.pathPattern === '/*.ts' ? behavior('/*.ts', 'CachingOptimized', 'CORS-S3Origin') : b));
  return config;
}

/** The fix: the playlist's response headers policy on segments too, Origin forwarded to S3, and an invalidation. */
export function fixedIncidentConfig(): LabConfig {
  const config = incidentConfig();
  config.description = 'After the fix: CORS-with-preflight-and-SecurityHeadersPolicy and CORS-S3Origin on /*.ts as well.';
  config.distribution.behaviors = config.distribution.behaviors.map((b) =>
    b.pathPattern === '/*.ts' ? { ...b, originRequestPolicy: 'CORS-S3Origin', responseHeadersPolicy: 'CORS-with-preflight-and-SecurityHeadersPolicy' } : b,
  );
  return config;
}

export const INCIDENT: LabScenario = {
  id: 'incident',
  reference: 'incident',
  title: 'The incident: some videos play, others fail behind the same distribution',
  history:
    'History played (docs/cdn-behaviour.md#incident (4), both of its likeliest causes at once): three hours ago the /*.ts behavior used CachingOptimized with CORS-S3Origin, so Origin reached S3 but was not in the cache key. ' +
    'Then a request without Origin (a curl check whose -H was lost, as in failing-origin.m3u8.http) fetched segment1.ts and segment2.ts of this video: S3 answered without CORS headers and without Vary, and the edge cached those copies (R1 at the time). ' +
    'Thirty minutes later the behavior was switched to Elemental-MediaPackage, today\'s config.json, which purges nothing (R5). ' +
    'Half an hour ago a viewer from this page watched the first second: segment0.ts was cached with S3\'s CORS answer under the new key. Now the playlist (CORS from the response headers policy) and segment0 play, and segment1 fails from the old copy.',
  expectedCauses: ['stale-cache-after-change', 'cdn-cache-poisoned', 'mixed-layers'],
  player: 'hls.js',
  video: INCIDENT_VIDEO,
  lab: () => ({ config: earlierConfig() }),
  async prepare(lab, { pageOrigin }) {
    lab.clock.advance(30 * MINUTE);
    await prewarm(lab, INCIDENT_VIDEO, ['segment1.ts', 'segment2.ts']);
    lab.clock.advance(30 * MINUTE);
    lab.apply(incidentConfig());
    lab.clock.advance(1 * HOUR + 30 * MINUTE);
    await prewarm(lab, INCIDENT_VIDEO, ['segment0.ts'], { origin: pageOrigin });
    lab.clock.advance(30 * MINUTE);
  },
  fix: {
    description: `Attach CORS-with-preflight-and-SecurityHeadersPolicy (eaab4381-ed33-4a86-88ca-d9558dc6cd63) and CORS-S3Origin (88a5eaf4-2fd4-4709-b370-b4c650ea3fcf) to /*.ts, then invalidate ${INCIDENT_VIDEO}*.`,
    apply(lab) {
      lab.apply(fixedIncidentConfig());
      lab.edge.invalidate([`${INCIDENT_VIDEO}*`]);
    },
  },
};
