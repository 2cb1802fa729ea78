import type { CorsVerdict, HeaderList, Report, RequestRecord } from '../engine/model.ts';

/** Header names whose values are secrets (DESIGN §10). */
const SECRET_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** Query parameters of signed URLs (CloudFront, S3 SigV4, token-style CDNs). */
const SECRET_PARAM = /^(signature|policy|key-pair-id|x-amz-.+|.*token.*|hdnts|hdnea|__gda__|sig|auth|secret|password|expires_signature)$/i;

export const REDACTED = '[redacted]';

/** Headers whose value is a URL that may carry signed-URL parameters (a redirect to a signed S3 URL). */
const URL_HEADERS: ReadonlySet<string> = new Set(['location', 'content-location', 'referer']);

function needsRedaction(lowerName: string): boolean {
  return SECRET_HEADERS.has(lowerName) || URL_HEADERS.has(lowerName);
}

export function redactHeaders(headers: HeaderList | null): HeaderList | null {
  if (!headers) return headers;
  // Exports redact every record: share the list when nothing in it can be secret (the usual case).
  if (!headers.some(([name]) => needsRedaction(name.toLowerCase()))) return headers;
  return headers.map(([name, value]) => {
    const lowerName = name.toLowerCase();
    if (SECRET_HEADERS.has(lowerName)) return [name, REDACTED];
    if (URL_HEADERS.has(lowerName)) return [name, redactUrlReference(value)];
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
  // Secrets live in the query or the user-info; most media URLs have neither, so skip the parser.
  if (!url.includes('?') && !url.includes('@')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? 'redacted' : '';
    parsed.password = parsed.password ? 'redacted' : '';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}

/** A copy of the record safe to share: secret headers and signed-URL parameters replaced. */
export function redactRecord(record: RequestRecord): RequestRecord {
  return {
    ...record,
    url: redactUrl(record.url),
    documentUrl: record.documentUrl === null ? null : redactUrl(record.documentUrl),
    requestHeaders: redactHeaders(record.requestHeaders),
    responseHeaders: redactHeaders(record.responseHeaders),
    redirects: record.redirects.map((hop) => ({
      ...hop,
      url: redactUrl(hop.url),
      redirectUrl: redactUrl(hop.redirectUrl),
      headers: redactHeaders(hop.headers) ?? [],
    })),
  };
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
    const trailing = /[.,;:)\]]+$/.exec(match)?.[0] ?? '';
    const url = trailing ? match.slice(0, -trailing.length) : match;
    return redactUrl(url) + trailing;
  });
}

function redactVerdict(verdict: CorsVerdict): CorsVerdict {
  const copy: CorsVerdict = { ...verdict, explanation: redactText(verdict.explanation) };
  if (verdict.failedParameter !== undefined) copy.failedParameter = redactText(verdict.failedParameter);
  if (verdict.browserDifference !== undefined) copy.browserDifference = redactText(verdict.browserDifference);
  return copy;
}

/** A copy of the report safe to share: URLs in texts redacted, secret header evidence replaced. */
export function redactReport(report: Report): Report {
  return {
    ...report,
    verdicts: report.verdicts.map((entry) => ({ recordId: entry.recordId, verdict: redactVerdict(entry.verdict) })),
    findings: report.findings.map((finding) => ({
      ...finding,
      message: redactText(finding.message),
      fix: redactText(finding.fix),
      evidence: finding.evidence.map((item) => ({
        ...item,
        value: item.value === null ? null : SECRET_HEADERS.has(item.name.toLowerCase()) ? REDACTED : redactText(item.value),
      })),
    })),
  };
}
