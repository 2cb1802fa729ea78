/** Builds the engine's CorsExchange for a case from what the loopback servers received and sent. */
import type { CorsExchange, HeaderList } from '../../../src/engine/model.ts';
import type { DiffCase } from './cases.ts';
import type { CaseLog } from './server.ts';

export function exchangeFor(diffCase: DiffCase, log: CaseLog, pageOrigin: string, firstUrl: string): CorsExchange {
  const lastHop = diffCase.hops.length - 1;
  const firstRequest = log.requests[0];
  // Headers as the server saw them (browser-added ones included, as a capture would show them);
  // when the request never went out (its preflight failed), the ones the page set.
  const headers: HeaderList = firstRequest
    ? firstRequest.headers
    : diffCase.headers.map(([name, value]): [string, string] => [name.toLowerCase(), value]);
  const firstPreflight = log.preflights[0];
  const finalRequest = log.requests.find((request) => request.hop === lastHop);
  return {
    pageOrigin,
    request: { url: firstUrl, method: diffCase.method, mode: diffCase.mode, credentials: diffCase.credentials, headers },
    preflight: firstPreflight ? { status: firstPreflight.sent.status, headers: firstPreflight.sent.headers } : null,
    redirects: log.requests.filter((request) => request.hop < lastHop).map((request) => ({ status: request.sent.status, headers: request.sent.headers })),
    response: finalRequest ? { status: finalRequest.sent.status, headers: finalRequest.sent.headers } : null,
  };
}
