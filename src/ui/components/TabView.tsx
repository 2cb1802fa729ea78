import { Component, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RowFacts } from '../../view/row-facts.ts';
import { streamsOfTotals } from '../../view/totals.ts';
import { mediaRequestCount } from '../../view/counts.ts';
import type { TabViewData } from '../../view/model.ts';
import type { RequestRecord } from '../../engine/model.ts';
import { countMessage, message } from '../../platform/runtime.ts';
import { FindingCards, FIRST_FRAME_DIAGNOSIS } from './FindingCards.tsx';
import { failureText } from './Failures.tsx';
import { AccessNotice } from './AccessNotice.tsx';
import { EmptyState, ReloadPageButton } from './EmptyState.tsx';
import type { ExportFormat } from './exporting.ts';
import { RequestTable } from './RequestTable.tsx';
import { RequestDetail } from './RequestDetail.tsx';
import { StreamCounts } from './StreamCounts.tsx';
import { useRecordEveryPage } from './useRecordEveryPage.ts';
import { ROW_FILTERS, type RowFilter, type RowSort, type SortKey } from '../../view/rows.ts';
import { RequestList } from '../../view/list.ts';

export interface TabViewActions {
  onRefresh: () => void;
  onClear: () => void;
  onExport: (format: ExportFormat, redact: boolean) => void;
  onPreserveLog: (preserve: boolean) => void;
  /** Starts a re-test of a record; resolves to an error message, or null when it ran. */
  onRetest: (recordId: string) => Promise<string | null>;
  /** The full records of these rows (for the detail view); ids no longer held are left out. */
  loadRecords: (recordIds: string[]) => Promise<RequestRecord[]>;
  /** Reloads the live tab's page (absent for an imported file). */
  onReloadPage?: () => Promise<void>;
}

interface DetailRecords {
  records: ReadonlyMap<string, RequestRecord>;
  /** Why they could not be loaded, when the background did not answer. */
  failure: string | null;
}

/**
 * The full records the detail view shows: the selected one and its newest re-test. `settled` turns true
 * once the background answered for these ids (a record evicted meanwhile is then simply absent) or the
 * request failed (`failure` says why).
 */
function useDetailRecords(ids: readonly string[], load: TabViewActions['loadRecords']): DetailRecords & { settled: boolean } {
  // Keyed by the ids as JSON: imported files may use any text (spaces too) as a record id.
  const key = ids.length === 0 ? '' : JSON.stringify(ids);
  const [loaded, setLoaded] = useState<DetailRecords & { key: string }>({ key: '', records: new Map(), failure: null });
  useEffect(() => {
    if (key === '') return undefined;
    let current = true;
    load(JSON.parse(key) as string[]).then(
      (records) => {
        if (current) setLoaded({ key, records: new Map(records.map((record) => [record.id, record])), failure: null });
      },
      (error: unknown) => {
        if (current) setLoaded({ key, records: new Map(), failure: failureText(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [key]);
  const settled = key !== '' && loaded.key === key;
  return { records: loaded.records, failure: settled ? loaded.failure : null, settled };
}

/** The summary's conclusion and plan together, when it has both. */
function answerOf(summary: TabViewData['summary']) {
  return summary?.conclusion && summary.plan ? { conclusion: summary.conclusion, plan: summary.plan } : undefined;
}

/**
 * While only the list's first screen is held, the page stays scrolled to the top: the lines below it are
 * not read yet (FirstScreen). The whole list replaces it a frame later; a scroll meanwhile is undone
 * before the virtualiser's own scroll listener reads the position (this one listens in the capture phase).
 */
function useHeldAtTop(held: boolean): void {
  useLayoutEffect(() => {
    if (!held) return undefined;
    const hold = () => {
      if (window.scrollY !== 0) window.scrollTo(0, 0);
    };
    window.addEventListener('scroll', hold, { capture: true });
    return () => window.removeEventListener('scroll', hold, { capture: true });
  }, [held]);
}

interface SummaryHeaderProps {
  pageOrigin: string | null;
  mediaTotal: number;
  failing: number;
  preserveLog: boolean;
  /** The "Record every page" setting; null: no checkbox (not known yet, or Firefox, where it does not matter). */
  recordEveryPage: boolean | null;
  keepSecrets: boolean;
  canExport: boolean;
  actions: TabViewActions;
  onKeepSecrets: (keep: boolean) => void;
  onRecordEveryPage: (on: boolean) => void;
}

/**
 * The page origin, the counts and the actions, drawn again only when what they show changed: a live
 * update that changes no count leaves them alone. (Handlers read the props at event time, and Preact
 * hands a component its newest props even when it is not drawn again.)
 */
class SummaryHeader extends Component<SummaryHeaderProps> {
  override shouldComponentUpdate(next: SummaryHeaderProps): boolean {
    const shown = this.props;
    return (
      next.pageOrigin !== shown.pageOrigin ||
      next.mediaTotal !== shown.mediaTotal ||
      next.failing !== shown.failing ||
      next.preserveLog !== shown.preserveLog ||
      next.recordEveryPage !== shown.recordEveryPage ||
      next.keepSecrets !== shown.keepSecrets ||
      next.canExport !== shown.canExport
    );
  }

  override render() {
    const { pageOrigin, mediaTotal, failing, preserveLog, recordEveryPage, keepSecrets, canExport } = this.props;
    return (
      <header class="summary">
        <div class="origin">
          <span class="label">{message('pageOrigin')}</span> <code data-testid="page-origin">{pageOrigin ?? message('unknownOrigin')}</code>
        </div>
        <div class="counts" data-testid="counts">
          <span data-testid="count-media">{countMessage('countMedia', mediaTotal)}</span>
          <span data-testid="count-failing" class={failing > 0 ? 'bad' : ''}>
            {message('countFailing', String(failing))}
          </span>
        </div>
        <div class="actions">
          {/* Added after the first frame, once the setting is read: the actions are packed to the right, so it moves none of them. */}
          {recordEveryPage !== null && (
            <label class="toggle" title={message('recordEveryPageHint')}>
              <input type="checkbox" data-testid="record-every-page" checked={recordEveryPage} onChange={(event) => this.props.onRecordEveryPage((event.target as HTMLInputElement).checked)} />{' '}
              {message('recordEveryPage')}
            </label>
          )}
          <label class="toggle">
            <input type="checkbox" data-testid="preserve-log" checked={preserveLog} onChange={(event) => this.props.actions.onPreserveLog((event.target as HTMLInputElement).checked)} />{' '}
            {message('preserveLog')}
          </label>
          <span class="export" role="group" aria-label={message('export')}>
            {message('export')}
            {(['json', 'har', 'csv'] as const).map((format) => (
              <button key={format} type="button" onClick={() => this.props.actions.onExport(format, !this.props.keepSecrets)} data-testid={`export-${format}`} disabled={!canExport}>
                {format.toUpperCase()}
              </button>
            ))}
            <label class="toggle" title={message('keepSecretsHint')}>
              <input type="checkbox" data-testid="export-keep-secrets" checked={keepSecrets} onChange={(event) => this.props.onKeepSecrets((event.target as HTMLInputElement).checked)} />{' '}
              {message('keepSecrets')}
            </label>
          </span>
          <button type="button" onClick={() => this.props.actions.onClear()} data-testid="clear">
            {message('clearLog')}
          </button>
        </div>
      </header>
    );
  }
}

interface FilterChipsProps {
  filter: RowFilter;
  /** RequestList updates its counts in place: the chips keep the numbers they drew to compare with. */
  counts: Readonly<Record<RowFilter, number>>;
  onFilter: (chip: RowFilter) => void;
}

/** The filter chips with their counts, drawn again only when the filter or a count changed. */
class FilterChips extends Component<FilterChipsProps> {
  private drawn: { filter: RowFilter; counts: Record<RowFilter, number> } | null = null;

  override shouldComponentUpdate(next: FilterChipsProps): boolean {
    const drawn = this.drawn;
    return drawn === null || next.filter !== drawn.filter || ROW_FILTERS.some((chip) => next.counts[chip] !== drawn.counts[chip]);
  }

  override render() {
    const { filter, counts } = this.props;
    this.drawn = { filter, counts: { ...counts } };
    return (
      <div class="chips" role="radiogroup" aria-label={message('filter')}>
        {ROW_FILTERS.map((chip) => (
          <button
            key={chip}
            type="button"
            role="radio"
            aria-checked={filter === chip}
            class={filter === chip ? 'chip active' : 'chip'}
            data-testid={`filter-${chip}`}
            onClick={() => this.props.onFilter(chip)}
          >
            {message(`filter_${chip}`)} <span class="muted">{counts[chip]}</span>
          </button>
        ))}
      </div>
    );
  }
}

/** What the popup and the DevTools panel show for one tab: summary, the answer first (conclusion, plan, cards), requests, detail. */
export function TabView({ log, actions, variant, banner }: { log: TabViewData; actions: TabViewActions; variant: 'popup' | 'panel'; banner?: ComponentChildren }) {
  const findings = log.summary?.findings ?? null;
  const [filter, setFilter] = useState<RowFilter>('all');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [sort, setSort] = useState<RowSort | null>(null);
  const [keepSecrets, setKeepSecrets] = useState(false);
  const recordEveryPage = useRecordEveryPage();
  // The list is grouped with the rows there when it was last arranged (first shown, or the user's
  // regroup, filter, sort); later arrivals are appended, so no row moves while read. Each update
  // applies only what changed to it (src/view/list.ts).
  const [groupedAt, setGroupedAt] = useState(0);
  const list = useRef<RequestList | null>(null);
  list.current ??= new RequestList();
  // Until the whole list is read, its first screen as stored (the list is not built for it).
  const { firstScreen } = log;
  // Rows read from storage are a snapshot: RequestList regroups them with the background's first answer.
  if (!firstScreen) list.current.update(log.rows, findings ?? [], { filter, sort, groupedAt }, log.provisional === true);
  const requests = list.current;
  const counts = firstScreen?.counts ?? requests.counts();
  const groups = firstScreen?.groups ?? requests.groups();
  const rowCount = firstScreen?.rowCount ?? log.rows.length;
  useHeldAtTop(firstScreen !== undefined);
  const regroup = () => setGroupedAt(groupedAt + 1);
  const onSort = (key: SortKey) => {
    regroup();
    setSort(sort?.key === key ? { key, descending: !sort.descending } : { key, descending: false });
  };
  const selected = selectedId === null ? undefined : requests.rowById(selectedId);
  // The newest re-test of the selected request (re-tests are rows of their own, labelled).
  let latestRetest: RowFacts | undefined;
  if (selected) for (const row of log.rows) if (row.retestOf === selected.id && (!latestRetest || row.start >= latestRetest.start)) latestRetest = row;
  const { records: detailRecords, settled: detailSettled, failure: detailFailure } = useDetailRecords(selected ? (latestRetest ? [selected.id, latestRetest.id] : [selected.id]) : [], actions.loadRecords);
  const selectedRecord = selected && detailRecords.get(selected.id);
  const latestRetestRecord = latestRetest && detailRecords.get(latestRetest.id);
  // Until the diagnosis comes, the streams as the store tallied them (the same keys and counts).
  const counted = { report: { streams: log.summary?.streams ?? streamsOfTotals(log.totals), failuresByCause: firstScreen?.failuresByCause ?? requests.failuresByCause() }, totals: log.totals, evicted: log.evicted };
  const { pageOrigin } = log;
  // Exact totals of the page load (they include requests whose detail was evicted).
  const { totals } = log;
  const mediaTotal = mediaRequestCount(totals);

  return (
    <main class={`view-${variant}`}>
      <SummaryHeader
        pageOrigin={pageOrigin}
        mediaTotal={mediaTotal}
        failing={totals.byOutcome.fail}
        preserveLog={log.preserveLog}
        recordEveryPage={recordEveryPage.on}
        keepSecrets={keepSecrets}
        canExport={rowCount > 0}
        actions={actions}
        onKeepSecrets={setKeepSecrets}
        onRecordEveryPage={recordEveryPage.set}
      />
      {banner}
      {recordEveryPage.failure !== null && (
        <p class="note bad" role="alert" data-testid="record-every-page-failed">
          {recordEveryPage.failure}
        </p>
      )}
      <AccessNotice onGranted={actions.onRefresh} />
      {log.evicted > 0 && (
        <p class="note" data-testid="evicted-note">
          {message('countEvicted', String(log.evicted))} {message('evictedListNote', String(rowCount))}
        </p>
      )}
      {log.storageError && <p class="note bad">{message('storageError', log.storageError)}</p>}
      {(log.headersNotSeen ?? 0) > 0 && (
        <div class="note" role="status" data-testid="headers-not-seen">
          {message('headersNotSeen', String(log.headersNotSeen))} {actions.onReloadPage && <ReloadPageButton onReloadPage={actions.onReloadPage} testId="reload-for-headers" />}
        </div>
      )}
      <FindingCards findings={findings} answer={answerOf(log.summary)} ruleErrors={log.summary?.ruleErrors ?? []} checked={rowCount} rejected={{ count: totals.byOutcome.fail, of: totals.requests }} keepSecrets={keepSecrets} drawn={firstScreen ? FIRST_FRAME_DIAGNOSIS[variant] : undefined} />
      <StreamCounts log={counted} />
      {selected && selectedRecord && (
        <RequestDetail
          row={selected}
          record={selectedRecord}
          latestRetest={latestRetest && latestRetestRecord && { record: latestRetestRecord, verdict: latestRetest.verdict }}
          onClose={() => setSelectedId(null)}
          onRetest={actions.onRetest}
          keepSecrets={keepSecrets}
        />
      )}
      {selected && !selectedRecord && detailSettled && (
        <p class={detailFailure === null ? 'note' : 'note bad'} role={detailFailure === null ? 'status' : 'alert'} data-testid={detailFailure === null ? 'detail-gone' : 'detail-failed'}>
          {detailFailure === null ? message('detailNotHeld', selected.fileName) : message('detailLoadFailed', [selected.fileName, detailFailure])}{' '}
          <button type="button" onClick={() => setSelectedId(null)}>
            {message('close')}
          </button>
        </p>
      )}
      {rowCount === 0 ? (
        <EmptyState onReloadPage={actions.onReloadPage} />
      ) : (
        <>
          <FilterChips
            filter={filter}
            counts={counts}
            onFilter={(chip) => {
              regroup();
              setFilter(chip);
            }}
          />
          <RequestTable
            groups={groups}
            selectedId={selectedId}
            onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
            sort={variant === 'panel' ? { current: sort, onSort } : undefined}
            onRegroup={regroup}
            linesHeld={firstScreen?.linesHeld}
          />
          {/* Undetermined is not a rejection: counted under the list, never next to the rejections. */}
          {totals.byOutcome.unknown > 0 && (
            <p class="note" data-testid="count-unknown">
              {message('countUnknown', String(totals.byOutcome.unknown))} — {message('unknownWhy')}
            </p>
          )}
        </>
      )}
    </main>
  );
}
