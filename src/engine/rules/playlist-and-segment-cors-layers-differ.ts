import type { Confidence, Evidence, MessageList, MessageRef } from '../model.ts';
import { CORS_S3_ORIGIN, CORS_WITH_PREFLIGHT, CORS_WITH_PREFLIGHT_AND_SECURITY_HEADERS, ELEMENTAL_MEDIAPACKAGE } from '../cdn/cloudfront-policies.ts';
import { policyRef, varyFixRef } from '../cdn/fixes.ts';
import type { FileKind, RecordFacts, Rule } from './lib/types.ts';
import { groupBy, pathPatternOf } from './lib/groups.ts';
import { textsOf } from './lib/localised.ts';
import { EVIDENCE_SAMPLE, fact, kindWord, listOf, requestHeader, responseHeader, vendorIdOf, vendorName } from './lib/describe.ts';
import { edgeCorsStep, originInCacheKeyStep, purgeStep, s3CorsStep, verifyStep } from './lib/fixes.ts';

/** What one side (playlists or segments) shows about where its CORS headers come from. */
interface LayerEvidence {
  /** CORS responses whose ACAO came from an edge policy (ACAO without S3's Allow-Methods). */
  policyAcao: RecordFacts[];
  /** Responses carrying a CloudFront SecurityHeaders-family policy's headers: a response headers policy runs here. */
  securityPolicy: RecordFacts[];
  /**
   * Responses to requests without Origin that carry exactly `Vary: Origin` from an S3 origin: S3 sends
   * no Vary then, so CloudFront's CORS config added it ([S] ttoss PR #1205, unconfirmed; docs/cdn-behaviour.md#incident).
   */
  policyVary: RecordFacts[];
  /** CORS responses carrying S3's own CORS answer. */
  storageAcao: RecordFacts[];
}

function emptyLayer(): LayerEvidence {
  return { policyAcao: [], securityPolicy: [], policyVary: [], storageAcao: [] };
}

/** Sorts one record into its side's evidence lists (one pass per side keeps every list in log order). */
function addToLayer(layer: LayerEvidence, facts: RecordFacts): void {
  if (facts.isCorsRequest && facts.cdn.corsLayer === 'cdn-policy') layer.policyAcao.push(facts);
  if (facts.cdn.vendor?.id === 'cloudfront') {
    if (facts.cdn.storage.securityHeadersPolicy.length > 0) layer.securityPolicy.push(facts);
    if (facts.requestOrigin === null && facts.allowOrigin.length === 0 && facts.cdn.storage.service === 's3') {
      const vary = facts.varyTokens;
      if (vary.length === 1 && vary[0] === 'origin') layer.policyVary.push(facts);
    }
  }
  if (facts.isCorsRequest && facts.cdn.corsLayer === 'storage') layer.storageAcao.push(facts);
}

function hasEdgeLayer(layer: LayerEvidence): boolean {
  return layer.policyAcao.length > 0 || layer.policyVary.length > 0 || layer.securityPolicy.length > 0;
}

function edgeEvidenceWords(layer: LayerEvidence): MessageList {
  const words: MessageRef[] = [];
  if (layer.policyAcao.length > 0) words.push(texts.text('edge.acao'));
  if (layer.securityPolicy.length > 0) words.push(texts.text('edge.securityHeaders', { headers: listOf(layer.securityPolicy[0]!.cdn.storage.securityHeadersPolicy, 2) }));
  if (layer.policyVary.length > 0) words.push(texts.text('edge.vary'));
  return listOf(words, 3);
}

/** "playlists" / "segments" as a message of their own (the shared kind words). */
function sideWord(kind: Exclude<FileKind, 'other'>): MessageRef {
  return kindWord(kind, 2);
}

const rule: Rule = {
  meta: {
    id: 'playlist-and-segment-cors-layers-differ',
    cause: 'mixed-layers',
    category: 'cdn',
    lookedFor: 'layers',
    kind: 'risk',
    severity: 'warning',
    title: 'Playlists and segments get CORS headers from different layers',
    description:
      'When the playlist behavior adds CORS at the edge (a response headers policy) and the segment behavior relies on the storage origin, the two fail differently: edge CORS works for every copy, storage CORS only when Origin reached the origin and the cached copy kept its headers. The playlist loads and the segments fail, or the reverse. Learn more: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html',
    messages: {
      mixed:
        'On {{host}}, {{edgeSide}} get CORS from a response headers policy at the {{vendor}} edge ({{edgeEvidence}}), while {{storageSide}} carry only {{storage}}\'s own CORS answer (Access-Control-Allow-Methods and the three-part Vary, no policy headers): {{storageSide}} depend on Origin reaching the bucket and on what each cached copy holds.{{failNote}}',
    },
    texts: {
      'edge.acao': "Access-Control-Allow-Origin without S3's Access-Control-Allow-Methods",
      'edge.securityHeaders': "the policy's security headers ({{headers}})",
      'edge.vary': 'Vary: Origin on a response to a request without Origin, which S3 never sends',
      failNote: ' {{failing}} of {{total}} CORS {{side}} failed without Access-Control-Allow-Origin.',
      'fix.samePolicy':
        'Attach the same response headers policy to the {{side}} behavior ({{patterns}}), e.g. {{policy}}, so {{side}} get Access-Control-Allow-Origin at the edge whatever the cached copy holds.',
      'fix.originInCacheKey':
        'Keep Origin in the cache key wherever CORS still comes from S3: cache policy {{cachePolicy}} (or a custom one with Origin) and origin request policy {{originRequestPolicy}}.',
      'fix.sameWay': 'Add the CORS headers to {{storageSide}} the same way as to {{edgeSide}}. {{varyFix}}',
    },
    requires: ['cdn'],
  },
  check(context) {
    const media = context.facts.filter((facts) => facts.fileKind !== 'other' && facts.record.responseHeaders !== null);
    for (const [host, hostRecords] of groupBy(media, (facts) => facts.host)) {
      const playlists: RecordFacts[] = [];
      const segments: RecordFacts[] = [];
      const playlistLayer = emptyLayer();
      const segmentLayer = emptyLayer();
      for (const facts of hostRecords) {
        if (facts.fileKind === 'playlist') {
          playlists.push(facts);
          addToLayer(playlistLayer, facts);
        } else if (facts.fileKind === 'segment') {
          segments.push(facts);
          addToLayer(segmentLayer, facts);
        }
      }
      const sides: Array<[Exclude<FileKind, 'other'>, RecordFacts[], LayerEvidence]> = [
        ['playlist', playlists, playlistLayer],
        ['segment', segments, segmentLayer],
      ];
      const edge = sides.find(([, , layer]) => hasEdgeLayer(layer));
      const storage = sides.find(([, , layer]) => !hasEdgeLayer(layer) && layer.storageAcao.length > 0);
      if (!edge || !storage || edge[0] === storage[0]) continue;
      const [edgeKind, edgeRecords, edgeLayer] = edge;
      const [storageKind, storageRecords, storageLayer] = storage;
      const storageCors = storageRecords.filter((facts) => facts.isCorsRequest);
      const failing = storageCors.filter((facts) => facts.failedWithoutAllowOrigin);
      const directEdge = edgeLayer.policyAcao.length > 0 || (edgeLayer.securityPolicy.length > 0 && edgeLayer.policyVary.length > 0);
      const confidence: Confidence = directEdge ? 'likely' : 'possible';
      const storagePatterns = [...new Set(storageRecords.map(pathPatternOf))];
      const edgePolicy = edgeLayer.securityPolicy.length > 0 ? CORS_WITH_PREFLIGHT_AND_SECURITY_HEADERS : CORS_WITH_PREFLIGHT;
      const steps: MessageRef[] =
        vendorIdOf(edgeRecords) === 'cloudfront'
          ? [
              edgeCorsStep(texts.text('fix.samePolicy', { side: sideWord(storageKind), patterns: listOf(storagePatterns), policy: policyRef(edgePolicy) }), storagePatterns),
              originInCacheKeyStep(texts.text('fix.originInCacheKey', { cachePolicy: policyRef(ELEMENTAL_MEDIAPACKAGE), originRequestPolicy: policyRef(CORS_S3_ORIGIN) })),
            ]
          : [texts.text('fix.sameWay', { storageSide: sideWord(storageKind), edgeSide: sideWord(edgeKind), varyFix: varyFixRef(vendorIdOf(edgeRecords)) })];
      const s3 = s3CorsStep(storageRecords, context.pageOrigin);
      if (s3) steps.push(s3);
      steps.push(purgeStep(storageRecords), verifyStep(storageCors.length > 0 ? storageCors : storageRecords, context.pageOrigin));
      const edgeEvidence: Evidence[] = [
        ...edgeLayer.policyAcao.slice(0, 2).flatMap((facts) => [responseHeader(facts, 'access-control-allow-origin'), responseHeader(facts, 'access-control-allow-methods')]),
        ...edgeLayer.securityPolicy.slice(0, 2).flatMap((facts) => facts.cdn.storage.securityHeadersPolicy.map((name) => responseHeader(facts, name))),
        ...edgeLayer.policyVary.slice(0, 2).flatMap((facts) => [requestHeader(facts, 'origin'), responseHeader(facts, 'vary'), responseHeader(facts, 'server')]),
      ];
      const storageEvidence: Evidence[] = storageLayer.storageAcao.slice(0, EVIDENCE_SAMPLE).flatMap((facts) => [
        responseHeader(facts, 'access-control-allow-methods'),
        responseHeader(facts, 'vary'),
        responseHeader(facts, 'strict-transport-security'),
        fact(facts, 'cors-layer', facts.cdn.corsLayer),
      ]);
      const kindOfFinding = failing.length > 0 ? 'cause' : 'risk';
      // The records at stake: CORS requests of both sides (never one sent without Origin).
      texts.reportGroup(context, [...storageCors, ...edgeRecords.filter((facts) => facts.isCorsRequest)], {
        messageId: 'mixed',
        data: {
          host,
          edgeSide: sideWord(edgeKind),
          storageSide: sideWord(storageKind),
          vendor: vendorName(edgeRecords),
          edgeEvidence: edgeEvidenceWords(edgeLayer),
          storage: 'S3',
          failNote: failing.length > 0 ? texts.text('failNote', { failing: failing.length, total: storageCors.length, side: sideWord(storageKind) }) : '',
        },
        evidence: [...edgeEvidence, ...storageEvidence],
        confidence,
        kind: kindOfFinding,
        severity: kindOfFinding === 'cause' ? 'error' : 'warning',
        fixSteps: steps,
      });
    }
  },
};

const texts = textsOf(rule.meta);

export default rule;
