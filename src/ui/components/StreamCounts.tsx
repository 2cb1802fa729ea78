import { MAX_TALLIED_STREAMS, OTHER_CAUSES, OTHER_STREAMS, UNSPECIFIED_CAUSE } from '../../view/totals.ts';
import { streamAndCauseCounts, type CountedLog } from '../../view/counts.ts';
import { countMessage, message } from '../../platform/runtime.ts';

/** Streams listed in the view; the rest are summed up in one line (the popup is small). */
const LISTED_STREAMS = 8;


function causeLabel(cause: string): string {
  if (cause === OTHER_CAUSES) return message('otherCauses');
  if (cause === UNSPECIFIED_CAUSE) return message('unspecifiedCause');
  return cause;
}

/** The streams of the page load with their request and failure counts, and the rejections by cause. */
export function StreamCounts({ log }: { log: CountedLog }) {
  const { streams, causes, exact } = streamAndCauseCounts(log);
  if (streams.length === 0) return null;
  const listed = streams.slice(0, LISTED_STREAMS);
  return (
    <details class="streams" data-testid="streams" data-exact={String(exact)} open={exact}>
      <summary>
        {message('streamsHeading', String(streams.length))}
        {exact && <span class="muted"> — {message('streamsExact', String(log.totals.requests))}</span>}
      </summary>
      <ul>
        {listed.map((stream) => (
          <li key={stream.key} data-testid="stream" data-key={stream.key} data-total={stream.total} data-failing={stream.failing}>
            {stream.key === OTHER_STREAMS ? message('otherStreams', String(MAX_TALLIED_STREAMS)) : <code>{stream.key}</code>}{' '}
            <span class={stream.failing > 0 ? 'bad' : 'muted'}>{countMessage('streamCounts', stream.total, [String(stream.total), String(stream.failing)])}</span>
            {stream.unknown > 0 && <span class="muted">, {message('streamUnknown', String(stream.unknown))}</span>}
          </li>
        ))}
        {streams.length > listed.length && <li class="muted">{message('moreStreams', String(streams.length - listed.length))}</li>}
      </ul>
      {causes.length > 0 && (
        <p class="causes" data-testid="causes">
          {message('causesHeading')}{' '}
          {causes.map(([cause, count], index) => (
            <span key={cause} data-testid="cause" data-cause={cause} data-count={count}>
              {index > 0 && ', '}
              <code>{message('causeCount', [causeLabel(cause), String(count)])}</code>
            </span>
          ))}
        </p>
      )}
    </details>
  );
}
