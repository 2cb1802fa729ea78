import type { CorsExchange, CorsVerdict, HeaderList, MessageRef } from '../model.ts';
import type { Engine, RequestOrigin } from './access.ts';
import type { AccessFields } from './access.ts';
import { DEPENDS_ON_ORIGIN, accessFieldsOf, checkAccess, readField } from './access.ts';
import { explainError } from './explain.ts';
import type { UrlFacts } from './origin.ts';
import { isHttpScheme, normalisePageOrigin, urlFacts } from './origin.ts';
import { checkPreflight } from './preflight.ts';
import { localNetworkBlockedVerdict } from './blocked-before-sending.ts';
import { corsUnsafeHeaderNames, requestNeedsPreflight } from './safelist.ts';

/**
 * The browser's CORS decision for one exchange, walking it the way Chromium's CorsURLLoader does:
 * mode and scheme → preflight (when needed) → CORS check on every redirect hop (then credentials in
 * Location, then redirect-taint) → CORS check on the final response. Firefox is judged by the same
 * walk with its own orders and rules, and the verdict says where the two differ.
 */

type Stage = 'preflight' | 'redirect' | 'response';

interface Judgement {
  kind: 'pass' | 'fail' | 'not-applicable' | 'unknown';
  chromiumError?: string;
  firefoxError?: string;
  failedParameter?: string;
  stage?: Stage;
  /**
   * The sentence, or for a failed CORS check what to word it from: most judgements only infer the
   * credentials mode and are never shown, so their sentence is built only when read (sentenceOf).
   */
  explanation: string | FailureWording;
  /** The same sentence as a message id (and values) for other languages, where one exists. */
  explanationText?: MessageRef;
}

/** What explainError words a failure from; `where` follows from the stage and the answer's status. */
interface FailureWording {
  error: string;
  detail: string;
  origin: string | null;
  stage: Stage;
  status: number;
}

/** The judgement's sentence, worded when asked (a judgement is never changed once made). */
function sentenceOf(judgement: Judgement): string {
  const explanation = judgement.explanation;
  if (typeof explanation === 'string') return explanation;
  return explainError(explanation.error, { detail: explanation.detail, origin: explanation.origin, where: whereText(explanation.stage, explanation.status) });
}

/**
 * Judgements that are the same for every exchange: constants of this module, frozen, read by
 * toVerdict, which gives every verdict fields of its own.
 */
const SAME_ORIGIN: Judgement = Object.freeze({ kind: 'not-applicable', explanation: 'Same-origin request: CORS does not apply.', explanationText: Object.freeze({ id: 'verdict.case.sameOrigin' }) });
const PASS: Judgement = Object.freeze({ kind: 'pass', explanation: 'Every response allows the page origin under the request\'s credentials mode.', explanationText: Object.freeze({ id: 'verdict.case.pass' }) });
const PREFLIGHT_PASSED: Judgement = Object.freeze({
  kind: 'pass',
  explanation: 'The preflight (OPTIONS) response allows the request it asks about; the browser may send it.',
  explanationText: Object.freeze({ id: 'verdict.case.preflightPassed' }),
});
const PREFLIGHT_UNANSWERED: Judgement = Object.freeze({
  kind: 'unknown',
  explanation: 'No answer to this preflight (OPTIONS) request was seen, so it cannot be judged.',
  explanationText: Object.freeze({ id: 'verdict.case.preflightUnanswered' }),
});
const PASS_TAINTED: Judgement = Object.freeze({
  kind: 'pass',
  explanation: 'A cross-origin redirect turned the request origin into "null", and every response still allowed it.',
  explanationText: Object.freeze({ id: 'verdict.case.passTainted' }),
});

/**
 * What both browsers and both credential assumptions share, computed once per exchange, and each
 * browser's judgement under each assumption once asked (a captured record is judged up to six
 * times: twice to infer its credentials mode from how Chromium ended it, then per browser).
 * Nothing prepared depends on `exchange.request.credentials`, so a caller may settle that after
 * preparing (see exchange.ts verdictOfRecord).
 */
export interface PreparedExchange {
  readonly exchange: CorsExchange;
  readonly origin: RequestOrigin;
  readonly unsafeHeaderNames: readonly string[];
  readonly needsPreflight: boolean;
  readonly initialUrl: UrlFacts | null;
  /** ACAO/ACAC of the final response, read once for every judgement. */
  readonly responseAccess: AccessFields | null;
  /** Judgements by engine and credentials: [chromium omit, chromium include, firefox omit, firefox include]. */
  readonly judgements: Array<Judgement | undefined>;
  /**
   * The exchange is a preflight judged on its own (an OPTIONS record: its real request is another
   * record, or never followed): the verdict ends with the preflight check.
   */
  readonly preflightOnly: boolean;
}
type Prepared = PreparedExchange;

/** A redirect chain longer than this is a network error (Fetch HTTP-redirect fetch, step 6). */
const MAX_REDIRECTS = 20;

/** Appended to sentences about failures that are network errors, so no CORS error name exists. */
const NETWORK_ERROR_NOTE = '(a network error, not a CORS error, so DevTools names no CORS error)';

function fail(stage: Stage | undefined, chromiumError: string | undefined, firefoxError: string | undefined, failedParameter: string | undefined, explanation: string | FailureWording): Judgement {
  const judgement: Judgement = { kind: 'fail', explanation };
  if (stage !== undefined) judgement.stage = stage;
  if (chromiumError !== undefined) judgement.chromiumError = chromiumError;
  if (firefoxError !== undefined) judgement.firefoxError = firefoxError;
  if (failedParameter !== undefined) judgement.failedParameter = failedParameter;
  return judgement;
}

function whereText(stage: Stage, status: number): string {
  if (stage === 'preflight') return 'the preflight (OPTIONS) response';
  if (stage === 'redirect') return `the redirect (${status}) response`;
  return 'the response';
}

function isRevalidation(headers: HeaderList): boolean {
  return readField(headers, 'if-none-match').combined !== null || readField(headers, 'if-modified-since').combined !== null;
}

/** One browser's walk of the exchange under one credentials assumption (judged once per prepared exchange). */
function judge(prepared: Prepared, engine: Engine, include: boolean): Judgement {
  const slot = (engine === 'chromium' ? 0 : 2) + (include ? 1 : 0);
  return (prepared.judgements[slot] ??= walk(prepared, engine, include));
}

function walk(prepared: Prepared, engine: Engine, include: boolean): Judgement {
  const { exchange, origin } = prepared;
  const { request } = exchange;
  const redirects = exchange.redirects ?? [];
  let current = prepared.initialUrl;
  if (current === null) return { kind: 'unknown', explanation: `The request URL "${request.url}" could not be parsed.` };
  let corsFlag = false;
  let tainted = false;
  let preflightJudged = false;

  for (let hopIndex = 0; hopIndex <= redirects.length; hopIndex++) {
    const hop = hopIndex < redirects.length ? redirects[hopIndex] : undefined;
    const answer = hop ?? exchange.response;
    const stage: Stage = hop ? 'redirect' : 'response';
    // Once response tainting is "cors" it stays so, even back on the page's own origin (docs/cors-reference.md#redirects, reference case E06).
    if (!corsFlag) corsFlag = origin === null || current.origin !== origin;
    const requestOrigin = tainted ? 'null' : origin;

    if (corsFlag && !preflightJudged) {
      preflightJudged = true;
      if (request.mode === 'same-origin') {
        return fail(undefined, 'DisallowedByMode', undefined, '', explainError('DisallowedByMode', { detail: '', origin, where: '' }));
      }
      if (!isHttpScheme(current.scheme)) {
        return fail(undefined, 'CorsDisabledScheme', 'CORSRequestNotHttp', '', explainError('CorsDisabledScheme', { detail: current.scheme, origin, where: '' }));
      }
      if (prepared.needsPreflight) {
        const preflight = exchange.preflight;
        if (preflight) {
          const result = checkPreflight(engine, preflight, { method: request.method, unsafeHeaderNames: prepared.unsafeHeaderNames, include, origin: requestOrigin });
          if (result === DEPENDS_ON_ORIGIN) {
            return { kind: 'unknown', explanation: 'Whether the preflight response allows this page depends on the page origin, which is not known.', explanationText: { id: 'verdict.case.preflightPageOriginUnknown' } };
          }
          if (result !== null) {
            const wording: FailureWording = { error: result.chromiumError, detail: result.detail, origin: requestOrigin, stage: 'preflight', status: preflight.status };
            return fail('preflight', result.chromiumError, result.firefoxError, result.failedParameter, wording);
          }
          if (prepared.preflightOnly) return PREFLIGHT_PASSED;
        } else if (prepared.preflightOnly) {
          return PREFLIGHT_UNANSWERED;
        } else if (answer === null) {
          return { kind: 'unknown', explanation: 'The request needs a preflight, but neither the preflight nor a response was seen.', explanationText: { id: 'verdict.case.preflightNotSeen' } };
        }
        // No preflight seen but the request went out: a cached preflight result allowed it.
      }
    }

    if (answer === null) {
      if (!corsFlag) return SAME_ORIGIN;
      return { kind: 'unknown', explanation: 'No response was seen, so the CORS check cannot be judged.', explanationText: { id: 'verdict.case.noResponse' } };
    }

    if (corsFlag) {
      if (!hop && answer.status === 304 && isRevalidation(request.headers)) {
        return { kind: 'unknown', explanation: 'A 304 answering a revalidation is not CORS-checked itself; the cached copy it revalidates was not seen.', explanationText: { id: 'verdict.case.revalidation' } };
      }
      const access = checkAccess(engine, (hop ? null : prepared.responseAccess) ?? accessFieldsOf(answer.headers), include, requestOrigin);
      if (access === DEPENDS_ON_ORIGIN) {
        return { kind: 'unknown', explanation: 'Whether Access-Control-Allow-Origin matches depends on the page origin, which is not known.', explanationText: { id: 'verdict.case.pageOriginUnknown' } };
      }
      if (access !== null) {
        const chromiumError = access.problem;
        const wording: FailureWording = { error: chromiumError, detail: access.failedParameter, origin: requestOrigin, stage, status: answer.status };
        return fail(stage, chromiumError, access.firefoxKey, access.failedParameter, wording);
      }
    }

    if (hop) {
      const next = nextUrl(hop.headers, current);
      if (typeof next === 'string') return fail('redirect', undefined, 'CORSDidNotSucceed2', undefined, next);
      if (hopIndex + 1 > MAX_REDIRECTS) {
        return fail('redirect', undefined, 'CORSDidNotSucceed2', undefined, `The request was redirected more than ${MAX_REDIRECTS} times ${NETWORK_ERROR_NOTE}.`);
      }
      // Chromium CheckRedirectLocation: user info in Location fails a CORS request unless it stays
      // on the (untainted) request origin, and always fails once the CORS flag is set.
      if (next.hasCredentials && (corsFlag || tainted || origin === null || next.origin !== origin) && request.mode !== 'same-origin') {
        const explanation = explainError('RedirectContainsCredentials', { detail: next.href, origin, where: '' });
        return fail('redirect', 'RedirectContainsCredentials', undefined, '', explanation);
      }
      if (next.origin !== current.origin && origin !== current.origin) tainted = true;
      current = next;
    }
  }

  if (!corsFlag) return SAME_ORIGIN;
  const finalStatus = exchange.response?.status ?? 0;
  if (finalStatus >= 400) {
    return {
      kind: 'pass',
      explanation: `CORS allows the response, but it is an HTTP ${finalStatus} error: fix the status, not the CORS headers.`,
      explanationText: { id: 'verdict.case.passErrorStatus', data: { status: finalStatus } },
    };
  }
  return tainted ? PASS_TAINTED : PASS;
}

/** Where a redirect hop leads, or a sentence saying why it leads nowhere a browser would follow. */
function nextUrl(headers: HeaderList, current: UrlFacts): UrlFacts | string {
  const location = readField(headers, 'location').combined;
  if (location === null) return `A redirect response has no Location header, so the browser cannot follow it ${NETWORK_ERROR_NOTE}.`;
  const next = urlFacts(location, current.href);
  if (next === null) return `The redirect Location "${location}" is not a valid URL ${NETWORK_ERROR_NOTE}.`;
  if (!isHttpScheme(next.scheme)) return `The redirect goes to a ${next.scheme}: URL, which fetch never follows ${NETWORK_ERROR_NOTE}.`;
  return next;
}

function sameDecision(a: Judgement, b: Judgement): boolean {
  return a.kind === b.kind && a.chromiumError === b.chromiumError && a.failedParameter === b.failedParameter && a.firefoxError === b.firefoxError;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Judges under the exchange's credentials mode. When it is unknown, under both: the outcome is
 * 'unknown' only if the two outcomes differ. If both fail for different reasons, the verdict names
 * the failure without credentials (what hls.js and `crossorigin="anonymous"` send) and says the other.
 */
function judgeForCredentials(prepared: Prepared, engine: Engine): Judgement {
  const credentials = prepared.exchange.request.credentials;
  if (credentials !== 'unknown') return judge(prepared, engine, credentials === 'include');
  const withoutCredentials = judge(prepared, engine, false);
  const withCredentials = judge(prepared, engine, true);
  if (sameDecision(withoutCredentials, withCredentials)) return withoutCredentials;
  const describe = (judgement: Judgement): string =>
    judgement.kind === 'fail' ? `fail (${judgement.chromiumError ?? 'network error'})` : judgement.kind;
  if (withoutCredentials.kind === 'fail' && withCredentials.kind === 'fail') {
    const combined: Judgement = {
      ...withoutCredentials,
      explanation: `${sentenceOf(withoutCredentials).slice(0, -1)}; had the request carried credentials it would ${describe(withCredentials)} instead.`,
    };
    // The sentence now says more than the message id would.
    delete combined.explanationText;
    return combined;
  }
  return {
    kind: 'unknown',
    explanation: `The outcome depends on whether the request carried credentials, which was not visible: without them it would ${describe(withoutCredentials)}, with them it would ${describe(withCredentials)}.`,
  };
}

/** Turns failures the unknowns could explain away into 'unknown' (never turn the unseen into 'fail'). */
function qualify(judgement: Judgement, prepared: Prepared): Judgement {
  if (judgement.kind !== 'fail') return judgement;
  const { exchange, origin } = prepared;
  const wouldBe = judgement.chromiumError ?? 'a network error';
  if (exchange.request.mode === 'unknown') {
    return { kind: 'unknown', explanation: `If this was a CORS request it would fail (${wouldBe}), but the headers that tell CORS from no-cors were not visible.` };
  }
  if (origin === null) {
    return { kind: 'unknown', explanation: `If this request was cross-origin it would fail (${wouldBe}), but the page origin is not known.` };
  }
  return judgement;
}

/**
 * Prepares an exchange for judging. A caller that already read the request headers and the final
 * response's ACAO/ACAC (sent-headers.ts, exchange.ts verdictOfRecord) passes them, so the lists are
 * not read again; they must be what corsUnsafeHeaderNames and accessFieldsOf give for this exchange.
 */
export function prepareExchange(exchange: CorsExchange, knownUnsafeHeaderNames?: readonly string[], knownResponseAccess?: AccessFields, preflightOnly = false): PreparedExchange {
  const unsafeHeaderNames = knownUnsafeHeaderNames ?? corsUnsafeHeaderNames(exchange.request.headers);
  return {
    exchange,
    origin: normalisePageOrigin(exchange.pageOrigin),
    unsafeHeaderNames,
    // An OPTIONS that was seen proves the browser decided to preflight (e.g. an upload listener).
    needsPreflight: preflightOnly || requestNeedsPreflight(exchange.request.method, unsafeHeaderNames) || Boolean(exchange.preflight),
    initialUrl: urlFacts(exchange.request.url),
    responseAccess: exchange.response === null ? null : (knownResponseAccess ?? accessFieldsOf(exchange.response.headers)),
    judgements: [undefined, undefined, undefined, undefined],
    preflightOnly,
  };
}

/** A no-cors response the browser withheld from the page for a resource policy (CORP, under the page's COEP). */
const BLOCKED_BY_RESPONSE_POLICY =
  'Not a CORS request, but the browser withheld its response from the page after it arrived: a cross-origin response fetched without CORS may be used only when its Cross-Origin-Resource-Policy allows it (the page\'s Cross-Origin-Embedder-Policy requires one, or the response\'s own policy is narrower). The player got nothing; no CORS header is missing.';

function notApplicable(needsPreflight: boolean, mode: string, ending?: CorsExchange['ending']): CorsVerdict {
  if (mode === 'no-cors' && ending === 'blocked-by-response-policy') {
    return { outcome: 'not-applicable', needsPreflight, explanation: BLOCKED_BY_RESPONSE_POLICY, explanationText: { id: 'verdict.case.noCorsBlockedByResponse' } };
  }
  return {
    outcome: 'not-applicable',
    needsPreflight,
    explanation:
      mode === 'navigate'
        ? 'A navigation is not a CORS request, so no CORS headers are needed.'
        : 'A no-cors request (e.g. <video> without crossorigin) gets no CORS check: a missing Access-Control-Allow-Origin is expected here.',
    explanationText: { id: mode === 'navigate' ? 'verdict.case.navigate' : 'verdict.case.noCors' },
  };
}

/** A copy of a verdict's message: its values are numbers and strings, so one level is all there is. */
function copyOfRef(text: MessageRef): MessageRef {
  return text.data === undefined ? { id: text.id } : { id: text.id, data: { ...text.data } };
}

/**
 * A request the page ended before any CORS check rejected it (a fresh verdict per call): with headers
 * that would have failed the check, or before any response (or with too little seen to judge it).
 */
function cancelledBeforeCheck(needsPreflight: boolean, headersWouldFail: boolean): CorsVerdict {
  return headersWouldFail
    ? {
        outcome: 'not-applicable',
        cancelled: true,
        needsPreflight,
        explanation: 'Cancelled — the page ended this request before the browser checked its CORS headers, so the browser rejected nothing; the headers seen would not have passed.',
        explanationText: { id: 'verdict.case.cancelledBeforeCheck' },
      }
    : {
        outcome: 'not-applicable',
        cancelled: true,
        needsPreflight,
        explanation: 'Cancelled — the page ended this request before its response reached it, so no CORS check ran and the browser rejected nothing.',
        explanationText: { id: 'verdict.case.cancelledBeforeResponse' },
      };
}

function toVerdict(judgement: Judgement, needsPreflight: boolean): CorsVerdict {
  const verdict: CorsVerdict = { outcome: judgement.kind, needsPreflight, explanation: sentenceOf(judgement) };
  if (judgement.explanationText !== undefined) verdict.explanationText = copyOfRef(judgement.explanationText);
  if (judgement.kind === 'fail') {
    if (judgement.chromiumError !== undefined) verdict.chromiumError = judgement.chromiumError;
    if (judgement.firefoxError !== undefined) verdict.firefoxError = judgement.firefoxError;
    if (judgement.failedParameter !== undefined) verdict.failedParameter = judgement.failedParameter;
    if (judgement.stage !== undefined) verdict.stage = judgement.stage;
  }
  return verdict;
}

function isNotCorsMode(mode: string): boolean {
  return mode === 'no-cors' || mode === 'navigate';
}

/**
 * Chromium's outcome under credentials mode 'same-origin' and under 'include', as
 * `evaluateCorsIn({ ...exchange, request: { ...exchange.request, credentials } }, 'chromium').outcome`
 * gives them, with the exchange prepared once (nothing prepared depends on the credentials mode).
 */
export function chromiumOutcomesByCredentials(prepared: PreparedExchange): { withoutCredentials: CorsVerdict['outcome']; withCredentials: CorsVerdict['outcome'] } {
  if (isNotCorsMode(prepared.exchange.request.mode)) return { withoutCredentials: 'not-applicable', withCredentials: 'not-applicable' };
  return {
    withoutCredentials: qualify(judge(prepared, 'chromium', false), prepared).kind,
    withCredentials: qualify(judge(prepared, 'chromium', true), prepared).kind,
  };
}

/**
 * One browser's verdict: Chromium's (with its CorsError names) or Firefox's (with its console
 * keys; chromiumError then names the Chromium check Firefox's failure corresponds to).
 */
export function evaluateCorsIn(exchange: CorsExchange, engine: Engine): CorsVerdict {
  const mode = exchange.request.mode;
  if (isNotCorsMode(mode)) return notApplicable(false, mode, exchange.ending);
  const prepared = prepareExchange(exchange);
  if (engine === 'chromium' && exchange.ending === 'local-network-blocked') return localNetworkBlockedVerdict(exchange, prepared.needsPreflight, exchange.fromTopFrame === true);
  return toVerdict(qualify(judgeForCredentials(prepared, engine), prepared), prepared.needsPreflight);
}

/**
 * The browser's CORS decision for one exchange: Chromium's verdict and error name, Firefox's console
 * key, and `browserDifference` where Firefox decides otherwise. Pure.
 */
export function evaluateCors(exchange: CorsExchange): CorsVerdict {
  const mode = exchange.request.mode;
  if (isNotCorsMode(mode)) return notApplicable(false, mode, exchange.ending);
  return evaluatePrepared(prepareExchange(exchange));
}

/** evaluateCors of an exchange already prepared (with the judgements it already made reused). */
export function evaluatePrepared(prepared: PreparedExchange): CorsVerdict {
  const mode = prepared.exchange.request.mode;
  if (isNotCorsMode(mode)) return notApplicable(false, mode, prepared.exchange.ending);
  // Stopped before it was sent: no headers to judge, and Chromium's report is the verdict (Firefox's judgement of nothing adds nothing).
  if (prepared.exchange.ending === 'local-network-blocked') return localNetworkBlockedVerdict(prepared.exchange, prepared.needsPreflight, prepared.exchange.fromTopFrame === true);
  const chromium = qualify(judgeForCredentials(prepared, 'chromium'), prepared);
  const firefox = qualify(judgeForCredentials(prepared, 'firefox'), prepared);
  // Headers that would fail (or none), on a request the page cancelled before the check: not rejected.
  if (prepared.exchange.ending === 'cancelled' && (chromium.kind === 'fail' || chromium.kind === 'unknown')) return cancelledBeforeCheck(prepared.needsPreflight, chromium.kind === 'fail');
  const verdict = toVerdict(chromium, prepared.needsPreflight);
  if (firefox.kind === 'fail') {
    if (firefox.firefoxError !== undefined) verdict.firefoxError = firefox.firefoxError;
    else delete verdict.firefoxError;
  }
  if (firefox.kind !== chromium.kind) {
    verdict.browserDifference = `Firefox: ${firefox.kind}${firefox.kind === 'fail' && firefox.firefoxError ? ` (${firefox.firefoxError})` : ''}, because ${lowerFirst(sentenceOf(firefox))}`;
  }
  return verdict;
}
