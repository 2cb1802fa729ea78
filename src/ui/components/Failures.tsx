import { message } from '../../platform/runtime.ts';

/** Why a promise failed, as text for a message's placeholder: the error's message, else the value itself. */
export function failureText(reason: unknown): string {
  if (reason instanceof Error) return reason.message || reason.name;
  try {
    return String(reason);
  } catch {
    return typeof reason;
  }
}

/**
 * What went wrong talking to the background (loading the log, an action), said where the view shows
 * it; `onRetry` offers to load again.
 */
export function FailureNotes({ texts, onRetry }: { texts: readonly string[]; onRetry?: () => void }) {
  if (texts.length === 0) return null;
  return (
    <div class="note bad" role="alert" data-testid="failures">
      {texts.map((text, index) => (
        <p key={index}>{text}</p>
      ))}
      {onRetry && (
        <button type="button" data-testid="try-again" onClick={onRetry}>
          {message('tryAgain')}
        </button>
      )}
    </div>
  );
}
