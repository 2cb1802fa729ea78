/** Builders for CorsExchange tables: docs/cors-reference.md#reference-cases conventions (page O, target T, GET, 200). */
import type { CorsExchange, CorsVerdict, HeaderList } from '../../../src/engine/model.ts';

export const O = 'https://app.example';
export const T = 'https://cdn.example/v/seg1.ts';

export interface ExchangeSpec {
  page?: string | null;
  url?: string;
  method?: string;
  mode?: CorsExchange['request']['mode'];
  credentials?: CorsExchange['request']['credentials'];
  headers?: HeaderList;
  preflight?: { status: number; headers: HeaderList } | null;
  redirects?: Array<{ status: number; headers: HeaderList }>;
  /** Final response; null when never reached. Default: 200 with no headers. */
  response?: { status: number; headers: HeaderList } | null;
}

export function exchange(spec: ExchangeSpec): CorsExchange {
  const built: CorsExchange = {
    pageOrigin: spec.page === undefined ? O : spec.page,
    request: {
      url: spec.url ?? T,
      method: spec.method ?? 'GET',
      mode: spec.mode ?? 'cors',
      credentials: spec.credentials ?? 'same-origin',
      headers: spec.headers ?? [],
    },
    response: spec.response === undefined ? { status: 200, headers: [] } : spec.response,
  };
  if (spec.preflight !== undefined) built.preflight = spec.preflight;
  if (spec.redirects !== undefined) built.redirects = spec.redirects;
  return built;
}

export const ok = (headers: HeaderList, status = 200): { status: number; headers: HeaderList } => ({ status, headers });
export const acao = (value: string): [string, string] => ['access-control-allow-origin', value];
export const acac = (value: string): [string, string] => ['access-control-allow-credentials', value];
export const acam = (value: string): [string, string] => ['access-control-allow-methods', value];
export const acah = (value: string): [string, string] => ['access-control-allow-headers', value];
export const location = (value: string): [string, string] => ['location', value];

/** The parts of a verdict a table row pins down; unspecified fields are not checked. */
export type Expected = Partial<Pick<CorsVerdict, 'outcome' | 'chromiumError' | 'firefoxError' | 'failedParameter' | 'needsPreflight' | 'stage' | 'browserDifference'>>;

export interface Row {
  id: string;
  exchange: CorsExchange;
  expected: Expected;
}

/** What the verdict says on the fields the row names (undefined stays undefined, so absence is checked too). */
export function pick(verdict: CorsVerdict, expected: Expected): Expected {
  const picked: Expected = {};
  for (const key of Object.keys(expected) as Array<keyof Expected>) {
    (picked as Record<string, unknown>)[key] = verdict[key];
  }
  return picked;
}
