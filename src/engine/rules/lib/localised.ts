/**
 * A rule describes its finding once, as message ids and values; this renders the English `message`
 * and `fix` from them and keeps the values for the UI to render in the user's language.
 */
import type { Confidence, Evidence, Finding, FindingKind, FixStepRole, MessageData, MessageRef, MessageValue, Severity } from '../../model.ts';
import { CDN_FIX_TEXT } from '../../cdn/fixes.ts';
import { DESCRIBE_TEXT, EVIDENCE_SAMPLE, ids, kindOfGroup, kindWord } from './describe.ts';
import { SHARED_FIX_TEXT } from './fixes.ts';
import { roleOfStep } from './steps.ts';
import { ANSWER_TEXT } from '../../answer-text.ts';
import type { RecordFacts, RuleContext, RuleMeta, RuleReport } from './types.ts';
import { LIST_TEXT, RULE_MESSAGE_PREFIX, catalogueLookup, placeholderNamesOf, ref, renderData, renderSteps, type MessageLookup } from './text.ts';

/** English of every text shared between rules. */
export const COMMON_TEXT: Readonly<Record<string, string>> = { ...LIST_TEXT, ...DESCRIBE_TEXT, ...SHARED_FIX_TEXT, ...CDN_FIX_TEXT, ...ANSWER_TEXT };

/** The English of one rule's messages and texts, by full message id (`rule.<ruleId>.<name>`). */
export function ruleTexts(meta: RuleMeta): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, template] of Object.entries({ ...meta.messages, ...meta.texts })) texts[`${RULE_MESSAGE_PREFIX}${meta.id}.${name}`] = template;
  return texts;
}

/** What a rule says about a group of records; `reportGroup` adds what every such report shares. */
export interface GroupReport {
  messageId: string;
  /** The message's values; `count` (the group's size) and `kind` (its file kind in words) unless given here. */
  data: MessageData;
  /**
   * What one record shows, for the first EVIDENCE_SAMPLE records of `sampled` (the group itself unless
   * given); or the whole list, when the evidence is not one sample of records.
   */
  evidence: ((facts: RecordFacts) => Evidence[]) | readonly Evidence[];
  sampled?: readonly RecordFacts[];
  /** Evidence after the sample's, from records outside it (those that worked, an earlier fetch…). */
  moreEvidence?: readonly Evidence[];
  /**
   * Records outside the group whose rejection the finding explains (the requests a refused preflight
   * stopped): named after the group's records, so the conclusion counts them, and not in `count`.
   */
  consequences?: readonly RecordFacts[];
  confidence: Confidence;
  /** Steps that do not apply (null) are left out. */
  fixSteps: ReadonlyArray<MessageRef | null>;
  severity?: Severity;
  kind?: FindingKind;
  /**
   * What tells this finding from another of its cause, as `host` then what tells it apart on that host
   * (src/engine/scope.ts: `host /*.ts`, `host HTTP 404`), when the rule grouped by more than the
   * `behavior` or `host` its message names.
   */
  scope?: string;
}

export interface RuleTexts {
  /** A fragment or fix step of this rule: `rule.<ruleId>.<name>`. */
  text(name: string, data?: MessageData): MessageRef;
  /**
   * Reports a finding on `group` (its records, in that order): message and fix rendered in English,
   * and kept as ids and values for other languages.
   */
  reportGroup(context: RuleContext, group: readonly RecordFacts[], report: GroupReport): void;
}

/** One per rule module: its texts and the English renderer for its reports. */
export function textsOf(meta: RuleMeta): RuleTexts {
  const english: MessageLookup = catalogueLookup({ ...COMMON_TEXT, ...ruleTexts(meta) });
  // Each name's full id built once: a fresh `rule.<id>.<name>` per use would be hashed again at every lookup.
  const idsByName = new Map<string, string>();
  const idOf = (name: string): string => {
    let id = idsByName.get(name);
    if (id === undefined) idsByName.set(name, (id = `${RULE_MESSAGE_PREFIX}${meta.id}.${name}`));
    return id;
  };
  return {
    text: (name, data) => ref(idOf(name), data),
    reportGroup: (context, group, { messageId, data, evidence, sampled = group, moreEvidence = [], consequences = [], confidence, fixSteps, severity, kind, scope }) => {
      // Only the values the template names: other languages get them by position (see the UI's lookup).
      // Key order as `{ count, kind, ...data }` would give: the defaults first unless data has them.
      const used = placeholderNamesOf(meta.messages[messageId] ?? '');
      const messageData: Record<string, MessageValue> = {};
      if (!('count' in data) && used.includes('count')) messageData.count = group.length;
      if (!('kind' in data) && used.includes('kind')) messageData.kind = kindWord(kindOfGroup(group), group.length);
      for (const name in data) if (used.includes(name)) messageData[name] = data[name]!;
      const steps: MessageRef[] = [];
      const roles: FixStepRole[] = [];
      for (const step of fixSteps) {
        if (step === null) continue;
        steps.push(step);
        roles.push(roleOfStep(step, meta.category));
      }
      const reported: Evidence[] = [];
      if (typeof evidence === 'function') {
        const end = Math.min(sampled.length, EVIDENCE_SAMPLE);
        for (let index = 0; index < end; index++) for (const item of evidence(sampled[index]!)) reported.push(item);
      } else for (const item of evidence) reported.push(item);
      for (const item of moreEvidence) reported.push(item);
      const report: RuleReport = {
        messageId,
        data: renderData(messageData, english),
        recordIds: consequences.length === 0 ? ids(group) : [...ids(group), ...ids(consequences)],
        evidence: reported,
        confidence: meta.certainFromHeaders ? confidence : confidenceOfRows(confidence, group),
        fix: renderSteps(steps, english),
        localised: { data: messageData, fixSteps: steps, fixStepRoles: roles, ...(scope !== undefined ? { scope } : {}) },
      };
      if (severity !== undefined) report.severity = severity;
      if (kind !== undefined) report.kind = kind;
      context.report(report);
    },
  };
}

/**
 * A finding is no surer than the rows it names: when a row's verdict was inferred from what the page
 * saw (Firefox, src/engine/cors/inference.ts) rather than read from the browser, 'certain' becomes
 * 'likely' (docs/rules/index.md#confidence).
 */
export function confidenceOfRows(confidence: Confidence, group: readonly RecordFacts[]): Confidence {
  if (confidence !== 'certain') return confidence;
  for (let index = 0; index < group.length; index++) if (group[index]!.verdict.inferred !== undefined) return 'likely';
  return confidence;
}

/** Adds the Finding fields that let the UI render a finding in another language (none for a plain RuleReport). */
export function addLocalisedFields(finding: Finding, ruleId: string, report: RuleReport): void {
  if (report.localised === undefined) return;
  const { data, fixSteps, fixStepRoles } = report.localised;
  finding.messageId = `${ruleId}.${report.messageId}`;
  finding.data = data;
  finding.fixSteps = [...fixSteps];
  // The scope is the behaviour or host the rule grouped by, which its message names as `behavior` or
  // `host`, unless the rule said it (it grouped by more).
  const scope = report.localised.scope ?? data['behavior'] ?? data['host'];
  if (typeof scope === 'string' && scope !== '') finding.scope = scope;
  if (fixStepRoles) finding.fixStepRoles = [...fixStepRoles];
}

/** Every English text a finding can use, by message id (rule messages as `rule.<ruleId>.<messageId>`). */
export function englishCatalogue(rules: readonly { meta: RuleMeta }[]): Record<string, string> {
  const catalogue: Record<string, string> = { ...COMMON_TEXT };
  for (const rule of rules) Object.assign(catalogue, ruleTexts(rule.meta));
  return catalogue;
}
