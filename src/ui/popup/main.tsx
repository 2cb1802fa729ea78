import { render } from 'preact';
import { targetTabId } from '../../platform/runtime.ts';
import { prefetchStoredView } from '../components/storedView.ts';
import { Popup } from './Popup.tsx';

const search = location.search;
const tabId = targetTabId(search);
// The tab's stored view is read while the first renders run (src/ui/components/storedView.ts).
tabId.then((id) => id !== null && prefetchStoredView(id), () => undefined);
const root = document.getElementById('app');
if (root) render(<Popup tabId={tabId} />, root);
