import type { Confidence, Evidence } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { corsRequestsByBehavior, groupBy, keepInGroups, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, kindOfGroup, listOf, popLabel, responseHeader, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, purgeStep } from './lib/fixes.ts';

function passes(facts: RecordFacts): boolean {
  return facts.corsHeadersOk;
}

function acaoAndCache(facts: RecordFacts): Evidence[] {
  return [responseHeader(facts, 'access-control-allow-origin'), ...cacheEvidence(facts)];
}

const rule: Rule = {
  meta: {
    id: 'cors-differs-between-pops',
    cause: 'per-pop-difference',
    category: 'cdn',
    lookedFor: 'layers',
    kind: 'cause',
    severity: 'warning',
    title: 'CORS works at some edge locations and not at others',
    description:
      'Every edge location (and regional cache) keeps its own copies. A copy without CORS headers exists only where an earlier request filled it, so users in one region fail while a developer elsewhere sees correct headers. Learn more: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HowCloudFrontWorks.html',
    messages: {
      perPop:
        '{{kind}} on {{behavior}} fail without Access-Control-Allow-Origin at {{badPops}} ({{failing}} requests) and pass at {{goodPops}} ({{passing}} requests){{sameUrlNote}}: the {{vendor}} edge caches differ.',
    },
    texts: {
      'kind.playlist': 'Playlists',
      'kind.segment': 'Segments',
      'kind.other': 'Requests',
      'sameUrl.one': '; {{count}} failing URL was also served correctly elsewhere',
      'sameUrl.many': '; {{count}} failing URLs were also served correctly elsewhere',
    },
    requires: ['verdict', 'pop', 'rejection'],
  },
  check(context) {
    const withPop = keepInGroups(corsRequestsByBehavior(context), (facts) => facts.cdn.pop !== null);
    for (const [behavior, group] of withPop) {
      const byPop = groupBy(group, (facts) => facts.cdn.pop);
      if (byPop.size < 2) continue;
      const badPops = [...byPop].filter(([, items]) => items.every((facts) => facts.failedWithoutAllowOrigin));
      const goodPops = [...byPop].filter(([, items]) => items.every(passes));
      if (badPops.length === 0 || goodPops.length === 0) continue;
      const failing = badPops.flatMap(([, items]) => items);
      const passing = goodPops.flatMap(([, items]) => items);
      const passingPaths = new Set(passing.map((facts) => facts.path));
      const sameUrl = failing.filter((facts) => passingPaths.has(facts.path));
      // The same object passing at one edge and failing at another rules out per-object differences.
      const confidence: Confidence = sameUrl.length > 0 ? 'likely' : 'possible';
      texts.reportGroup(context, failing, {
        messageId: 'perPop',
        data: {
          kind: texts.text(`kind.${kindOfGroup(group)}`),
          behavior,
          badPops: listOf(failing.map((facts) => popLabel(facts) ?? facts.cdn.pop!)),
          goodPops: listOf(passing.map((facts) => popLabel(facts) ?? facts.cdn.pop!)),
          failing: failing.length,
          passing: passing.length,
          sameUrlNote: sameUrl.length > 0 ? texts.text(sameUrl.length === 1 ? 'sameUrl.one' : 'sameUrl.many', { count: sameUrl.length }) : '',
          vendor: vendorName(group),
        },
        evidence: acaoAndCache,
        moreEvidence: passing.slice(0, 2).flatMap(acaoAndCache),
        confidence,
        fixSteps: [purgeStep(failing), ...cacheSafeCorsSteps(failing, pathPatternOf(failing[0]!))],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
