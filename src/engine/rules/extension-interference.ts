import type { Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact } from './lib/describe.ts';

/** The browser's word that something in the client (an extension, a policy), not the network or the server, blocked the request. */
const BLOCKED_BY_CLIENT: ReadonlySet<string> = new Set(['net::ERR_BLOCKED_BY_CLIENT', 'net::ERR_BLOCKED_BY_ADMINISTRATOR']);

/**
 * Firefox's name for a request an extension cancelled (webRequest `cancel`), measured in ESR 153; the
 * page's own aborts (XHR abort, fetch AbortController) end in NS_BINDING_ABORTED instead. Not a name
 * only a client gives, so "likely".
 */
const FIREFOX_CANCELLED = 'NS_ERROR_ABORT';

const rule: Rule = {
  meta: {
    id: 'extension-interference',
    cause: 'extension-interference',
    category: 'cors',
    lookedFor: 'notCors',
    kind: 'risk',
    severity: 'warning',
    title: 'Something in the browser blocked media requests',
    description:
      'An ad or tracker blocker, a video downloader or an "Allow CORS" extension can cancel media requests or change their headers, so a page fails for some users only. The browser says a client blocked the request (ERR_BLOCKED_BY_CLIENT): no server and no CORS rule was involved. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSDidNotSucceed',
    messages: {
      blocked:
        '{{count}} {{kind}} to {{host}} never left the browser: it reported {{errors}}, which means an extension (a blocker, a downloader, a CORS tool) or an administrator policy cancelled them. The server and its CORS configuration were not involved.',
    },
    texts: {
      'fix.profile': 'Confirm in a profile without extensions (a guest window, or chrome://extensions with all turned off): if playback works there, one extension is the cause; turn them back on one at a time to find it.',
      'fix.allow': 'Then allow {{host}} in that extension, or tell affected users to; an administrator policy (ERR_BLOCKED_BY_ADMINISTRATOR) is changed by whoever manages the browser.',
    },
    requires: [],
  },
  check(context) {
    const blocked = context.facts.filter((facts) => BLOCKED_BY_CLIENT.has(facts.record.error ?? '') || facts.record.error === FIREFOX_CANCELLED);
    for (const [host, group] of groupBy(blocked, (facts) => facts.host)) {
      texts.reportGroup(context, group, {
        messageId: 'blocked',
        data: { host, errors: { items: [...new Set(group.map((facts) => facts.record.error ?? ''))], more: 0 } },
        evidence: (facts) => [fact(facts, 'error', facts.record.error), fact(facts, 'status', facts.record.status)],
        confidence: group.some((facts) => BLOCKED_BY_CLIENT.has(facts.record.error ?? '')) ? 'certain' : 'likely',
        fixSteps: [texts.text('fix.profile'), texts.text('fix.allow', { host })],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
