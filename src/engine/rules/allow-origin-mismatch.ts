import { originOf } from '../headers.ts';
import { numberedSteps, s3CorsFix } from '../cdn/index.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { EVIDENCE_SAMPLE, cacheEvidence, fact, ids, kindOfGroup, kindWord, listOf, requestHeader, responseHeader } from './lib/describe.ts';

function isMismatch(facts: RecordFacts): boolean {
  return facts.isCorsRequest && facts.verdict.outcome === 'fail' && facts.verdict.chromiumError === 'AllowOriginMismatch';
}

/** Why a value that looks right still fails (DESIGN §5: case, trailing slash, default port differ). */
function nearMissNote(value: string, pageOrigin: string | null): string {
  if (pageOrigin === null) return '';
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === pageOrigin.toLowerCase()) return ' The value differs from the page origin only in letter case, which browsers do not ignore.';
  if (trimmed.replace(/\/+$/, '') === pageOrigin) return ' The value has a trailing slash; an origin has none.';
  if (originOf(trimmed) === pageOrigin) return ' The value spells the port or path out; it must be the serialized origin exactly.';
  return '';
}

const rule: Rule = {
  meta: {
    id: 'allow-origin-mismatch',
    cause: 'origin-mismatch',
    category: 'cors',
    kind: 'cause',
    severity: 'error',
    title: 'Access-Control-Allow-Origin names another origin',
    description:
      'The browser compares Access-Control-Allow-Origin with the page origin character for character. A value for another site, a trailing slash or another letter case fails, and a cached copy made for another origin fails the same way. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSAllowOriginNotMatchingOrigin',
    messages: {
      mismatch:
        '{{count}} {{kind}} on {{host}} got Access-Control-Allow-Origin {{values}} but the page is {{pageOrigin}}{{cacheNote}}.{{nearMiss}}',
    },
    requires: ['verdict'],
  },
  check(context) {
    for (const [host, group] of groupBy(context.facts.filter(isMismatch), (facts) => facts.host)) {
      const cachedWithoutVary = group.filter((facts) => facts.cdn.servedFromCache === true && !facts.cdn.varyHasOrigin);
      const pageOrigin = group[0]!.record.pageOrigin ?? context.pageOrigin;
      context.report({
        messageId: 'mismatch',
        data: {
          count: group.length,
          kind: kindWord(kindOfGroup(group), group.length),
          host,
          values: listOf(group.map((facts) => `"${facts.allowOrigin[0] ?? ''}"`)),
          pageOrigin: pageOrigin ?? 'unknown',
          cacheNote:
            cachedWithoutVary.length > 0
              ? `; ${cachedWithoutVary.length} came from the CDN cache without Vary: Origin, so a copy made for another origin was reused`
              : '',
          nearMiss: nearMissNote(group[0]!.allowOrigin[0] ?? '', pageOrigin),
        },
        recordIds: ids(group),
        evidence: group.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [
          requestHeader(facts, 'origin'),
          responseHeader(facts, 'access-control-allow-origin'),
          responseHeader(facts, 'vary'),
          fact(facts, 'page-origin', facts.record.pageOrigin ?? context.pageOrigin),
          ...cacheEvidence(facts),
        ]),
        confidence: 'certain',
        fix: numberedSteps([
          `List the page origin exactly (scheme://host[:port], no path, no trailing slash) where CORS is configured. ${s3CorsFix(group[0]!.record.url, { origins: pageOrigin ? [pageOrigin] : [] })}`,
          'Every response that echoes an origin must carry Vary: Origin, and a CDN in front must key on Origin; otherwise one origin\'s copy is served to another.',
        ]),
      });
    }
  },
};

export default rule;
