import type { DocumentPolicy } from '../engine/model.ts';
import { headerValues, normaliseHeaders } from '../engine/headers.ts';
import type { WebRequestDetails } from './recorder.ts';

/**
 * The Cross-Origin-Embedder-Policy each document of each tab was served with, read from the document's
 * own response (webRequest onHeadersReceived for main_frame and sub_frame, DOCUMENT_LISTENER in
 * candidates.ts): what lets coep-blocks-media say "certain" rather than infer the policy from the
 * media's error (docs/capture.md#document-policies). Kept in memory for the worker's life: a
 * restarted worker has none until the next navigation, and the rule says "likely" meanwhile.
 */
export class DocumentPolicies {
  /** Per tab, per frame: the last document the frame received. */
  readonly #byTab = new Map<number, Map<number, DocumentPolicy>>();

  /** A document response arrived in `frameId` of `tabId` (a main frame's clears the frames of the page before). */
  seen(tabId: number, frameId: number, url: string, responseHeaders: WebRequestDetails['responseHeaders'], mainFrame: boolean): void {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return;
    }
    let frames = this.#byTab.get(tabId);
    if (!frames || mainFrame) this.#byTab.set(tabId, (frames = new Map()));
    // Several header lines combine as one list, as the browser reads them.
    const values = headerValues(normaliseHeaders(responseHeaders), 'cross-origin-embedder-policy');
    frames.set(frameId, { frameId, origin, embedderPolicy: values.length === 0 ? null : values.join(', ') });
  }

  of(tabId: number): readonly DocumentPolicy[] {
    const frames = this.#byTab.get(tabId);
    return frames ? [...frames.values()] : [];
  }

  forgetTab(tabId: number): void {
    this.#byTab.delete(tabId);
  }
}
