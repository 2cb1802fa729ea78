/** The registry of diagnosis rules: one import per file, keyed by rule id, sorted by id (the meta-test checks). */
import allowOriginMismatch from './allow-origin-mismatch.ts';
import browserCachedNoCorsCopy from './browser-cached-no-cors-copy.ts';
import cachedBeforeCorsChange from './cached-before-cors-change.ts';
import cachedResponseWithoutCors from './cached-response-without-cors.ts';
import cdnIgnoresVaryOrigin from './cdn-ignores-vary-origin.ts';
import cdnPathNeverSendsCors from './cdn-path-never-sends-cors.ts';
import coepBlocksMedia from './coep-blocks-media.ts';
import corsDiffersBetweenPops from './cors-differs-between-pops.ts';
import errorStatusWithoutCors from './error-status-without-cors.ts';
import exposeHeadersMissing from './expose-headers-missing.ts';
import extensionInterference from './extension-interference.ts';
import localNetworkAccess from './local-network-access.ts';
import multipleAllowOriginValues from './multiple-allow-origin-values.ts';
import notACorsFailure from './not-a-cors-failure.ts';
import originWithoutCors from './origin-without-cors.ts';
import playlistAndSegmentCorsLayersDiffer from './playlist-and-segment-cors-layers-differ.ts';
import preflightCachedAtCdn from './preflight-cached-at-cdn.ts';
import preflightPerSegment from './preflight-per-segment.ts';
import preflightRejected from './preflight-rejected.ts';
import redirectTaintsOrigin from './redirect-taints-origin.ts';
import requestWithoutOrigin from './request-without-origin.ts';
import timingAllowOriginMissing from './timing-allow-origin-missing.ts';
import wildcardOriginWithCredentials from './wildcard-origin-with-credentials.ts';
import type { Rule } from './lib/types.ts';

export const RULES: Readonly<Record<string, Rule>> = {
  'allow-origin-mismatch': allowOriginMismatch,
  'browser-cached-no-cors-copy': browserCachedNoCorsCopy,
  'cached-before-cors-change': cachedBeforeCorsChange,
  'cached-response-without-cors': cachedResponseWithoutCors,
  'cdn-ignores-vary-origin': cdnIgnoresVaryOrigin,
  'cdn-path-never-sends-cors': cdnPathNeverSendsCors,
  'coep-blocks-media': coepBlocksMedia,
  'cors-differs-between-pops': corsDiffersBetweenPops,
  'error-status-without-cors': errorStatusWithoutCors,
  'expose-headers-missing': exposeHeadersMissing,
  'extension-interference': extensionInterference,
  'local-network-access': localNetworkAccess,
  'multiple-allow-origin-values': multipleAllowOriginValues,
  'not-a-cors-failure': notACorsFailure,
  'origin-without-cors': originWithoutCors,
  'playlist-and-segment-cors-layers-differ': playlistAndSegmentCorsLayersDiffer,
  'preflight-cached-at-cdn': preflightCachedAtCdn,
  'preflight-per-segment': preflightPerSegment,
  'preflight-rejected': preflightRejected,
  'redirect-taints-origin': redirectTaintsOrigin,
  'request-without-origin': requestWithoutOrigin,
  'timing-allow-origin-missing': timingAllowOriginMissing,
  'wildcard-origin-with-credentials': wildcardOriginWithCredentials,
};

/** In id order, the order diagnose() runs them. */
export const RULE_LIST: readonly Rule[] = Object.values(RULES);

export type { Rule, RuleMeta, RuleContext, RuleReport, RecordFacts, FactName } from './lib/types.ts';
