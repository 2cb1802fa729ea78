/** One plain sentence per CORS error, naming the header and the value that broke the rule. */

export interface ExplainContext {
  /** The ACAO value, method, header name or status the error is about. */
  detail: string;
  /** The origin the browser compared against ('null' when tainted by a redirect). */
  origin: string | null;
  /** Where it happened, for the sentence: 'the preflight (OPTIONS) response', 'the redirect (302)', 'the response'. */
  where: string;
}

const originText = (origin: string | null): string => (origin === null ? 'the page origin' : `the request origin ${origin}`);

const EXPLAINERS: Record<string, (context: ExplainContext) => string> = {
  WildcardOriginNotAllowed: ({ where }) =>
    `Access-Control-Allow-Origin on ${where} is "*", but the request carries credentials, which requires the exact origin and Access-Control-Allow-Credentials: true.`,
  MissingAllowOriginHeader: ({ where }) => `${capitalise(where)} has no Access-Control-Allow-Origin header, so the browser hides it from the page.`,
  MultipleAllowOriginValues: ({ where, detail }) =>
    `Access-Control-Allow-Origin on ${where} holds several values ("${detail}"), but exactly one origin is allowed; two layers (CDN and origin) probably both add it.`,
  InvalidAllowOriginValue: ({ where, detail }) =>
    `Access-Control-Allow-Origin on ${where} is "${detail}", which is not a valid origin (it needs a scheme, e.g. https://host).`,
  AllowOriginMismatch: ({ where, detail, origin }) =>
    `Access-Control-Allow-Origin on ${where} is "${detail}", which is not byte-for-byte ${originText(origin)} (case, trailing slash, port and scheme all count).`,
  InvalidAllowCredentials: ({ where, detail }) =>
    `The request carries credentials, so Access-Control-Allow-Credentials on ${where} must be exactly "true", but it is ${detail === '' ? 'missing' : `"${detail}"`}.`,
  PreflightInvalidStatus: ({ detail }) =>
    `The preflight (OPTIONS) response has status ${detail}; a preflight must answer with a 2xx status, so the server or CDN does not handle OPTIONS.`,
  PreflightDisallowedRedirect: ({ detail }) => `The preflight (OPTIONS) request was redirected (${detail}), and browsers never follow a redirect of a preflight.`,
  InvalidAllowMethodsPreflightResponse: ({ detail }) =>
    `Access-Control-Allow-Methods in the preflight response has "${detail}", which is not a method name (list methods separated by commas).`,
  InvalidAllowHeadersPreflightResponse: ({ detail }) =>
    `Access-Control-Allow-Headers in the preflight response has "${detail}", which is not a header name (list names separated by commas).`,
  MethodDisallowedByPreflightResponse: ({ detail }) =>
    `The preflight response's Access-Control-Allow-Methods does not allow the method ${detail} (methods are case-sensitive, and "*" does not count for credentialed requests).`,
  HeaderDisallowedByPreflightResponse: ({ detail }) =>
    `The preflight response's Access-Control-Allow-Headers does not list the request header "${detail}" (and "*" covers neither credentialed requests nor Authorization).`,
  RedirectContainsCredentials: () => 'A redirect of this CORS request points to a URL with a user name or password in it, which browsers refuse to follow.',
  CorsDisabledScheme: ({ detail }) => `CORS requests only work over http and https, but this one goes to a ${detail} URL.`,
  DisallowedByMode: () => 'The request was made with mode "same-origin" but goes to another origin, so the browser refuses it before sending it.',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The sentence for a Chromium CorsError name; preflight variants reuse the base sentence. */
export function explainError(chromiumError: string, context: ExplainContext): string {
  const base = chromiumError.startsWith('Preflight') && chromiumError !== 'PreflightInvalidStatus' && chromiumError !== 'PreflightDisallowedRedirect'
    ? chromiumError.slice('Preflight'.length)
    : chromiumError;
  // Own properties only: an error name like `constructor` must not find Object.prototype's.
  const explainer = Object.hasOwn(EXPLAINERS, base) ? EXPLAINERS[base] : undefined;
  return explainer ? explainer(context) : `The browser blocked the request (${chromiumError}).`;
}
