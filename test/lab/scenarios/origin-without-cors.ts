/**
 * The most common CORS failure: an origin that sends no CORS headers at all, played per origin kind
 * the lab can serve honestly — its S3-like bucket with no CORS configuration (straight to the browser,
 * and behind its CloudFront-like edge) and a real nginx without CORS (whole, and for segments only).
 * Each fix applies what CORS Lens printed after the first play: the S3 CORS JSON, the nginx lines.
 */
import type { S3CorsRule } from '../config.ts';
import type { NginxSiteConfig } from '../nginx.ts';
import { behavior, labConfig, type LabScenario, type ShownDiagnosis } from './types.ts';

const folder = (id: string) => `/public/movie/${id}/`;
const CAUSE = 'origin-without-cors';

/** The fix text of the card naming `cause`, as the popup showed it. */
function printedFix(shown: ShownDiagnosis, cause: string): string {
  const fix = shown.findings.find((finding) => finding.cause === cause)?.fix;
  if (!fix) throw new Error(`the popup showed no fix for ${cause}: ${JSON.stringify(shown.findings.map((finding) => finding.cause))}`);
  return fix;
}

/** The bucket CORS rules the printed S3 step holds (the console JSON, one line; the words around it may be in any UI language). */
function printedS3Rules(shown: ShownDiagnosis): S3CorsRule[] {
  const fix = printedFix(shown, CAUSE);
  const json = /(\[\{"AllowedHeaders".*\}\])$/m.exec(fix)?.[1];
  if (json === undefined) throw new Error(`no S3 CORS JSON in:\n${fix}`);
  return JSON.parse(json) as S3CorsRule[];
}

/** The nginx lines of the printed nginx step: from the first add_header line to the end of the OPTIONS block. */
function printedNginxLines(shown: ShownDiagnosis): string {
  const lines = printedFix(shown, CAUSE).split('\n');
  const first = lines.findIndex((line) => line.startsWith('add_header '));
  const last = lines.findIndex((line, index) => index > first && line === '}');
  if (first === -1 || last === -1) throw new Error(`no nginx lines in:\n${lines.join('\n')}`);
  return lines.slice(first, last + 1).join('\n');
}

const s3Direct: LabScenario = {
  id: 'no-cors-config-s3',
  reference: 'origin-without-cors',
  title: 'An S3 bucket without a CORS configuration, no CDN in front',
  history:
    'The stream was uploaded to a bucket that never got a CORS configuration (S3 has none by default). The player on another origin loads it straight from the bucket: S3 answers the GET with Origin with 200 and no CORS headers, as it does for any request no CORS rule matches.',
  expectedCauses: [CAUSE],
  player: 'hls.js',
  video: folder('no-cors-s3'),
  lab: () => ({ config: labConfig('no CDN: the browser talks to the bucket', [], null), front: 'bucket' }),
  async prepare() {},
  fix: {
    description: 'The bucket CORS configuration CORS Lens printed: the exact page origin, GET and HEAD, Content-Length and Content-Range exposed.',
    apply(lab, _context, shown) {
      lab.bucket.setCors(printedS3Rules(shown));
    },
  },
};

const behindCdn: LabScenario = {
  id: 'no-cors-config-behind-cdn',
  reference: 'origin-without-cors',
  title: 'The same bucket behind a CloudFront-like edge, no CORS anywhere',
  history:
    'The bucket has no CORS configuration, and the distribution in front uses the console defaults (CachingOptimized, no origin request policy, no response headers policy): neither layer ever sends CORS headers, for any path.',
  expectedCauses: [CAUSE],
  alsoNamed: {
    'cdn-cache-poisoned': 'hls.js retries the failed playlist and the retry is the cached copy without CORS headers and without Vary.',
  },
  player: 'hls.js',
  video: folder('no-cors-behind-cdn'),
  lab: () => ({ config: labConfig('no CORS anywhere', [behavior('/*.m3u8', 'CachingOptimized'), behavior('/*.ts', 'CachingOptimized')], null) }),
  async prepare() {},
  fix: {
    description:
      'The printed bucket CORS configuration, and (the printed CloudFront step) Origin in the cache key with Elemental-MediaPackage plus CORS-S3Origin on both behaviors, then an invalidation of the video folder.',
    stillWarned: {
      'cdn-ignores-vary':
        'a risk warning: S3 now echoes the origin with Vary: Origin through CloudFront, and the headers do not show that the cache policy keys on Origin (Elemental-MediaPackage does).',
    },
    apply(lab, _context, shown) {
      const fix = printedFix(shown, CAUSE);
      // The printed CloudFront step this fix follows: Origin in the cache key, forwarded to S3.
      for (const policy of ['Elemental-MediaPackage', 'CORS-S3Origin']) if (!fix.includes(policy)) throw new Error(`the printed fix names no ${policy}:\n${fix}`);
      lab.apply(
        labConfig(
          'fixed',
          [behavior('/*.m3u8', 'Elemental-MediaPackage', 'CORS-S3Origin'), behavior('/*.ts', 'Elemental-MediaPackage', 'CORS-S3Origin')],
          printedS3Rules(shown),
        ),
      );
      lab.edge.invalidate([`${behindCdn.video}*`]);
    },
  },
};

const nginxPlain: LabScenario = {
  id: 'no-cors-config-nginx',
  reference: 'origin-without-cors',
  title: 'A plain nginx web server without CORS',
  history: 'The stream is served as static files by nginx with its default configuration: nginx adds no CORS header to any answer.',
  expectedCauses: [CAUSE],
  player: 'hls.js',
  video: folder('no-cors-nginx'),
  lab: () => ({ config: labConfig('unused: the browser talks to nginx', [], null), front: 'nginx' }),
  async prepare() {},
  fix: {
    description: 'The add_header … always lines and the OPTIONS answer CORS Lens printed, at server level, then an nginx reload.',
    async apply(lab, _context, shown) {
      await lab.nginx!.configure({ server: printedNginxLines(shown) });
    },
  },
};

/** Playlists get CORS from their own location block; segments fall through to one without any. */
const PLAYLISTS_ONLY: NginxSiteConfig = { locations: [{ match: '~ \\.m3u8$', body: 'add_header Access-Control-Allow-Origin "*";' }] };

const nginxPartial: LabScenario = {
  id: 'partial-cors-config-nginx',
  reference: 'origin-without-cors',
  title: 'nginx answers CORS for playlists only',
  history:
    'Someone added CORS to the location that serves playlists (add_header in `location ~ \\.m3u8$`) and nowhere else: the playlist loads, every segment is rejected.',
  expectedCauses: [CAUSE],
  player: 'hls.js',
  video: folder('partial-cors-nginx'),
  lab: () => ({ config: labConfig('unused: the browser talks to nginx', [], null), front: 'nginx', nginx: PLAYLISTS_ONLY }),
  async prepare() {},
  fix: {
    description: 'The printed add_header … always lines at server level, where the segments are served (the playlist location keeps its own).',
    async apply(lab, _context, shown) {
      await lab.nginx!.configure({ ...PLAYLISTS_ONLY, server: printedNginxLines(shown) });
    },
  },
};

export const ORIGIN_WITHOUT_CORS_SCENARIOS: readonly LabScenario[] = [s3Direct, behindCdn, nginxPlain, nginxPartial];
