export { evaluateCors, evaluateCorsIn } from './evaluate.ts';
export { exchangeFromRecord, findPreflightRecord, requestModeOf, credentialsModeOf } from './exchange.ts';
export { corsUnsafeHeaderNames, isSafelistedHeader, isSafelistedMethod, requestNeedsPreflight } from './safelist.ts';
export type { Engine } from './access.ts';
