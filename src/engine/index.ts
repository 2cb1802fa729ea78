/** Public entry points of the pure engine (docs/architecture.md#engine-contract). */
export * from './model.ts';
export { evaluateCors, exchangeFromRecord, passesWithoutCredentials, resourceTimingEvidence, verdictWithEvidence, type ResourceTimingReading } from './cors/index.ts';
export { analyze, verdictForRecord, verdictsOf } from './analyze.ts';
export { pageOriginOf, recordPageOrigin, requestPageOrigin } from './page-origin.ts';
export { classifyRequest, fileKindOf, fileNameOf, isCrossOriginCorsRequest, isMedia, isPlaylist, isSegment, isStreamPart, type FileKind, type SentRequest } from './media/classify.ts';
export { headerValue, headerValues, combinedHeaderValue, normaliseHeaders, originOf } from './headers.ts';
export { diagnose } from './diagnose.ts';
export { cacheStatusLabel, cacheStatusOf, cdnFactsOf, responseIdOf, type CacheStatusReading } from './cdn/index.ts';
export { compareRetest, retestNonceOf, retestUrlOf, RETEST_PARAM, type RetestComparison, type RetestConclusion } from './retest.ts';
