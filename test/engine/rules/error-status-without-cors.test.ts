import rule from '../../../src/engine/rules/error-status-without-cors.ts';
import { runRuleTests } from './support/rule-tester.ts';
import { cloudFront, corsRequest, makeRecords, s3Cors, segmentUrl } from './support/make-record.ts';

const notFound = (index: number) => ({
  url: segmentUrl('e', index),
  requestHeaders: corsRequest(),
  status: 404,
  responseHeaders: { server: 'AmazonS3', 'content-type': 'application/xml', ...cloudFront({ cache: 'Error' }) },
});

runRuleTests(rule, {
  valid: [
    { name: 'a 404 that carries ACAO (the player sees the 404)', records: makeRecords([{ ...notFound(1), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]) },
    { name: 'a 200 without ACAO is another problem', records: makeRecords([{ ...notFound(1), status: 200 }]) },
  ],
  invalid: [
    {
      name: 'two 404s without CORS, a later retry of one passes',
      records: makeRecords([notFound(1), notFound(2), { url: segmentUrl('e', 1), requestHeaders: corsRequest(), responseHeaders: { ...s3Cors(), ...cloudFront({ cache: 'Miss' }) } }]),
      findings: [
        {
          messageId: 'errorStatus',
          confidence: 'certain',
          recordIds: ['r1', 'r2'],
          messageIncludes: ['2 segments failed with HTTP 404', 'Error from cloudfront', '1 later request for the same URL passed'],
          fixIncludes: ['404: the object is not at this URL'],
        },
      ],
    },
    {
      name: '403 and 503 are reported separately',
      records: makeRecords([{ ...notFound(1), status: 403 }, { ...notFound(2), status: 503 }]),
      findings: [
        { messageId: 'errorStatus', recordIds: ['r1'], fixIncludes: ['403'] },
        { messageId: 'errorStatus', recordIds: ['r2'], fixIncludes: ['503'] },
      ],
    },
  ],
});
