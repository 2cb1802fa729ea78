import type { MessageRef } from '../model.ts';
import { curlWithOrigin } from '../cdn/fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { groupBy } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { fact, listOf } from './lib/describe.ts';
import { networkFailureOf, type NetworkFailure } from './lib/network-failure.ts';

const rule: Rule = {
  meta: {
    id: 'not-a-cors-failure',
    cause: 'not-a-cors-failure',
    category: 'cors',
    lookedFor: 'notCors',
    kind: 'cause',
    severity: 'error',
    title: 'The request failed below HTTP: not a CORS failure',
    description:
      'A refused connection, an unknown host, a certificate error or an HTTP/2 or QUIC protocol error ends a request before any response the browser could check for CORS. Players report all of these as "status 0, maybe CORS" (hls.js, Shaka 1002), which sends people to the CORS headers while the server or the network is at fault. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSDidNotSucceed',
    messages: {
      failed:
        '{{count}} {{kind}} to {{host}} failed with {{errors}} before a complete response arrived: {{what}}. The browser never got to a CORS check, so this is not a CORS failure, whatever the player says ("status 0", "maybe CORS").',
    },
    texts: {
      'what.refused': 'nothing accepts connections at that address and port (server down, wrong port, or a firewall refusing)',
      'what.dns': 'the host name does not resolve (a typo, a DNS record missing, or a resolver that cannot reach it)',
      'what.tls': 'the TLS handshake failed: the certificate is not valid for this host, expired, or not trusted',
      'what.protocol': 'the server or a proxy on the way broke the HTTP/2, HTTP/3 (QUIC) or HTTP/1.1 protocol, or cut the response short',
      'what.dropped': 'the connection was reset, closed or timed out on the way',
      'fix.refused': 'Check that the server listens on {{host}} and that the URL names the right port and scheme: {{command}}',
      'fix.dns': 'Check the host name {{hostname}} in the playlist and its DNS record: a playlist written for another environment often names a host that does not resolve here.',
      'fix.tls': 'Serve a certificate valid for {{hostname}} with its full chain; open the URL in a tab to see the browser\'s certificate error.',
      'fix.protocol':
        'Look at the server or CDN logs for the failed requests; to rule HTTP/2 or QUIC out, retry over HTTP/1.1 or with QUIC turned off. Fix the layer that breaks the protocol (a proxy, a load balancer, a CDN setting).',
      'fix.dropped': 'Look for what cuts connections between the browser and {{host}}: a proxy, a load balancer timeout, a firewall, an unstable network. {{command}} shows whether the server answers at all.',
      'fix.notCors': 'Leave the CORS configuration alone: it is not what failed here.',
    },
    requires: ['request-headers'],
  },
  check(context) {
    // Only requests sent with Origin: those are the ones a player (and its user) blames on CORS.
    const failed = context.facts.filter((facts) => facts.requestOrigin !== null && networkFailureOf(facts.record.error) !== null);
    const groups = groupBy(failed, (facts) => `${networkFailureOf(facts.record.error)} ${facts.host ?? ''}`);
    for (const group of groups.values()) {
      const first = group[0]!;
      const failure = networkFailureOf(first.record.error)!;
      const host = first.host ?? first.record.url;
      texts.reportGroup(context, group, {
        messageId: 'failed',
        data: { host, errors: listOf(group.map((facts) => facts.record.error!)), what: texts.text(`what.${failure}`) },
        evidence: (facts) => [fact(facts, 'error', facts.record.error), fact(facts, 'status', facts.record.status), fact(facts, 'ip', facts.record.ip)],
        confidence: 'certain',
        fixSteps: [fixStepOf(failure, group, context.pageOrigin), texts.text('fix.notCors')],
      });
    }
  },
};

function hostnameOf(facts: RecordFacts): string {
  try {
    return new URL(facts.record.url).hostname;
  } catch {
    return facts.host ?? '';
  }
}

function fixStepOf(failure: NetworkFailure, group: readonly RecordFacts[], pageOrigin: string | null): MessageRef {
  const first = group[0]!;
  const host = first.host ?? first.record.url;
  switch (failure) {
    case 'refused':
    case 'dropped':
      return texts.text(`fix.${failure}`, { host, command: curlWithOrigin(first.record.url, pageOrigin) });
    case 'dns':
    case 'tls':
      return texts.text(`fix.${failure}`, { hostname: hostnameOf(first) });
    case 'protocol':
      return texts.text('fix.protocol');
  }
}

const texts = textsOf(rule.meta);

export default rule;
