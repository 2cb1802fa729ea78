import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { urlFacts } from '../../../src/engine/cors/origin.ts';

/** The shape urlFacts takes without the URL parser, as a regular expression (its first definition). */
const SIMPLE_HTTP_URL = /^(https?):\/\/([a-z0-9.-]+)(?::(\d{1,5}))?(?=[/?#]|$)/;

/** What urlFacts gave when the shortcut was that regular expression. */
function byPattern(url: string): ReturnType<typeof urlFacts> {
  const simple = SIMPLE_HTTP_URL.exec(url);
  if (simple !== null) {
    const scheme = simple[1]!;
    const port = simple[3];
    if (port === undefined) return { origin: simple[0], scheme, hasCredentials: false, href: url };
    if (port !== (scheme === 'http' ? '80' : '443') && port[0] !== '0' && Number(port) <= 65535) return { origin: simple[0], scheme, hasCredentials: false, href: url };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return { origin: parsed.origin, scheme: parsed.protocol.slice(0, -1), hasCredentials: parsed.username !== '' || parsed.password !== '', href: parsed.href };
}

const piece = fc.constantFrom('http', 'https', 'HTTP', '://', ':', '/', '?', '#', '@', 'a', 'cdn.test', '-', '.', '0', '1', '80', '443', '65535', '65536', '123456', '00', 'B', ' ', '%41', '[::1]', 'x.ts');
const urlLike = fc.oneof(
  fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join('')),
  fc.tuple(fc.constantFrom('http://', 'https://', 'HTTPS://', 'http:/'), fc.array(piece, { maxLength: 6 })).map(([scheme, rest]) => scheme + rest.join('')),
);

describe('urlFacts', () => {
  test('the hand-parsed shortcut gives what the pattern-and-parser definition gives', () => {
    fc.assert(fc.property(urlLike, (url) => {
      expect(urlFacts(url)).toEqual(byPattern(url));
    }), { numRuns: 3000 });
  });

  test.each([
    ['https://cdn.test/a.ts', 'https://cdn.test'],
    ['http://cdn.test:8080?x', 'http://cdn.test:8080'],
    ['https://cdn.test:443/', 'https://cdn.test'],
    ['http://cdn.test:080/', 'http://cdn.test'],
    ['https://CDN.test/', 'https://cdn.test'],
    ['http://user@cdn.test/', 'http://cdn.test'],
    ['http://cdn.test:123456/', null],
  ])('origin of %s', (url, origin) => {
    expect(urlFacts(url)?.origin ?? null).toBe(origin);
  });
});
