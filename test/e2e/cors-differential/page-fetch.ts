/** What the page does for each case: one fetch(), reporting whether the browser let it through. */

export interface PageRequest {
  id: string;
  url: string;
  method: string;
  mode: string;
  credentials: string;
  headers: Array<[string, string]>;
  body?: string;
}

export interface PageResult {
  id: string;
  ok: boolean;
  /** Response type when it resolved: 'cors', 'basic' (same-origin) or 'opaque' (no-cors). */
  type?: string;
  status?: number;
  error?: string;
}

/**
 * The in-page script, as plain JavaScript source: a transpiled TypeScript function could carry
 * bundler helpers that do not exist in the page.
 */
const FETCH_ALL_SOURCE = `async (requests) => Promise.all(requests.map(async (request) => {
  try {
    const init = { method: request.method, mode: request.mode, credentials: request.credentials, headers: request.headers };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetch(request.url, init);
    await response.arrayBuffer().catch(() => undefined);
    return { id: request.id, ok: true, type: response.type, status: response.status };
  } catch (error) {
    return { id: request.id, ok: false, error: String(error) };
  }
}))`;

/** An expression that evaluates, in the page, to the results of fetching every request. */
export function fetchAllExpression(requests: readonly PageRequest[]): string {
  return `(${FETCH_ALL_SOURCE})(${JSON.stringify(requests)})`;
}
