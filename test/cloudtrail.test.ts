// The CloudTrail readers: the streaming Records parser, local files and folders, bad inputs (one error
// each, naming the file, the rest still analysed), S3 prefixes and LookupEvents against a loopback
// HTTP server of the test's own (127.0.0.1 only) speaking the real wire protocols.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrail } from '../src/detections/run.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { RecordsScanner } from '../src/sources/cloudtrail/parse.js';
import { lineColumn, readBuffer, readRecords } from '../src/sources/cloudtrail/read.js';
import { renderText } from '../src/reporters/text.js';
import { trailResults } from '../src/run.js';
import { defaultConfig } from '../src/config/types.js';
import { isDigestName } from '../src/sources/cloudtrail/local.js';
import { parseS3Url } from '../src/sources/cloudtrail/s3.js';

const FIXTURES = path.join(PACKAGE_ROOT, 'fixtures', 'cloudtrail');
const CREDENTIALS = { accessKeyId: 'AKIDLOOPBACKTEST0001', secretAccessKey: 'loopback-test-secret' };

/** A temporary directory holding the given files (local: test/helpers.ts pulls in the whole CLI). */
function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-trail-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function collect(input: AsyncIterable<Uint8Array>, limit?: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const record of readRecords(input, 'test.json', limit)) out.push(record);
  return out;
}

const TRICKY = JSON.stringify({
  Other: [{ Records: 'not this one' }],
  Records: [
    { eventID: 'a', eventName: 'GetSendQuota', requestParameters: { text: 'brace } and bracket ] and quote \\" inside', list: [[1, 2], { x: [] }] } },
    { eventID: 'b', eventName: 'Ünïcödé ✓', userAgent: 'escaped \\\\ backslash at end\\\\' },
  ],
  Trailing: { Records: [{ eventID: 'nested, not top level' }] },
});

describe('RecordsScanner', () => {
  it('yields the same records whatever the chunk boundaries', () => {
    const expected = JSON.parse(TRICKY).Records;
    for (let cut = 1; cut < TRICKY.length; cut++) {
      const scanner = new RecordsScanner();
      const texts = [...scanner.push(TRICKY.slice(0, cut)), ...scanner.push(TRICKY.slice(cut))];
      expect(scanner.end()).toBeNull();
      expect(texts.map((t) => JSON.parse(t))).toEqual(expected);
    }
  });

  it.each([
    ['a truncated file', '{"Records": [{"eventID": "a"}, {"eventID": "b"', 'truncated JSON'],
    ['a top-level string', '"Records"', 'not a JSON object'],
    ['an object without Records', '{"Events": []}', 'no top-level Records array'],
    ['an empty file', '   ', 'empty file'],
  ])('%s', (_name, text, problem) => {
    const scanner = new RecordsScanner();
    scanner.push(text);
    expect(scanner.end()).toContain(problem);
  });
});

describe('readRecords', () => {
  const body = JSON.stringify({ Records: [{ eventID: '1' }, { eventID: '2' }, { eventID: '3' }] });

  it.each([
    ['plain, parsed whole', () => chunks(body), undefined],
    ['gzip in small pieces, parsed whole', () => { const gz = gzipSync(body); return chunks(gz.subarray(0, 5), gz.subarray(5, 17), gz.subarray(17)); }, undefined],
    ['gzip, streamed record by record (above the whole-parse limit)', () => chunks(gzipSync(body)), 10],
    ['multi-member gzip', () => chunks(Buffer.concat([gzipSync(body.slice(0, 20)), gzipSync(body.slice(20))])), undefined],
  ])('%s', async (_name, input, limit) => {
    expect(await collect(input(), limit)).toEqual([{ eventID: '1' }, { eventID: '2' }, { eventID: '3' }]);
  });

  it.each([
    ['gzip, whole', gzipSync(body), undefined],
    ['gzip, above the limit: falls back to streaming', gzipSync(body), 10],
    ['plain, above the limit: falls back to streaming', Buffer.from(body), 10],
  ])('readBuffer: %s', async (_name, buffer, limit) => {
    const out: unknown[] = [];
    for await (const record of readBuffer(buffer, 'test.json', limit)) out.push(record);
    expect(out).toEqual([{ eventID: '1' }, { eventID: '2' }, { eventID: '3' }]);
  });

  it('readBuffer: truncated gzip is a SourceError naming the file', async () => {
    const drain = async () => {
      for await (const _record of readBuffer(gzipSync(body).subarray(0, 30), 'cut.json.gz')) void _record;
    };
    await expect(drain()).rejects.toMatchObject({ name: 'SourceError', file: 'cut.json.gz', message: 'truncated gzip: unexpected end of file' });
  });

  it('accepts the saved output of `aws cloudtrail lookup-events`', async () => {
    const saved = JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: JSON.stringify({ eventID: 'x', eventName: 'GetSendQuota' }) }] });
    expect(await collect(chunks(saved))).toEqual([{ eventID: 'x', eventName: 'GetSendQuota' }]);
  });

  it.each([
    ['truncated gzip', () => chunks(gzipSync(body).subarray(0, 30)), undefined, 'truncated gzip'],
    ['truncated gzip while streaming', () => chunks(gzipSync(body).subarray(0, 30)), 10, 'truncated gzip'],
    ['not JSON', () => chunks('hello'), undefined, 'not valid JSON'],
    ['binary junk', () => chunks(Buffer.from([0, 1, 2, 255, 254])), undefined, 'not a CloudTrail log (binary content)'],
    ['binary junk while streaming', () => chunks(Buffer.from([0, 1, 2, 255, 254, 0, 0, 0, 0, 0, 0, 0, 0])), 10, 'not a CloudTrail log (binary content)'],
  ])('%s is a SourceError naming the file', async (_name, input, limit, message) => {
    await expect(collect(input(), limit)).rejects.toMatchObject({ name: 'SourceError', file: 'test.json', message: expect.stringContaining(message) });
  });

  it('a bare array of records is scanned element by element too', () => {
    const text = JSON.stringify(JSON.parse(TRICKY).Records);
    const scanner = new RecordsScanner();
    const texts = [...scanner.push(text.slice(0, 17)), ...scanner.push(text.slice(17))];
    expect(scanner.end()).toBeNull();
    expect(texts.map((t) => JSON.parse(t))).toEqual(JSON.parse(TRICKY).Records);
  });

  it('a digest file is recognised by its content and skipped, not read as a log and not an error', async () => {
    await expect(collect(chunks(JSON.stringify({ digestStartTime: 'x', logFiles: [] })))).rejects.toMatchObject({ name: 'SkippedInput', file: 'test.json', reason: expect.stringContaining('digest') });
  });
});

describe('the shapes records reach a responder in besides AWS\'s own files', () => {
  // As CloudTrail writes them, reduced: a SES call and an IAM call.
  const A = { eventVersion: '1.10', eventID: 'a1', eventTime: '2026-11-23T02:10:00Z', eventSource: 'ses.amazonaws.com', eventName: 'GetSendQuota', userIdentity: { type: 'IAMUser' } };
  const B = { eventVersion: '1.10', eventID: 'b2', eventTime: '2026-11-23T02:11:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', userIdentity: { type: 'IAMUser' } };
  // EventBridge's envelope, as a rule forwarding CloudTrail events to Firehose or a queue delivers it.
  const envelope = (record: object) => ({ version: '0', id: 'c1a2b3d4-0000-4000-8000-000000000001', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.ses', account: '111122223333', time: '2026-11-23T02:10:00Z', region: 'us-east-1', resources: [], detail: record });
  const lines = (...values: object[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

  it.each([
    ['JSON Lines (jq -c, log shippers), parsed whole', () => chunks(lines(A, B)), undefined],
    ['JSON Lines with a byte order mark, CRLF line ends and blank lines', () => chunks(`\ufeff${JSON.stringify(A)}\r\n\r\n${JSON.stringify(B)}\r\n`), undefined],
    ['JSON Lines, gzipped, streamed line by line (above the whole-parse limit)', () => chunks(gzipSync(lines(A, B))), 10],
    ['JSON Lines split across chunks mid-line, streamed', () => { const text = lines(A, B); return chunks(text.slice(0, 40), text.slice(40, 150), text.slice(150)); }, 10],
    ['JSON Lines without a newline at the end, streamed', () => chunks(lines(A, B).trimEnd()), 10],
    ['EventBridge envelopes, one per line', () => chunks(lines(envelope(A), envelope(B))), undefined],
    ['EventBridge envelopes, streamed', () => chunks(lines(envelope(A), envelope(B))), 10],
    ['a bare array of records', () => chunks(JSON.stringify([A, B])), undefined],
    ['a bare array of records, streamed', () => chunks(JSON.stringify([A, B], null, 2)), 10],
    ['`aws logs filter-log-events` on the trail\'s log group', () => chunks(JSON.stringify({ events: [A, B].map((r, i) => ({ logStreamName: '111122223333_CloudTrail_us-east-1', timestamp: 1795399800000 + i, message: JSON.stringify(r), ingestionTime: 1795399801000, eventId: `3797${i}` })), searchedLogStreams: [] })), undefined],
  ])('%s', async (_name, input, limit) => {
    expect(await collect(input(), limit)).toEqual([A, B]);
  });

  it('one record saved alone (the console\'s event record view) is a log of one record', async () => {
    expect(await collect(chunks(JSON.stringify(A, null, 2)))).toEqual([A]);
    expect(await collect(chunks(JSON.stringify(envelope(B))))).toEqual([B]);
  });

  it.each([
    ['a bad line, parsed whole', undefined],
    ['a bad line, streamed', 10],
  ])('%s: named by line and column, nothing quoted', async (_name, limit) => {
    const text = `${JSON.stringify(A)}\n{"eventID": "x", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG" oops}\n${JSON.stringify(B)}\n`;
    await expect(collect(chunks(text), limit)).rejects.toMatchObject({
      name: 'SourceError', file: 'test.json', message: expect.stringMatching(/^not valid JSON at line 2, column 61: expected ',' or '\}', found character "o"$/),
    });
  });

  it.each([
    ['a line that is not an object', `${JSON.stringify(A)}\n[1, 2]\n`, 'not a CloudTrail log file: line 2 is not a JSON object'],
    ['JSON Lines of something else (an application log)', '{"level": "info", "msg": "started"}\n{"level": "warn", "msg": "slow"}\n', /^not valid JSON at line 2, column 1: /],
    ['an array of something else', '[{"level": "info"}]', 'not a CloudTrail log file: a JSON array whose first element is not a CloudTrail record'],
    ['an object that is no record and holds no records', '{"level": "info"}', 'not a CloudTrail log file: no top-level Records array'],
  ])('%s is an error, not records', async (_name, text, message) => {
    await expect(collect(chunks(text))).rejects.toMatchObject({ name: 'SourceError', message: typeof message === 'string' ? message : expect.stringMatching(message) });
  });

  it('through `sesguard trail`: .jsonl and .ndjson files in a folder are read, their records analysed', async () => {
    const dir = tempDir({
      'export/ses.jsonl': lines(A),
      'export/iam.ndjson.gz': gzipSync(lines(envelope(B))),
      'export/notes.txt': 'not a log',
    });
    const run = await runTrail(['export'], { cwd: dir });
    expect(run.errors).toEqual([]);
    expect(run.inputs.files.map((f) => f.file).sort()).toEqual(['export/iam.ndjson.gz', 'export/ses.jsonl']);
    expect(run.coverage.analysedEventCount).toBe(2);
  });
});

describe('error messages never quote the input (SPEC §11)', () => {
  const KEY = 'AKIAZ7Q3XN5R2LKW8M4P';
  const SECRET = 'Zq8vN3xR7tL2mK9pW4yB6hD1sF5gJ0cA/e+uYoTi';
  const leak = `{"Records": [{"accessKeyId": "${KEY}", "secretAccessKey": "${SECRET}"}, oops]}`;
  const leakLines = `{\n  "Records": [\n    {"accessKeyId": "${KEY}",\n     "secretAccessKey": "${SECRET}" "x": 1}\n  ]\n}`;
  /** Random bytes that do not start like gzip, so they reach the JSON reader. */
  const junk = Buffer.concat([Buffer.from([0x00, 0x9b]), randomBytes(4096), Buffer.from(SECRET)]);

  /** One line, no control character, and no 5-character piece of either secret. */
  function expectSafe(message: string): void {
    expect(message).not.toMatch(/[\n\r]/);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\ufffd]/);
    expect(message).not.toContain('AKIA');
    for (const secret of [KEY, SECRET]) {
      for (let i = 0; i + 5 <= secret.length; i++) expect(message).not.toContain(secret.slice(i, i + 5));
    }
  }

  async function errorOf(input: AsyncIterable<Uint8Array> | Buffer, name: string, limit?: number): Promise<{ file?: string; message: string }> {
    try {
      if (Buffer.isBuffer(input)) for await (const _record of readBuffer(input, name, limit)) void _record;
      else for await (const _record of readRecords(input, name, limit)) void _record;
    } catch (error) {
      return error as { file?: string; message: string };
    }
    throw new Error('expected an error');
  }

  it('the safety check itself catches a quoted secret and a control character', () => {
    expect(() => expectSafe(`Unexpected token 'o', ..."${SECRET.slice(0, 8)}"`)).toThrow();
    expect(() => expectSafe('binary \u0007 here')).toThrow();
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });

  it.each([
    ['malformed JSON, parsed whole', () => chunks(leak), 'leak.json', undefined, `not valid JSON at line 1, column ${leak.indexOf('oops') + 1}: expected a value, found character "o"`],
    ['malformed JSON over several lines', () => chunks(leakLines), 'leak.json', undefined, /^not valid JSON at line 4, column \d+: expected ',' or '\}', found character "\\""$/],
    ['malformed JSON in gzip', () => chunks(gzipSync(leak)), 'leak.json.gz', undefined, /^not valid JSON at line 1, column \d+: /],
    ['malformed record while streaming', () => chunks(leakLines.slice(0, 20), leakLines.slice(20)), 'big.json', 10, /^not valid JSON inside Records at line 4, column \d+: expected ',' or '\}'/],
    ['random bytes named .json.gz', () => chunks(junk), 'junk.json.gz', undefined, 'not gzip data, and not a CloudTrail log (binary content)'],
    ['random bytes named .json', () => chunks(junk), 'junk.json', undefined, 'not a CloudTrail log (binary content)'],
    ['JSON with a NUL byte after a secret', () => chunks(Buffer.concat([Buffer.from(`{"Records": ["${SECRET}`), Buffer.from([0, 1, 2])])), 'nul.json', undefined, 'not a CloudTrail log (binary content)'],
    ['random bytes while streaming', () => chunks(junk), 'junk.json.gz', 10, 'not a CloudTrail log (binary content)'],
    ['gzip magic then junk', () => chunks(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(SECRET), randomBytes(64)])), 'bad.json.gz', undefined, /^(corrupt|truncated) gzip: /],
    ['saved lookup-events with a broken CloudTrailEvent', () => chunks(JSON.stringify({ Events: [{ CloudTrailEvent: `{"secret": "${SECRET}", oops}` }] })), 'saved.json', undefined, 'not a CloudTrail log file: the CloudTrailEvent of Events[0] is not valid JSON'],
  ])('%s: named, positioned, nothing quoted', async (_name, input, name, limit, expected) => {
    const error = await errorOf(input(), name, limit);
    expect(error.file).toBe(name);
    if (typeof expected === 'string') expect(error.message).toBe(expected);
    else expect(error.message).toMatch(expected);
    expectSafe(error.message);
  });

  it('readBuffer (local files read whole) says the same without quoting', async () => {
    for (const [buffer, name, expected] of [
      [Buffer.from(leak), 'leak.json', /^not valid JSON at line 1, column \d+: /],
      [gzipSync(leakLines), 'leak.json.gz', /^not valid JSON at line 4, /],
      [junk, 'junk.json.gz', /^not gzip data, and not a CloudTrail log \(binary content\)$/],
      [gzipSync(junk), 'junk.json.gz', /binary content/],
    ] as const) {
      const error = await errorOf(buffer, name);
      expect(error.file).toBe(name);
      expect(error.message).toMatch(expected);
      expectSafe(error.message);
    }
  });

  it('through `sesguard trail`: each bad file is one error line naming it, and the printed report holds no secret', async () => {
    const dir = tempDir({ 'leak.json': leak, 'lines.json': leakLines, 'junk.json.gz': junk, 'leak2.json.gz': gzipSync(leak) });
    const run = await runTrail([dir], { cwd: dir });
    expect(run.errors.map((e) => e.file).sort()).toEqual(['junk.json.gz', 'leak.json', 'leak2.json.gz', 'lines.json']);
    for (const e of run.errors) expectSafe(e.message);
    const text = renderText(trailResults(run, defaultConfig()));
    expect(text).toContain('leak.json: not valid JSON at line 1, column');
    expect(text).toContain('junk.json.gz: not gzip data');
    expect(text).not.toContain('AKIA');
    expect(text).not.toContain(SECRET.slice(0, 5));
  });
});

describe('digest names', () => {
  it.each([
    ['AWSLogs/1/CloudTrail-Digest/us-east-1/2026/11/23/1_CloudTrail-Digest_us-east-1_t_us-east-1_20261123T010000Z.json.gz', true],
    ['AWSLogs/1/CloudTrail/us-east-1/2026/11/23/1_CloudTrail_us-east-1_20261123T0105Z_abc.json.gz', false],
  ])('%s → %s', (name, digest) => {
    expect(isDigestName(name)).toBe(digest);
  });
});

describe('bad inputs among good ones', () => {
  it('gives one error per bad file, skips the digest, and still analyses the rest', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'logs'));
    symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 'logs', 'dangling.json'));
    const result = await runTrail([FIXTURES, path.join(dir, 'logs'), path.join(dir, 'missing')], { cwd: dir });
    const errors = result.errors.map((e) => [path.basename(e.file ?? ''), e.message.split(':')[0]]).sort((a, b) => a[0].localeCompare(b[0]));
    expect(errors).toEqual([
      ['dangling.json', 'no such file or directory'],
      ['missing', 'no such file or directory'],
      ['not-cloudtrail.json', 'not a CloudTrail log file'],
      ['truncated.json.gz', 'truncated gzip'],
    ]);
    expect(result.inputs.skipped.map((s) => path.basename(s))).toEqual(['111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20261123T030000Z.json.gz']);
    expect(result.inputs.files.map((f) => path.basename(f.file))).toEqual(['recon-three-regions.json']);
    // The good file: the leaked key's sweep of 3 regions; Trusted Advisor's is not reconnaissance.
    expect(result.findings.map((f) => [f.checkId, f.resource.id])).toEqual([['SESG-DET-001', 'arn:aws:iam::111122223333:user/ci-deploy']]);
    expect(result.findings[0].evidence.eventIds).toEqual(['e0000001-0000-4000-8000-000000000001', 'e0000001-0000-4000-8000-000000000002', 'e0000001-0000-4000-8000-000000000003']);
  });

  it('records without a time are counted, named, not analysed; a run that analysed nothing is one error line', async () => {
    const dir = tempDir({ 'a.json': JSON.stringify({ Records: [{ eventSource: 'ses.amazonaws.com', eventName: 'GetSendQuota' }, { eventTime: 'yesterday', eventSource: 'ses.amazonaws.com', eventName: 'GetSendQuota' }] }) });
    const result = await runTrail([dir], { cwd: dir });
    expect(result.coverage.malformedRecords).toBe(2);
    expect(result.coverage.skipped).toEqual([
      { reason: 'an eventTime that is not ISO 8601 with a time zone', count: 1, malformed: true, firstIn: 'a.json' },
      { reason: 'no eventTime', count: 1, malformed: true, firstIn: 'a.json' },
    ]);
    expect(result.errors).toEqual([
      { message: 'nothing could be analysed: none of the 2 records read is a usable CloudTrail event (1 with an eventTime that is not ISO 8601 with a time zone, first in a.json; 1 with no eventTime, first in a.json)' },
    ]);
  });
});

// ---- loopback AWS ---------------------------------------------------------------------------------

function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => handler(req, body, res));
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

const RECON = (region: string, id: string, minute: number) => ({
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ci-deploy', accountId: '111122223333', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
  eventTime: `2026-11-23T02:${String(minute).padStart(2, '0')}:00Z`,
  eventSource: 'ses.amazonaws.com',
  eventName: 'GetSendQuota',
  awsRegion: region,
  sourceIPAddress: '198.51.100.23',
  userAgent: 'Boto3/1.34.0',
  eventID: id,
  recipientAccountId: '111122223333',
  managementEvent: true,
  eventCategory: 'Management',
});

describe('S3 prefix', () => {
  const bucket = 'org-trail-logs';
  const prefix = 'AWSLogs/111122223333/CloudTrail/';
  const objects: Record<string, Buffer> = {
    [`${prefix}us-east-1/2026/11/23/1_CloudTrail_us-east-1_20261123T0215Z_a.json.gz`]: gzipSync(JSON.stringify({ Records: [RECON('us-east-1', 's3-1', 10)] })),
    [`${prefix}eu-west-1/2026/11/23/1_CloudTrail_eu-west-1_20261123T0215Z_b.json.gz`]: gzipSync(JSON.stringify({ Records: [RECON('eu-west-1', 's3-2', 12)] })),
    [`${prefix}ap-south-1/2026/11/23/1_CloudTrail_ap-south-1_20261123T0215Z_c.json`]: Buffer.from(JSON.stringify({ Records: [RECON('ap-south-1', 's3-3', 14)] })),
    [`${prefix}sa-east-1/2026/11/23/1_CloudTrail_sa-east-1_20261123T0215Z_denied.json.gz`]: Buffer.from(''),
    [`${prefix}us-west-2/2026/11/23/1_CloudTrail_us-west-2_20261123T0215Z_cut.json.gz`]: gzipSync(JSON.stringify({ Records: [RECON('us-west-2', 's3-4', 15)] })).subarray(0, 40),
    [`AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/23/1_CloudTrail-Digest_us-east-1_x.json.gz`]: gzipSync('{}'),
  };
  const keys = Object.keys(objects).sort();
  let server: Server;
  let url: string;
  const requests: string[] = [];

  beforeAll(async () => {
    ({ server, url } = await listen((req, _body, res) => {
      const target = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${target.pathname}${target.searchParams.has('list-type') ? '?list' : ''}`);
      if (target.pathname === `/${bucket}` || target.pathname === `/${bucket}/`) {
        // Two keys per page, to exercise pagination.
        const wanted = keys.filter((k) => k.startsWith(target.searchParams.get('prefix') ?? ''));
        const start = Number(target.searchParams.get('continuation-token') ?? 0);
        const page = wanted.slice(start, start + 2);
        const more = start + 2 < wanted.length;
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name>` +
            `<KeyCount>${page.length}</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>${more}</IsTruncated>` +
            (more ? `<NextContinuationToken>${start + 2}</NextContinuationToken>` : '') +
            page.map((k) => `<Contents><Key>${k}</Key><Size>${objects[k].length}</Size></Contents>`).join('') +
            '</ListBucketResult>',
        );
        return;
      }
      const key = decodeURIComponent(target.pathname.slice(bucket.length + 2));
      if (key.includes('denied') || !(key in objects)) {
        res.writeHead(key in objects ? 403 : 404, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${key in objects ? 'AccessDenied' : 'NoSuchKey'}</Code><Message>Access Denied</Message></Error>`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': objects[key].length });
      res.end(objects[key]);
    }));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () => new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 1 });

  it('parses s3:// URLs', () => {
    expect(parseS3Url('s3://b/AWSLogs/1/')).toEqual({ bucket: 'b', prefix: 'AWSLogs/1/' });
    expect(parseS3Url('s3://b')).toEqual({ bucket: 'b', prefix: '' });
    expect(() => parseS3Url('s3:///x')).toThrow(/not an S3 URL/);
  });

  it('lists every page, streams each object, names the objects that fail', async () => {
    const result = await runTrail([`s3://${bucket}/AWSLogs/`], { s3Client: client, thresholds: { reconRegions: 3, reconWindowMinutes: 60 } });
    expect(result.findings.map((f) => [f.checkId, f.evidence.regions])).toEqual([['SESG-DET-001', ['ap-south-1', 'eu-west-1', 'us-east-1']]]);
    expect(result.errors.map((e) => [e.file, e.message.split(':')[0]])).toEqual([
      [`s3://${bucket}/${prefix}sa-east-1/2026/11/23/1_CloudTrail_sa-east-1_20261123T0215Z_denied.json.gz`, 'AccessDenied (HTTP 403)'],
      [`s3://${bucket}/${prefix}us-west-2/2026/11/23/1_CloudTrail_us-west-2_20261123T0215Z_cut.json.gz`, 'truncated gzip'],
    ]);
    expect(result.inputs.skipped).toEqual([`s3://${bucket}/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/23/1_CloudTrail-Digest_us-east-1_x.json.gz`]);
    expect(result.inputs.files).toHaveLength(3);
    expect(requests.filter((r) => r.endsWith('?list'))).toHaveLength(3);
    expect(requests.some((r) => r.includes('Digest'))).toBe(false);
  });

  it('does not fetch objects in day folders outside --since/--until', async () => {
    requests.length = 0;
    const result = await runTrail([`s3://${bucket}/${prefix}`], { s3Client: client, since: new Date('2026-12-10T00:00:00Z'), until: new Date('2026-12-11T00:00:00Z') });
    expect(requests.filter((r) => r.startsWith('GET') && !r.endsWith('?list'))).toEqual([]);
    expect(result.inputs.files).toEqual([]);
    expect(result.errors).toEqual([{ message: `nothing to analyse: no CloudTrail log or VPC flow log file was found in s3://${bucket}/${prefix} for --since/--until` }]);
  });

  it('an unlistable prefix is one error naming it', async () => {
    const result = await runTrail([`s3://other-bucket/AWSLogs/`], { s3Client: client });
    expect(result.errors).toEqual([{ file: 's3://other-bucket/AWSLogs/', call: 'ListObjectsV2', message: expect.stringMatching(/^NoSuchKey|HTTP 404/) }]);
  });
});

describe('LookupEvents', () => {
  let server: Server;
  let url: string;
  let now = 0;
  const calls: { region: string; attribute: string; at: number; token?: string }[] = [];
  const events: Record<string, object[]> = {
    'us-east-1': [RECON('us-east-1', 'lk-1', 10), RECON('us-east-1', 'lk-1b', 11), RECON('us-east-1', 'lk-1c', 12)],
    'eu-west-1': [RECON('eu-west-1', 'lk-2', 13)],
    'ap-south-1': [RECON('ap-south-1', 'lk-3', 15)],
  };

  beforeAll(async () => {
    ({ server, url } = await listen((req, body, res) => {
      // The region is in the SigV4 credential scope: Credential=AKID/<date>/<region>/cloudtrail/aws4_request.
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '?';
      const input = JSON.parse(body) as { LookupAttributes: { AttributeKey: string; AttributeValue: string }[]; NextToken?: string };
      const attribute = `${input.LookupAttributes[0].AttributeKey}=${input.LookupAttributes[0].AttributeValue}`;
      calls.push({ region, attribute, at: now, token: input.NextToken });
      if (region === 'sa-east-1') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'User is not authorized to perform: cloudtrail:LookupEvents' }));
        return;
      }
      const all = attribute === 'EventSource=ses.amazonaws.com' ? (events[region] ?? []) : [];
      // Two events per page, to exercise pagination.
      const start = Number(input.NextToken ?? 0);
      const page = all.slice(start, start + 2);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({
        Events: page.map((e) => ({ EventId: (e as { eventID: string }).eventID, EventName: 'GetSendQuota', CloudTrailEvent: JSON.stringify(e) })),
        ...(start + 2 < all.length ? { NextToken: String(start + 2) } : {}),
      }));
    }));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads each region page by page at 2 requests/s, says management events only, names the failing region', async () => {
    const result = await runTrail(
      { lookup: { regions: ['us-east-1', 'eu-west-1', 'ap-south-1', 'sa-east-1'], since: new Date('2026-11-22T00:00:00Z'), until: new Date('2026-11-24T00:00:00Z') } },
      {
        cloudTrailClient: (region) => new CloudTrailClient({ region, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 }),
        clock: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      },
    );
    expect(result.findings.map((f) => [f.checkId, f.evidence.eventIds])).toEqual([['SESG-DET-001', ['lk-1', 'lk-1b', 'lk-1c', 'lk-2', 'lk-3']]]);
    expect(result.errors).toEqual([{ region: 'sa-east-1', call: 'LookupEvents', message: expect.stringContaining('AccessDeniedException') }]);
    expect(result.inputs.files.map((f) => f.file)).toEqual(['lookup:ap-south-1', 'lookup:eu-west-1', 'lookup:us-east-1']);
    // Every SES event, and the other detections' events by name.
    const usEast = calls.filter((c) => c.region === 'us-east-1');
    expect(usEast.map((c) => c.attribute)).toEqual(expect.arrayContaining(['EventSource=ses.amazonaws.com', 'EventName=CreateAccessKey', 'EventName=StopLogging', 'EventName=AuthorizeSecurityGroupEgress']));
    expect(usEast.filter((c) => c.attribute === 'EventSource=ses.amazonaws.com').map((c) => c.token)).toEqual([undefined, '2']);
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1']) {
      const times = calls.filter((c) => c.region === region).map((c) => c.at);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(500);
    }
    const c = result.coverage;
    expect(c.regions).toEqual(['ap-south-1', 'eu-west-1', 'us-east-1']);
    expect(c.dataEventsPresent).toBe(false);
    expect(c.detectionsSupported.find((d) => d.id === 'SESG-DET-010')).toMatchObject({ supported: false, why: expect.stringContaining('management events only') });
    expect(c.notes.join(' ')).toContain('LookupEvents: management events only');
  });
});

describe('files written by the generator as AWS delivers them', () => {
  it('a plain .json and a .json.gz of the same records give the same report', async () => {
    const records = [RECON('us-east-1', 'g-1', 1), RECON('eu-west-1', 'g-2', 2), RECON('ap-south-1', 'g-3', 3)];
    const a = tempDir();
    writeFileSync(path.join(a, 'x.json'), JSON.stringify({ Records: records }));
    const b = tempDir();
    writeFileSync(path.join(b, 'x.json.gz'), gzipSync(JSON.stringify({ Records: records })));
    const [ra, rb] = await Promise.all([runTrail([a], { cwd: a }), runTrail([b], { cwd: b })]);
    expect(ra.findings).toHaveLength(1);
    // The same but for the file each event is cited from (x.json, x.json.gz).
    const withoutSource = (findings: typeof ra.findings) => JSON.parse(JSON.stringify(findings).replace(/"source":"x\.json(\.gz)?"/g, '"source":"x"'));
    expect(withoutSource(ra.findings)).toEqual(withoutSource(rb.findings));
    expect(JSON.stringify(rb.findings)).toContain('"source":"x.json.gz"');
  });
});
