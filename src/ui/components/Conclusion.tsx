import { Component } from 'preact';
import { useState } from 'preact/hooks';
import type { Conclusion as ConclusionData, Finding, FixPlan, LocalisedText } from '../../engine/model.ts';
import { message } from '../../platform/runtime.ts';
import { copyText } from '../clipboard.ts';
import { clipboardText } from '../../export/redact.ts';
import { localisedText, planInLanguage } from './localised.ts';
import { browserTranslate } from './translate.ts';
import { scopesOf } from '../../engine/scope.ts';

const causeLabel = (cause: string): string => {
  const key = `cause_${cause.replace(/-/g, '_')}`;
  const label = message(key);
  return label === key ? cause : label;
};

/** A card's title: its cause, and its scope when another finding has the same cause (scopesOf). */
export function causeTitle(cause: string, scope: string | null): string {
  return scope === null ? causeLabel(cause) : message('conclusion_causeOn', [causeLabel(cause), scope]);
}

/** A text of the engine in the UI's language (its English when this language lacks a part of it). */
const say = (text: LocalisedText): string => localisedText(text, browserTranslate);

/**
 * The answer first (docs/ux.md#the-answer-first): one sentence naming the primary cause and how sure
 * it is (the sentence says the confidence), how the other findings relate to it (why this one first, and how to tell alternatives apart,
 * folded), then the merged fix plan with Copy plan. The card numbers (#1…) are the cards' below.
 * `keepSecrets`: the user's *keep secrets* choice; otherwise the copied plan goes through the export's redactor.
 */
export function Conclusion({
  conclusion,
  plan,
  findings,
  keepSecrets,
  planSteps,
}: {
  conclusion: ConclusionData;
  plan: FixPlan;
  findings: readonly Finding[];
  keepSecrets: boolean;
  /** The plan's steps drawn (the first frame's limit, FIRST_FRAME_DIAGNOSIS); undefined: all. Copy plan copies all. */
  planSteps?: number | undefined;
}) {
  const primary = conclusion.primary === null ? undefined : findings[conclusion.primary];
  const scopes = scopesOf(findings);
  return (
    <div class="answer" data-testid="answer">
      <p
        class={`conclusion status-${conclusion.status}`}
        data-testid="conclusion"
        data-status={conclusion.status}
        data-primary-cause={primary?.cause ?? ''}
        data-confidence={conclusion.confidence ?? ''}
      >
        {say(conclusion.sentence)}
      </p>
      {/* Folded again when the primary cause changes (the list it unfolded was another). */}
      {conclusion.others.length > 0 && <OtherCauses key={conclusion.primary ?? -1} others={conclusion.others} findings={findings} scopes={scopes} />}
      <details class="reasoning" data-testid="reasoning">
        <summary>{message(conclusion.decide.length > 0 ? 'reasoningAndDecide' : 'reasoningHeading')}</summary>
        <p>{say(conclusion.reasoning)}</p>
        {conclusion.decide.map((decide, index) => (
          <p key={index} data-testid="decide">
            {say(decide)}
          </p>
        ))}
      </details>
      {plan.steps.length > 0 && <ShownPlan plan={plan} keepSecrets={keepSecrets} drawn={planSteps} />}
    </div>
  );
}

/**
 * The other causes the answer names before a "N more" button: with many findings the whole list filled
 * the popup's first screen and pushed the plan out of it. Every cause has its card below, and an
 * alternative explanation (what *Why this cause first* tells apart) is always named. One cause more
 * is named rather than folded (the button would take its room).
 */
export const OTHER_CAUSES_NAMED = 3;

function OtherCauses({ others, findings, scopes }: { others: ConclusionData['others']; findings: readonly Finding[]; scopes: ReadonlyArray<string | null> }) {
  const [all, setAll] = useState(false);
  const folded = others.filter((other, index) => index < OTHER_CAUSES_NAMED || other.relation === 'alternative');
  const foldable = others.length - folded.length >= 2;
  const named = all || !foldable ? others : folded;
  return (
    <p class="others" data-testid="other-causes">
      <span class="muted">{message('otherCausesHeading')}</span>{' '}
      {named.map((other, index) => {
        const finding = findings[other.finding];
        return (
          <span key={other.finding} class={`other relation-${other.relation}`} data-relation={other.relation} data-cause={finding?.cause ?? ''}>
            {index > 0 && ' · '}#{other.finding + 1} {causeTitle(finding?.cause ?? '', scopes[other.finding] ?? null)} <span class="muted">({message(`relation_${other.relation}`)})</span>
          </span>
        );
      })}
      {foldable && (
        <>
          {' · '}
          <button type="button" class="more-causes" data-testid="more-causes" aria-expanded={all} onClick={() => setAll(!all)}>
            {all ? message('fewerCauses') : message('moreCauses', String(others.length - folded.length))}
          </button>
        </>
      )}
    </p>
  );
}

type PlanProps = { plan: FixPlan; keepSecrets: boolean; drawn: number | undefined };

/**
 * The merged fix plan with Copy plan, drawn again only when the plan or the user's choice changed: a
 * live update that changes the conclusion's counts keeps the plan object (src/view/summary-change.ts),
 * so its steps are not translated and diffed again.
 */
class ShownPlan extends Component<PlanProps, { copied: boolean }> {
  override state = { copied: false };

  override shouldComponentUpdate(next: PlanProps, state: { copied: boolean }): boolean {
    return next.plan !== this.props.plan || next.keepSecrets !== this.props.keepSecrets || next.drawn !== this.props.drawn || state.copied !== this.state.copied;
  }

  override render() {
    const { plan } = this.props;
    const { copied } = this.state;
    const setCopied = (ok: boolean) => this.setState({ copied: ok });
    const steps = plan.steps.slice(0, this.props.drawn ?? plan.steps.length);
    let number = 0;
    return (
      <div class="plan" data-testid="plan">
        <div class="plan-head">
          <strong>{message('planHeading')}</strong>
          <button type="button" data-testid="copy-plan" onClick={() => void copyText(clipboardText(planInLanguage(this.props.plan, browserTranslate), this.props.keepSecrets)).then((ok) => setCopied(ok))}>
            {copied ? message('copied') : message('copyPlan')}
          </button>
        </div>
        {/* Scrollable when long: focusable so keyboard users can scroll it. */}
        <ol class="plan-steps" tabIndex={0} aria-label={message('planHeading')}>
          {steps.map((step, index) => {
            const head = index === 0 || steps[index - 1]!.role.kind !== step.role.kind;
            number++;
            return [
              head && (
                <li key={`kind-${step.role.kind}`} class="plan-kind" aria-hidden="true">
                  {message(`plan_kind_${step.role.kind.replace(/-/g, '_')}`)}
                </li>
              ),
              <li key={index} value={number} class="plan-step" data-testid="plan-step" data-kind={step.role.kind} data-layer={step.role.layer} data-action={step.role.action}>
                <span class="plan-text">{say({ english: step.english, text: step.text })}</span>{' '}
                <span class="plan-for muted" title={message('planForHint')}>
                  {[...step.findings].sort((a, b) => a - b).map((finding) => `#${finding + 1}`).join(' ')}
                </span>
              </li>,
            ];
          })}
        </ol>
      </div>
    );
  }
}
