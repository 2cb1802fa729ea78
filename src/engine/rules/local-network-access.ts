import type { Confidence } from '../model.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact } from './lib/describe.ts';
import { networkFailureOf } from './lib/network-failure.ts';
import { LOCAL_NETWORK_ACCESS_ERROR } from '../cors/blocked-before-sending.ts';

/** Where an address lives, most private first (Local Network Access's address spaces). */
export type AddressSpace = 'loopback' | 'local' | 'public';

const RANK: Readonly<Record<AddressSpace, number>> = { loopback: 0, local: 1, public: 2 };

/**
 * The browsers' own names for a request blocked by Local (formerly Private) Network Access: Chromium's,
 * and Firefox's (measured in Firefox ESR 153, docs/rules/local-network-access.md#firefox).
 */
const LNA_ERRORS: ReadonlySet<string> = new Set([LOCAL_NETWORK_ACCESS_ERROR, 'net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS', 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED']);

function ipv4SpaceOf(host: string): AddressSpace | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const [a, b] = [Number(match[1]), Number(match[2])];
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 'local';
  return 'public';
}

function ipv6SpaceOf(host: string): AddressSpace | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1).toLowerCase() : null;
  if (bare === null) return null;
  if (bare === '::1') return 'loopback';
  if (/^f[cd][0-9a-f]{2}:/.test(bare) || /^fe[89ab][0-9a-f]:/.test(bare)) return 'local';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped ? ipv4SpaceOf(mapped[1]!) : 'public';
}

/** The address space a host name or literal shows by itself; null for a DNS name (its address decides). */
export function addressSpaceOfHost(hostname: string): AddressSpace | null {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  return ipv4SpaceOf(host) ?? ipv6SpaceOf(host);
}

function hostnameOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** The target's address space: from its URL's host, else from the address the browser connected to. */
function targetSpaceOf(facts: RecordFacts): AddressSpace | null {
  const fromHost = addressSpaceOfHost(hostnameOf(facts.record.url) ?? '');
  if (fromHost !== null) return fromHost;
  const ip = facts.record.ip;
  return ip === null ? null : addressSpaceOfHost(ip.includes(':') ? `[${ip}]` : ip);
}

interface Crossing {
  page: AddressSpace;
  target: AddressSpace;
  /** The page's space is read from its host literally (not assumed public for a DNS name). */
  pageKnown: boolean;
}

/** A request from a page to a more private address space than its own. */
function crossingOf(facts: RecordFacts, pageOrigin: string | null): Crossing | null {
  const target = targetSpaceOf(facts);
  if (target === null || target === 'public') return null;
  const pageHost = hostnameOf(facts.pageOrigin ?? pageOrigin);
  if (pageHost === null) return null;
  const known = addressSpaceOfHost(pageHost);
  // A page on a DNS name is public for Local Network Access unless it resolves locally, which the extension cannot see.
  const page = known ?? 'public';
  return RANK[target] < RANK[page] ? { page, target, pageKnown: known !== null } : null;
}

/** A CORS request into a more private address space that ended without a response. */
function isBlockedCrossing(facts: RecordFacts, pageOrigin: string | null): boolean {
  if (facts.requestOrigin === null || facts.record.error === null || facts.record.responseHeaders !== null) return false;
  // A refused connection or a DNS error is what it says (not-a-cors-failure), wherever the server is.
  if (networkFailureOf(facts.record.error) !== null) return false;
  return crossingOf(facts, pageOrigin) !== null;
}

const rule: Rule = {
  meta: {
    id: 'local-network-access',
    cause: 'local-network-access',
    category: 'cors',
    lookedFor: 'notCors',
    kind: 'cause',
    severity: 'error',
    title: 'A public page may not load media from the local network',
    description:
      'Chrome\'s Local Network Access (Chrome 141+, formerly Private Network Access) blocks requests from a public page to a loopback or private address, or holds them behind a permission prompt the user must accept. To the page and the player it looks like a CORS or network failure ("Failed to fetch", status 0). Learn more: https://developer.chrome.com/blog/local-network-access',
    messages: {
      blocked:
        '{{count}} {{kind}} from the {{pageSpace}} page {{pageOrigin}} to {{host}} ({{targetSpace}}) ended with {{errors}} and no response: the browser\'s Local Network Access (Chrome, Firefox) blocks a page from reaching a more private network unless the user allows it in a permission prompt. This is not the server\'s CORS configuration.',
    },
    texts: {
      'space.loopback': 'loopback address',
      'space.local': 'private network address',
      'space.public': 'public',
      'pageSpace.loopback': 'loopback',
      'pageSpace.local': 'private-network',
      'pageSpace.public': 'public',
      'fix.sameSpace': 'Serve the page and the media from the same kind of address: during development open the page from localhost too, or serve the media from a public host (a tunnel or the CDN).',
      'fix.permission': 'If a public page must reach the local network, the user has to allow it in the browser\'s permission prompt (Chrome: "Look for and connect to any device on your local network"; Firefox asks for local network access too); in Chrome the page can add allow="local-network-access" to an iframe that needs it.',
      'fix.check': 'To confirm, turn the check off and reload: in Chrome disable chrome://flags/#local-network-access-check, in Firefox set network.lna.blocking to false in about:config. If playback then works, this was the cause.',
    },
    requires: ['request-headers'],
  },
  check(context) {
    const blocked = context.facts.filter((facts) => isBlockedCrossing(facts, context.pageOrigin));
    for (const [host, group] of groupBy(blocked, (facts) => facts.host)) {
      const first = group[0]!;
      const crossing = crossingOf(first, context.pageOrigin)!;
      const named = group.some((facts) => LNA_ERRORS.has(facts.record.error ?? ''));
      const confidence: Confidence = named ? 'certain' : crossing.pageKnown ? 'likely' : 'possible';
      texts.reportGroup(context, group, {
        messageId: 'blocked',
        data: {
          host,
          pageSpace: texts.text(`pageSpace.${crossing.page}`),
          pageOrigin: first.pageOrigin ?? context.pageOrigin ?? '',
          targetSpace: texts.text(`space.${crossing.target}`),
          errors: { items: [...new Set(group.map((facts) => facts.record.error ?? ''))], more: 0 },
        },
        evidence: (facts) => [fact(facts, 'error', facts.record.error), fact(facts, 'page-origin', facts.pageOrigin ?? context.pageOrigin), fact(facts, 'ip', facts.record.ip)],
        confidence,
        fixSteps: [texts.text('fix.sameSpace'), texts.text('fix.permission'), texts.text('fix.check')],
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
