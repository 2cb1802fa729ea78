import { useState } from 'preact/hooks';
import { message } from '../../platform/runtime.ts';
import { failureText } from './Failures.tsx';

/**
 * What a view shows before any media request was recorded: what CORS Lens does, what to do ("play the
 * video, then open this again") and what it cannot see (requests from before it ran), with a reload.
 * Missing host access has its own notice (AccessNotice) above this.
 */
export function EmptyState({ onReloadPage }: { onReloadPage?: (() => Promise<void>) | undefined }) {
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <section class="empty-state" data-testid="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{message('emptyTitle')}</h2>
      <p>{message('emptyWhat')}</p>
      <p data-testid="empty-do">
        <strong>{message('emptyDo')}</strong>
      </p>
      <p class="muted">{message('emptyBeforeLoad')}</p>
      {onReloadPage && (
        <button type="button" data-testid="reload-page" onClick={() => onReloadPage().then(() => setFailure(null), (error: unknown) => setFailure(message('reloadFailed', failureText(error))))}>
          {message('reloadPage')}
        </button>
      )}
      {failure !== null && (
        <p class="note bad" role="alert">
          {failure}
        </p>
      )}
    </section>
  );
}
