import type { CorsOutcome } from '../../engine/model.ts';
import { message } from '../../platform/runtime.ts';
import type { RequestRow } from './rows.ts';

const outcomeKey = (outcome: CorsOutcome): string => `outcome_${outcome.replace(/-/g, '_')}`;
const kindKey = (kind: string): string => `kind_${kind.replace(/-/g, '_')}`;

function cacheText(row: RequestRow): string {
  const parts: string[] = [];
  if (row.cacheStatus) parts.push(row.cacheStatus);
  if (row.age) parts.push(`age ${row.age}`);
  if (row.fromBrowserCache) parts.push(message('fromBrowserCache'));
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** The tab's media requests, one row each; failing rows are red and come first (rows are pre-sorted). */
export function RequestTable({ rows }: { rows: readonly RequestRow[] }) {
  return (
    <table class="requests" data-testid="requests">
      <thead>
        <tr>
          <th scope="col">{message('colVerdict')}</th>
          <th scope="col">{message('colFile')}</th>
          <th scope="col">{message('colKind')}</th>
          <th scope="col">{message('colStatus')}</th>
          <th scope="col">{message('colAllowOrigin')}</th>
          <th scope="col">{message('colCache')}</th>
          <th scope="col">{message('colReason')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} class={`outcome-${row.verdict.outcome}`} data-testid="request-row" data-outcome={row.verdict.outcome} data-file={row.fileName}>
            <td class="verdict">{message(outcomeKey(row.verdict.outcome))}</td>
            <td class="file" title={row.url}>
              {row.fileName}
            </td>
            <td>{message(kindKey(row.kind))}</td>
            <td>{row.status ?? '—'}</td>
            <td class="acao">{row.allowOrigin === null ? <em>{message('none')}</em> : <code>{row.allowOrigin}</code>}</td>
            <td class="cache">{cacheText(row)}</td>
            <td class="reason" data-testid="reason">
              {row.verdict.outcome === 'pass' ? '' : row.verdict.explanation}
              {row.verdict.chromiumError && <code class="error-name"> {row.verdict.chromiumError}</code>}
              {row.error && row.verdict.outcome !== 'fail' && <span> {message('networkError', row.error)}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
