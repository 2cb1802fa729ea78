import { useState } from 'preact/hooks';
import { message } from '../../platform/runtime.ts';
import { failureText } from './Failures.tsx';

/**
 * What a view shows before any media request was recorded: what CORS Lens does, what to do ("play the
 * video, then open this again") and what it cannot see (requests from before it ran), with a reload.
 * Missing host access has its own notice (AccessNotice) above this.
 */
export function EmptyState({ onReloadPage }: { onReloadPage?: (() => Promise<void>) | undefined }) {
  return (
    <section class="empty-state" data-testid="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">{message('emptyTitle')}</h2>
      <p>{message('emptyWhat')}</p>
      <p data-testid="empty-do">
        <strong>{message('emptyDo')}</strong>
      </p>
      <p class="muted">{message('emptyBeforeLoad')}</p>
      {onReloadPage && <ReloadPageButton onReloadPage={onReloadPage} testId="reload-page" />}
    </section>
  );
}

/** "Reload this page" for a view's tab, and what went wrong if the reload failed. */
export function ReloadPageButton({ onReloadPage, testId }: { onReloadPage: () => Promise<void>; testId: string }) {
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      <button type="button" data-testid={testId} onClick={() => onReloadPage().then(() => setFailure(null), (error: unknown) => setFailure(message('reloadFailed', failureText(error))))}>
        {message('reloadPage')}
      </button>
      {failure !== null && (
        <p class="note bad" role="alert">
          {failure}
        </p>
      )}
    </>
  );
}
