export { evaluateCors, evaluateCorsIn } from './evaluate.ts';
export { exchangeFromRecord, findPreflightRecord, requestModeOf, credentialsModeOf } from './exchange.ts';
export { corsUnsafeHeaderNames, isSafelistedHeader, isSafelistedMethod, requestNeedsPreflight } from './safelist.ts';
export type { Engine } from './access.ts';
export { verdictWithEvidence, resourceTimingEvidence, passesWithoutCredentials, TIMING_MATCH_WINDOW_MS, type ResourceTimingReading } from './inference.ts';
