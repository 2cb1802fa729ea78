import { useLayoutEffect, useState } from 'preact/hooks';
import { message } from '../../platform/runtime.ts';
import { TabView } from '../components/TabView.tsx';
import { useTabLog } from '../components/useTabLog.ts';
import { FailureNotes, failureText } from '../components/Failures.tsx';

/** The toolbar popup: the active tab's log (or ?tabId=: `tabId`, targetTabId's answer), live while the stream adds requests. */
export function Popup({ tabId: target }: { tabId: Promise<number | null> }) {
  const [tabId, setTabId] = useState<number | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  // A layout effect runs as soon as this renders; Preact runs a plain effect only after the next frame,
  // and the rows' first frame waited for that frame (docs/architecture.md#popup-first-frame).
  useLayoutEffect(() => void target.then(setTabId, (error: unknown) => setFailure(message('tabNotFound', failureText(error)))), [target]);
  if (failure !== null) return <FailureNotes texts={[failure]} />;
  if (tabId === undefined) return <p class="note">{message('loading')}</p>;
  if (tabId === null) return <p class="note">{message('noTab')}</p>;
  return <TabLog tabId={tabId} variant="popup" />;
}

export function TabLog({ tabId, variant }: { tabId: number; variant: 'popup' | 'panel' }) {
  const { log, actions, failures } = useTabLog(tabId);
  const texts = [failures.load, failures.action].filter((text): text is string => text !== null);
  const notes = <FailureNotes texts={texts} onRetry={failures.load === null ? undefined : actions.onRefresh} />;
  if (!log) return texts.length > 0 ? notes : <p class="note">{message('loading')}</p>;
  return <TabView log={log} actions={actions} variant={variant} banner={notes} />;
}
