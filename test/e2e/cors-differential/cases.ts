/**
 * Generated exchanges for the differential test. A case says what the page's fetch() sends and what
 * each loopback server answers; templates in header values are filled in by the server:
 * `{origin}` the page origin, `{ORIGIN}` it upper-cased, `{port}` the page port, `{a}`/`{b}` the
 * origins of servers A/B, `{echo}` the request's own Origin header.
 */

export type ServerName = 'page' | 'a' | 'b';
export type Header = [name: string, value: string];

export interface HopSpec {
  server: ServerName;
  status: number;
  headers: Header[];
  /** User info put into the Location that leads away from this hop (`user:pw`). */
  locationUserInfo?: string;
}

export interface DiffCase {
  id: string;
  /** What the case exercises, for failure messages. */
  about: string;
  method: string;
  mode: 'cors' | 'no-cors' | 'same-origin';
  credentials: 'omit' | 'same-origin' | 'include';
  /** Headers the page sets on the fetch() call. */
  headers: Header[];
  body?: string;
  /** Every hop but the last answers with its status plus a Location to the next hop. */
  hops: HopSpec[];
  /** The answer to the first OPTIONS of the case; later OPTIONS (after a redirect) get a permissive answer. */
  preflight?: { status: number; headers: Header[] };
  /** Also run in Firefox ESR (cases where docs/cors-reference.md#error-mapping or #wildcards expects the browsers to differ). */
  firefox?: boolean;
}

const ACAO = 'access-control-allow-origin';
const ACAC = 'access-control-allow-credentials';
const ACAM = 'access-control-allow-methods';
const ACAH = 'access-control-allow-headers';

const acao = (...values: string[]): Header[] => values.map((value) => [ACAO, value]);

/** Access-Control-Allow-Origin forms (null: no header; several values: several header lines). */
const ALLOW_ORIGIN_FORMS: Array<{ name: string; lines: string[]; firefox?: boolean }> = [
  { name: 'missing', lines: [] },
  { name: 'exact', lines: ['{origin}'] },
  { name: 'wildcard', lines: ['*'], firefox: true },
  { name: 'trailing-slash', lines: ['{origin}/'] },
  { name: 'upper-case', lines: ['{ORIGIN}'] },
  { name: 'other-host', lines: ['http://localhost:{port}'] },
  { name: 'server-own-origin', lines: ['{a}'] },
  { name: 'other-scheme', lines: ['https://127.0.0.1:{port}'] },
  { name: 'null', lines: ['null'] },
  { name: 'empty', lines: [''] },
  { name: 'no-scheme', lines: ['127.0.0.1:{port}'], firefox: true },
  { name: 'two-lines-same', lines: ['{origin}', '{origin}'], firefox: true },
  { name: 'two-lines-wildcard', lines: ['*', '*'] },
  { name: 'comma-list', lines: ['{origin}, http://other.example'], firefox: true },
  { name: 'space-list', lines: ['{origin} http://other.example'] },
  { name: 'padded', lines: ['  {origin}\t'] },
  { name: 'tab-wildcard', lines: ['\t*'] },
  { name: 'subdomain-wildcard', lines: ['http://*.0.0.1:{port}'] },
  { name: 'subdomain-wildcard-name', lines: ['https://*.example.com'] },
  { name: 'with-path', lines: ['{origin}/player/'] },
  { name: 'wildcard-comma', lines: ['*, *'] },
];

const CREDENTIALS = ['omit', 'same-origin', 'include'] as const;

const GOOD_FINAL: HopSpec = { server: 'a', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true']] };

function accessCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  for (const form of ALLOW_ORIGIN_FORMS) {
    for (const credentials of CREDENTIALS) {
      cases.push({
        id: `acao-${form.name}-${credentials}`,
        about: `ACAO ${JSON.stringify(form.lines)} with credentials ${credentials}, ACAC true`,
        method: 'GET', mode: 'cors', credentials, headers: [],
        hops: [{ server: 'a', status: 200, headers: [...acao(...form.lines), [ACAC, 'true']] }],
        firefox: form.firefox === true && credentials !== 'omit',
      });
    }
  }
  const credentialForms: Array<[string, string[]]> = [
    ['missing', []], ['True', ['True']], ['TRUE', ['TRUE']], ['padded', [' true ']], ['two-lines', ['true', 'true']], ['false', ['false']],
  ];
  for (const [name, lines] of credentialForms) {
    cases.push({
      id: `acac-${name}`, about: `credentials include, ACAO exact, ACAC ${JSON.stringify(lines)}`,
      method: 'GET', mode: 'cors', credentials: 'include', headers: [],
      hops: [{ server: 'a', status: 200, headers: [[ACAO, '{origin}'], ...lines.map((value): Header => [ACAC, value])] }],
      firefox: name === 'two-lines',
    });
  }
  cases.push({
    id: 'acao-mismatch-before-acac', about: 'include, ACAO other origin, no ACAC (ACAO is checked first)',
    method: 'GET', mode: 'cors', credentials: 'include', headers: [],
    hops: [{ server: 'a', status: 200, headers: [[ACAO, 'http://other.example']] }],
  });
  return cases;
}

function statusCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  for (const status of [201, 204, 206, 300, 400, 403, 404, 410, 500, 502, 503]) {
    for (const withAllowOrigin of [true, false]) {
      const headers: Header[] = withAllowOrigin ? [[ACAO, '{origin}']] : [];
      if (status === 206) headers.push(['content-range', 'bytes 0-1/10']);
      cases.push({
        id: `status-${status}-${withAllowOrigin ? 'acao' : 'no-acao'}`,
        about: `final status ${status} ${withAllowOrigin ? 'with' : 'without'} ACAO`,
        method: 'GET', mode: 'cors', credentials: 'same-origin',
        headers: status === 206 ? [['range', 'bytes=0-1']] : [],
        hops: [{ server: 'a', status, headers }],
      });
    }
  }
  return cases;
}

/** Preflight answers; each allows everything the requests below ask for unless it says otherwise. */
const ALL_METHODS = 'GET, POST, PUT, DELETE, PATCH, FOO';
const ALL_HEADERS = 'x-token, authorization, range, accept, content-type, content-language, accept-language, x-a-token, x-b-token';
const PREFLIGHT_ANSWERS: Array<{ name: string; status: number; headers: Header[]; firefox?: boolean }> = [
  { name: 'good-204', status: 204, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'no-acah', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS]] },
  { name: 'acah-wildcard', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, '*']] },
  { name: 'acah-upper', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, 'X-TOKEN, AUTHORIZATION']] },
  { name: 'no-acao', status: 200, headers: [[ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: '403-acao', status: 403, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: '403-no-acao', status: 403, headers: [], firefox: true },
  { name: '301-location', status: 301, headers: [[ACAO, '{origin}'], [ACAC, 'true'], ['location', '{a}/elsewhere']], firefox: true },
  { name: '302-no-location', status: 302, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'acah-invalid', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, 'x-token x-other']] },
  { name: 'acam-invalid', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, 'GET PUT'], [ACAH, ALL_HEADERS]] },
  { name: 'acao-wildcard', status: 200, headers: [[ACAO, '*'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'no-acac', status: 200, headers: [[ACAO, '{origin}'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'acao-two-lines', status: 200, headers: [[ACAO, '{origin}'], [ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'acao-mismatch', status: 200, headers: [[ACAO, '{origin}/'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: '404-acao-wildcard', status: 404, headers: [[ACAO, '*'], [ACAM, ALL_METHODS], [ACAH, ALL_HEADERS]] },
  { name: 'acah-wildcard-authorization', status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS], [ACAH, '*, Authorization']] },
];

const PREFLIGHTED_FINAL: HopSpec = GOOD_FINAL;

function preflightCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  for (const answer of PREFLIGHT_ANSWERS) {
    for (const credentials of ['same-origin', 'include'] as const) {
      cases.push({
        id: `pf-${answer.name}-xtoken-${credentials}`,
        about: `X-Token request, preflight ${answer.name}, credentials ${credentials}`,
        method: 'GET', mode: 'cors', credentials, headers: [['x-token', '1']],
        preflight: { status: answer.status, headers: answer.headers }, hops: [PREFLIGHTED_FINAL],
        firefox: answer.firefox === true && credentials === 'same-origin',
      });
    }
  }
  // Authorization under ACAH '*': Chromium 156 vs the spec and Firefox (docs/cors-reference.md#wildcards, reference case D07).
  for (const answer of PREFLIGHT_ANSWERS.filter((candidate) => ['good-204', 'no-acah', 'acah-wildcard', 'acah-wildcard-authorization'].includes(candidate.name))) {
    for (const credentials of ['same-origin', 'include'] as const) {
      cases.push({
        id: `pf-${answer.name}-authorization-${credentials}`,
        about: `Authorization request, preflight ${answer.name}, credentials ${credentials}`,
        method: 'GET', mode: 'cors', credentials, headers: [['authorization', 'Bearer t']],
        preflight: { status: answer.status, headers: answer.headers }, hops: [PREFLIGHTED_FINAL],
        firefox: credentials === 'same-origin',
      });
    }
  }
  // A passing preflight does not excuse the actual response (D20).
  cases.push({
    id: 'pf-good-actual-no-acao', about: 'preflight passes, actual response lacks ACAO',
    method: 'PUT', mode: 'cors', credentials: 'same-origin', headers: [],
    preflight: { status: 204, headers: [[ACAO, '{origin}'], [ACAM, 'PUT']] }, hops: [{ server: 'a', status: 200, headers: [] }],
  });
  // Two unsafe headers, neither allowed: which one Chromium names.
  cases.push({
    id: 'pf-two-headers-none-allowed', about: 'x-b-token and x-a-token, ACAH lists neither',
    method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [['x-b-token', '1'], ['x-a-token', '1']],
    preflight: { status: 200, headers: [[ACAO, '{origin}'], [ACAH, 'x-other']] }, hops: [PREFLIGHTED_FINAL],
  });
  return cases;
}

/** Methods × ACAM forms (case, wildcard, leading comma). */
function methodCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  const allowMethodForms: Array<[string, Header[]]> = [
    ['listed', [[ACAM, ALL_METHODS]]], ['wildcard', [[ACAM, '*']]], ['lower', [[ACAM, 'put, delete, patch, foo']]],
    ['leading-comma', [[ACAM, ', PUT, DELETE, PATCH, FOO']]], ['missing', []], ['upper-patch-only', [[ACAM, 'PATCH']]],
  ];
  for (const method of ['PUT', 'DELETE', 'PATCH', 'patch', 'FOO']) {
    for (const [formName, formHeaders] of allowMethodForms) {
      for (const credentials of ['same-origin', 'include'] as const) {
        cases.push({
          id: `method-${method}-${formName}-${credentials}`,
          about: `${method} with ACAM ${formName}, credentials ${credentials}`,
          method, mode: 'cors', credentials, headers: [],
          preflight: { status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], ...formHeaders] }, hops: [PREFLIGHTED_FINAL],
          firefox: method === 'patch' && formName === 'upper-patch-only' && credentials === 'same-origin',
        });
      }
    }
  }
  return cases;
}

/** Range values around the single-range safelist: a safelisted one needs no preflight, any other does. */
const RANGE_EDGE_CASES: ReadonlyArray<[name: string, value: string]> = [
  ['open', 'bytes=0-'],
  ['closed', 'bytes=0-99'],
  ['zero-zero', 'bytes=0-0'],
  ['open-4096', 'bytes=4096-'],
  ['leading-zeros', 'bytes=007-9'],
  ['int64-max-less-one', 'bytes=9223372036854775806-'],
  ['int64-max', 'bytes=9223372036854775807-'],
  ['int64-max-last', 'bytes=0-9223372036854775807'],
  ['int64-overflow', 'bytes=9223372036854775808-'],
  ['twenty-digits', 'bytes=99999999999999999999-'],
  ['double-equal-reversed', 'bytes=9007199254740993-9007199254740992'],
  ['double-equal-ordered', 'bytes=9007199254740992-9007199254740993'],
  ['suffix', 'bytes=-500'],
  ['multi', 'bytes=0-99,200-299'],
  ['capital-unit', 'Bytes=0-'],
  ['upper-unit', 'BYTES=0-'],
  ['spaces-around-equals', 'bytes = 0-99'],
  ['reversed', 'bytes=200-100'],
  ['space', 'bytes=0- 99'],
  ['empty-range', 'bytes='],
  ['other-unit', 'items=0-9'],
];

const FIREFOX_DIFFERS = new Set(['int64-max', 'int64-max-last']);

/** Request headers that may or may not force a preflight; the preflight answer allows none of them. */
function requestHeaderCases(): DiffCase[] {
  const refusingPreflight = { status: 200, headers: [[ACAO, '{origin}'], [ACAC, 'true'], [ACAM, ALL_METHODS]] as Header[] };
  const variants: Array<{ name: string; method?: string; headers: Header[]; body?: string; firefox?: boolean }> = [
    // The single-range safelist's edge cases (test/engine/cors/range-safelist.test.ts), in both browsers.
    // Not in Firefox: a position of 2^63 − 1, which Firefox safelists (uint64) and Chromium 156 does not;
    // the engine's one safelist follows Chromium (src/engine/cors/safelist.ts).
    ...RANGE_EDGE_CASES.map(([name, value]) => ({ name: `range-${name}`, headers: [['range', value]] as Header[], firefox: !FIREFOX_DIFFERS.has(name) })),
    { name: 'accept-129', headers: [['accept', 'a'.repeat(129)]] },
    { name: 'accept-128', headers: [['accept', 'a'.repeat(128)]] },
    { name: 'accept-unsafe-byte', headers: [['accept', 'text/html(x)']] },
    { name: 'content-language-ok', headers: [['content-language', 'en-US']] },
    { name: 'accept-language-unsafe', headers: [['accept-language', 'en@x']] },
    { name: 'custom-header', headers: [['x-playback-session-id', 'abc']] },
    { name: 'ct-text-plain-charset', method: 'POST', headers: [['content-type', 'text/plain;charset=UTF-8']], body: 'x' },
    { name: 'ct-json', method: 'POST', headers: [['content-type', 'application/json']], body: '{}' },
    { name: 'ct-comma', method: 'POST', headers: [['content-type', 'text/plain,x/x']], body: 'x' },
    { name: 'ct-space', method: 'POST', headers: [['content-type', 'text /plain']], body: 'x' },
    { name: 'ct-multipart', method: 'POST', headers: [['content-type', 'multipart/form-data; boundary=x']], body: 'x' },
    { name: 'ct-form', method: 'POST', headers: [['content-type', 'application/x-www-form-urlencoded']], body: 'x' },
    { name: 'ct-space-before-param', method: 'POST', headers: [['content-type', 'text/plain ;charset=utf-8']], body: 'x' },
    { name: 'head', method: 'HEAD', headers: [] },
    { name: 'post-plain', method: 'POST', headers: [], body: 'x' },
  ];
  return variants.map((variant) => ({
    id: `reqhdr-${variant.name}`,
    about: `request ${variant.method ?? 'GET'} ${JSON.stringify(variant.headers)} against a preflight that allows no headers`,
    method: variant.method ?? 'GET', mode: 'cors', credentials: 'same-origin', headers: variant.headers,
    ...(variant.body === undefined ? {} : { body: variant.body }),
    preflight: refusingPreflight, hops: [{ ...GOOD_FINAL, headers: [[ACAO, '{origin}'], ['content-range', 'bytes 0-1/10']] }],
    firefox: variant.firefox === true,
  }));
}

function redirectCases(): DiffCase[] {
  const cases: DiffCase[] = [];
  const goodHop = (server: ServerName, status: number): HopSpec => ({ server, status, headers: [[ACAO, '{origin}']] });
  for (const status of [301, 302, 303, 307, 308]) {
    const chains: Array<[string, HopSpec[], boolean?]> = [
      ['same-server', [goodHop('a', status), goodHop('a', 200)]],
      ['cross-origin-exact', [goodHop('a', status), goodHop('b', 200)], true],
      ['cross-origin-wildcard', [goodHop('a', status), { server: 'b', status: 200, headers: [[ACAO, '*']] }]],
      ['cross-origin-null', [goodHop('a', status), { server: 'b', status: 200, headers: [[ACAO, 'null']] }]],
      ['hop-without-acao', [{ server: 'a', status, headers: [] }, goodHop('b', 200)]],
      ['from-page-origin', [{ server: 'page', status, headers: [] }, goodHop('a', 200)]],
      ['back-to-page-origin', [goodHop('a', status), { server: 'page', status: 200, headers: [] }], true],
    ];
    for (const [chainName, hops, firefox] of chains) {
      cases.push({
        id: `redirect-${status}-${chainName}`, about: `${status} chain ${chainName}`,
        method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [], hops, firefox: firefox === true && status === 302,
      });
    }
  }
  const more: DiffCase[] = [
    {
      id: 'redirect-userinfo-same-server', about: '302 to a Location with user:pw@ on the same server',
      method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [],
      hops: [{ ...goodHop('a', 302), locationUserInfo: 'user:pw' }, goodHop('a', 200)], firefox: true,
    },
    {
      id: 'redirect-userinfo-from-page', about: 'same-origin 302 to a cross-origin Location with user:pw@',
      method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [],
      hops: [{ server: 'page', status: 302, headers: [], locationUserInfo: 'user:pw' }, goodHop('a', 200)],
    },
    {
      id: 'redirect-userinfo-to-page', about: 'cross-origin 302 to the page origin with user:pw@',
      method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [],
      hops: [{ ...goodHop('a', 302), locationUserInfo: 'user:pw' }, { server: 'page', status: 200, headers: [[ACAO, '*']] }],
    },
    {
      id: 'redirect-cross-null-include', about: 'include: 302 to B, B answers ACAO null + ACAC true',
      method: 'GET', mode: 'cors', credentials: 'include', headers: [],
      hops: [{ server: 'a', status: 302, headers: [[ACAO, '{origin}'], [ACAC, 'true']] }, { server: 'b', status: 200, headers: [[ACAO, 'null'], [ACAC, 'true']] }],
    },
    {
      id: 'redirect-cross-wildcard-include', about: 'include: 302 to B, B answers ACAO *',
      method: 'GET', mode: 'cors', credentials: 'include', headers: [],
      hops: [{ server: 'a', status: 302, headers: [[ACAO, '{origin}'], [ACAC, 'true']] }, { server: 'b', status: 200, headers: [[ACAO, '*'], [ACAC, 'true']] }],
    },
    {
      id: 'redirect-three-hops-taint', about: 'A → B → A, the last answering the page origin (still tainted)',
      method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [],
      hops: [goodHop('a', 302), { server: 'b', status: 302, headers: [[ACAO, '*']] }, goodHop('a', 200)],
    },
    {
      id: 'redirect-preflighted-put-cross', about: 'preflighted PUT → 307 → B (new preflight with Origin null)',
      method: 'PUT', mode: 'cors', credentials: 'same-origin', headers: [],
      preflight: { status: 204, headers: [[ACAO, '{origin}'], [ACAM, 'PUT']] },
      hops: [goodHop('a', 307), { server: 'b', status: 200, headers: [[ACAO, '*']] }],
    },
    {
      id: 'redirect-preflighted-put-cross-exact', about: 'preflighted PUT → 307 → B answering the page origin',
      method: 'PUT', mode: 'cors', credentials: 'same-origin', headers: [],
      preflight: { status: 204, headers: [[ACAO, '{origin}'], [ACAM, 'PUT']] },
      hops: [goodHop('a', 307), goodHop('b', 200)],
    },
    {
      id: 'redirect-post-303-cross', about: 'POST → 303 → B (becomes GET), B answers *',
      method: 'POST', mode: 'cors', credentials: 'same-origin', headers: [], body: 'x',
      hops: [goodHop('a', 303), { server: 'b', status: 200, headers: [[ACAO, '*']] }],
    },
  ];
  return [...cases, ...more];
}

function modeCases(): DiffCase[] {
  return [
    { id: 'mode-no-cors-missing', about: 'no-cors GET, no ACAO', method: 'GET', mode: 'no-cors', credentials: 'include', headers: [], hops: [{ server: 'a', status: 200, headers: [] }] },
    { id: 'mode-no-cors-mismatch', about: 'no-cors GET, ACAO mismatch', method: 'GET', mode: 'no-cors', credentials: 'include', headers: [], hops: [{ server: 'a', status: 200, headers: [[ACAO, 'http://other.example']] }] },
    { id: 'mode-same-origin-cross', about: 'mode same-origin to another origin', method: 'GET', mode: 'same-origin', credentials: 'same-origin', headers: [], hops: [GOOD_FINAL] },
    { id: 'mode-same-origin-page', about: 'mode same-origin to the page origin', method: 'GET', mode: 'same-origin', credentials: 'same-origin', headers: [], hops: [{ server: 'page', status: 200, headers: [] }] },
    { id: 'mode-cors-page', about: 'cors GET to the page origin, no ACAO', method: 'GET', mode: 'cors', credentials: 'same-origin', headers: [], hops: [{ server: 'page', status: 200, headers: [] }] },
    { id: 'mode-cors-page-put', about: 'cors PUT with X-Token to the page origin', method: 'PUT', mode: 'cors', credentials: 'same-origin', headers: [['x-token', '1']], hops: [{ server: 'page', status: 200, headers: [] }] },
  ];
}

export function generateCases(): DiffCase[] {
  const cases = [...accessCases(), ...statusCases(), ...preflightCases(), ...methodCases(), ...requestHeaderCases(), ...redirectCases(), ...modeCases()];
  const seen = new Set<string>();
  for (const diffCase of cases) {
    if (seen.has(diffCase.id)) throw new Error(`duplicate case id ${diffCase.id}`);
    seen.add(diffCase.id);
  }
  return cases;
}
