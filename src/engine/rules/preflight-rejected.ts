import type { Confidence, MessageRef } from '../model.ts';
import { CORS_S3_ORIGIN, CORS_WITH_PREFLIGHT } from '../cdn/cloudfront-policies.ts';
import { policyRef } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, listOf, preflightEvidence, vendorIdOf, vendorName } from './lib/describe.ts';
import { purgeStep, s3CorsStep } from './lib/fixes.ts';
import { isMisfitCachedPreflight } from './lib/preflight-cache.ts';

function isOkStatus(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

/** An OPTIONS preflight the browser refused (its own verdict), or one the server refused or answered without CORS headers. */
function isRejectedPreflight(facts: RecordFacts): boolean {
  // A cached answer made for another request has a rule of its own (preflight-cached-at-cdn).
  if (!facts.isPreflight || facts.record.status === null || isMisfitCachedPreflight(facts)) return false;
  if (facts.verdict.outcome === 'fail') return true;
  return facts.verdict.outcome !== 'pass' && (!isOkStatus(facts.record.status) || facts.allowOrigin.length === 0);
}

/** A request whose verdict says the preflight failed (the verdict engine judges preflights it saw). */
function isFailedAtPreflight(facts: RecordFacts): boolean {
  return !facts.isOptions && facts.verdict.outcome === 'fail' && facts.verdict.stage === 'preflight';
}

/** Values of one request header over a group, each once, in log order. */
function requestedValues(group: readonly RecordFacts[], name: string, normalise: (value: string) => string): string[] {
  const values = new Set<string>();
  for (const facts of group) for (const [header, value] of facts.record.requestHeaders ?? []) if (header.toLowerCase() === name) for (const item of value.split(',')) if (item.trim() !== '') values.add(normalise(item.trim()));
  return [...values];
}

const SIMPLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

const rule: Rule = {
  meta: {
    id: 'preflight-rejected',
    cause: 'preflight-rejected',
    category: 'cors',
    lookedFor: 'preflight',
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
      'fix.akamai.optionsDenied':
        "Akamai answered the preflight itself with 501: the property's Allow OPTIONS behavior is set to Deny. Set it to Allow so OPTIONS reaches the origin (which must answer it with the CORS headers), or turn on the CORS Protocol Support behavior to answer preflights at the edge.",
      'fix.forward':
        'Allow OPTIONS through the CDN to the origin and forward Origin, Access-Control-Request-Method and Access-Control-Request-Headers (or answer preflights at the edge).',
      'fix.allowHeaders':
        'Allow the request headers {{headers}}: the answer to the preflight must list them in Access-Control-Allow-Headers (in the CORS setup of whatever answers OPTIONS), or the player must stop sending them.',
      'fix.allowMethods': 'Allow the method {{methods}}: the answer to the preflight must list it in Access-Control-Allow-Methods.',
      'fix.originAnswered':
        'The preflight went through {{vendor}} to the origin (no cache hit), so OPTIONS already gets through: the origin itself must answer it with a 2xx status and the CORS headers.',
      'fix.s3': '{{s3Cors}}\n  S3 answers 403 to a preflight when no rule allows the method or every requested header.',
      'fix.avoid': 'Avoid the preflight where you can: hls.js GETs are simple unless xhrSetup adds headers or the Range is not "bytes=N-" / "bytes=N-M".',
    },
    requires: ['request-headers'],
  },
  check(context) {
    const preflights = context.facts.filter(isRejectedPreflight);
    // A real request stopped by a preflight that is in the log is that preflight's consequence, not a second preflight.
    const preflightUrls = new Set(preflights.map((facts) => facts.record.url));
    const stopped = context.facts.filter(isFailedAtPreflight);
    const stoppedAlone = stopped.filter((facts) => !preflightUrls.has(facts.record.url));
    // Per host, once: a log of many hosts would otherwise scan every stopped request for each.
    const consequencesByHost = groupBy(
      stopped.filter((facts) => preflightUrls.has(facts.record.url)),
      (facts) => facts.host,
    );
    for (const [host, group] of groupBy([...preflights, ...stoppedAlone].sort((a, b) => a.position - b.position), (facts) => facts.host)) {
      const certain = group.some((facts) => facts.verdict.outcome === 'fail' || (facts.isPreflight && !isOkStatus(facts.record.status)));
      const confidence: Confidence = certain ? 'certain' : 'likely';
      const cached = group.filter((facts) => facts.cdn.servedFromCache === true);
      const answered = group.filter((facts) => facts.isPreflight);
      const requestedHeaders = requestedValues(answered, 'access-control-request-headers', (value) => value.toLowerCase());
      const methods = requestedValues(answered, 'access-control-request-method', (value) => value.toUpperCase());
      const vendor = vendorIdOf(group);
      // Through the CDN to the origin and back without a cache hit: the CDN already lets OPTIONS through.
      const reachedOrigin = answered.length > 0 && answered.every((facts) => facts.cdn.servedFromCache === false);
      // Akamai answers OPTIONS itself with 501 when the property denies the method (Allow OPTIONS: Deny,
      // https://techdocs.akamai.com/property-mgr/docs/allow-options): the edge refused it, the origin never saw it.
      const edgeDenied = vendor === 'akamai' && answered.length > 0 && answered.every((facts) => facts.record.status === 501);
      const steps: MessageRef[] = [];
      if (requestedHeaders.length > 0) steps.push(texts.text('fix.allowHeaders', { headers: listOf(requestedHeaders) }));
      const unsafeMethods = methods.filter((method) => !SIMPLE_METHODS.has(method));
      if (unsafeMethods.length > 0) steps.push(texts.text('fix.allowMethods', { methods: listOf(unsafeMethods) }));
      if (edgeDenied) {
        steps.push(texts.text('fix.akamai.optionsDenied'));
      } else if (reachedOrigin) {
        steps.push(texts.text('fix.originAnswered', { vendor: vendorName(answered) }));
      } else if (vendor === 'cloudfront') {
        steps.push(
          texts.text('fix.cloudfront.methods'),
          texts.text('fix.cloudfront.forward', { policy: policyRef(CORS_S3_ORIGIN) }),
          texts.text('fix.cloudfront.edge', { policy: policyRef(CORS_WITH_PREFLIGHT) }),
        );
      } else if (vendor !== null && answered.some((facts) => facts.cdn.cacheStatus !== null || facts.cdn.pop !== null)) {
        // Only a layer that shows a cache status or an edge location is a CDN to let OPTIONS through (a Server: nginx alone is the origin).
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
          statuses: listOf(group.map((facts) => (facts.isPreflight && facts.record.status !== null ? texts.text('status', { status: facts.record.status }) : texts.text('noStatus')))),
          cacheNote: cached.length > 0 ? texts.text('cacheNote', { count: cached.length }) : '',
          methods: listOf(methods.length > 0 ? methods : [texts.text('notSeen')]),
          headersNote: requestedHeaders.length > 0 ? texts.text('headersNote', { headers: listOf(requestedHeaders) }) : '',
        },
        evidence: (facts) => [
          fact(facts, 'status', facts.record.status),
          fact(facts, 'verdict', facts.verdict.chromiumError ?? facts.verdict.outcome),
          ...preflightEvidence(facts),
        ],
        // The requests these preflights stopped were rejected for them: the finding explains them too.
        consequences: consequencesByHost.get(host) ?? [],
        confidence,
        fixSteps: steps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
