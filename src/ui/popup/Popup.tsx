import { useEffect, useState } from 'preact/hooks';
import { message, targetTabId } from '../../platform/runtime.ts';
import { TabView } from '../components/TabView.tsx';
import { useTabLog } from '../components/useTabLog.ts';

/** The toolbar popup: the active tab's log (or ?tabId=), live while the stream adds requests. */
export function Popup({ search }: { search: string }) {
  const [tabId, setTabId] = useState<number | null | undefined>(undefined);
  useEffect(() => void targetTabId(search).then(setTabId), [search]);
  if (tabId === undefined) return <p class="note">{message('loading')}</p>;
  if (tabId === null) return <p class="note">{message('noTab')}</p>;
  return <TabLog tabId={tabId} variant="popup" />;
}

export function TabLog({ tabId, variant }: { tabId: number; variant: 'popup' | 'panel' }) {
  const { log, actions } = useTabLog(tabId);
  if (!log) return <p class="note">{message('loading')}</p>;
  return <TabView log={log} actions={actions} variant={variant} />;
}
