export { evaluateCors } from './evaluate.ts';
export { exchangeFromRecord, requestModeOf, credentialsModeOf } from './exchange.ts';
