/**
 * Storage endpoints by host name (origin-kind.ts): the S3 pattern names the same hosts as the
 * ambiguous form it replaced, and a host made to backtrack (s3 and many `-a`, dots, dashes) is read as
 * fast as a plain one of its length. The old form never finished on s3 and forty `-a`.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { originIdentityOf } from '../../../src/engine/cdn/origin-kind.ts';
import type { StorageFacts } from '../../../src/engine/cdn/storage.ts';

const NO_STORAGE: StorageFacts = { service: null, serviceEvidence: null, s3CorsFingerprint: false, securityHeadersPolicy: [] };
const kindOf = (host: string): string => originIdentityOf(host, null, NO_STORAGE).kind;

/** The pattern as the origin-without-cors change wrote it (exponential on `s3-a-a-a…`; short inputs only). */
const AMBIGUOUS_S3_HOST = /(?:^|\.)s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;

describe('S3 hosts', () => {
  test.each([
    ['bucket.s3.amazonaws.com', 's3'],
    ['bucket.s3.eu-west-1.amazonaws.com', 's3'],
    ['bucket.s3-eu-west-1.amazonaws.com', 's3'],
    ['s3.dualstack.us-east-1.amazonaws.com', 's3'],
    ['bucket.s3-website-us-east-1.amazonaws.com', 's3'],
    ['bucket.s3.cn-north-1.amazonaws.com.cn', 's3'],
    ['s3.amazonaws.com:443', 's3'],
    ['mys3.amazonaws.com', 'unknown'],
    ['bucket.s3..amazonaws.com', 'unknown'],
    ['s3.amazonaws.com.evil.test', 'unknown'],
    ['storage.googleapis.com', 'gcs'],
    ['account.blob.core.windows.net', 'azure-blob'],
  ])('%s is %s', (host, kind) => {
    expect(kindOf(host)).toBe(kind);
  });

  test('the same hosts as the ambiguous pattern', () => {
    const piece = fc.constantFrom('s3', '-', '.', 'a', '0', '-a', '.a', 'amazonaws', 'com', 'cn', '.amazonaws.com', '.cn', 'eu-west-1', 'bucket');
    let matched = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 7 }), fc.constantFrom('.amazonaws.com', '.amazonaws.com.cn', '.amazonaws.co', ''), (pieces, suffix) => {
        const host = pieces.join('') + suffix;
        const expected = AMBIGUOUS_S3_HOST.test(host);
        if (expected) matched++;
        expect(kindOf(host) === 's3').toBe(expected);
      }),
      { numRuns: 5_000 },
    );
    expect(matched).toBeGreaterThan(30);
  }, 60_000);

  test('a host made to backtrack takes no longer than a plain host of its length', () => {
    const cpuMs = (host: string, times: number): number => {
      const before = process.cpuUsage();
      for (let i = 0; i < times; i++) kindOf(host);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    // First how the time grows from 12 to 24 pairs of `-a`: twice as long at most when linear, ~1 000
    // times when exponential (measured before anything longer could hang the test).
    cpuMs(`s3${'-a'.repeat(12)}.x`, 20);
    const growth = cpuMs(`s3${'-a'.repeat(24)}.x`, 20) / Math.max(cpuMs(`s3${'-a'.repeat(12)}.x`, 20), 0.5);
    expect(growth).toBeLessThan(30);
    const plain = `${'a'.repeat(240)}.test`;
    cpuMs(plain, 200);
    const plainMs = Math.max(cpuMs(plain, 200), 0.5);
    for (const hostile of [`s3${'-a'.repeat(120)}.x`, `s3${'.a'.repeat(120)}.x`, `s3${'-'.repeat(240)}.x`, `${'.s3'.repeat(80)}.x`, `s3-${'a-'.repeat(118)}.amazonaws.co`]) {
      expect(hostile.length).toBeLessThanOrEqual(253);
      expect(kindOf(hostile)).toBe('unknown');
      expect(cpuMs(hostile, 200) / plainMs).toBeLessThan(30);
    }
  }, 60_000);
});
