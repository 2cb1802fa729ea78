import type { CorsVerdict, HeaderList, RedirectHop, Report, RequestRecord, StreamSummary } from '../engine/model.ts';
import { Memo } from '../engine/memo.ts';
import { isSecretHeader, isSecretParam, urlWithSecretPlaces } from './secrets.ts';

/** Whether a header name (as on the wire) holds a secret; a log repeats a few dozen names (the engine's one memo policy). */
const SECRET_HEADER_NAMES = new Memo<boolean>(isSecretHeader);

export const REDACTED = '[redacted]';

/** Headers whose value is a URL that may carry signed-URL parameters (a redirect to a signed S3 URL). */
const URL_HEADERS: ReadonlySet<string> = new Set(['location', 'content-location', 'referer']);


/** A URL-valued header can hold secrets only in a query or user-info. */
const mayHoldSecret = (value: string): boolean => value.includes('?') || value.includes('@');

/**
 * Whether a list holds a header to redact: a secret header, or a URL header (every request's Referer)
 * whose value has a query or user-info. Most lists hold none and are shared, not copied.
 */
function holdsSecrets(headers: HeaderList): boolean {
  for (let index = 0; index < headers.length; index++) {
    const [name, value] = headers[index]!;
    if (SECRET_HEADER_NAMES.get(name) || (URL_HEADERS.has(name.toLowerCase()) && mayHoldSecret(value))) return true;
  }
  return false;
}

export function redactHeaders(headers: HeaderList | null): HeaderList | null {
  if (!headers) return headers;
  // Exports redact every record: share the list when nothing in it can be secret (the usual case).
  if (!holdsSecrets(headers)) return headers;
  return headers.map(([name, value]) => {
    if (SECRET_HEADER_NAMES.get(name)) return [name, REDACTED];
    if (URL_HEADERS.has(name.toLowerCase())) return [name, redactUrlReference(value)];
    return [name, value];
  });
}

/** Like redactUrl, for a possibly relative reference such as a `Location: /a.ts?Signature=…`. */
function redactUrlReference(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return redactUrl(value);
  let resolved: string;
  try {
    resolved = new URL(value, 'https://relative.invalid').href;
  } catch {
    return value;
  }
  const redacted = redactUrl(resolved);
  if (redacted === resolved) return value;
  // Keep it relative, as it was sent.
  const parsed = new URL(redacted);
  return value.startsWith('//') ? redacted.slice('https:'.length) : `${parsed.pathname}${parsed.search}${parsed.hash}`;
}

/** Replaces the values of signed-URL parameters and any user:password in the URL. */
export function redactUrl(url: string): string {
  const parsed = urlWithSecretPlaces(url);
  if (parsed === null) return url;
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? 'redacted' : '';
    parsed.password = parsed.password ? 'redacted' : '';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretParam(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

function redactHop(hop: RedirectHop): RedirectHop {
  const url = redactUrl(hop.url);
  const redirectUrl = redactUrl(hop.redirectUrl);
  const headers = redactHeaders(hop.headers) ?? [];
  return url === hop.url && redirectUrl === hop.redirectUrl && headers === hop.headers ? hop : { ...hop, url, redirectUrl, headers };
}

/**
 * The record safe to share: secret headers and signed-URL parameters replaced. A record with nothing
 * to redact (most of them) is returned as it is, so a 50k export copies only what it changes.
 */
export function redactRecord(record: RequestRecord): RequestRecord {
  const url = redactUrl(record.url);
  const documentUrl = record.documentUrl === null ? null : redactUrl(record.documentUrl);
  const requestHeaders = redactHeaders(record.requestHeaders);
  const responseHeaders = redactHeaders(record.responseHeaders);
  let redirects = record.redirects;
  for (let index = 0; index < redirects.length; index++) {
    const hop = redactHop(redirects[index]!);
    if (hop === redirects[index]) continue;
    if (redirects === record.redirects) redirects = [...redirects];
    redirects[index] = hop;
  }
  const unchanged =
    url === record.url &&
    documentUrl === record.documentUrl &&
    requestHeaders === record.requestHeaders &&
    responseHeaders === record.responseHeaders &&
    redirects === record.redirects;
  return unchanged ? record : { ...record, url, documentUrl, requestHeaders, responseHeaders, redirects };
}

/** http(s) URLs inside free text (messages, fixes, curl lines), up to a quote, space or bracket. */
const URL_IN_TEXT = /https?:\/\/[^\s'"<>`]+/gi;

/**
 * Redacts signed-URL parameters of every URL inside free text: report messages and fixes quote
 * affected URLs and curl lines verbatim. Sentence punctuation after a URL is kept out of it.
 */
export function redactText(text: string): string {
  if (!text.includes('://')) return text;
  return text.replace(URL_IN_TEXT, (match) => {
    // Scanned by hand: `/[.,;:)\]]+$/` retries from every character of a long run (quadratic).
    let end = match.length;
    while (end > 0 && TRAILING_PUNCTUATION.has(match.charCodeAt(end - 1))) end--;
    return redactUrl(match.slice(0, end)) + match.slice(end);
  });
}

/** What a Copy button puts on the clipboard: the text through the redactor unless the user ticked *keep secrets*. */
export function clipboardText(text: string, keepSecrets: boolean): string {
  return keepSecrets ? text : redactText(text);
}

/** Sentence punctuation that ends a URL quoted in text rather than belonging to it: . , ; : ) ] */
const TRAILING_PUNCTUATION: ReadonlySet<number> = new Set([...'.,;:)]'].map((character) => character.charCodeAt(0)));

/** Deeper than any message the engine builds; an imported file nested further is cut, not walked. */
const MAX_DEPTH = 32;

/**
 * Every string inside a value (message data, fix steps and their data, message references, stream
 * summaries) through redactText; arrays and objects are copied only where something changed. The
 * report's texts are redacted as a whole, so a field added later cannot escape by not being listed.
 */
export function redactStrings<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const redacted = redactStrings(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const redacted = redactStrings(item, depth + 1);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return (copy ?? value) as T;
}

function redactVerdict(verdict: CorsVerdict): CorsVerdict {
  const explanation = redactText(verdict.explanation);
  const failedParameter = verdict.failedParameter === undefined ? undefined : redactText(verdict.failedParameter);
  const browserDifference = verdict.browserDifference === undefined ? undefined : redactText(verdict.browserDifference);
  const explanationText = verdict.explanationText === undefined ? undefined : redactStrings(verdict.explanationText);
  // Most verdicts quote no URL: share them instead of copying 50k objects.
  if (
    explanation === verdict.explanation &&
    failedParameter === verdict.failedParameter &&
    browserDifference === verdict.browserDifference &&
    explanationText === verdict.explanationText
  )
    return verdict;
  const copy: CorsVerdict = { ...verdict, explanation };
  if (failedParameter !== undefined) copy.failedParameter = failedParameter;
  if (browserDifference !== undefined) copy.browserDifference = browserDifference;
  if (explanationText !== undefined) copy.explanationText = explanationText;
  return copy;
}

/** A stream key is 'host/path/' (no scheme): a URL's user-info would sit in its host part. */
function redactStreamKey(key: string): string {
  const slash = key.indexOf('/');
  const at = key.lastIndexOf('@', slash === -1 ? key.length : slash);
  return at === -1 ? key : key.slice(at + 1);
}

/** A stream summary without user-info in its key or host, and its texts redacted. */
export function redactStream<T extends Pick<StreamSummary, 'key' | 'host'>>(stream: T): T {
  const key = redactStreamKey(stream.key);
  const host = redactStreamKey(stream.host);
  const redacted = redactStrings(stream);
  return key === stream.key && host === stream.host ? redacted : { ...redacted, key: redactText(key), host: redactText(host) };
}

/**
 * A copy of the report safe to share: every text of every finding (message, fix, message data, fix
 * steps and their data), the verdicts' texts, the stream summaries (keys may hold user-info) and rule
 * errors have their URLs redacted; evidence of a secret header is replaced.
 */
export function redactReport(report: Report): Report {
  return {
    ...report,
    verdicts: report.verdicts.map((entry) => ({ recordId: entry.recordId, verdict: redactVerdict(entry.verdict) })),
    findings: report.findings.map((finding) => ({
      ...redactStrings({ ...finding, evidence: [] }),
      evidence: finding.evidence.map((item) => ({
        ...redactStrings(item),
        value: item.value === null ? null : SECRET_HEADER_NAMES.get(item.name) ? REDACTED : redactText(item.value),
      })),
    })),
    streams: report.streams.map(redactStream),
    // What a rule threw may quote a URL it was reading.
    ...(report.ruleErrors ? { ruleErrors: redactStrings(report.ruleErrors) } : {}),
    // The conclusion and the plan quote the findings' steps (curl lines, invalidation paths) whole.
    ...(report.conclusion ? { conclusion: redactStrings(report.conclusion) } : {}),
    ...(report.plan ? { plan: redactStrings(report.plan) } : {}),
  };
}
