import { useEffect, useRef, useState } from 'preact/hooks';
import type { CorsVerdict, HeaderList, RequestRecord } from '../../engine/model.ts';
import { message } from '../../platform/runtime.ts';
import { RETEST_TEXT, compareRetest, type RetestText } from '../../engine/retest.ts';
import { localeKeyOf } from '../../engine/rules/lib/text.ts';
import { curlFor } from '../../export/index.ts';
import { copyText } from '../clipboard.ts';
import { failureText } from './Failures.tsx';
import type { RequestRow } from '../../view/rows.ts';
import { inferenceNote, verdictLabel } from './verdictLabel.ts';
import { verdictExplanation } from './localised.ts';
import { browserTranslate, uiLocale } from './translate.ts';

const CORS_REQUEST_HEADERS = /^(origin|sec-fetch-(mode|site|dest)|access-control-request-.*|cookie|authorization|range)$/;
const CORS_RESPONSE_HEADERS = /^(access-control-.*|vary|timing-allow-origin|cross-origin-resource-policy)$/;
const CACHE_HEADERS = /^(x-cache|cf-cache-status|age|via|x-amz-cf-pop|x-amz-cf-id|x-served-by|x-cache-hits|cache-control|expires|etag|last-modified|server|cdn-cache|x-cdn|akamai-cache-status|cdn-cachedat|x-azure-ref|x-goog-.*)$/;

function pick(headers: HeaderList | null, pattern: RegExp): HeaderList {
  return (headers ?? []).filter(([name]) => pattern.test(name));
}

function HeaderTable({ title, headers, testId }: { title: string; headers: HeaderList; testId: string }) {
  return (
    <div class="header-block" data-testid={testId}>
      <h3>{title}</h3>
      {headers.length === 0 ? (
        <p class="muted">{message('none')}</p>
      ) : (
        <dl>
          {headers.map(([name, value], index) => (
            <div key={index} class="header-line">
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

/** A re-test sentence in the UI's language, or its English when the language has none. */
function retestSentence(text: RetestText): string {
  return browserTranslate(localeKeyOf(text.id), []) ?? RETEST_TEXT[text.id];
}

const ms = (from: number | undefined, to: number | undefined): string =>
  from === undefined || to === undefined ? '—' : `${Math.max(0, Math.round(to - from))} ms`;

/** Everything about one request: what was sent, what came back, the verdict in both browsers' words. */
interface RequestDetailProps {
  row: RequestRow;
  /** The row's full record (headers, timings, redirects). */
  record: RequestRecord;
  /** The newest re-test of this request in the log, if any. */
  latestRetest: { record: RequestRecord; verdict: CorsVerdict } | undefined;
  onClose: () => void;
  onRetest: (recordId: string) => Promise<string | null>;
  /** The user's *keep secrets* choice; otherwise a copied curl line goes through the export's redactor. */
  keepSecrets?: boolean;
}

export function RequestDetail({ row, record, latestRetest: latest, onClose, onRetest, keepSecrets = false }: RequestDetailProps) {
  const { verdict } = row;
  const { timings } = record;
  const section = useRef<HTMLElement>(null);
  const [retestState, setRetestState] = useState<'idle' | 'running' | { error: string }>('idle');
  const comparison = latest ? compareRetest(record, verdict, latest.record, latest.verdict) : null;
  // Bring the detail into view when another row is chosen (the list may be scrolled far below).
  useEffect(() => section.current?.scrollIntoView({ block: 'nearest' }), [row.id]);
  return (
    <section ref={section} class="detail" data-testid="request-detail" aria-label={message('requestDetail')}>
      <header class="detail-head">
        <h2 title={record.url}>{row.fileName}</h2>
        <button type="button" onClick={onClose} data-testid="close-detail">
          {message('close')}
        </button>
      </header>
      <p class="url">
        <code>
          {record.method} {record.url}
        </code>
      </p>
      <div class={`verdict-box outcome-${verdict.outcome}`} data-testid="detail-verdict">
        <strong>{verdictLabel(verdict)}</strong> —{' '}
        <span data-testid="verdict-explanation">{verdictExplanation(verdict, record, browserTranslate, uiLocale())}</span>
        {verdict.inferred && <p data-testid="detail-inferred-evidence">{inferenceNote(verdict)}</p>}
        <dl class="verdict-facts">
          {verdict.chromiumError && (
            <div>
              <dt>Chromium</dt>
              <dd data-testid="chromium-error">
                {verdict.chromiumError}
                {verdict.failedParameter !== undefined && verdict.failedParameter !== '' && <> ({verdict.failedParameter})</>}
                {verdict.chromiumErrorInferred && <> {message('errorNameInferred')}</>}
              </dd>
            </div>
          )}
          {verdict.firefoxError && (
            <div>
              <dt>Firefox</dt>
              <dd data-testid="firefox-error">{verdict.firefoxError}</dd>
            </div>
          )}
          {verdict.browserDifference && (
            <div>
              <dt>{message('browserDifference')}</dt>
              <dd>{verdict.browserDifference}</dd>
            </div>
          )}
          <div>
            <dt>{message('pageOrigin')}</dt>
            <dd>{record.pageOrigin ?? message('unknownOrigin')}</dd>
          </div>
          <div>
            <dt>{message('preflightNeeded')}</dt>
            <dd>{verdict.needsPreflight ? message('yes') : message('no')}</dd>
          </div>
        </dl>
      </div>
      <CurlButtons record={record} needsPreflight={verdict.needsPreflight} keepSecrets={keepSecrets} />
      {!record.retest && (
        <div class="retest" data-testid="retest-box">
          <button
            type="button"
            data-testid="retest"
            disabled={retestState === 'running'}
            onClick={() => {
              setRetestState('running');
              onRetest(record.id).then(
                (error) => setRetestState(error === null ? 'idle' : { error }),
                (error: unknown) => setRetestState({ error: message('retestFailed', failureText(error)) }),
              );
            }}
          >
            {message('retest')}
          </button>{' '}
          <span class="muted">{message('retestHint')}</span>
          {typeof retestState === 'object' && (
            <p class="note bad" data-testid="retest-error">
              {retestState.error}
            </p>
          )}
          {comparison && latest && (
            <div class="comparison" data-testid="retest-comparison" data-conclusion={comparison.conclusion}>
              <table>
                <thead>
                  <tr>
                    <th />
                    <th scope="col">{message('colVerdict')}</th>
                    <th scope="col">{message('colCache')}</th>
                    <th scope="col">{message('colAllowOrigin')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{message('original')}</th>
                    <td>{message(`outcome_${comparison.original.outcome.replace(/-/g, '_')}`)}</td>
                    <td>{comparison.original.cacheStatus ?? '—'}</td>
                    <td>{comparison.original.allowOrigin ?? message('none')}</td>
                  </tr>
                  <tr>
                    <th scope="row">{message('retested')}</th>
                    <td>{message(`outcome_${comparison.retest.outcome.replace(/-/g, '_')}`)}</td>
                    <td>{comparison.retest.cacheStatus ?? '—'}</td>
                    <td>{comparison.retest.allowOrigin ?? message('none')}</td>
                  </tr>
                </tbody>
              </table>
              <p data-testid="retest-explanation">{retestSentence(comparison.text)}</p>
              {comparison.caveat && (
                <p class="note" data-testid="retest-caveat">
                  {retestSentence(comparison.caveat)}
                </p>
              )}
            </div>
          )}
        </div>
      )}
      <div class="header-grid">
        <HeaderTable title={message('sentCorsHeaders')} headers={pick(record.requestHeaders, CORS_REQUEST_HEADERS)} testId="detail-request-headers" />
        <HeaderTable title={message('receivedCorsHeaders')} headers={pick(record.responseHeaders, CORS_RESPONSE_HEADERS)} testId="detail-cors-headers" />
        <HeaderTable title={message('cacheHeaders')} headers={pick(record.responseHeaders, CACHE_HEADERS)} testId="detail-cache-headers" />
      </div>
      <dl class="facts">
        <div>
          <dt>{message('colStatus')}</dt>
          <dd>{record.statusLine ?? record.status ?? '—'}</dd>
        </div>
        {record.error && (
          <div>
            <dt>{message('error')}</dt>
            <dd>{record.error}</dd>
          </div>
        )}
        <div>
          <dt>{message('fromBrowserCache')}</dt>
          <dd>{record.fromCache ? message('yes') : message('no')}</dd>
        </div>
        {record.ip && (
          <div>
            <dt>IP</dt>
            <dd>{record.ip}</dd>
          </div>
        )}
        <div>
          <dt>{message('timings')}</dt>
          <dd>
            {message('timingHeaders', ms(timings.start, timings.headersReceived))} · {message('timingTotal', ms(timings.start, timings.end))}
          </dd>
        </div>
        {record.redirects.map((hop, index) => (
          <div key={index}>
            <dt>{message('redirect')}</dt>
            <dd>
              {hop.status} {hop.url} → {hop.redirectUrl}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One-line curl commands that send the page's Origin: the request, and its preflight when one is needed. */
function CurlButtons({ record, needsPreflight, keepSecrets }: { record: RequestRecord; needsPreflight: boolean; keepSecrets: boolean }) {
  const [copied, setCopied] = useState<string | null>(null);
  // What is shown is what is copied: redacted unless keep secrets is ticked.
  const get = curlFor(record, { keepSecrets });
  const preflight = needsPreflight ? curlFor(record, { preflight: true, keepSecrets }) : null;
  if (get === null) return null;
  const copy = (which: string, text: string) => void copyText(text).then((ok) => setCopied(ok ? which : null));
  return (
    <div class="curl">
      <button type="button" data-testid="copy-curl" onClick={() => copy('get', get)}>
        {copied === 'get' ? message('copied') : message('copyCurl')}
      </button>
      {preflight && (
        <button type="button" data-testid="copy-curl-preflight" onClick={() => copy('preflight', preflight)}>
          {copied === 'preflight' ? message('copied') : message('copyCurlPreflight')}
        </button>
      )}
      <code class="curl-line" data-testid="curl-line">
        {get}
      </code>
    </div>
  );
}
