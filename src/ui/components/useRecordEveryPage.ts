import { useEffect, useState } from 'preact/hooks';
import { supportsExtraHeaders } from '../../platform/capabilities.ts';
import { message } from '../../platform/runtime.ts';
import { onRecordEveryPageChanged, readRecordEveryPage, setRecordEveryPage } from '../../platform/settings.ts';
import { failureText } from './Failures.tsx';

export interface RecordEveryPage {
  /** The setting; null while it is not known yet, and always where it does not matter (no 'extraHeaders': Firefox). */
  on: boolean | null;
  /** Why the last change could not be stored, in the UI's language (cleared by the next change). */
  failure: string | null;
  set: (on: boolean) => void;
}

/**
 * The "Record every page" setting (src/platform/settings.ts), kept in step with storage while the view
 * is open. Read in a plain effect, which Preact runs after the first frame is painted: neither the read
 * nor the capability check (the first touch of chrome.webRequest in this page) delays that frame, and
 * the checkbox appears once the value is known.
 */
export function useRecordEveryPage(): RecordEveryPage {
  const [on, setOn] = useState<boolean | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!supportsExtraHeaders()) return undefined;
    let current = true;
    // A change announced before the first read answers is newer than what that read returns.
    let announced = false;
    const stop = onRecordEveryPageChanged((value) => {
      announced = true;
      if (current) setOn(value);
    });
    void readRecordEveryPage().then((value) => {
      if (current && !announced) setOn(value);
    });
    return () => {
      current = false;
      stop();
    };
  }, []);
  const set = (value: boolean): void => {
    setFailure(null);
    setOn(value);
    // Through a promise, so that a storage call that throws at once is caught too.
    Promise.resolve()
      .then(() => setRecordEveryPage(value))
      .catch((error: unknown) => {
        setFailure(message('recordEveryPageFailed', failureText(error)));
        // The checkbox shows what is stored, not what was asked for.
        void readRecordEveryPage().then(setOn);
      });
  };
  return { on, failure, set };
}
