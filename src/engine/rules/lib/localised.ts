/**
 * A rule describes its finding once, as message ids and values; this renders the English `message`
 * and `fix` from them and keeps the values for the UI to render in the user's language.
 */
import type { Confidence, Evidence, Finding, FindingKind, MessageData, MessageRef, Severity } from '../../model.ts';
import { CDN_FIX_TEXT } from '../../cdn/fixes.ts';
import { DESCRIBE_TEXT } from './describe.ts';
import { SHARED_FIX_TEXT } from './fixes.ts';
import type { RuleMeta, RuleReport } from './types.ts';
import { LIST_TEXT, RULE_MESSAGE_PREFIX, catalogueLookup, placeholdersOf, ref, renderData, renderSteps, type MessageLookup } from './text.ts';

/** English of every text shared between rules. */
export const COMMON_TEXT: Readonly<Record<string, string>> = { ...LIST_TEXT, ...DESCRIBE_TEXT, ...SHARED_FIX_TEXT, ...CDN_FIX_TEXT };

/** The English of one rule's messages and texts, by full message id (`rule.<ruleId>.<name>`). */
export function ruleTexts(meta: RuleMeta): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, template] of Object.entries({ ...meta.messages, ...meta.texts })) texts[`${RULE_MESSAGE_PREFIX}${meta.id}.${name}`] = template;
  return texts;
}

export interface LocalisableReport {
  messageId: string;
  data: MessageData;
  fixSteps: readonly MessageRef[];
  recordIds: readonly string[];
  evidence: readonly Evidence[];
  confidence: Confidence;
  severity?: Severity;
  kind?: FindingKind;
}

export interface RuleTexts {
  /** A fragment or fix step of this rule: `rule.<ruleId>.<name>`. */
  text(name: string, data?: MessageData): MessageRef;
  /** The RuleReport with English message data and fix, and the same as ids and values. */
  report(report: LocalisableReport): RuleReport;
}

/** One per rule module: its texts and the English renderer for its reports. */
export function textsOf(meta: RuleMeta): RuleTexts {
  const english: MessageLookup = catalogueLookup({ ...COMMON_TEXT, ...ruleTexts(meta) });
  return {
    text: (name, data) => ref(`${RULE_MESSAGE_PREFIX}${meta.id}.${name}`, data),
    report: ({ data, fixSteps, ...rest }) => {
      // Only the values the template names: other languages get them by position (see the UI's lookup).
      const used = placeholdersOf(meta.messages[rest.messageId] ?? '');
      const messageData = Object.fromEntries(Object.entries(data).filter(([name]) => used.includes(name)));
      return { ...rest, data: renderData(messageData, english), fix: renderSteps(fixSteps, english), localised: { data: messageData, fixSteps } };
    },
  };
}

/** The Finding fields that let the UI render a finding in another language (absent for a plain RuleReport). */
export function localisedFields(ruleId: string, report: RuleReport): Pick<Finding, 'messageId' | 'data' | 'fixSteps'> {
  if (report.localised === undefined) return {};
  return { messageId: `${ruleId}.${report.messageId}`, data: report.localised.data, fixSteps: [...report.localised.fixSteps] };
}

/** Every English text a finding can use, by message id (rule messages as `rule.<ruleId>.<messageId>`). */
export function englishCatalogue(rules: readonly { meta: RuleMeta }[]): Record<string, string> {
  const catalogue: Record<string, string> = { ...COMMON_TEXT };
  for (const rule of rules) Object.assign(catalogue, ruleTexts(rule.meta));
  return catalogue;
}
