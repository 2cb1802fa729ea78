import type { CorsOutcome } from '../../engine/model.ts';
import { message } from '../../platform/runtime.ts';
import type { RequestRow, RowGroup, RowSort, SortKey } from './rows.ts';

const outcomeKey = (outcome: CorsOutcome): string => `outcome_${outcome.replace(/-/g, '_')}`;
const kindKey = (kind: string): string => `kind_${kind.replace(/-/g, '_')}`;

function cacheText(row: RequestRow): string {
  const parts: string[] = [];
  if (row.cacheStatus) parts.push(row.cacheStatus);
  if (row.age) parts.push(`age ${row.age}`);
  if (row.fromBrowserCache) parts.push(message('fromBrowserCache'));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

function reasonText(row: RequestRow): string {
  if (row.verdict.outcome === 'pass') return '';
  if (row.verdict.outcome === 'not-applicable') return message('reasonNotCors');
  return row.verdict.explanation;
}

interface RequestTableProps {
  groups: readonly RowGroup[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Present in the DevTools panel: column headers sort the rows within each group. */
  sort?: { current: RowSort | null; onSort: (key: SortKey) => void };
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

/** The tab's media requests in groups (rejected first); a row opens its detail on click or Enter. */
export function RequestTable({ groups, selectedId, onSelect, sort }: RequestTableProps) {
  return (
    <table class="requests" data-testid="requests">
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <ColumnHeader key={column.label} column={column} sort={sort} />
          ))}
        </tr>
      </thead>
      {groups.map((group) => (
        <tbody key={group.key} data-group={group.key}>
          <tr class="group-head">
            <th scope="rowgroup" colSpan={7}>
              {message(`group_${group.key}`)} <span class="muted">({group.rows.length})</span>
            </th>
          </tr>
          {group.rows.map((row) => (
            <tr
              key={row.id}
              class={`outcome-${row.verdict.outcome}${row.id === selectedId ? ' selected' : ''}`}
              data-testid="request-row"
              data-outcome={row.verdict.outcome}
              data-file={row.fileName}
              data-causes={row.causes.join(' ')}
              tabIndex={0}
              aria-selected={row.id === selectedId}
              onClick={() => onSelect(row.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onSelect(row.id);
                }
              }}
            >
              <td class="verdict">{message(outcomeKey(row.verdict.outcome))}</td>
              <td class="file" title={row.url}>
                {row.fileName}
                {row.record.retest && <span class="tag" data-testid="retest-tag"> {message('retestTag')}</span>}
              </td>
              <td>{message(kindKey(row.kind))}</td>
              <td>{row.status ?? '—'}</td>
              <td class="acao">{row.allowOrigin === null ? <em>{message('none')}</em> : <code>{row.allowOrigin}</code>}</td>
              <td class="cache">{cacheText(row)}</td>
              <td class="reason" data-testid="reason">
                {reasonText(row)}
                {row.verdict.chromiumError && <code class="error-name"> {row.verdict.chromiumError}</code>}
                {row.error && row.verdict.outcome !== 'fail' && <span> {message('networkError', row.error)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
