import { PLACEHOLDER_ALLOWED_ORIGIN, s3CorsFixRef } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, requestHeader, responseHeader, vendorIdOf } from './lib/describe.ts';
import { servedFromS3 } from './lib/fixes.ts';

function isWildcardWithCredentials(facts: RecordFacts): boolean {
  if (!facts.isCorsRequest || facts.verdict.outcome !== 'fail') return false;
  if (facts.verdict.chromiumError !== undefined) return facts.verdict.chromiumError === 'WildcardOriginNotAllowed';
  return facts.allowOrigin.length === 1 && facts.allowOrigin[0]!.trim() === '*';
}

const rule: Rule = {
  meta: {
    id: 'wildcard-origin-with-credentials',
    cause: 'wildcard-with-credentials',
    category: 'cors',
    lookedFor: 'credentials',
    kind: 'cause',
    severity: 'error',
    title: 'Access-Control-Allow-Origin "*" on a request with credentials',
    description:
      'A player that sends cookies (withCredentials, e.g. for CloudFront signed cookies) needs the exact origin and Access-Control-Allow-Credentials: true. S3 rules with "*" and the managed CloudFront CORS policies answer "*", which the browser rejects for credentialed requests. Learn more: https://fetch.spec.whatwg.org/#cors-protocol-and-credentials',
    messages: {
      wildcard:
        '{{count}} credentialed {{kind}} on {{host}} got Access-Control-Allow-Origin "*", which the browser refuses when credentials are included.',
    },
    texts: {
      'fix.noCookies':
        'If the media needs no cookies, stop sending them: players send none unless told to (hls.js: xhrSetup setting xhr.withCredentials = true, or fetchSetup with credentials "include"; dash.js: setXHRWithCredentialsForType; Shaka Player: a request filter setting allowCrossSiteCredentials; video.js: the vhs withCredentials option).',
      'fix.exactOrigin':
        'If it does, answer with the exact origin, Access-Control-Allow-Credentials: true and Vary: Origin. {{s3Cors}}\n  With an exact AllowedOrigin S3 echoes the origin and adds Allow-Credentials: true.',
      'fix.exactOrigin.other':
        'If it does, answer with the exact origin, Access-Control-Allow-Credentials: true and Vary: Origin, in the CORS setup of whatever sends Access-Control-Allow-Origin (the origin server, or the CDN if it adds the header).',
      'fix.cloudfront':
        'The managed CloudFront CORS policies answer "*" without credentials: use a custom response headers policy with the exact origin and Access-Control-Allow-Credentials enabled instead.',
    },
    requires: ['verdict'],
  },
  check(context) {
    for (const [host, group] of groupBy(context.facts.filter(isWildcardWithCredentials), (facts) => facts.host)) {
      // A placeholder origin is code to replace by hand: it stays the same in every language.
      const origin = context.pageOrigin ?? PLACEHOLDER_ALLOWED_ORIGIN;
      // S3's bucket CORS only where S3 is what answers: other storage and web servers have their own setup.
      const exactOrigin = servedFromS3(group) ? texts.text('fix.exactOrigin', { s3Cors: s3CorsFixRef(group[0]!.record.url, { origins: [origin] }) }) : texts.text('fix.exactOrigin.other');
      const steps = [texts.text('fix.noCookies'), exactOrigin];
      if (vendorIdOf(group) === 'cloudfront') steps.push(texts.text('fix.cloudfront'));
      texts.reportGroup(context, group, {
        messageId: 'wildcard',
        data: { host },
        evidence: (facts) => [
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'access-control-allow-credentials'),
          requestHeader(facts, 'cookie'),
          requestHeader(facts, 'authorization'),
          fact(facts, 'verdict', facts.verdict.chromiumError ?? facts.verdict.outcome),
        ],
        confidence: 'certain',
        fixSteps: steps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
