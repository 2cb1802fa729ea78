/**
 * Engine and import texts in the UI's language. The engine hands over message ids and values
 * (Finding.messageId/data/fixSteps, ImportError.text) and its English sentences; this renders the ids
 * through _locales and falls back to the English sentence when a language has no text for an id.
 * A verdict carries only English, so its sentence is rebuilt here from the verdict's fields.
 */
import type { CorsVerdict, Finding, FixPlan, LocalisedText, MessageData, MessageRef, RequestRecord } from '../../engine/model.ts';
import { planText } from '../../engine/plan.ts';
import { MissingMessage, RULE_MESSAGE_PREFIX, localeKeyOf, ref, renderSteps, renderText, type MessageLookup } from '../../engine/rules/lib/text.ts';
import { headerValue } from '../../engine/headers.ts';

/** Looks a _locales key up with positional substitutions; null when there is no text (browserTranslate in the UI). */
export type Translate = (key: string, substitutions: string[]) => string | null;

/** Placeholders are numbered in the alphabetical order of their names (test/ui/locales.test.ts checks every key). */
export function orderedNames(values: Readonly<Record<string, string>>): string[] {
  return Object.keys(values).sort((a, b) => {
    const [left, right] = [a.toLowerCase(), b.toLowerCase()];
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

export function lookupOf(translate: Translate): MessageLookup {
  return (id, values) => translate(localeKeyOf(id), orderedNames(values).map((name) => values[name]!));
}

/** A text by id, or the English fallback when any part of it has no text in this language. */
function renderOr(value: MessageRef, fallback: string, translate: Translate): string {
  try {
    return renderText(value, lookupOf(translate));
  } catch (error) {
    if (error instanceof MissingMessage) return fallback;
    throw error;
  }
}

/** A text the engine gives in English and as a message (the conclusion, a plan step), in the UI's language. */
export function localisedText(text: LocalisedText, translate: Translate): string {
  return renderOr(text.text, text.english, translate);
}

/** The merged plan in the UI's language, as *Copy plan* copies it: numbered steps under the heading of each part. */
export function planInLanguage(plan: FixPlan, translate: Translate): string {
  return planText(plan.steps, lookupOf(translate), (index) => localisedText({ english: plan.steps[index]!.english, text: plan.steps[index]!.text }, translate));
}

export function findingMessage(finding: Finding, translate: Translate): string {
  if (finding.messageId === undefined || finding.data === undefined) return finding.message;
  return renderOr(ref(`${RULE_MESSAGE_PREFIX}${finding.messageId}`, finding.data), finding.message, translate);
}

export function findingFix(finding: Finding, translate: Translate): string {
  if (finding.fixSteps === undefined) return finding.fix;
  try {
    return renderSteps(finding.fixSteps, lookupOf(translate));
  } catch (error) {
    if (error instanceof MissingMessage) return finding.fix;
    throw error;
  }
}

/** An import error or warning in the UI's language: its `text` by id, or its English `message`. */
export function importMessage(error: { message: string; text?: MessageRef | undefined }, translate: Translate): string {
  return error.text === undefined ? error.message : renderOr(error.text, error.message, translate);
}

interface VerdictFacts {
  where: MessageRef;
  whereStart: MessageRef;
  /** Chromium's failedParameter: the offending value ('' when Chromium reports none). */
  detail: string;
  origin: MessageRef;
}

/** Per Chromium CorsError name: the values its sentence needs, or null when the verdict lacks them. */
const ERROR_DATA: Readonly<Record<string, (facts: VerdictFacts) => MessageData | null>> = {
  WildcardOriginNotAllowed: ({ where }) => ({ where }),
  MissingAllowOriginHeader: ({ whereStart }) => ({ where: whereStart }),
  MultipleAllowOriginValues: ({ where, detail }) => (detail === '' ? null : { where, detail }),
  InvalidAllowOriginValue: ({ where, detail }) => ({ where, detail }),
  AllowOriginMismatch: ({ where, detail, origin }) => ({ where, detail, origin }),
  InvalidAllowCredentials: ({ where, detail }) => ({ where, detail }),
  PreflightInvalidStatus: () => ({}),
  PreflightDisallowedRedirect: () => ({}),
  InvalidAllowMethodsPreflightResponse: () => ({}),
  InvalidAllowHeadersPreflightResponse: () => ({}),
  MethodDisallowedByPreflightResponse: ({ detail }) => (detail === '' ? null : { detail }),
  HeaderDisallowedByPreflightResponse: ({ detail }) => (detail === '' ? null : { detail }),
  RedirectContainsCredentials: () => ({}),
  CorsDisabledScheme: () => ({}),
  DisallowedByMode: () => ({}),
  LocalNetworkAccessPermissionDenied: () => ({}),
  InsecureLocalNetwork: () => ({}),
};

/** The CorsError names that have their own sentence; Preflight* variants of the access checks reuse the base one. */
export function baseErrorName(chromiumError: string): string {
  const own = chromiumError === 'PreflightInvalidStatus' || chromiumError === 'PreflightDisallowedRedirect';
  return chromiumError.startsWith('Preflight') && !own ? chromiumError.slice('Preflight'.length) : chromiumError;
}

export function hasErrorSentence(chromiumError: string): boolean {
  return baseErrorName(chromiumError) in ERROR_DATA;
}

/** Where a verdict's sentence finds the request's Origin: the record, or a list row that carries it. */
export type OriginSource = Pick<RequestRecord, 'requestHeaders'> | { requestOrigin: string | null };

/** The verdict's sentence as a message, or null when no message says it (then the engine's English stands). */
export function verdictText(verdict: CorsVerdict, record: OriginSource | null): MessageRef | null {
  // A failure the engine worded itself (a load stopped before it was sent) says more than its name's sentence.
  if (verdict.outcome === 'fail' && verdict.explanationText !== undefined) return verdict.explanationText;
  if (verdict.outcome === 'fail' && verdict.chromiumError !== undefined) {
    const name = baseErrorName(verdict.chromiumError);
    const stage = verdict.stage ?? 'response';
    const requestOrigin = record === null ? null : 'requestOrigin' in record ? record.requestOrigin : headerValue(record.requestHeaders, 'origin');
    const detail = verdict.failedParameter ?? '';
    const facts: VerdictFacts = {
      where: ref(`verdict.where.${stage}`),
      whereStart: ref(`verdict.whereStart.${stage}`),
      detail,
      origin: requestOrigin === null ? ref('verdict.origin.page') : ref('verdict.origin.request', { origin: requestOrigin }),
    };
    const data = ERROR_DATA[name]?.(facts);
    if (data === undefined || data === null) return null;
    if (name === 'InvalidAllowCredentials' && detail === '') return ref('verdict.error.InvalidAllowCredentials.missing', { where: facts.where });
    return ref(`verdict.error.${name}`, data);
  }
  // Other sentences: the engine names their message itself.
  return verdict.explanationText ?? null;
}

/** English UIs show the engine's own sentence (it also names statuses and values the verdict does not keep). */
export function verdictExplanation(
  verdict: CorsVerdict,
  record: OriginSource | null,
  translate: Translate,
  uiLocale: string,
): string {
  if (uiLocale.toLowerCase().startsWith('en')) return verdict.explanation;
  const text = verdictText(verdict, record);
  return text === null ? verdict.explanation : renderOr(text, verdict.explanation, translate);
}
