/**
 * The report's answer first (docs/ux.md#the-answer-first): which finding is the primary cause, how
 * sure, why it was put first, how the other findings relate to it, and what would decide between it
 * and an alternative explanation. Pure: findings and verdicts in, a Conclusion out.
 */
import type { CauseRelation, Conclusion, Confidence, Finding, LocalisedText, MessageRef, RecordVerdict, Severity } from './model.ts';
import { isActionable } from './plan.ts';
import { scopesOf } from './scope.ts';
import { ref, renderText, type MessageLookup } from './rules/lib/text.ts';
import type { RuleCategory } from './rules/lib/types.ts';

/** English of the conclusion's texts (the _locales en messages say the same; test/ui/localised.test.ts checks). */
export const CONCLUSION_TEXT: Readonly<Record<string, string>> = {
  'conclusion.primary': '{{cause}} ({{confidence}}): it explains {{explained}} of the {{rejected}} rejected requests.',
  'conclusion.primaryWarning': 'No request was rejected, but {{cause}} ({{confidence}}) can make them fail.',
  'conclusion.primaryBlocked': 'No request failed CORS, yet {{failed}} failed: {{cause}} ({{confidence}}).',
  'conclusion.unexplained': '{{rejected}} requests were rejected, and no rule names a cause: read each request\'s verdict below.',
  'conclusion.clean': 'No rejected request and nothing to fix.',
  'conclusion.cleanNote': 'No rejected request and nothing to fix; see the note: {{cause}}.',
  'conclusion.reasoning': 'Ranked by rejected requests explained (a cause that says why before what it explains), confidence and severity: {{ranking}}.',
  'conclusion.rank': '{{cause}} ({{severity}}, {{confidence}}, {{explained}} rejected{{only}})',
  'conclusion.rank.only': ', nothing else',
  'conclusion.causeOn': '{{cause}} on {{scope}}',
  'conclusion.severity.error': 'error',
  'conclusion.severity.warning': 'warning',
  'conclusion.severity.info': 'info',
  'conclusion.confidence.certain': 'certain',
  'conclusion.confidence.likely': 'likely',
  'conclusion.confidence.possible': 'possible',
  'conclusion.decide.retest':
    'To tell {{primary}} from {{alternative}}: re-test a rejected request from the page (open it, then Re-test). A fresh copy that passes proves a stale or wrong cached copy; one that fails the same way points at the current configuration.',
  'conclusion.decide.filledWhen':
    'To tell {{primary}} from {{alternative}}: compare when the failing copies were cached (the time minus their Age) with when the setup last changed. Copies older than the change are stale; a copy filled after it was filled by a request without Origin. Either way, a re-test from the page that passes proves the cached copy is to blame.',
  'conclusion.decide.hardReload':
    'To tell {{primary}} from {{alternative}}: reload with DevTools "Disable cache" on. If it then works, the browser\'s own cache held the copy; if not, a CDN or the origin did.',
  'conclusion.decide.config':
    'To tell {{primary}} from {{alternative}}: run the plan\'s check command after the first prevent step; if the response then carries Access-Control-Allow-Origin, that step was the one missing.',
};

/**
 * The wording of each cause (the _locales en `cause_<id>` messages say the same); a cause not listed
 * (a rule added later) is named by its id.
 */
export const CAUSE_TEXT: Readonly<Record<string, string>> = {
  'cause.cdn-cache-poisoned': 'CDN cached a copy without CORS headers',
  'cause.origin-not-forwarded': 'CDN never forwards Origin and adds no CORS headers',
  'cause.preflight-rejected': 'Preflight (OPTIONS) rejected',
  'cause.error-without-cors': 'Error status without CORS headers',
  'cause.stale-cache-after-change': 'Copies cached before a CORS or cache-key change',
  'cause.duplicate-acao': 'Two layers both add Access-Control-Allow-Origin',
  'cause.wildcard-with-credentials': 'Wildcard origin on a credentialed request',
  'cause.browser-cache-reuse': 'Browser reused a no-CORS copy from its cache',
  'cause.per-pop-difference': 'Edge locations (POPs) answer differently',
  'cause.cdn-ignores-vary': 'CDN ignores Vary: Origin',
  'cause.not-a-cors-request': 'Not a CORS request (no Origin sent)',
  'cause.mixed-layers': 'Playlists and segments get CORS from different layers',
  'cause.origin-mismatch': 'Access-Control-Allow-Origin does not match the page',
  'cause.origin-without-cors': 'The origin server or bucket sends no CORS headers',
  'cause.coep-blocks-media': "The page's Cross-Origin-Embedder-Policy blocks media without CORP",
  'cause.expose-headers-missing': 'CORS passes, but a header the player reads is not exposed',
  'cause.extension-interference': 'Something in the browser (an extension) blocked media requests',
  'cause.local-network-access': 'A public page may not load media from the local network (Local Network Access)',
  'cause.not-a-cors-failure': 'The request failed at the network level, not at CORS',
  'cause.preflight-cached-at-cdn': 'The CDN served a cached preflight answer made for another request',
  'cause.preflight-per-segment': 'Every segment pays a preflight round trip',
  'cause.redirect-taints-origin': 'A cross-origin redirect turned Origin into null',
  'cause.timing-allow-origin-missing': 'Segments without Timing-Allow-Origin (bandwidth estimate is blind)',
};

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const CONFIDENCE_RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

/**
 * Causes that say what the rejected responses show rather than why: a cached copy without CORS (what
 * a stale copy, one POP's copy or a path relying on the bucket's CORS leave behind), an
 * Access-Control-Allow-Origin naming another origin (what a cache ignoring Vary: Origin serves).
 * When another cause explains every rejected request such a cause explains, that cause says why and
 * comes first, however sure the restatement is.
 */
const SYMPTOM_CAUSES: ReadonlySet<string> = new Set(['cdn-cache-poisoned', 'origin-mismatch']);

/** What ranking reads of one finding. */
interface Standing {
  index: number;
  finding: Finding;
  /** Its rejected requests. */
  explained: Set<string>;
  /** Share of its requests that were rejected: a cause naming exactly the rejected ones beats one naming them among others. */
  precision: number;
  /** A symptom cause whose rejected requests another cause explains, all of them (SYMPTOM_CAUSES). */
  explainedByAnother: boolean;
}

/**
 * A cause of rejected requests before a risk that explains none; a symptom another cause explains
 * after that cause; then the most certain (a likely warning beats a possible error: the answer is the
 * explanation one can act on), the most rejected requests explained, the most severe, the most
 * precise (fewest requests that were not rejected), the report's order.
 */
function compareStanding(a: Standing, b: Standing): number {
  return (
    Number(b.explained.size > 0) - Number(a.explained.size > 0) ||
    Number(a.explainedByAnother) - Number(b.explainedByAnother) ||
    CONFIDENCE_RANK[a.finding.confidence] - CONFIDENCE_RANK[b.finding.confidence] ||
    b.explained.size - a.explained.size ||
    SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] ||
    b.precision - a.precision ||
    a.index - b.index
  );
}

/** Marks the symptom causes whose every rejected request a cause that is no symptom explains too. */
function markExplainedSymptoms(standings: readonly Standing[]): void {
  for (const standing of standings) {
    if (!SYMPTOM_CAUSES.has(standing.finding.cause) || standing.explained.size === 0) continue;
    standing.explainedByAnother = standings.some(
      (other) => other !== standing && !SYMPTOM_CAUSES.has(other.finding.cause) && [...standing.explained].every((id) => other.explained.has(id)),
    );
  }
}

/** The message id of each cause that has a wording, built once (ids built per call are hashed again at each lookup). */
const CAUSE_IDS: ReadonlyMap<string, string> = new Map(Object.keys(CAUSE_TEXT).map((id) => [id.slice('cause.'.length), id]));

/** A cause, as a message (its id when no wording is known: an old export's cause). */
export function causeRef(cause: string): MessageRef | string {
  const id = CAUSE_IDS.get(cause);
  return id === undefined ? cause : ref(id);
}

/** A finding's cause, naming its scope when another finding has the same cause (scopesOf). */
function scopedCauseRef(finding: Finding, scope: string | null): MessageRef | string {
  const cause = causeRef(finding.cause);
  return scope === null ? cause : ref('conclusion.causeOn', { cause, scope });
}

const SEVERITY_IDS: Readonly<Record<Severity, string>> = { error: 'conclusion.severity.error', warning: 'conclusion.severity.warning', info: 'conclusion.severity.info' };
const CONFIDENCE_IDS: Readonly<Record<Confidence, string>> = { certain: 'conclusion.confidence.certain', likely: 'conclusion.confidence.likely', possible: 'conclusion.confidence.possible' };

function localised(text: MessageRef, english: MessageLookup): LocalisedText {
  return { english: renderText(text, english), text };
}

/**
 * How many of a cause's requests already failed without a CORS rejection (a COEP block, a refused
 * connection): the answer then says they failed, not that they "can" fail. 0 for a risk or advice.
 */
function failedLoadsOf(finding: Finding, failedLoads: ReadonlySet<string>): number {
  if (finding.kind !== 'cause') return 0;
  return new Set(finding.recordIds.filter((id) => failedLoads.has(id))).size;
}

/** The conclusion and the ranked order of the actionable findings (indexes into `findings`, primary first). */
export interface Ranking {
  conclusion: Conclusion;
  ranked: number[];
}

/**
 * The primary cause among `findings` and how the others relate to it. `categoryOf` gives a rule's
 * layer: two causes on the same layer that explain the same rejected requests are alternatives (one
 * story or the other: a stale copy or a poisoned one), causes on different layers add up (contributing).
 */
export function concludeOf(
  findings: readonly Finding[],
  verdicts: readonly RecordVerdict[],
  categoryOf: (ruleId: string) => RuleCategory | null,
  english: MessageLookup,
  failedLoads: ReadonlySet<string> = new Set(),
): Ranking {
  const rejectedIds = new Set(verdicts.filter((entry) => entry.verdict.outcome === 'fail').map((entry) => entry.recordId));
  const standings: Standing[] = [];
  findings.forEach((finding, index) => {
    if (!isActionable(finding)) return;
    const explained = new Set(finding.recordIds.filter((id) => rejectedIds.has(id)));
    standings.push({ index, finding, explained, precision: finding.recordIds.length === 0 ? 0 : explained.size / new Set(finding.recordIds).size, explainedByAnother: false });
  });
  markExplainedSymptoms(standings);
  const scopes = scopesOf(findings);
  standings.sort(compareStanding);
  const ranked = standings.map((standing) => standing.index);
  const rejected = rejectedIds.size;
  const primary = standings[0];
  const ranking = ref('conclusion.reasoning', {
    ranking: {
      items: standings.slice(0, 4).map((standing) =>
        ref('conclusion.rank', {
          cause: scopedCauseRef(standing.finding, scopes[standing.index] ?? null),
          severity: ref(SEVERITY_IDS[standing.finding.severity]),
          confidence: ref(CONFIDENCE_IDS[standing.finding.confidence]),
          explained: standing.explained.size,
          only: standing.explained.size > 0 && standing.precision === 1 ? ref('conclusion.rank.only') : '',
        }),
      ),
      more: Math.max(0, standings.length - 4),
    },
  });
  if (primary === undefined) {
    const note = findings[0];
    const text = rejected > 0 ? ref('conclusion.unexplained', { rejected }) : note ? ref('conclusion.cleanNote', { cause: causeRef(note.cause) }) : ref('conclusion.clean');
    return {
      conclusion: {
        status: rejected > 0 ? 'rejected' : 'clean',
        primary: null,
        confidence: null,
        explained: 0,
        rejected,
        others: [],
        sentence: localised(text, english),
        reasoning: localised(ranking, english),
        decide: [],
      },
      ranked,
    };
  }
  const primaryCategory = categoryOf(primary.finding.ruleId);
  const others: Array<{ finding: number; relation: CauseRelation }> = [];
  const decide: LocalisedText[] = [];
  for (const standing of standings.slice(1)) {
    const overlaps = [...standing.explained].some((id) => primary.explained.has(id));
    const relation: CauseRelation = overlaps && categoryOf(standing.finding.ruleId) === primaryCategory ? 'alternative' : 'contributing';
    others.push({ finding: standing.index, relation });
    if (relation === 'alternative') decide.push(localised(decideRef(primary.finding.cause, standing.finding.cause, primaryCategory), english));
  }
  const cause = scopedCauseRef(primary.finding, scopes[primary.index] ?? null);
  const confidence = ref(CONFIDENCE_IDS[primary.finding.confidence]);
  const failed = rejected > 0 ? 0 : failedLoadsOf(primary.finding, failedLoads);
  const text =
    rejected > 0
      ? ref('conclusion.primary', { cause, confidence, explained: primary.explained.size, rejected })
      : failed > 0
        ? ref('conclusion.primaryBlocked', { failed, cause, confidence })
        : ref('conclusion.primaryWarning', { cause, confidence });
  return {
    conclusion: {
      status: rejected > 0 ? 'rejected' : 'warning',
      primary: primary.index,
      confidence: primary.finding.confidence,
      explained: primary.explained.size,
      rejected,
      others,
      sentence: localised(text, english),
      reasoning: localised(ranking, english),
      decide: dedupe(decide),
    },
    ranked,
  };
}

/** What tells two alternative causes apart: the browser's cache by a reload without it, a cached copy by a re-test, a setting by the check. */
function decideRef(primary: string, alternative: string, category: RuleCategory | null): MessageRef {
  const data = { primary: causeRef(primary), alternative: causeRef(alternative) };
  const pair = new Set([primary, alternative]);
  if (pair.has('browser-cache-reuse')) return ref('conclusion.decide.hardReload', data);
  if (pair.has('stale-cache-after-change') && pair.has('cdn-cache-poisoned')) return ref('conclusion.decide.filledWhen', data);
  return ref(category === 'cache' ? 'conclusion.decide.retest' : 'conclusion.decide.config', data);
}

function dedupe(texts: LocalisedText[]): LocalisedText[] {
  const seen = new Set<string>();
  return texts.filter((text) => !seen.has(text.english) && seen.add(text.english) !== undefined);
}
