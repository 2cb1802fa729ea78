import { readFileSync } from 'node:fs';
import { Recorder, type WebRequestDetails, type WebRequestEventName } from '../../src/background/recorder.ts';
import type { BrowserName, RequestRecord } from '../../src/engine/model.ts';

const EVENT_NAMES: Record<string, WebRequestEventName> = {
  onBeforeRequest: 'beforeRequest',
  onBeforeSendHeaders: 'beforeSendHeaders',
  onSendHeaders: 'sendHeaders',
  onHeadersReceived: 'headersReceived',
  onResponseStarted: 'responseStarted',
  onBeforeRedirect: 'beforeRedirect',
  onCompleted: 'completed',
  onErrorOccurred: 'errorOccurred',
};

export interface RecordedEvent {
  event: string;
  details: WebRequestDetails;
}

export function loadRecordedEvents(name: string): RecordedEvent[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/webrequest/${name}`, import.meta.url), 'utf8')) as RecordedEvent[];
}

/** Feeds events through a recorder as the background does; returns the finished records in order. */
export function replay(events: readonly RecordedEvent[], browser: BrowserName, requestHeadersComplete = true): { recorder: Recorder; records: RequestRecord[] } {
  const recorder = new Recorder({ browser, requestHeadersComplete });
  const records: RequestRecord[] = [];
  for (const { event, details } of events) {
    const name = EVENT_NAMES[event];
    if (!name) throw new Error(`unknown event ${event}`);
    const finished = recorder.handle(name, details);
    if (finished) records.push(finished);
  }
  return { recorder, records };
}
