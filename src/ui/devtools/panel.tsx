import { render } from 'preact';
import { inspectedTabId } from '../../platform/devtools.ts';
import { message } from '../../platform/runtime.ts';
import { TabLog } from '../popup/Popup.tsx';

// Inside DevTools: the inspected tab. Opened as a page (tests, a detached window): ?tabId=.
const fromQuery = new URLSearchParams(location.search).get('tabId');
const tabId = inspectedTabId() ?? (fromQuery !== null && /^\d+$/.test(fromQuery) ? Number(fromQuery) : null);
const root = document.getElementById('app');
if (root) render(tabId === null ? <p class="note">{message('noTab')}</p> : <TabLog tabId={tabId} variant="panel" />, root);
