import type { RequestRecord } from '../../../src/engine/model.ts';
import rule from '../../../src/engine/rules/extension-interference.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { corsRequest, makeRecord } from './support/make-record.ts';

function failedWith(error: string, url: string, index: number): RequestRecord {
  return { ...makeRecord({ url, requestHeaders: corsRequest(), status: null, responseHeaders: null }, index), error, state: 'error' };
}

runRuleTests(rule, {
  withoutOrigin: 'a blocked request never left the browser, with or without Origin',
  valid: [
    { name: 'a refused connection is the network\'s', records: [failedWith('net::ERR_CONNECTION_REFUSED', 'https://media.example.org/hls/segment0.ts', 0)] },
    { name: 'a CORS rejection is the server\'s', records: [failedWith('net::ERR_FAILED', 'https://media.example.org/hls/segment0.ts', 0)] },
    { name: 'Firefox: the page aborted the load itself (NS_BINDING_ABORTED)', records: [failedWith('NS_BINDING_ABORTED', 'https://media.example.org/hls/segment0.ts', 0)] },
  ],
  invalid: [
    {
      name: 'segments blocked by a client: certain, with how to confirm it',
      records: [failedWith('net::ERR_BLOCKED_BY_CLIENT', 'https://media.example.org/hls/segment0.ts', 0), failedWith('net::ERR_BLOCKED_BY_CLIENT', 'https://media.example.org/hls/segment1.ts', 1)],
      findings: [
        {
          messageId: 'blocked',
          confidence: 'certain',
          severity: 'warning',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 segments to media.example.org never left the browser: it reported net::ERR_BLOCKED_BY_CLIENT'],
          fixIncludes: ['a profile without extensions', 'allow media.example.org in that extension'],
        },
      ],
    },
    {
      name: 'Firefox: segments an extension cancelled (NS_ERROR_ABORT): likely',
      records: [failedWith('NS_ERROR_ABORT', 'https://media.example.org/hls/segment0.ts', 0)],
      findings: [{ messageId: 'blocked', confidence: 'likely', severity: 'warning', recordIds: ['r1'], messageIncludes: ['it reported NS_ERROR_ABORT'] }],
    },
  ],
});
