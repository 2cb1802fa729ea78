import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../../../src/engine/model.ts';
import rule from '../../../src/engine/rules/not-a-cors-failure.ts';
import { networkFailureOf } from '../../../src/engine/rules/lib/network-failure.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecord, s3Cors } from './support/make-record.ts';

/** A request the browser ended with a network error: no status, no response headers. */
function failedWith(error: string, url: string, index: number, browser: RequestRecord['browser'] = 'chromium'): RequestRecord {
  return { ...makeRecord({ url, requestHeaders: corsRequest(), status: null, responseHeaders: null }, index), error, state: 'error', browser };
}

const segment = (n: number, host = 'media.example.org') => `https://${host}/hls/segment${n}.ts`;

runRuleTests(rule, {
  valid: [
    { name: 'a CORS rejection (net::ERR_FAILED with the response seen) is the verdict engine\'s', records: [{ ...makeRecord({ url: segment(0), requestHeaders: corsRequest(), responseHeaders: { server: 'AmazonS3' } }), error: 'net::ERR_FAILED', state: 'error' }] },
    { name: 'a load the player aborted (seek, quality switch)', records: [failedWith('net::ERR_ABORTED', segment(0), 0), failedWith('NS_BINDING_ABORTED', segment(1), 1, 'firefox')] },
    { name: 'a request blocked by another extension is extension-interference\'s', records: [failedWith('net::ERR_BLOCKED_BY_CLIENT', segment(0), 0)] },
    { name: 'a COEP/CORP block is coep-blocks-media\'s', records: [failedWith('net::ERR_BLOCKED_BY_RESPONSE', segment(0), 0)] },
    { name: 'a <video> without crossorigin that could not connect: no one suspects CORS there', records: [{ ...failedWith('net::ERR_CONNECTION_REFUSED', segment(0), 0), requestHeaders: [['sec-fetch-mode', 'no-cors']] }] },
    { name: 'every request answered', records: [makeRecord({ url: segment(0), requestHeaders: corsRequest(), responseHeaders: s3Cors() })] },
  ],
  invalid: [
    {
      name: 'connection refused on every segment: one finding, certain, with a curl that sends Origin',
      records: [failedWith('net::ERR_CONNECTION_REFUSED', segment(0, '127.0.0.1:9'), 0), failedWith('net::ERR_CONNECTION_REFUSED', segment(1, '127.0.0.1:9'), 1)],
      findings: [
        {
          messageId: 'failed',
          confidence: 'certain',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 segments to 127.0.0.1:9 failed with net::ERR_CONNECTION_REFUSED', 'nothing accepts connections', 'not a CORS failure'],
          fixIncludes: ["curl -sS -D - -o /dev/null -H 'Origin: http://localhost:3010'", 'Leave the CORS configuration alone'],
        },
      ],
    },
    {
      name: 'an HTTP/2 and a QUIC protocol error on one host are one protocol finding',
      records: [failedWith('net::ERR_HTTP2_PROTOCOL_ERROR', segment(0), 0), failedWith('net::ERR_QUIC_PROTOCOL_ERROR', segment(1), 1)],
      findings: [{ messageId: 'failed', messageIncludes: ['net::ERR_HTTP2_PROTOCOL_ERROR and net::ERR_QUIC_PROTOCOL_ERROR', 'HTTP/2, HTTP/3 (QUIC)'], fixIncludes: ['retry over HTTP/1.1'] }],
    },
    {
      name: 'Firefox: an unknown host and a certificate error on two hosts are two findings',
      records: [failedWith('NS_ERROR_UNKNOWN_HOST', segment(0, 'cdn.typo.example'), 0, 'firefox'), failedWith('SEC_ERROR_UNKNOWN_ISSUER', segment(1), 1, 'firefox')],
      findings: [
        { messageId: 'failed', recordIds: ['r1'], messageIncludes: ['does not resolve'], fixIncludes: ['host name cdn.typo.example'] },
        { messageId: 'failed', recordIds: ['r2'], messageIncludes: ['TLS handshake failed'], fixIncludes: ['valid for media.example.org'] },
      ],
    },
  ],
});

describe('networkFailureOf', () => {
  test.each([
    ['net::ERR_CONNECTION_REFUSED', 'refused'],
    ['net::ERR_CERT_DATE_INVALID', 'tls'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
    ['MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT', 'tls'],
    ['net::ERR_HTTP2_PING_FAILED', 'protocol'],
    ['net::ERR_EMPTY_RESPONSE', 'protocol'],
    ['NS_ERROR_NET_RESET', 'dropped'],
    ['net::ERR_FAILED', null],
    ['net::ERR_ABORTED', null],
    ['net::ERR_BLOCKED_BY_CLIENT', null],
    [null, null],
  ])('%s → %s', (error, expected) => {
    expect(networkFailureOf(error)).toBe(expected);
  });
});
