/** Public entry points of the pure engine (DESIGN §4). */
export * from './model.ts';
export { evaluateCors, exchangeFromRecord } from './cors/index.ts';
export { analyze, pageOriginOf, verdictForRecord, verdictsOf } from './analyze.ts';
export { classifyRequest, fileNameOf, isMedia, isPlaylist } from './media/classify.ts';
export { headerValue, headerValues, combinedHeaderValue, normaliseHeaders, originOf } from './headers.ts';
export { diagnose } from './diagnose.ts';
export { cdnFactsOf } from './cdn/index.ts';
export { compareRetest, retestNonceOf, retestUrlOf, RETEST_PARAM, type RetestComparison, type RetestConclusion } from './retest.ts';
