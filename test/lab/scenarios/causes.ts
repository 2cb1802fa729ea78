/**
 * One scenario per cause (docs/causes.md) that can occur on a CloudFront + S3 stack. Each plays a history
 * against the lab, names the causes the popup must show, and (where one exists) the fix after which
 * nothing may be flagged. Facts cite docs/cdn-behaviour.md.
 */
import { HOUR, MINUTE, SECOND } from '../clock.ts';
import { ERROR_CACHING_MIN_TTL } from '../edge.ts';
import type { S3CorsRule } from '../config.ts';
import { S3_ANY_ORIGIN, behavior, labConfig, prewarm, type LabScenario, type ScenarioContext } from './types.ts';

const folder = (id: string) => `/public/movie/${id}/`;
const SEGMENTS = ['segment0.ts', 'segment1.ts', 'segment2.ts', 'segment3.ts'];

/** `.ts` on CachingOptimized with CORS-S3Origin: Origin reaches S3 but is not in the cache key (R1). */
const keyWithoutOrigin = (playlistResponseHeadersPolicy: string | null = null) => [
  behavior('/*.m3u8', 'CachingDisabled', playlistResponseHeadersPolicy ? null : 'CORS-S3Origin', playlistResponseHeadersPolicy),
  behavior('/*.ts', 'CachingOptimized', 'CORS-S3Origin'),
];
/** The R1/R10 fix: Origin in the `.ts` cache key (Elemental-MediaPackage), then invalidate the video folder. */
function keyOnOriginFix(video: string, s3BucketCors: (context: ScenarioContext) => S3CorsRule[]): NonNullable<LabScenario['fix']> {
  return {
    description: 'Cache policy Elemental-MediaPackage (Origin in the key) on /*.ts, then invalidate the video folder.',
    apply(lab, context) {
      lab.apply(labConfig('fixed', [keyWithoutOrigin()[0]!, behavior('/*.ts', 'Elemental-MediaPackage', 'CORS-S3Origin')], s3BucketCors(context)));
      lab.edge.invalidate([`${video}*`]);
    },
  };
}

/** Origin in the cache key (and so forwarded) on both behaviors: the setup docs/cdn-behaviour.md#origin-forwarding recommends. */
const keyWithOrigin = (extra: Parameters<typeof behavior>[4] = {}) => [behavior('/*.m3u8', 'Elemental-MediaPackage', null, null, extra), behavior('/*.ts', 'Elemental-MediaPackage', null, null, extra)];

const cdnCachePoisoned: LabScenario = {
  id: 'cdn-cache-poisoned',
  reference: 'R1',
  title: 'A request without Origin filled the edge cache',
  history:
    'The .ts behavior forwards Origin (CORS-S3Origin) but its cache policy (CachingOptimized) does not key on it. An hour before the viewer, a request without Origin (a curl check, a <video> preview without crossorigin) fetched segment1.ts and segment2.ts; S3 answered without CORS headers and without Vary (docs/cdn-behaviour.md#s3-vary), and the edge kept those copies for everyone.',
  expectedCauses: ['cdn-cache-poisoned'],
  player: 'hls.js',
  video: folder('r1-poisoned'),
  lab: () => ({ config: labConfig('R1', keyWithoutOrigin(), S3_ANY_ORIGIN) }),
  async prepare(lab) {
    await prewarm(lab, this.video, ['segment1.ts', 'segment2.ts']);
    lab.clock.advance(1 * HOUR);
  },
  fix: keyOnOriginFix(folder('r1-poisoned'), () => S3_ANY_ORIGIN),
};

const originNotForwarded: LabScenario = {
  id: 'origin-not-forwarded',
  reference: 'R2',
  title: 'Origin never reaches S3 on the segment behavior',
  history:
    'Playlists get CORS from a response headers policy; the .ts behavior uses CachingOptimized with no origin request policy and no response headers policy, so S3 never sees Origin (docs/cdn-behaviour.md#origin-forwarding) and never answers CORS.',
  expectedCauses: ['origin-not-forwarded'],
  alsoNamed: {
    'cdn-cache-poisoned': 'hls.js retries the failed segment and the retry is a cached copy without CORS headers and without Vary.',
  },
  player: 'hls.js',
  video: folder('r2-not-forwarded'),
  lab: () => ({ config: labConfig('R2', [behavior('/*.m3u8', 'CachingDisabled', null, 'CORS-With-Preflight'), behavior('/*.ts', 'CachingOptimized')], S3_ANY_ORIGIN) }),
  async prepare() {},
  fix: {
    description: 'Response headers policy CORS-With-Preflight on /*.ts too (it applies to cached copies as well, docs/cdn-behaviour.md#response-headers-policy-cors).',
    apply(lab) {
      lab.apply(labConfig('R2 fixed', [behavior('/*.m3u8', 'CachingDisabled', null, 'CORS-With-Preflight'), behavior('/*.ts', 'CachingOptimized', null, 'CORS-With-Preflight')], S3_ANY_ORIGIN));
    },
  },
};

const preflightRejected: LabScenario = {
  id: 'preflight-rejected',
  reference: 'R3',
  title: 'The player adds a header; S3 refuses the preflight',
  history:
    'The player sets a custom header on every request (hls.js xhrSetup), so the browser sends an OPTIONS preflight. The behaviors allow OPTIONS and forward the Access-Control-Request-* headers (CORS-S3Origin), but the bucket rule lists no AllowedHeaders, so S3 answers 403 "This CORS request is not allowed" (docs/cdn-behaviour.md#s3-recorded).',
  expectedCauses: ['preflight-rejected'],
  player: 'hls.js',
  playerSetup: { requestHeaders: { 'x-player-session': 'lab-1' } },
  video: folder('r3-preflight'),
  lab: () => ({
    config: labConfig(
      'R3',
      [
        behavior('/*.m3u8', 'Elemental-MediaPackage', 'CORS-S3Origin', null, { allowedMethods: ['GET', 'HEAD', 'OPTIONS'] }),
        behavior('/*.ts', 'Elemental-MediaPackage', 'CORS-S3Origin', null, { allowedMethods: ['GET', 'HEAD', 'OPTIONS'] }),
      ],
      [{ AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: ['*'] }],
    ),
  }),
  async prepare() {},
  fix: {
    description: 'Bucket CORS rule with AllowedHeaders ["*"].',
    apply(lab) {
      lab.bucket.setCors(S3_ANY_ORIGIN);
    },
    stillWarned: {
      'preflight-per-segment': 'the player still sends x-player-session, so every segment still costs an allowed preflight (dropping the header is the player\'s fix, not the bucket\'s)',
    },
  },
};

const errorWithoutCors: LabScenario = {
  id: 'error-without-cors',
  reference: 'R4',
  title: 'A missing segment: a 404 without CORS headers, cached at the edge',
  history:
    'segment2.ts was not uploaded yet. S3 answers 404 NoSuchKey without CORS headers (unconfirmed either way, docs/cdn-behaviour.md#s3-error-responses) and the edge caches the 404 for 10 s (#error-caching), so the retry gets the cached error.',
  expectedCauses: ['error-without-cors'],
  player: 'hls.js',
  video: folder('r4-missing'),
  lab: () => ({ config: labConfig('R4', keyWithOrigin(), S3_ANY_ORIGIN), missing: [`${folder('r4-missing')}segment2.ts`] }),
  async prepare() {},
  fix: {
    description: 'Upload segment2.ts; after the error-caching TTL the edge fetches it again.',
    apply(lab) {
      lab.upload(`${errorWithoutCors.video}segment2.ts`);
      lab.clock.advance((ERROR_CACHING_MIN_TTL + 1) * SECOND);
    },
  },
};

const staleCacheAfterChange: LabScenario = {
  id: 'stale-cache-after-change',
  reference: 'R5',
  title: 'Copies cached before bucket CORS was configured',
  history:
    'Both behaviors key on Origin (Elemental-MediaPackage), but the bucket had no CORS configuration when a viewer from this page watched the video 90 minutes ago: every file was cached without CORS headers. An hour later CORS was enabled on the bucket (the change purges nothing, docs/cdn-behaviour.md#r5). Playlists carry Cache-Control max-age=3600, so the playlist was fetched again after the change; the segments stay cached for 24 h (#ttl).',
  expectedCauses: ['stale-cache-after-change'],
  alsoNamed: { 'cdn-cache-poisoned': 'the stale copies are cached copies without CORS headers and without Vary, which is also what a poisoned copy looks like.' },
  player: 'hls.js',
  video: folder('r5-stale'),
  lab: () => ({ config: labConfig('R5', keyWithOrigin(), null), cacheControl: { '.m3u8': 'max-age=3600' } }),
  async prepare(lab, { pageOrigin }) {
    await prewarm(lab, this.video, ['stream.m3u8', ...SEGMENTS], { origin: pageOrigin });
    lab.clock.advance(61 * MINUTE);
    lab.bucket.setCors(S3_ANY_ORIGIN);
    lab.clock.advance(1 * MINUTE);
    await prewarm(lab, this.video, ['stream.m3u8'], { origin: pageOrigin });
    lab.clock.advance(28 * MINUTE);
  },
  fix: {
    description: 'Invalidate the video folder.',
    apply(lab) {
      lab.edge.invalidate([`${staleCacheAfterChange.video}*`]);
    },
  },
};

const duplicateAcao: LabScenario = {
  id: 'duplicate-acao',
  reference: 'R6',
  title: 'An edge function appends a second Access-Control-Allow-Origin',
  history: 'S3 answers CORS (Origin is forwarded), and a viewer-response edge function on /*.ts appends its own Access-Control-Allow-Origin: * (docs/cdn-behaviour.md#r6).',
  expectedCauses: ['duplicate-acao'],
  player: 'hls.js',
  video: folder('r6-duplicate'),
  lab: () => ({
    config: labConfig('R6', [behavior('/*.m3u8', 'Elemental-MediaPackage'), behavior('/*.ts', 'Elemental-MediaPackage', null, null, { edgeFunction: { appendResponseHeaders: [['access-control-allow-origin', '*']] } })], S3_ANY_ORIGIN),
  }),
  async prepare() {},
  fix: {
    description: 'Remove the edge function.',
    apply(lab) {
      lab.apply(labConfig('R6 fixed', keyWithOrigin(), S3_ANY_ORIGIN));
    },
  },
};

const wildcardWithCredentials: LabScenario = {
  id: 'wildcard-with-credentials',
  reference: 'R7',
  title: 'The player sends credentials; S3 answers "*"',
  history: 'The player sets withCredentials (hls.js xhrSetup, e.g. for signed cookies). The bucket rule allows origin "*", so S3 answers Access-Control-Allow-Origin: * without Allow-Credentials (docs/cdn-behaviour.md#s3-wildcard, #r7).',
  expectedCauses: ['wildcard-with-credentials'],
  player: 'hls.js',
  playerSetup: { withCredentials: true },
  video: folder('r7-credentials'),
  lab: () => ({ config: labConfig('R7', keyWithOrigin(), S3_ANY_ORIGIN) }),
  async prepare() {},
  fix: {
    description: 'Bucket rule with the exact page origin (S3 then echoes it with Allow-Credentials: true, docs/cdn-behaviour.md#s3-wildcard), then invalidate the copies cached with "*".',
      stillWarned: {
        'cdn-ignores-vary':
          'a risk warning: S3 now echoes the origin with Vary: Origin through CloudFront, and the headers do not show that the cache policy keys on Origin (Elemental-MediaPackage does).',
      },
    apply(lab, { pageOrigin }) {
      lab.bucket.setCors([{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: [pageOrigin] }]);
      lab.edge.invalidate([`${wildcardWithCredentials.video}*`]);
    },
  },
};

const browserCacheReuse: LabScenario = {
  id: 'browser-cache-reuse',
  reference: 'R8',
  title: "The browser's cache hands hls.js a copy fetched without CORS",
  history:
    'The CDN is set up right (Origin in the key). The page first fetches the segments without CORS (mode no-cors, as an <img> or a <video> without crossorigin would); S3 answers without CORS headers and without Vary, with Cache-Control max-age=3600, so the browser reuses that copy for hls.js (docs/cdn-behaviour.md#r8).',
  expectedCauses: ['browser-cache-reuse'],
  player: 'hls.js',
  playerSetup: { prefetchWithoutCors: SEGMENTS },
  video: folder('r8-browser-cache'),
  lab: () => ({ config: labConfig('R8', keyWithOrigin(), S3_ANY_ORIGIN), cacheControl: { '.ts': 'max-age=3600' } }),
  async prepare() {},
};

const POP_A = 'ICN80-P3';
const POP_B = 'NRT57-P1';
const perPopDifference: LabScenario = {
  id: 'per-pop-difference',
  reference: 'R9',
  title: 'One edge location holds copies without CORS, the other does not',
  history: `The .ts behavior does not key on Origin. At ${POP_B}, a request without Origin filled segment2.ts and segment3.ts 20 minutes ago; ${POP_A} has no such copies. The viewer's resolver re-resolves mid-session, so from the fourth request on the viewer lands on ${POP_B} (each POP has its own cache, docs/cdn-behaviour.md#pops).`,
  expectedCauses: ['per-pop-difference'],
  alsoNamed: { 'cdn-cache-poisoned': `the copies at ${POP_B} were filled by a request without Origin: the mechanism behind this POP's difference.` },
  player: 'hls.js',
  video: folder('r9-pops'),
  lab: () => ({ config: labConfig('R9', keyWithoutOrigin(), S3_ANY_ORIGIN, [POP_A, POP_B]) }),
  async prepare(lab) {
    await prewarm(lab, this.video, ['segment2.ts', 'segment3.ts'], { pop: POP_B });
    lab.clock.advance(20 * MINUTE);
    lab.edge.routeViewers((index) => (index < 3 ? POP_A : POP_B));
  },
};

const PARTNER = 'https://partner.example';
const partnerRules = ({ pageOrigin }: ScenarioContext): S3CorsRule[] => [{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: [pageOrigin, PARTNER] }];
const cdnIgnoresVary: LabScenario = {
  id: 'cdn-ignores-vary',
  reference: 'R10',
  title: "S3 echoes the origin with Vary: Origin; the edge ignores Vary",
  history: `The bucket allows this page and ${PARTNER} by name, so S3 echoes the requesting origin and sends Vary: Origin (docs/cdn-behaviour.md#s3-wildcard). The .ts behavior does not key on Origin and CloudFront ignores Vary for the cache key (#vary). A player on ${PARTNER} watched the video first and filled the cache.`,
  expectedCauses: ['cdn-ignores-vary'],
  alsoNamed: { 'origin-mismatch': `the cached Access-Control-Allow-Origin names ${PARTNER}, which is the browser's own error here.` },
  player: 'hls.js',
  video: folder('r10-vary'),
  lab: (context) => ({ config: labConfig('R10', keyWithoutOrigin(), partnerRules(context)) }),
  async prepare(lab) {
    await prewarm(lab, this.video, SEGMENTS, { origin: PARTNER });
    lab.clock.advance(5 * MINUTE);
  },
  fix: {
    ...keyOnOriginFix(folder('r10-vary'), partnerRules),
    stillWarned: {
      'cdn-ignores-vary':
        'a risk warning: S3 echoes the origin with Vary: Origin through CloudFront, and the headers do not show that the cache policy now keys on Origin (Elemental-MediaPackage does).',
    },
  },
};

const notACorsRequest: LabScenario = {
  id: 'not-a-cors-request',
  reference: 'R11',
  title: 'A native <video> without crossorigin: no CORS anywhere, and nothing wrong',
  history: 'No behavior forwards Origin or adds CORS headers, so no response carries Access-Control-Allow-Origin. The page plays with a native <video> without crossorigin: its requests carry no Origin and are not CORS requests (docs/cdn-behaviour.md#r11).',
  expectedCauses: ['not-a-cors-request'],
  player: 'native',
  video: folder('r11-native'),
  lab: () => ({ config: labConfig('R11', [behavior('/*.m3u8', 'CachingOptimized'), behavior('/*.ts', 'CachingOptimized')], S3_ANY_ORIGIN) }),
  async prepare() {},
};

const mixedLayers: LabScenario = {
  id: 'mixed-layers',
  reference: 'R12',
  title: 'Playlists get CORS at the edge, segments from S3',
  history:
    'Playlists get Access-Control-Allow-Origin from the response headers policy CORS-with-preflight-and-SecurityHeadersPolicy; segments get it from S3 through a behavior that does not key on Origin (docs/cdn-behaviour.md#r12). A request without Origin filled segment1.ts 40 minutes ago, so the segment layer fails where the playlist layer cannot.',
  expectedCauses: ['mixed-layers'],
  alsoNamed: { 'cdn-cache-poisoned': 'the failing segment copy was filled by a request without Origin.' },
  player: 'hls.js',
  video: folder('r12-mixed'),
  lab: () => ({ config: labConfig('R12', keyWithoutOrigin('CORS-with-preflight-and-SecurityHeadersPolicy'), S3_ANY_ORIGIN) }),
  async prepare(lab) {
    await prewarm(lab, this.video, ['segment1.ts']);
    lab.clock.advance(40 * MINUTE);
  },
  fix: {
    description: 'The same response headers policy on /*.ts, then invalidate the video folder.',
    apply(lab) {
      lab.apply(
        labConfig(
          'R12 fixed',
          [
            behavior('/*.m3u8', 'CachingDisabled', null, 'CORS-with-preflight-and-SecurityHeadersPolicy'),
            behavior('/*.ts', 'CachingOptimized', 'CORS-S3Origin', 'CORS-with-preflight-and-SecurityHeadersPolicy'),
          ],
          S3_ANY_ORIGIN,
        ),
      );
      lab.edge.invalidate([`${mixedLayers.video}*`]);
    },
  },
};

/**
 * The causes (docs/causes.md) not played here: the plain header errors (`origin-mismatch`…) are named as a
 * side effect in cdn-ignores-vary; every other id has a scenario.
 */
export const CAUSE_SCENARIOS: readonly LabScenario[] = [
  cdnCachePoisoned,
  originNotForwarded,
  preflightRejected,
  errorWithoutCors,
  staleCacheAfterChange,
  duplicateAcao,
  wildcardWithCredentials,
  browserCacheReuse,
  perPopDifference,
  cdnIgnoresVary,
  notACorsRequest,
  mixedLayers,
];
