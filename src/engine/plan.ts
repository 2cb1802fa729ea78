/**
 * One fix plan for the whole report (docs/ux.md#the-answer-first): every finding's fix steps, merged and
 * ordered — stop the bleeding (purge the narrowest paths that cover every affected object), prevent
 * recurrence (policy, cache key, CORS configuration), verify (the check commands) — each step naming
 * the findings it belongs to. Steps keep the wording of the layer their rule identified; a merged purge
 * is worded again by the same vendor function (purgeRef), so its command is still built by shellCommand.
 */
import type { Finding, FixPlan, FixStepKind, FixStepRole, MessageRef, MessageValue, PlanStep } from './model.ts';
import { purgeRef, PLACEHOLDER_PATH } from './cdn/fixes.ts';
import { catalogueLookup, isList, isRef, renderText, type MessageLookup } from './rules/lib/text.ts';

export const PLAN_KIND_ORDER: readonly FixStepKind[] = ['stop-the-bleeding', 'prevent', 'verify'];

/** Headings of the plan's parts (the UI words them through _locales). */
export const PLAN_TEXT: Readonly<Record<string, string>> = {
  'plan.kind.stop-the-bleeding': 'Stop the bleeding',
  'plan.kind.prevent': 'Prevent it from coming back',
  'plan.kind.verify': 'Verify',
};

/** The English headings, looked up by planOf (built once). */
const PLAN_HEADINGS: MessageLookup = catalogueLookup(PLAN_TEXT);

/** A finding the plan takes steps from: a cause or a risk (advice such as "not a CORS request" asks nothing to change). */
export function isActionable(finding: Finding): boolean {
  return finding.kind !== 'advice' && finding.severity !== 'info';
}

/** A step from an export made before roles existed: its own prevent step. */
function fallbackRole(step: MessageRef): FixStepRole {
  return { kind: 'prevent', layer: 'origin', action: step.id, targets: [] };
}

/** Is `path` removed by invalidating `cover`? (the same path, or under a trailing `*` wildcard) */
function covers(cover: string, path: string): boolean {
  if (cover === path) return true;
  return cover.endsWith('*') && path.startsWith(cover.slice(0, -1));
}

/** The paths none of the others covers: invalidating them removes every affected object, and no more calls than needed. */
export function coveringPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  // The placeholder covers nothing and is covered by nothing: the user must fill it in.
  return unique.filter((path) => path === PLACEHOLDER_PATH || !unique.some((other) => other !== path && other !== PLACEHOLDER_PATH && covers(other, path)));
}

/** Whether a plan step's targets include every one of `targets` (purge paths by wildcard). */
export function targetsCovered(planRole: FixStepRole, targets: readonly string[]): boolean {
  if (planRole.action === 'purge') return targets.every((path) => planRole.targets.some((cover) => covers(cover, path)));
  return targets.every((target) => planRole.targets.includes(target));
}

/** A step's place in the plan: its part first. */
function kindRank(kind: FixStepKind): number {
  return PLAN_KIND_ORDER.indexOf(kind);
}

function addFinding(draft: Draft, index: number): void {
  if (!draft.findings.includes(index)) draft.findings.push(index);
}

interface Draft {
  role: FixStepRole;
  text: MessageRef;
  findings: number[];
  /** Position of first appearance (rank order of the findings, then step order). */
  order: number;
  /** A purge whose paths grew by merging: worded again. */
  reworded: boolean;
  /** JSON of `text` as first taken (the key identical steps share). */
  textKey: string;
}

const stepKey = (role: FixStepRole): string => `${role.action}\u0000${role.layer}\u0000${[...role.targets].sort().join('\u0000')}`;

/**
 * The merged plan of `findings`, taken in `ranked` order (indexes into `findings`, primary cause
 * first: the first wording of a step wins). Identical steps and steps with the same action on the
 * same targets become one; purges of one vendor become one over the covering paths; a step that only
 * points at another finding's fix is left out when any prevent step is in the plan.
 */
export function planOf(findings: readonly Finding[], ranked: readonly number[], english: MessageLookup): FixPlan {
  // Nothing actionable (a clean log, the usual single record): the empty plan, without the merging state.
  if (ranked.length === 0) return { steps: [], text: '' };
  const drafts: Draft[] = [];
  const byKey = new Map<string, Draft>();
  const byText = new Map<string, Draft>();
  const purges = new Map<string, Draft>();
  const pointers: Draft[] = [];
  let order = 0;
  for (const index of ranked) {
    const finding = findings[index];
    if (finding === undefined || !isActionable(finding)) continue;
    const steps = finding.fixSteps ?? [];
    steps.forEach((text, stepIndex) => {
      const role = finding.fixStepRoles?.[stepIndex] ?? fallbackRole(text);
      const textKey = JSON.stringify(text);
      const same = byText.get(textKey);
      if (same) return addFinding(same, index);
      if (role.pointer) {
        pointers.push({ role, text, findings: [index], order: order++, reworded: false, textKey });
        return;
      }
      if (role.action === 'purge') {
        const purgeKey = `${role.layer}\u0000${role.vendor ?? ''}`;
        const purge = purges.get(purgeKey);
        if (purge) {
          const paths = coveringPaths([...purge.role.targets, ...role.targets]);
          if (paths.join('\u0000') !== purge.role.targets.join('\u0000')) {
            purge.role = { ...purge.role, targets: paths };
            purge.reworded = true;
          }
          // Copies asked for with different Origins: the merged purge names none.
          if ((purge.role.requestOrigin ?? null) !== (role.requestOrigin ?? null) && (purge.role.requestOrigin ?? null) !== null) {
            purge.role = { ...purge.role, requestOrigin: null };
            purge.reworded = true;
          }
          return addFinding(purge, index);
        }
        const draft: Draft = { role: { ...role, targets: coveringPaths(role.targets) }, text, findings: [index], order: order++, reworded: false, textKey };
        purges.set(purgeKey, draft);
        byText.set(textKey, draft);
        drafts.push(draft);
        return;
      }
      const key = stepKey(role);
      const existing = byKey.get(key);
      if (existing) return addFinding(existing, index);
      const draft: Draft = { role, text, findings: [index], order: order++, reworded: false, textKey };
      byKey.set(key, draft);
      byText.set(textKey, draft);
      drafts.push(draft);
    });
  }
  foldQuotedSteps(drafts);
  const hasPrevent = drafts.some((draft) => draft.role.kind === 'prevent');
  if (!hasPrevent) drafts.push(...pointers);
  else for (const pointer of pointers) for (const draft of drafts) if (draft.role.kind === 'prevent') for (const index of pointer.findings) addFinding(draft, index);
  drafts.sort((a, b) => kindRank(a.role.kind) - kindRank(b.role.kind) || a.order - b.order);
  const steps: PlanStep[] = drafts.map((draft) => {
    const text = draft.reworded ? purgeRef(draft.role.vendor ?? null, draft.role.targets, draft.role.origin ?? null, draft.role.requestOrigin ?? null) : draft.text;
    return { role: draft.role, text, english: renderText(text, english), findings: draft.findings };
  });
  return { steps, text: planText(steps, PLAN_HEADINGS) };
}

/** The texts nested in a step's values (a rule may quote a shared step whole, e.g. the S3 CORS JSON inside its own sentence). */
function nestedRefs(value: MessageValue, into: Set<string>): Set<string> {
  if (typeof value !== 'object') return into;
  if (isList(value)) {
    for (const item of value.items) nestedRefs(item, into);
    return into;
  }
  for (const inner of Object.values(value.data ?? {})) {
    if (isRef(inner)) into.add(JSON.stringify(inner));
    nestedRefs(inner, into);
  }
  return into;
}

/** Whether `outer` quotes `inner` whole among its values. */
export function quotesStep(outer: MessageRef, inner: MessageRef): boolean {
  return nestedRefs(outer, new Set()).has(JSON.stringify(inner));
}

/** A step another step quotes whole is that step: it is dropped, and the quoting step addresses its findings too. */
function foldQuotedSteps(drafts: Draft[]): void {
  const quoted = drafts.map((draft) => nestedRefs(draft.text, new Set()));
  for (let index = drafts.length - 1; index >= 0; index--) {
    const key = drafts[index]!.textKey;
    const quoting = drafts.findIndex((_, other) => other !== index && quoted[other]!.has(key));
    if (quoting === -1) continue;
    for (const finding of drafts[index]!.findings) if (!drafts[quoting]!.findings.includes(finding)) drafts[quoting]!.findings.push(finding);
    drafts.splice(index, 1);
    quoted.splice(index, 1);
  }
}

/** The plan as numbered lines under the heading of each part, in the lookup's language. */
export function planText(steps: readonly Pick<PlanStep, 'role' | 'english'>[], headings: MessageLookup, stepText: (index: number) => string = (index) => steps[index]!.english): string {
  const lines: string[] = [];
  let number = 0;
  for (const kind of PLAN_KIND_ORDER) {
    const indexes = steps.map((step, index) => (step.role.kind === kind ? index : -1)).filter((index) => index >= 0);
    if (indexes.length === 0) continue;
    lines.push(`${headings(`plan.kind.${kind}`, {}) ?? kind}:`);
    for (const index of indexes) lines.push(`${++number}. ${stepText(index)}`);
  }
  return lines.join('\n');
}
