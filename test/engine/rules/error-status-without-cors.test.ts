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
          messageIncludes: ['2 segments from d16ufd393m7gss.cloudfront.net failed with HTTP 404', 'Error from cloudfront', '1 later request for the same URL passed'],
          fixIncludes: ['404: the object is not at this URL'],
        },
      ],
    },
    {
      // Each names its host, which is what tells their cards apart (src/engine/scope.ts).
      name: 'the same status on two hosts is reported per host, each naming its host',
      records: makeRecords([notFound(1), { ...notFound(2), url: 'https://media.example.org/v/seg2.ts' }]),
      findings: [
        { messageId: 'errorStatus', recordIds: ['r1'], messageIncludes: ['1 segment from d16ufd393m7gss.cloudfront.net failed with HTTP 404'] },
        { messageId: 'errorStatus', recordIds: ['r2'], messageIncludes: ['1 segment from media.example.org failed with HTTP 404'] },
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
