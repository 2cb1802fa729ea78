/**
 * The causes that are not CloudFront's own, played on a real Varnish in front of the S3-like bucket
 * (test/lab/varnish.ts). Each names the cause the popup must show, how sure it must be, and the words
 * its fix must (Varnish's) and must never (CloudFront's) use. Each fix applies what CORS Lens printed
 * where it printed a command (the ban) and the VCL change its fix describes; then nothing may be flagged.
 * Facts: docs/cdn-behaviour.md#varnish and #fix-vocabulary.
 */
import type { Confidence } from '../../../src/engine/model.ts';
import type { Lab } from '../lab.ts';
import type { VarnishCacheConfig } from '../varnish.ts';
import { S3_ANY_ORIGIN, labConfig, prewarm, type LabScenario, type ShownDiagnosis } from './types.ts';

/** A scenario on the Varnish stack, with what the popup's cause must say. */
export interface VarnishScenario extends LabScenario {
  /** Cause → the least sure the popup may be. */
  expectedConfidence: Record<string, Confidence>;
  /** The cause whose card must come first (most severe and most certain). */
  leadingCause: string;
  /** What the leading cause's fix must say: Varnish's words. */
  fixNames: RegExp;
}

/** Words of another layer's fix that must never appear on a Varnish stack. */
export const NOT_VARNISH_WORDS = /cloudfront|create-invalidation|response headers policy|Lambda@Edge|fastly|cloudflare|akamai|proxy_cache/i;

const folder = (id: string): string => `/public/movie/${id}/`;
const OTHER_PAGE = 'http://other-page.localhost:8080';

/** The regular expression of the ban CORS Lens printed (`varnishadm ban req.url '~' '^/…'`). */
export function printedBan(shown: ShownDiagnosis, cause: string): string {
  const fix = shown.findings.find((finding) => finding.cause === cause)?.fix ?? '';
  const regex = /varnishadm ban req\.url '~' '([^']+)'/.exec(fix)?.[1] ?? /varnishadm ban req\.url '~' (\S+)/.exec(fix)?.[1];
  if (regex === undefined) throw new Error(`no Varnish ban in the ${cause} fix:\n${fix}`);
  return regex;
}

function varnishLab(description: string, varnish: VarnishCacheConfig, extra: Partial<ReturnType<LabScenario['lab']>> = {}): ReturnType<LabScenario['lab']> {
  return { config: labConfig(description, [], S3_ANY_ORIGIN), front: 'varnish', varnish, ...extra };
}

async function reconfigure(lab: Lab, config: VarnishCacheConfig): Promise<void> {
  if (!lab.varnish) throw new Error('not a Varnish lab');
  await lab.varnish.configure(config);
}

/**
 * The R1/R10 fix as CORS Lens prints it: Origin into vcl_hash (Vary kept), then the printed ban; also a
 * ban of the video folder, because hls.js stops at the first failing segment, so the printed ban names
 * only the copies the player saw fail.
 */
function originKeyFix(video: string): NonNullable<LabScenario['fix']> {
  return {
    description: 'Origin into vcl_hash, then the ban CORS Lens printed and a ban of the video folder.',
    async apply(lab, _context, shown) {
      await reconfigure(lab, { key: 'origin', passPlaylists: true });
      await lab.varnish!.ban(printedBan(shown, 'cdn-cache-poisoned'));
      await lab.varnish!.ban(`^${video}`);
    },
  };
}

const poisoned: VarnishScenario = {
  id: 'varnish-cache-poisoned',
  reference: 'R1',
  title: 'Varnish: a request without Origin filled the cache',
  history:
    "Varnish keys on URL and Host (its builtin vcl_hash) and honours Vary, but S3 sends no Vary to a request without Origin. A request without Origin fetched segment1.ts and segment2.ts; Varnish kept those copies, without CORS headers, for everyone. Playlists are passed to S3 uncached, so the playlist comes fresh with CORS.",
  expectedCauses: ['cdn-cache-poisoned'],
  expectedConfidence: { 'cdn-cache-poisoned': 'likely' },
  leadingCause: 'cdn-cache-poisoned',
  fixNames: /varnishadm ban req\.url[\s\S]*hash_data\(req\.http\.Origin\)|hash_data\(req\.http\.Origin\)[\s\S]*varnishadm ban req\.url/,
  player: 'hls.js',
  video: folder('varnish-r1'),
  lab: () => varnishLab('Varnish, URL key', { key: 'url', passPlaylists: true }),
  async prepare(lab) {
    await prewarm(lab, this.video, ['segment1.ts', 'segment2.ts']);
  },
  fix: originKeyFix(folder('varnish-r1')),
};

const ignoresVary: VarnishScenario = {
  id: 'varnish-copy-for-another-origin',
  reference: 'R10',
  title: "Varnish strips Vary: another page's copy is served to this one",
  history:
    "The bucket echoes each listed origin (this page and another site). Varnish strips Vary from what it stores (a common hit-rate tweak), so the copy a viewer on the other site filled — ACAO naming that site — is served to this page.",
  expectedCauses: ['cdn-cache-poisoned', 'origin-mismatch'],
  expectedConfidence: { 'cdn-cache-poisoned': 'likely', 'origin-mismatch': 'possible' },
  leadingCause: 'cdn-cache-poisoned',
  fixNames: /hash_data\(req\.http\.Origin\)/,
  player: 'hls.js',
  video: folder('varnish-r10'),
  lab: ({ pageOrigin }) => ({
    ...varnishLab('Varnish ignoring Vary', { key: 'url-ignore-vary', passPlaylists: true }),
    config: labConfig('echo', [], [{ AllowedHeaders: ['*'], AllowedMethods: ['GET', 'HEAD'], AllowedOrigins: [pageOrigin, OTHER_PAGE], ExposeHeaders: [] }]),
  }),
  async prepare(lab) {
    await prewarm(lab, this.video, ['segment0.ts', 'segment1.ts', 'segment2.ts', 'segment3.ts'], { origin: OTHER_PAGE });
  },
  fix: originKeyFix(folder('varnish-r10')),
};

const errorWithoutCors: VarnishScenario = {
  id: 'varnish-error-without-cors',
  reference: 'R4',
  title: 'Varnish: a missing segment, a 404 without CORS headers, cached',
  history: 'segment2.ts was not uploaded yet. S3 answers 404 without CORS headers; Varnish caches the 404 (default_ttl, no Cache-Control on it), so the retry gets the cached error.',
  expectedCauses: ['error-without-cors'],
  expectedConfidence: { 'error-without-cors': 'certain' },
  leadingCause: 'error-without-cors',
  fixNames: /Varnish caches a 404[\s\S]*vcl_deliver/,
  player: 'hls.js',
  video: folder('varnish-r4'),
  lab: () => varnishLab('Varnish caching errors', { key: 'origin', cacheErrors: true }, { missing: [`${folder('varnish-r4')}segment2.ts`] }),
  async prepare() {},
  fix: {
    description: 'Upload segment2.ts, then ban the cached 404.',
    async apply(lab) {
      lab.upload(`${errorWithoutCors.video}segment2.ts`);
      await lab.varnish!.ban(`^${errorWithoutCors.video}`);
    },
  },
};

const duplicateAcao: VarnishScenario = {
  id: 'varnish-duplicate-acao',
  reference: 'R6',
  title: 'Varnish appends its own Access-Control-Allow-Origin to the origin’s',
  history: 'S3 answers CORS (ACAO *), and vcl_deliver appends Varnish’s own "*" to the header: the browser gets "*, *".',
  expectedCauses: ['duplicate-acao'],
  expectedConfidence: { 'duplicate-acao': 'certain' },
  leadingCause: 'duplicate-acao',
  fixNames: /Varnish adds one[\s\S]*vcl_deliver/,
  player: 'hls.js',
  video: folder('varnish-r6'),
  lab: () => varnishLab('Varnish appending ACAO', { key: 'origin', appendAllowOrigin: true }),
  async prepare() {},
  fix: {
    description: 'Drop the append from vcl_deliver (the origin keeps answering CORS).',
    async apply(lab) {
      await reconfigure(lab, { key: 'origin' });
    },
  },
};

export const VARNISH_SCENARIOS: readonly VarnishScenario[] = [poisoned, ignoresVary, errorWithoutCors, duplicateAcao];
