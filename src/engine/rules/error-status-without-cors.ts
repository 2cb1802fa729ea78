import type { MessageRef } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy, inLogOrder } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, listOf, responseHeader, vendorIdOf } from './lib/describe.ts';
import { edgeCorsOnErrorsRef, errorCachingRef } from '../cdn/vendor-fixes.ts';

function isErrorWithoutCors(facts: RecordFacts): boolean {
  return facts.failedWithoutAllowOrigin && facts.record.status !== null && facts.record.status >= 400;
}

/**
 * What each status usually means behind a cache in front of storage, and how long the identified
 * cache keeps it, in that vendor's terms (docs/cdn-behaviour.md#error-caching, #fix-vocabulary).
 */
function statusAdvice(status: number, vendorId: string | null): MessageRef {
  const caching = errorCachingRef(vendorId, status);
  if (status === 404) return texts.text('status.404', { caching });
  if (status === 403) return texts.text('status.403', { caching });
  if (status >= 500) return texts.text('status.5xx', { status, caching });
  return texts.text('status.other', { status });
}

const rule: Rule = {
  meta: {
    id: 'error-status-without-cors',
    cause: 'error-without-cors',
    category: 'cors',
    lookedFor: 'allowOrigin',
    kind: 'cause',
    severity: 'error',
    title: 'An error response without CORS headers hides the real status',
    description:
      'Error pages from S3 and CDNs usually carry no Access-Control-Allow-Origin, so the browser reports a CORS error and the player never sees the 403, 404 or 5xx behind it. CDNs also cache errors for a while, so the same URL works again a little later. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors',
    messages: {
      errorStatus:
        '{{count}} {{kind}} from {{host}} failed with {{statuses}} and no CORS headers{{generated}}: the browser reports a CORS error, but the real problem is the status.{{retryNote}}',
    },
    texts: {
      'status.404': "404: the object is not at this URL (check the playlist's relative paths and the upload). {{caching}}",
      'status.403':
        '403: S3 answers 403 for a missing object when the caller may not list the bucket (unconfirmed behind CloudFront), and for an expired signed URL or cookie. {{caching}}',
      'status.5xx': '{{status}}: the origin or the cache in front failed. {{caching}}',
      'status.other': '{{status}}: the request itself was refused; fix the request or the object, not CORS.',
      generated: ' ({{statuses}})',
      'retry.one': ' {{count}} later request for the same URL passed: a short-lived (possibly cached) error.',
      'retry.many': ' {{count}} later requests for the same URL passed: a short-lived (possibly cached) error.',
      'fix.status': 'Fix the status first. {{advice}}',
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
      const first = group[0]!;
      const status = first.record.status!;
      const host = first.host || first.record.url;
      texts.reportGroup(context, group, {
        messageId: 'errorStatus',
        // A finding per host and status: its card is told from the others by both (src/engine/scope.ts).
        scope: `${host} HTTP ${status}`,
        data: {
          host,
          statuses: `HTTP ${status}`,
          generated: generated.length > 0 ? texts.text('generated', { statuses: listOf(generated.map((facts) => facts.cdn.cacheStatusEvidence?.value ?? '')) }) : '',
          retryNote: recovered.length > 0 ? texts.text(recovered.length === 1 ? 'retry.one' : 'retry.many', { count: recovered.length }) : '',
        },
        evidence: (facts) => [fact(facts, 'status', facts.record.status), responseHeader(facts, 'content-type'), responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)],
        moreEvidence: recovered.slice(0, 2).map((facts) => fact(facts, 'verdict', facts.verdict.outcome)),
        confidence: 'certain',
        fixSteps: [texts.text('fix.status', { advice: statusAdvice(status, vendorIdOf(group)) }), edgeCorsOnErrorsRef(vendorIdOf(group))],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
