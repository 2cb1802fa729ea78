import type { Confidence, MessageRef } from '../model.ts';
import { CORS_S3_ORIGIN, CORS_WITH_PREFLIGHT } from '../cdn/cloudfront-policies.ts';
import { policyRef } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, listOf, requestHeader, responseHeader, vendorIdOf } from './lib/describe.ts';
import { purgeStep, s3CorsStep } from './lib/fixes.ts';

function isOkStatus(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** An OPTIONS preflight the server refused or answered without CORS headers. */
function isRejectedPreflight(facts: RecordFacts): boolean {
  if (!facts.isPreflight || facts.record.status === null) return false;
  return !isOkStatus(facts.record.status) || facts.allowOrigin.length === 0;
}

/** A request whose verdict says the preflight failed (the verdict engine judges preflights it saw). */
function isFailedAtPreflight(facts: RecordFacts): boolean {
  return facts.requestOrigin !== null && facts.verdict.outcome === 'fail' && facts.verdict.stage === 'preflight';
}

const rule: Rule = {
  meta: {
    id: 'preflight-rejected',
    cause: 'preflight-rejected',
    category: 'cors',
    kind: 'cause',
    severity: 'error',
    title: 'The preflight (OPTIONS) request was refused',
    description:
      'A request with custom headers, a non-simple Range or a non-simple method is preceded by an OPTIONS preflight. If the CDN does not allow OPTIONS, does not forward the Access-Control-Request-* headers, caches one answer for all, or the origin has no rule for the method or headers, the real request is never sent. Learn more: https://fetch.spec.whatwg.org/#cors-preflight-fetch',
    messages: {
      rejected:
        '{{count}} preflight {{what}} for {{urls}} {{verb}} answered {{statuses}}{{cacheNote}} to Access-Control-Request-Method {{methods}}{{headersNote}}: the browser does not send the actual request.',
    },
    texts: {
      'what.one': 'request',
      'what.many': 'requests',
      'verb.one': 'was',
      'verb.many': 'were',
      noStatus: 'no status',
      status: 'HTTP {{status}}',
      cacheNote: ', {{count}} from the CDN cache (a cached preflight answer)',
      notSeen: '(not seen)',
      headersNote: ' and -Headers {{headers}}',
      'fix.cloudfront.methods': 'Set the behavior\'s allowed HTTP methods to "GET, HEAD, OPTIONS".',
      'fix.cloudfront.forward':
        'Forward the preflight headers: origin request policy {{policy}} (Origin, Access-Control-Request-Headers, Access-Control-Request-Method); if OPTIONS is cached, all three must be in the cache key.',
      'fix.cloudfront.edge': 'Or answer preflights at the edge: response headers policy {{policy}}.',
      'fix.forward':
        'Allow OPTIONS through the CDN to the origin and forward Origin, Access-Control-Request-Method and Access-Control-Request-Headers (or answer preflights at the edge).',
      'fix.s3': '{{s3Cors}}\n  S3 answers 403 to a preflight when no rule allows the method or every requested header.',
      'fix.avoid': 'Avoid the preflight where you can: hls.js GETs are simple unless xhrSetup adds headers or the Range is not "bytes=N-" / "bytes=N-M".',
    },
    requires: ['request-headers'],
  },
  check(context) {
    const rejected = context.facts.filter((facts) => isRejectedPreflight(facts) || isFailedAtPreflight(facts));
    for (const [, group] of groupBy(rejected, (facts) => facts.host)) {
      const certain = group.some((facts) => isFailedAtPreflight(facts) || (facts.isPreflight && !isOkStatus(facts.record.status)));
      const confidence: Confidence = certain ? 'certain' : 'likely';
      const cached = group.filter((facts) => facts.cdn.servedFromCache === true);
      const requestedHeaders = group.map((facts) => facts.record.requestHeaders).flatMap((headers) => headers?.filter(([name]) => name === 'access-control-request-headers').map(([, value]) => value) ?? []);
      const methods = group.flatMap((facts) => facts.record.requestHeaders?.filter(([name]) => name === 'access-control-request-method').map(([, value]) => value.toUpperCase()) ?? []);
      const steps: MessageRef[] = [];
      if (vendorIdOf(group) === 'cloudfront') {
        steps.push(
          texts.text('fix.cloudfront.methods'),
          texts.text('fix.cloudfront.forward', { policy: policyRef(CORS_S3_ORIGIN) }),
          texts.text('fix.cloudfront.edge', { policy: policyRef(CORS_WITH_PREFLIGHT) }),
        );
      } else {
        steps.push(texts.text('fix.forward'));
      }
      const s3 = s3CorsStep(group, context.pageOrigin, [...new Set(['GET', 'HEAD', ...methods.filter((method) => method !== 'OPTIONS')])]);
      if (s3) steps.push(texts.text('fix.s3', { s3Cors: s3 }));
      if (cached.length > 0) steps.push(purgeStep(cached));
      steps.push(texts.text('fix.avoid'));
      texts.reportGroup(context, group, {
        messageId: 'rejected',
        data: {
          count: group.length,
          what: texts.text(group.length === 1 ? 'what.one' : 'what.many'),
          verb: texts.text(group.length === 1 ? 'verb.one' : 'verb.many'),
          urls: listOf(group.map((facts) => facts.path ?? facts.record.url), 2),
          statuses: listOf(group.map((facts) => (facts.record.status === null ? texts.text('noStatus') : texts.text('status', { status: facts.record.status })))),
          cacheNote: cached.length > 0 ? texts.text('cacheNote', { count: cached.length }) : '',
          methods: listOf(methods.length > 0 ? methods : [texts.text('notSeen')]),
          headersNote: requestedHeaders.length > 0 ? texts.text('headersNote', { headers: listOf(requestedHeaders) }) : '',
        },
        evidence: (facts) => [
          fact(facts, 'status', facts.record.status),
          requestHeader(facts, 'access-control-request-method'),
          requestHeader(facts, 'access-control-request-headers'),
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'access-control-allow-methods'),
          ...cacheEvidence(facts),
        ],
        confidence,
        fixSteps: steps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
