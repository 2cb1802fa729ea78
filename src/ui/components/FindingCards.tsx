import { Component } from 'preact';
import { useState } from 'preact/hooks';
import type { Conclusion as ConclusionData, Finding, FixPlan, RuleError } from '../../engine/model.ts';
import { Conclusion, causeTitle } from './Conclusion.tsx';
import { scopesOf } from '../../engine/scope.ts';
import { LOOKED_FOR } from '../../engine/rules/lib/looked-for.ts';
import { countMessage, message } from '../../platform/runtime.ts';
import { copyText } from '../clipboard.ts';
import { clipboardText } from '../../export/redact.ts';
import { findingFix, findingMessage } from './localised.ts';
import { browserTranslate } from './translate.ts';

/**
 * What the first frame draws of the diagnosis (drawn from a stored first screen, TabView): as many
 * plan steps and cards as can be seen, the rest a frame later with the whole list. The steps scroll
 * inside --plan-height (136 px in the popup, 260 in the panel: popup.css, panel.css), and a step is at
 * least one 17 px line with its 2 px margin, so 8 and 14 steps fill it; the cards scroll inside
 * --diagnosis-height (360 and 420 px), and a collapsed card is at least 38 px with the gap, so 10 and
 * 12 fill it. What is added later is out of sight in those scrolling boxes: nothing seen moves
 * (test/e2e/popup-first-screen.e2e.test.ts checks both boxes are full when anything was left out).
 * Drawing all 25 steps and 20 cards of the bench's log made a warm open ≈ 8 ms slower
 * (docs/budgets.md#first-frame-diagnosis).
 */
export const FIRST_FRAME_DIAGNOSIS = { popup: { planSteps: 8, cards: 10 }, panel: { planSteps: 14, cards: 12 } } as const;

/** How many of the plan's steps and of the cards a frame draws. */
export interface DrawnAtFirst {
  planSteps: number;
  cards: number;
}

/**
 * The diagnosis: the answer first (conclusion and merged plan, when the report has them), then the
 * cards — cause, confidence, what was seen, the fix — most severe first (the report's order).
 * Once requests are listed the section is always there, at a fixed height (popup.css), saying so when
 * nothing is wrong: a card arriving mid-stream then fills it instead of pushing the list down. While
 * the diagnosis is still to come (`findings` null: a freshly started worker lists the requests first)
 * it holds the same place. `keepSecrets`: the user's *keep secrets* choice; otherwise a copied fix
 * goes through the export's redactor.
 */
export function FindingCards({
  findings,
  ruleErrors,
  checked,
  rejected,
  keepSecrets = false,
  answer,
  drawn,
}: {
  findings: readonly Finding[] | null;
  /** The report's conclusion and plan (absent from a summary made before they existed). */
  answer?: { conclusion: ConclusionData; plan: FixPlan } | undefined;
  ruleErrors: readonly RuleError[];
  checked: number;
  /**
   * Requests the browser rejected, of all recorded, both from the tab's exact totals (the header's
   * count; evicted records included): a diagnosis without cards must not say there are none.
   */
  rejected: { count: number; of: number };
  keepSecrets?: boolean;
  /** The first frame's limits (FIRST_FRAME_DIAGNOSIS); undefined: everything is drawn. */
  drawn?: DrawnAtFirst | undefined;
}) {
  if (checked === 0) return null;
  if (findings === null) {
    return (
      <section class="findings" aria-label={message('diagnosis')} aria-busy="true" data-testid="findings-pending">
        <p class="note no-findings">{message('loading')}</p>
      </section>
    );
  }
  return (
    <section class="findings" aria-label={message('diagnosis')} data-testid="findings">
      {ruleErrors.length > 0 && <RuleErrors errors={ruleErrors} />}
      {findings.length === 0 ? (
        <NothingFound checked={checked} rejected={rejected} />
      ) : (
        answer && <ShownConclusion conclusion={answer.conclusion} plan={answer.plan} findings={findings} keepSecrets={keepSecrets} planSteps={drawn?.planSteps} />
      )}
      {findings.length > 0 && <Cards findings={findings} keepSecrets={keepSecrets} drawn={drawn?.cards} />}
    </section>
  );
}

/** The cards (the first `drawn` of them), each titled with its cause and, when another card has the same cause, its scope (scopesOf). */
function Cards({ findings, keepSecrets, drawn }: { findings: readonly Finding[]; keepSecrets: boolean; drawn: number | undefined }) {
  const scopes = scopesOf(findings);
  return <>{findings.slice(0, drawn ?? findings.length).map((finding, index) => <ShownCard key={`${finding.ruleId}-${index}`} finding={finding} scope={scopes[index] ?? null} number={index + 1} keepSecrets={keepSecrets} />)}</>;
}

type CardProps = { finding: Finding; scope: string | null; number: number; keepSecrets: boolean };

/**
 * A card drawn again only when its finding changed: a live view keeps the finding objects a summary
 * change left as they were (src/view/summary-change.ts), so an update redraws only the cards it changed.
 */
class ShownCard extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps): boolean {
    const shown = this.props;
    return next.finding !== shown.finding || next.scope !== shown.scope || next.number !== shown.number || next.keepSecrets !== shown.keepSecrets;
  }

  override render() {
    return <FindingCard {...this.props} />;
  }
}

type ConclusionProps = Parameters<typeof Conclusion>[0];

/** The conclusion drawn again only when it, the plan, the user's choice, the steps drawn or a cause it names (or its scope) changed. */
class ShownConclusion extends Component<ConclusionProps> {
  override shouldComponentUpdate(next: ConclusionProps): boolean {
    const shown = this.props;
    if (next.conclusion !== shown.conclusion || next.plan !== shown.plan || next.keepSecrets !== shown.keepSecrets || next.planSteps !== shown.planSteps) return true;
    return next.findings.length !== shown.findings.length || next.findings.some((finding, index) => finding.cause !== shown.findings[index]!.cause || finding.scope !== shown.findings[index]!.scope);
  }

  override render() {
    return <Conclusion {...this.props} />;
  }
}

/**
 * The diagnosis when it found nothing: the note, then what the rules look for, so the slot (kept at
 * its height for a card that may still come, docs/ux.md#no-layout-jumps) says what "nothing" covers
 * instead of standing blank around one line. Rejected requests no rule explains (a capture missing
 * the headers a rule reads, or a cause CORS Lens does not know) are said to be there, never denied.
 * The list's lines are those the rules name (src/engine/rules/lib/looked-for.ts).
 */
function NothingFound({ checked, rejected }: { checked: number; rejected: { count: number; of: number } }) {
  return (
    <div class="no-findings" data-testid="nothing-found">
      {rejected.count > 0 ? (
        <p class="note bad" data-testid="no-findings" data-rejected={rejected.count}>
          {countMessage('noFindingsRejected', rejected.count, [String(rejected.count), String(rejected.of)])}
        </p>
      ) : (
        <p class="note" data-testid="no-findings">
          {countMessage('noFindings', checked)}
        </p>
      )}
      <div class="looked-for" data-testid="looked-for">
        <p class="muted">{message('lookedForHeading')}</p>
        <ul>
          {LOOKED_FOR.map((line) => (
            <li key={line}>{message(`lookedFor_${line}`)}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Rules that threw: their causes are missing from the cards below, and the user should know. */
function RuleErrors({ errors }: { errors: readonly RuleError[] }) {
  return (
    <div class="note bad rule-errors" role="alert" data-testid="rule-errors">
      <p>{message('ruleErrors')}</p>
      <ul>
        {errors.map((error) => (
          <li key={error.ruleId} data-testid="rule-error" data-rule={error.ruleId}>
            <code>{error.ruleId}</code>: {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * One card, collapsed to its headline (the conclusion and the plan above say what to do): its number
 * (the plan's #n), cause, confidence and request count; opening it shows what was seen and its own fix.
 * The collapsed part stays in the document, hidden, so opening it moves nothing but the card itself.
 */
function FindingCard({ finding, scope, number, keepSecrets }: CardProps) {
  const [open, setOpen] = useState(false);
  return (
    <article
      class={`finding severity-${finding.severity}`}
      data-testid="finding"
      data-cause={finding.cause}
      data-rule={finding.ruleId}
      data-severity={finding.severity}
      data-confidence={finding.confidence}
    >
      <header>
        <button type="button" class="finding-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class="finding-number muted">#{number}</span>
          <span class="finding-title">{causeTitle(finding.cause, scope)}</span>
          <span class={`confidence confidence-${finding.confidence}`}>{message(`confidence_${finding.confidence}`)}</span>
          <span class="finding-count">{countMessage('findingRequests', finding.recordIds.length)}</span>
        </button>
      </header>
      <div class="finding-body" hidden={!open}>
        <p class="finding-message" data-testid="finding-message">
          {findingMessage(finding, browserTranslate)}
        </p>
        {finding.evidence.length > 0 && <ShownEvidence evidence={finding.evidence} />}
        <ShownFix finding={finding} keepSecrets={keepSecrets} />
      </div>
    </article>
  );
}

type EvidenceProps = { evidence: Finding['evidence'] };

/** What a finding saw, drawn again only when it changed (a live update keeps unchanged fields' objects). */
class ShownEvidence extends Component<EvidenceProps> {
  override shouldComponentUpdate(next: EvidenceProps): boolean {
    return next.evidence !== this.props.evidence;
  }

  override render() {
    const { evidence } = this.props;
    return (
      <details>
        <summary>{message('evidence')}</summary>
        <ul class="evidence" tabIndex={0} aria-label={message('evidence')}>
          {evidence.map((item, index) => (
            <li key={index}>
              <code>{item.name}</code>: {item.value === null ? <em>{message('none')}</em> : <code>{item.value}</code>}{' '}
              <span class="muted">#{item.recordId}</span>
            </li>
          ))}
        </ul>
      </details>
    );
  }
}

type FixProps = { finding: Finding; keepSecrets: boolean };

/**
 * A finding's own fix with Copy fix, translated and drawn again only when the fix or the user's choice
 * changed: a live update that changes the finding's count keeps its fix objects.
 */
class ShownFix extends Component<FixProps, { copied: boolean }> {
  override state = { copied: false };

  override shouldComponentUpdate(next: FixProps, state: { copied: boolean }): boolean {
    const shown = this.props.finding;
    return next.finding.fix !== shown.fix || next.finding.fixSteps !== shown.fixSteps || next.keepSecrets !== this.props.keepSecrets || state.copied !== this.state.copied;
  }

  override render() {
    const fix = findingFix(this.props.finding, browserTranslate);
    if (!fix) return null;
    const { copied } = this.state;
    const setCopied = (ok: boolean) => this.setState({ copied: ok });
    return (
      <div class="fix">
        <div class="fix-head">
          <strong>{message('fix')}</strong>
          <button
            type="button"
            data-testid="copy-fix"
            onClick={() => void copyText(clipboardText(fix, this.props.keepSecrets)).then((ok) => setCopied(ok))}
          >
            {copied ? message('copied') : message('copyFix')}
          </button>
        </div>
        {/* Scrollable when long: focusable so keyboard users can scroll it. */}
        <pre data-testid="fix" tabIndex={0} aria-label={message('fix')}>
          {fix}
        </pre>
      </div>
    );
  }
}
