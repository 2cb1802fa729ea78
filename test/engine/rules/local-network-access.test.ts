import { describe, expect, test } from 'vitest';
import type { RequestRecord } from '../../../src/engine/model.ts';
import rule, { addressSpaceOfHost } from '../../../src/engine/rules/local-network-access.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecord } from './support/make-record.ts';

const PUBLIC_PAGE = 'https://player.example.com';

function failed(url: string, error: string, index: number, pageOrigin = PUBLIC_PAGE): RequestRecord {
  return { ...makeRecord({ url, pageOrigin, requestHeaders: corsRequest(pageOrigin), status: null, responseHeaders: null }, index), error, state: 'error' };
}

runRuleTests(rule, {
  valid: [
    { name: 'a localhost page loading from localhost', records: [failed('http://localhost:8080/hls/segment0.ts', 'net::ERR_FAILED', 0, 'http://localhost:3000')] },
    { name: 'a public page loading from a public host', records: [failed('https://cdn.example.net/hls/segment0.ts', 'net::ERR_FAILED', 0)] },
    { name: 'a refused connection to localhost is not-a-cors-failure\'s', records: [failed('http://localhost:8080/hls/segment0.ts', 'net::ERR_CONNECTION_REFUSED', 0)] },
    { name: 'a local request that got its response (the user allowed it)', records: [makeRecord({ url: 'http://192.168.1.20/hls/segment0.ts', pageOrigin: PUBLIC_PAGE, requestHeaders: corsRequest(PUBLIC_PAGE), responseHeaders: { 'access-control-allow-origin': '*' } })] },
  ],
  invalid: [
    {
      name: 'Chromium names the block: certain',
      records: [failed('http://127.0.0.1:8080/hls/stream.m3u8', 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS', 0)],
      findings: [{ messageId: 'blocked', confidence: 'certain', messageIncludes: ['1 playlist from the public page https://player.example.com to 127.0.0.1:8080 (loopback address) ended with net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS'], fixIncludes: ['same kind of address', 'local-network-access-check', 'network.lna.blocking'] }],
    },
    {
      name: 'Firefox names the block (NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED, measured in ESR 153): certain',
      records: [{ ...failed('http://127.0.0.1:8080/hls/stream.m3u8', 'NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED', 0, 'http://lab-public.test:8000'), browser: 'firefox' }],
      findings: [{ messageId: 'blocked', confidence: 'certain', messageIncludes: ['ended with NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED'] }],
    },
    {
      name: 'a public IP page to a private address, a generic failure: likely',
      records: [failed('http://192.168.1.20/hls/segment0.ts', 'net::ERR_FAILED', 0, 'http://203.0.113.7'), failed('http://192.168.1.20/hls/segment1.ts', 'net::ERR_FAILED', 1, 'http://203.0.113.7')],
      findings: [{ messageId: 'blocked', confidence: 'likely', recordIds: ['r1', 'r2'], messageIncludes: ['(private network address)'] }],
    },
    {
      name: 'a page on a DNS name (assumed public) to localhost: possible',
      records: [failed('http://localhost:8080/hls/segment0.ts', 'net::ERR_FAILED', 0)],
      findings: [{ messageId: 'blocked', confidence: 'possible' }],
    },
  ],
});

describe('addressSpaceOfHost', () => {
  test.each([
    ['localhost', 'loopback'],
    ['media.localhost', 'loopback'],
    ['127.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.0.0.5', 'local'],
    ['172.20.1.1', 'local'],
    ['172.32.1.1', 'public'],
    ['192.168.0.10', 'local'],
    ['[fd00::1]', 'local'],
    ['8.8.8.8', 'public'],
    ['cdn.example.net', null],
  ])('%s → %s', (host, expected) => {
    expect(addressSpaceOfHost(host)).toBe(expected);
  });
});
