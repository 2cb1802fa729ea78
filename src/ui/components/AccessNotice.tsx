import { useEffect, useState } from 'preact/hooks';
import { hasAllSitesAccess, requestAllSitesAccess } from '../../platform/permissions.ts';
import { message } from '../../platform/runtime.ts';
import { FailureNotes, failureText } from './Failures.tsx';

/**
 * Without host access webRequest reports nothing for the page's media hosts, so an empty list would
 * look like "no problems". Say so, and offer to grant access.
 */
export function AccessNotice({ onGranted }: { onGranted: () => void }) {
  const [missing, setMissing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const failed = (error: unknown) => setFailure(message('accessFailed', failureText(error)));
  useEffect(() => {
    hasAllSitesAccess().then((granted) => setMissing(!granted), failed);
  }, []);
  if (failure !== null) return <FailureNotes texts={[failure]} />;
  if (!missing) return null;
  return (
    <div class="note bad access" role="alert" data-testid="access-missing">
      <p>{message('accessMissing')}</p>
      <button
        type="button"
        data-testid="grant-access"
        onClick={() =>
          requestAllSitesAccess().then((granted) => {
            if (granted) {
              setMissing(false);
              onGranted();
            }
          }, failed)
        }
      >
        {message('grantAccess')}
      </button>
    </div>
  );
}
