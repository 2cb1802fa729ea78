import { useEffect, useState } from 'preact/hooks';
import { hasAllSitesAccess, requestAllSitesAccess } from '../../platform/permissions.ts';
import { message } from '../../platform/runtime.ts';

/**
 * Without host access webRequest reports nothing for the page's media hosts, so an empty list would
 * look like "no problems". Say so, and offer to grant access.
 */
export function AccessNotice({ onGranted }: { onGranted: () => void }) {
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    void hasAllSitesAccess().then((granted) => setMissing(!granted));
  }, []);
  if (!missing) return null;
  return (
    <div class="note bad access" role="alert" data-testid="access-missing">
      <p>{message('accessMissing')}</p>
      <button
        type="button"
        data-testid="grant-access"
        onClick={() =>
          void requestAllSitesAccess().then((granted) => {
            if (granted) {
              setMissing(false);
              onGranted();
            }
          })
        }
      >
        {message('grantAccess')}
      </button>
    </div>
  );
}
