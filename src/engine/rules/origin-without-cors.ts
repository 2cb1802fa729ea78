import type { Confidence, Evidence, MessageRef } from '../model.ts';
import { credentialsModeOf } from '../cors/index.ts';
import { s3CorsFixRef } from '../cdn/fixes.ts';
import { isCdnInFront, originIdentityOf, type OriginIdentity, type OriginKind } from '../cdn/origin-kind.ts';
import {
  ORIGIN_FIX_DOCS,
  PLAYER_EXPOSE_HEADERS,
  apacheCorsConfig,
  azureCorsFix,
  caddyCorsConfig,
  expressCorsConfig,
  fixOriginOf,
  gcsCorsFix,
  nginxCorsConfig,
  type CorsTarget,
} from '../cdn/origin-fixes.ts';
import type { RecordFacts, Rule } from './lib/types.ts';
import { inLogOrder, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { cacheEvidence, fact, kindOfGroup, kindWord, listOf, requestHeader, responseHeader, vendorName } from './lib/describe.ts';
import { cacheSafeCorsSteps, purgeStep, verifyStep } from './lib/fixes.ts';
import { isCorsExchange } from './lib/origin-cors.ts';
import { sentNullAfterRedirect } from './lib/redirects.ts';

/** What one origin (host) answered to the page's CORS requests. */
interface OriginExchanges {
  /** Responses to CORS requests or preflights that carried Access-Control-Allow-Origin. */
  withCors: RecordFacts[];
  /**
   * CORS requests (not OPTIONS) rejected for a missing ACAO on a non-error answer of the origin: errors
   * are error-status-without-cors's, and a copy from the browser's own cache counts only when a request
   * with Origin fetched it (a copy filled without Origin is browser-cached-no-cors-copy's).
   */
  rejected: RecordFacts[];
  /** Preflights answered without ACAO. */
  preflightsWithout: RecordFacts[];
}

function isRejectedByOrigin(facts: RecordFacts): boolean {
  const status = facts.record.status;
  if (!facts.failedWithoutAllowOrigin || status === null || status >= 400) return false;
  // Origin: null after a redirect is redirect-taints-origin's to explain.
  if (sentNullAfterRedirect(facts)) return false;
  return !facts.fromBrowserCache || (facts.browserCopyOf !== null && facts.browserCopyOf.requestOrigin !== null);
}

/** "playlists" or "segments" when the group is one kind, "requests" when it mixes them. */
function kindOf(group: readonly RecordFacts[]): MessageRef {
  const kind = group.every((facts) => facts.fileKind === group[0]!.fileKind) ? kindOfGroup(group) : 'other';
  return kindWord(kind, group.length);
}

function exchangesByHost(facts: readonly RecordFacts[]): Map<string, OriginExchanges> {
  const byHost = new Map<string, OriginExchanges>();
  // Most logs have one media host: the last one found answers most lookups.
  let lastHost: string | null = null;
  let lastExchanges: OriginExchanges | undefined;
  for (const item of facts) {
    if (item.host === null || !isCorsExchange(item)) continue;
    const withCors = item.allowOrigin.length > 0;
    const rejected = !withCors && isRejectedByOrigin(item);
    const preflightWithout = !withCors && item.isPreflight && item.record.status !== null;
    if (!withCors && !rejected && !preflightWithout) continue;
    let exchanges = item.host === lastHost ? lastExchanges : byHost.get(item.host);
    if (exchanges === undefined) byHost.set(item.host, (exchanges = { withCors: [], rejected: [], preflightsWithout: [] }));
    lastHost = item.host;
    lastExchanges = exchanges;
    if (withCors) exchanges.withCors.push(item);
    else if (rejected) exchanges.rejected.push(item);
    else exchanges.preflightsWithout.push(item);
  }
  return byHost;
}

/** Records whose origin kind and CDN are looked at: enough to outvote a stray response, bounded for huge logs. */
const IDENTITY_SAMPLE = 200;

/** The first records of each list, together at most about IDENTITY_SAMPLE. */
function sampleOf(exchanges: OriginExchanges): RecordFacts[] {
  const each = Math.ceil(IDENTITY_SAMPLE / 3);
  return [...exchanges.rejected.slice(0, each), ...exchanges.preflightsWithout.slice(0, each), ...exchanges.withCors.slice(0, each)];
}

/** The origin kind most of the host's responses show (unknown only when none shows one). */
function identityOfOrigin(records: readonly RecordFacts[]): OriginIdentity {
  const tally = new Map<OriginKind, { count: number; identity: OriginIdentity }>();
  for (const facts of records.slice(0, IDENTITY_SAMPLE)) {
    const identity = originIdentityOf(facts.host, facts.record.responseHeaders, facts.cdn.storage);
    if (identity.kind === 'unknown') continue;
    const entry = tally.get(identity.kind);
    if (entry) entry.count++;
    else tally.set(identity.kind, { count: 1, identity });
  }
  let best: { count: number; identity: OriginIdentity } | null = null;
  for (const entry of tally.values()) if (best === null || entry.count > best.count) best = entry;
  return best?.identity ?? { kind: 'unknown', evidence: null };
}

type Dimension = 'method' | 'extension' | 'path';

/** How the origin's answers split into with and without CORS, when they split cleanly along one line. */
interface Split {
  dimension: Dimension;
  withCors: string[];
  withoutCors: string[];
}

function methodOf(facts: RecordFacts): string {
  if (facts.isPreflight) return 'OPTIONS';
  const method = facts.record.method;
  return method === 'GET' || method === 'HEAD' ? method : method.toUpperCase();
}

/** The extension as a key: '' for none (shown as "(no extension)"), without the dot (added when shown). */
function extensionKeyOf(facts: RecordFacts): string {
  return facts.extension ?? '';
}

function directoryOf(facts: RecordFacts): string {
  const path = facts.path ?? '/';
  return path.slice(0, path.lastIndexOf('/') + 1) || '/';
}

/** The distinct keys of the lists' records, actual requests only when asked (one pass, no copies: logs are long). */
function keysOf(lists: ReadonlyArray<readonly RecordFacts[]>, keyOf: (facts: RecordFacts) => string, actualOnly: boolean): Set<string> {
  const keys = new Set<string>();
  for (const list of lists) for (const facts of list) if (!actualOnly || !facts.isOptions) keys.add(keyOf(facts));
  return keys;
}

/** The keys on each side, when no key shows up on both (stops at the first shared one). */
function disjoint(withCors: readonly RecordFacts[], without: ReadonlyArray<readonly RecordFacts[]>, keyOf: (facts: RecordFacts) => string, actualOnly: boolean): { withCors: string[]; withoutCors: string[] } | null {
  const bad = keysOf(without, keyOf, actualOnly);
  if (bad.size === 0) return null;
  const good = new Set<string>();
  for (const facts of withCors) {
    if (actualOnly && facts.isOptions) continue;
    const key = keyOf(facts);
    if (bad.has(key)) return null;
    good.add(key);
  }
  return { withCors: [...good], withoutCors: [...bad] };
}

/** By method first (GET with CORS, OPTIONS or HEAD without), then by file type, then by folder. */
function splitOf(exchanges: OriginExchanges): Split | null {
  const byMethod = disjoint(exchanges.withCors, [exchanges.rejected, exchanges.preflightsWithout], methodOf, false);
  if (byMethod) return { dimension: 'method', ...byMethod };
  const byExtension = disjoint(exchanges.withCors, [exchanges.rejected], extensionKeyOf, true);
  if (byExtension) return { dimension: 'extension', ...byExtension };
  const byPath = disjoint(exchanges.withCors, [exchanges.rejected], directoryOf, true);
  if (byPath) return { dimension: 'path', ...byPath };
  return null;
}

/** Whether the records name at least two URLs (stops at the second). */
function hasTwoUrls(records: readonly RecordFacts[]): boolean {
  const first = records[0]?.record.url;
  return records.some((facts) => facts.record.url !== first);
}

/**
 * What the fix must allow for this page: its exact origin, credentials when cookies went out (a
 * player sends them on all its requests or none: the sample tells), the headers the preflights asked for.
 */
function targetOf(exchanges: OriginExchanges, url: string, pageOrigin: string | null): CorsTarget {
  const requested = new Set<string>();
  for (const list of [exchanges.preflightsWithout, exchanges.withCors]) {
    for (const facts of list) {
      if (!facts.isPreflight) continue;
      for (const [name, value] of facts.record.requestHeaders ?? []) if (name.toLowerCase() === 'access-control-request-headers') for (const part of value.split(',')) requested.add(part.trim());
    }
  }
  return {
    url,
    origin: fixOriginOf(pageOrigin),
    credentials: sampleOf(exchanges).some((facts) => credentialsModeOf(facts.record) === 'include'),
    requestHeaders: [...requested],
  };
}

/** The CORS setup in the origin's own configuration language, then where it was checked. */
function originFixSteps(kind: OriginKind, target: CorsTarget): MessageRef[] {
  const docs = texts.text('fix.docs', { url: ORIGIN_FIX_DOCS[kind] });
  switch (kind) {
    case 's3':
      return [s3CorsFixRef(target.url, { origins: [target.origin], methods: ['GET', 'HEAD'], exposeHeaders: PLAYER_EXPOSE_HEADERS }), docs];
    case 'gcs':
      return [texts.text('fix.gcs', gcsCorsFix(target)), docs];
    case 'azure-blob':
      return [texts.text('fix.azure', azureCorsFix(target)), docs];
    case 'nginx':
      return [texts.text('fix.nginx', { config: nginxCorsConfig(target) }), docs];
    case 'apache':
      return [texts.text('fix.apache', { config: apacheCorsConfig(target) }), docs];
    case 'caddy':
      return [texts.text('fix.caddy', { config: caddyCorsConfig(target) }), docs];
    case 'express':
      return [texts.text('fix.express', { config: expressCorsConfig(target) }), docs];
    case 'unknown':
      return [
        texts.text('fix.generic', {
          origin: target.origin,
          credentials: target.credentials ? texts.text('fix.generic.credentials') : '',
          expose: PLAYER_EXPOSE_HEADERS.join(', '),
        }),
        docs,
      ];
  }
}

function identityEvidence(facts: RecordFacts, identity: OriginIdentity): Evidence[] {
  const name = identity.evidence?.name;
  if (name === undefined) return [responseHeader(facts, 'server')];
  return [name === 'host' ? fact(facts, 'host', facts.host) : responseHeader(facts, name)];
}

const rule: Rule = {
  meta: {
    id: 'origin-without-cors',
    cause: 'origin-without-cors',
    category: 'cors',
    lookedFor: 'allowOrigin',
    kind: 'cause',
    severity: 'error',
    title: 'The origin sends no CORS headers',
    description:
      'Storage buckets and web servers send no CORS headers until someone configures them: S3, Cloud Storage and Azure Blob storage have no CORS rule by default, and nginx, Apache and Caddy add none. A player on another origin then has every playlist and segment rejected, or only the files, paths or methods the CORS setup does not cover. Learn more: https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin',
    messages: {
      noCors:
        '{{all}} CORS {{kind}} to {{host}} came back without Access-Control-Allow-Origin, and no response from it carried any: {{server}}{{recognisedBy}} has no CORS configuration that allows {{pageOrigin}}{{cdnNote}}.',
      partial:
        'On {{host}}, {{server}}{{recognisedBy}} answers CORS only in part, by {{dimension}}: {{withCors}} carried Access-Control-Allow-Origin, {{withoutCors}} did not ({{failing}} CORS {{kind}} rejected). Its CORS setup does not cover everything the player requests.',
    },
    texts: {
      'all.one': 'The only',
      'all.many': 'All {{count}}',
      thisPage: 'this page',
      recognisedBy: ' ({{name}}: {{value}})',
      cdnNote: ', and {{vendor}} in front adds none either (or does not pass Origin on to it)',
      'server.s3': 'the Amazon S3 bucket',
      'server.gcs': 'the Google Cloud Storage bucket',
      'server.azure-blob': 'the Azure Blob storage account',
      'server.nginx': 'the nginx server',
      'server.apache': 'the Apache server',
      'server.caddy': 'the Caddy server',
      'server.express': 'the Express app',
      'server.unknown': 'the server',
      'dimension.method': 'method',
      'dimension.extension': 'file type',
      'dimension.path': 'folder',
      noExtension: '(no extension)',
      'fix.partial.method': 'Extend the CORS setup to {{withoutCors}}: today it answers {{withCors}} only (a preflight needs an answer of its own, with Access-Control-Allow-Methods and -Headers).',
      'fix.partial.files': 'Apply the CORS setup where {{withoutCors}} are served as well: today it reaches {{withCors}} only.',
      'fix.gcs': 'Google Cloud Storage (CORS cannot be set in the console): save this as cors.json — {{json}}\n  then: {{command}}',
      'fix.azure': 'Azure Blob storage: add a CORS rule to the Blob service of the storage account: {{command}}',
      'fix.nginx':
        'nginx: add to the server or location block that serves the media ("always" also covers error answers; a block with add_header lines of its own inherits none of these):\n{{config}}',
      'fix.apache': 'Apache (mod_headers): add to the <Directory>, <Location> or .htaccess that serves the media ("always" also covers error answers):\n{{config}}',
      'fix.caddy': 'Caddy: add to the site block of the Caddyfile that serves the media:\n{{config}}',
      'fix.express': 'Express: with the cors package (npm install cors), before the route that serves the media:\n{{config}}',
      'fix.generic':
        'Make the server send Access-Control-Allow-Origin: {{origin}}{{credentials}} on every response to a request with Origin (GET, HEAD and error answers too), answer OPTIONS preflights with 204, Access-Control-Allow-Methods: GET, HEAD, OPTIONS and Access-Control-Allow-Headers for what the player sends (e.g. Range), and list {{expose}} in Access-Control-Expose-Headers.',
      'fix.generic.credentials': ' and Access-Control-Allow-Credentials: true',
      'fix.docs': 'Reference: {{url}}',
      'fix.cdn.everywhere': 'Make the {{vendor}} change below for every path that serves the stream, playlists and segments alike, not only {{patterns}}: no response from this host carried CORS.',
    },
    requires: ['verdict'],
  },
  check(context) {
    for (const [host, exchanges] of exchangesByHost(context.facts)) {
      if (exchanges.rejected.length === 0 && exchanges.preflightsWithout.length === 0) continue;
      const viaCdn = sampleOf(exchanges).some((facts) => isCdnInFront(facts.cdn));
      if (exchanges.withCors.length === 0) reportNoCors(context, host, exchanges, viaCdn);
      // Behind a CDN, a path or method without CORS is the CDN rules' to explain (cdn-path-never-sends-cors, preflight-rejected).
      else if (!viaCdn) reportPartial(context, host, exchanges);
    }
  },
};

type Context = Parameters<Rule['check']>[0];

function reportNoCors(context: Context, host: string, exchanges: OriginExchanges, viaCdn: boolean): void {
  const { rejected } = exchanges;
  if (rejected.length === 0) return;
  const fromOrigin = rejected.filter((facts) => facts.cdn.servedFromCache !== true);
  // Only cached copies without CORS: a copy filled without Origin explains that too (cached-response-without-cors).
  if (viaCdn && fromOrigin.length === 0) return;
  const confidence: Confidence = viaCdn
    ? fromOrigin.filter((facts) => facts.cdn.servedFromCache === false).length >= 2 || rejected.length >= 3 ? 'likely' : 'possible'
    : hasTwoUrls(rejected) ? 'certain' : 'likely';
  const identity = identityOfOrigin(rejected);
  const pageOrigin = rejected[0]!.pageOrigin ?? context.pageOrigin;
  const target = targetOf(exchanges, rejected[0]!.record.url, pageOrigin);
  const patterns = [...new Set(rejected.map(pathPatternOf))];
  // The player stops at the first file that fails: the CDN change is for every path of the stream, not only the ones seen.
  const cdnSteps = viaCdn
    ? [texts.text('fix.cdn.everywhere', { vendor: vendorName(rejected), patterns: listOf(patterns) }), ...cacheSafeCorsSteps(rejected, patterns.join(', ')), purgeStep(rejected)]
    : [];
  texts.reportGroup(context, rejected, {
    messageId: 'noCors',
    data: {
      all: rejected.length === 1 ? texts.text('all.one') : texts.text('all.many', { count: rejected.length }),
      kind: kindOf(rejected),
      host,
      server: texts.text(`server.${identity.kind}`),
      recognisedBy: identity.evidence ? texts.text('recognisedBy', { ...identity.evidence }) : '',
      pageOrigin: pageOrigin ?? texts.text('thisPage'),
      cdnNote: viaCdn ? texts.text('cdnNote', { vendor: vendorName(rejected) }) : '',
    },
    sampled: viaCdn ? fromOrigin : rejected,
    evidence: (facts) => [
      requestHeader(facts, 'origin'),
      responseHeader(facts, 'access-control-allow-origin'),
      ...identityEvidence(facts, identity),
      ...(viaCdn ? cacheEvidence(facts) : []),
    ],
    confidence,
    fixSteps: [...originFixSteps(identity.kind, target), ...cdnSteps, verifyStep(rejected, pageOrigin)],
  });
}

function reportPartial(context: Context, host: string, exchanges: OriginExchanges): void {
  const split = splitOf(exchanges);
  if (split === null) return;
  const failing = exchanges.preflightsWithout.length === 0 ? exchanges.rejected : inLogOrder([...exchanges.rejected, ...exchanges.preflightsWithout]);
  const identity = identityOfOrigin([...failing, ...exchanges.withCors]);
  const pageOrigin = failing[0]!.pageOrigin ?? context.pageOrigin;
  const target = targetOf(exchanges, failing[0]!.record.url, pageOrigin);
  const label = (value: string): string | MessageRef => (split.dimension !== 'extension' ? value : value === '' ? texts.text('noExtension') : `.${value}`);
  const sides = { withCors: listOf(split.withCors.map(label)), withoutCors: listOf(split.withoutCors.map(label)) };
  const scopeStep = texts.text(split.dimension === 'method' ? 'fix.partial.method' : 'fix.partial.files', sides);
  // The check's curl sends a GET: aim it at a rejected GET when there is one.
  const verifiable = exchanges.rejected.length > 0 ? exchanges.rejected : failing;
  texts.reportGroup(context, failing, {
    messageId: 'partial',
    data: {
      server: texts.text(`server.${identity.kind}`),
      recognisedBy: identity.evidence ? texts.text('recognisedBy', { ...identity.evidence }) : '',
      host,
      dimension: texts.text(`dimension.${split.dimension}`),
      ...sides,
      failing: failing.length,
      kind: kindOf(failing),
    },
    evidence: (facts) => [
      fact(facts, 'method', methodOf(facts)),
      fact(facts, 'status', facts.record.status),
      requestHeader(facts, 'origin'),
      responseHeader(facts, 'access-control-allow-origin'),
      ...identityEvidence(facts, identity),
    ],
    moreEvidence: exchanges.withCors.slice(0, 2).flatMap((facts) => [fact(facts, 'method', methodOf(facts)), responseHeader(facts, 'access-control-allow-origin')]),
    confidence: 'likely',
    fixSteps: [scopeStep, ...originFixSteps(identity.kind, target), verifyStep(verifiable, pageOrigin)],
  });
}

const texts = textsOf(rule.meta);

export default rule;
