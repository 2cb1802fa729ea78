import { Component, createRef } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { OVERSCAN_LINES, useWindowVirtualizer } from './virtual.ts';
import { linesOf, positionedLines } from '../../view/table-lines.ts';
import { message } from '../../platform/runtime.ts';
import { verdictExplanation } from './localised.ts';
import { inferenceNote, verdictLabel } from './verdictLabel.ts';
import { isCancelledVerdict } from '../../engine/verdict.ts';
import { browserTranslate, uiLocale } from './translate.ts';
import type { RequestRow, RowSort, SortKey } from '../../view/rows.ts';
import type { RowGroup } from '../../view/groups.ts';

const kindKey = (kind: string): string => `kind_${kind.replace(/-/g, '_')}`;

function cacheText(row: RequestRow): string {
  const parts: string[] = [];
  if (row.cacheStatus) parts.push(row.cacheStatus);
  if (row.age) parts.push(message('ageSeconds', row.age));
  if (row.fromBrowserCache) parts.push(message('fromBrowserCache'));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

function reasonText(row: RequestRow): string {
  // A pass is explained only when evidence beyond the headers decided it.
  if (row.verdict.outcome === 'pass' && row.verdict.inferred === undefined) return '';
  // Not CORS, yet withheld from the page (a resource policy), or cancelled before the check: the engine's sentence says so.
  if (row.verdict.outcome === 'not-applicable' && !isCancelledVerdict(row.verdict)) return row.verdict.explanationText?.id === 'verdict.case.noCorsBlockedByResponse' ? verdictExplanation(row.verdict, row, browserTranslate, uiLocale()) : message('reasonNotCors');
  return verdictExplanation(row.verdict, row, browserTranslate, uiLocale());
}

interface RequestTableProps {
  groups: readonly RowGroup[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Present in the DevTools panel: column headers sort the rows within each group. */
  sort?: { current: RowSort | null; onSort: (key: SortKey) => void };
  /** Sorts the rows that arrived while the view was open into their groups (rejected first). */
  onRegroup: () => void;
  /** A stored first screen's groups: how many lines from the top it holds (no line past them is shown). */
  linesHeld?: number | undefined;
}

const COLUMNS: ReadonlyArray<{ key: SortKey | null; label: string }> = [
  { key: 'verdict', label: 'colVerdict' },
  { key: 'file', label: 'colFile' },
  { key: 'kind', label: 'colKind' },
  { key: 'status', label: 'colStatus' },
  { key: 'allowOrigin', label: 'colAllowOrigin' },
  { key: 'cache', label: 'colCache' },
  { key: null, label: 'colReason' },
];

function ColumnHeader({ column, sort }: { column: (typeof COLUMNS)[number]; sort: RequestTableProps['sort'] }) {
  if (!sort || column.key === null) return <th scope="col">{message(column.label)}</th>;
  const key = column.key;
  const active = sort.current?.key === key;
  const ariaSort = active ? (sort.current!.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={ariaSort}>
      <button type="button" class="sort-button" data-testid={`sort-${key}`} onClick={() => sort.onSort(key)}>
        {message(column.label)} {active ? (sort.current!.descending ? '▼' : '▲') : ''}
      </button>
    </th>
  );
}

type TableHeadProps = { sort: RequestTableProps['sort'] };

/** The column headers, drawn again only when the sort changed (its handler is read at click time). */
class TableHead extends Component<TableHeadProps> {
  override shouldComponentUpdate(next: TableHeadProps): boolean {
    return next.sort?.current !== this.props.sort?.current || (next.sort === undefined) !== (this.props.sort === undefined);
  }

  override render() {
    const { sort } = this.props;
    const sortable = sort && { current: sort.current, onSort: (key: SortKey) => this.props.sort?.onSort(key) };
    return (
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <ColumnHeader key={column.label} column={column} sort={sortable} />
          ))}
        </tr>
      </thead>
    );
  }
}

/** Above this many lines only the rows near the viewport are rendered (10 000 rows stay smooth). */
const VIRTUALIZE_FROM = 300;
const ESTIMATED_ROW_PX = 40;


/** The tab's media requests in groups (rejected first); a row opens its detail on click or Enter. */
export function RequestTable({ groups, selectedId, onSelect, sort, onRegroup, linesHeld }: RequestTableProps) {
  // `groups` is a new array whenever the list changed (RequestList.groups): the lines, and the keys the
  // virtualizer positions them by, are worked out again then only.
  const lines = useMemo(() => linesOf(groups), [groups]);
  const positioned = useMemo(() => positionedLines(lines, linesHeld, ESTIMATED_ROW_PX), [lines, linesHeld]);
  const virtual = lines.count >= VIRTUALIZE_FROM;
  const body = useRef<HTMLTableSectionElement>(null);
  // Null until measured: which lines are near the viewport depends on where the body starts, so a long
  // list draws its lines once that is known (before the first paint), not once at a guess and again.
  const [scrollMargin, setScrollMargin] = useState<number | null>(null);
  // The body's distance from the page top changes only when something changes size: measured then (a
  // ResizeObserver reports after layout, so reading it forces none), not after every render, where it
  // forced a layout of the page in the middle of each live update.
  useLayoutEffect(() => {
    const tbody = body.current;
    if (!tbody) return undefined;
    const measure = () => {
      const top = tbody.getBoundingClientRect().top + window.scrollY;
      setScrollMargin((shown) => (shown === null || Math.abs(top - shown) > 1 ? top : shown));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(tbody.closest('main') ?? document.documentElement);
    return () => observer.disconnect();
  }, []);
  const margin = scrollMargin ?? 0;
  // A stored first screen draws the lines in the window only: it is held at the top (no scrolling
  // yet), and the lines beyond it come with the whole list, a few frames later.
  const overscan = linesHeld === undefined ? OVERSCAN_LINES : 0;
  const virtualizer = useWindowVirtualizer<HTMLTableRowElement>({ count: positioned.count, estimateSize: positioned.estimate, scrollMargin: margin, enabled: virtual, keyOf: positioned.keyOf, overscan });
  // The line standing for what a first screen does not hold is room, not a line (positionedLines).
  const items = !virtual ? null : scrollMargin === null ? [] : virtualizer.getVirtualItems().filter((item) => item.index !== positioned.rest);
  const shown = items ? items.map((item) => ({ line: lines.at(item.index), index: item.index })) : Array.from({ length: lines.count }, (_, index) => ({ line: lines.at(index), index }));
  const padTop = items && items.length > 0 ? items[0]!.start - margin : 0;
  const padBottom = items && items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]!.end - margin) : 0;

  return (
    <>
      <table class="requests" data-testid="requests" data-virtual={virtual ? 'true' : 'false'} aria-rowcount={lines.count + 1}>
        <TableHead sort={sort} />
        <tbody ref={body}>
          {padTop > 0 && <tr aria-hidden="true" style={{ height: `${padTop}px` }} />}
          {shown.map(({ line, index }) =>
            line.type === 'group' ? (
              <tr key={`group-${line.key}`} class="group-head" data-group={line.key} data-index={index} ref={virtual ? virtualizer.measureElement : undefined}>
                <th scope="rowgroup" colSpan={7}>
                  {message(`group_${line.key}`)} <span class="muted">({line.count})</span>
                  {line.key === 'arrived' && (
                    <button type="button" class="regroup" data-testid="regroup" onClick={onRegroup}>
                      {message('regroup')}
                    </button>
                  )}
                </th>
              </tr>
            ) : (
              <RequestLine
                key={line.row.id}
                row={line.row}
                index={index}
                selected={line.row.id === selectedId}
                onSelect={onSelect}
                measure={virtual ? virtualizer.measureElement : undefined}
              />
            ),
          )}
        </tbody>
      </table>
      {/* The room of the lines below those drawn, after the table: it grows with every row that
          arrives, and as a row of the table it made each update lay the whole table out again. */}
      {padBottom > 0 && <div aria-hidden="true" style={{ height: `${padBottom}px` }} />}
    </>
  );
}

interface RequestLineProps {
  row: RequestRow;
  index: number;
  selected: boolean;
  onSelect: (id: string) => void;
  measure: ((node: HTMLTableRowElement | null) => void) | undefined;
}

/**
 * One request's line. Rendered again only when its row or selection changed: an update re-renders the
 * lines that changed, not every line near the viewport. Its place (data-index, which the virtualizer
 * reads) changes for every line below a row evicted or added: that attribute is set here, not
 * rendered, so a line that only moved is not rendered again. It is measured once drawn (measureLine).
 * (The click handler is read at click time.)
 */
class RequestLine extends Component<RequestLineProps> {
  private readonly line = createRef<HTMLTableRowElement>();

  override shouldComponentUpdate(next: RequestLineProps): boolean {
    const shown = this.props;
    if (next.index !== shown.index) this.place(next.index);
    return next.row !== shown.row || next.selected !== shown.selected || next.measure !== shown.measure;
  }

  override componentDidMount(): void {
    this.place(this.props.index);
    if (this.line.current) this.props.measure?.(this.line.current);
  }

  override componentDidUpdate(previous: RequestLineProps): void {
    this.place(this.props.index);
    if (previous.measure !== this.props.measure && this.line.current) this.props.measure?.(this.line.current);
  }

  /** The index the line's element says (set only when it changed: every set is a DOM mutation). */
  private placed: number | null = null;

  private place(index: number): void {
    if (index === this.placed || !this.line.current) return;
    this.line.current.setAttribute('data-index', String(index));
    this.placed = index;
  }

  override render() {
    const { row, selected } = this.props;
    const onSelect = (id: string) => this.props.onSelect(id);
    return (
      <tr
        ref={this.line}
        class={`outcome-${row.verdict.outcome}${selected ? ' selected' : ''}`}
        data-testid="request-row"
        data-outcome={row.verdict.outcome}
        data-inferred={row.verdict.inferred?.source}
        data-file={row.fileName}
        data-kind={row.kind}
        data-causes={row.causes.join(' ')}
        tabIndex={0}
        aria-selected={selected}
        onClick={() => onSelect(row.id)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onSelect(row.id);
          }
        }}
      >
        <td class="verdict">{verdictLabel(row.verdict)}</td>
        <td class="file" title={row.url}>
          {row.fileName}
          {row.retest && <span class="tag" data-testid="retest-tag"> {message('retestTag')}</span>}
        </td>
        <td>{message(kindKey(row.kind))}</td>
        <td>{row.status ?? '—'}</td>
        <td class="acao">{row.allowOrigin === null ? <em>{message('none')}</em> : <code>{row.allowOrigin}</code>}</td>
        <td class="cache">{cacheText(row)}</td>
        <td class="reason" data-testid="reason">
          {reasonText(row)}
          {row.verdict.chromiumError && <code class="error-name"> {row.verdict.chromiumError}</code>}
          {row.verdict.chromiumErrorInferred && <span data-testid="error-name-inferred"> {message('errorNameInferred')}</span>}
          {row.verdict.inferred && row.verdict.outcome === 'fail' && <span class="inferred" data-testid="inferred-evidence"> {inferenceNote(row.verdict)}</span>}
          {row.error && row.verdict.outcome !== 'fail' && <span> {message('networkError', row.error)}</span>}
        </td>
      </tr>
    );
  }
}
