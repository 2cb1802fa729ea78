import { numberedSteps } from '../cdn/index.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy, inLogOrder } from './lib/groups.ts';
import { EVIDENCE_SAMPLE, cacheEvidence, fact, ids, kindOfGroup, kindWord, listOf, responseHeader } from './lib/describe.ts';

function isErrorWithoutCors(facts: RecordFacts): boolean {
  return facts.failedWithoutAllowOrigin && facts.record.status !== null && facts.record.status >= 400;
}

/** What each status usually means behind a CDN in front of storage (reference cdn.md §2.4, §3.3 (7)). */
function statusAdvice(status: number): string {
  if (status === 404) return '404: the object is not at this URL (check the playlist\'s relative paths and the upload). CloudFront caches a 404 for 10 s by default.';
  if (status === 403)
    return '403: S3 behind CloudFront answers 403 for a missing object when the distribution may not list the bucket (unconfirmed), and for an expired signed URL or cookie. CloudFront caches a 403 only when it carries Cache-Control.';
  if (status >= 500) return `${status}: the origin or the CDN failed; CloudFront caches 5xx for 10 s by default (Error Caching Minimum TTL).`;
  return `${status}: the request itself was refused; fix the request or the object, not CORS.`;
}

const rule: Rule = {
  meta: {
    id: 'error-status-without-cors',
    cause: 'error-without-cors',
    category: 'cors',
    kind: 'cause',
    severity: 'error',
    title: 'An error response without CORS headers hides the real status',
    description:
      'Error pages from S3 and CDNs usually carry no Access-Control-Allow-Origin, so the browser reports a CORS error and the player never sees the 403, 404 or 5xx behind it. CDNs also cache errors for a while, so the same URL works again a little later. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors',
    messages: {
      errorStatus:
        '{{count}} {{kind}} failed with {{statuses}} and no CORS headers{{generated}}: the browser reports a CORS error, but the real problem is the status.{{retryNote}}',
    },
    requires: ['verdict'],
  },
  check(context) {
    const errors = context.facts.filter(isErrorWithoutCors);
    if (errors.length === 0) return;
    // Passing records of the failed URLs, by URL, built in one pass: each group looks up its own URLs
    // instead of scanning the log again.
    const failedUrls = new Set(errors.map((facts) => facts.record.url));
    const passingByUrl = groupBy(
      context.facts.filter((facts) => facts.corsHeadersOk && failedUrls.has(facts.record.url)),
      (facts) => facts.record.url,
    );
    for (const [, group] of groupBy(errors, (facts) => `${facts.host ?? ''} ${facts.record.status ?? ''}`)) {
      const groupUrls = new Set(group.map((facts) => facts.record.url));
      const recovered = inLogOrder([...groupUrls].flatMap((url) => passingByUrl.get(url) ?? []));
      const generated = group.filter((facts) => facts.cdn.cacheStatus === 'ERROR' || facts.cdn.cacheStatus === 'HIT_NEGATIVE');
      const status = group[0]!.record.status!;
      context.report({
        messageId: 'errorStatus',
        data: {
          count: group.length,
          kind: kindWord(kindOfGroup(group), group.length),
          statuses: `HTTP ${status}`,
          generated: generated.length > 0 ? ` (${listOf(generated.map((facts) => facts.cdn.cacheStatusEvidence?.value ?? ''))})` : '',
          retryNote:
            recovered.length > 0
              ? ` ${recovered.length} later request${recovered.length === 1 ? '' : 's'} for the same URL passed: a short-lived (possibly cached) error.`
              : '',
        },
        recordIds: ids(group),
        evidence: [
          ...group.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [
            fact(facts, 'status', facts.record.status),
            responseHeader(facts, 'content-type'),
            responseHeader(facts, 'access-control-allow-origin'),
            ...cacheEvidence(facts),
          ]),
          ...recovered.slice(0, 2).map((facts) => fact(facts, 'verdict', facts.verdict.outcome)),
        ],
        confidence: 'certain',
        fix: numberedSteps([
          `Fix the status first. ${statusAdvice(status)}`,
          'To let the player see errors instead of "CORS error", add the CORS headers at the edge for errors too (on CloudFront a response headers policy; whether it applies to CloudFront-generated errors is unconfirmed).',
        ]),
      });
    }
  },
};

export default rule;
