// Reading VPC Flow Logs: recognised by content (S3 header, default-format records, Parquet), any field order,
// lines split across chunks, malformed lines counted not analysed, only mail-port lines kept with their raw
// text and position, the SHA-256 of each object as read; CloudWatch Logs groups through the real SDK clients
// against the fake AWS (DescribeFlowLogs for the format, FilterLogEvents paged).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DEFAULT_FIELDS, headerFormat, isDefaultRecord, logFormatOf } from '../src/sources/flowlogs/format.js';
import { readFlowObject, sniff } from '../src/sources/flowlogs/read.js';
import { logGroupOf, readLogGroup } from '../src/sources/flowlogs/cloudwatch.js';
import { emptyFlowStats, type FlowRecord } from '../src/sources/flowlogs/types.js';
import { startFakeAws, type Scenario } from '../src/testing/fake-aws/index.js';

const MAIL = { ports: new Set([25, 465, 587, 2525]), protocols: new Set([6]) };
const DEFAULT_HEADER = DEFAULT_FIELDS.join(' ');
const T0 = 1763884800; // 2025-11-23T08:00:00Z

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
}

async function read(parts: (string | Buffer)[], extra: { since?: number; until?: number } = {}) {
  const stats = emptyFlowStats();
  const records: FlowRecord[] = [];
  const result = await readFlowObject(chunks(...parts), 'flow.log', { wanted: MAIL, stats, onRecord: (r) => records.push(r), ...extra });
  return { stats, records, ...result };
}

describe('flow log formats', () => {
  it.each([
    [DEFAULT_HEADER, true],
    ['version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status', true],
    ['dstport srcaddr start dstaddr protocol action', true],
    ['version account-id some-future-field interface-id dstaddr dstport protocol action start', true],
    ['2 111122223333 eni-0a1b2c3d 10.0.0.1 10.0.0.2 1 2 6 1 1 1 1 ACCEPT OK', false],
    ['{"Records": []}', false],
    ['hello world', false],
  ])('header %j → %s', (line, isHeader) => {
    expect(headerFormat(line) !== null).toBe(isHeader);
  });
  it('a header names the positions; the default order is recognised as such', () => {
    expect(headerFormat(DEFAULT_HEADER)?.isDefault).toBe(true);
    const custom = headerFormat('instance-id dstport version dstaddr protocol action start srcaddr');
    expect([custom?.isDefault, custom?.at('dstport'), custom?.at('instance-id'), custom?.missing]).toEqual([false, 1, 0, []]);
    expect(headerFormat('version srcaddr srcport')?.missing).toEqual(['dstaddr', 'dstport', 'protocol', 'action', 'start', 'interface-id']);
  });
  it('DescribeFlowLogs LogFormat strings', () => {
    expect(logFormatOf('${version} ${vpc-id} ${dstport}')?.fields).toEqual(['version', 'vpc-id', 'dstport']);
    expect(logFormatOf('version vpc-id')).toBeNull();
  });
  it.each([
    [`2 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.25 49152 25 6 12 2480 ${T0} ${T0 + 60} ACCEPT OK`, true],
    [`2 111122223333 eni-0a1b2c3d4e5f60001 - - - - - - - ${T0} ${T0 + 60} - NODATA`, true],
    [`2 unknown eni-0a1b2c3d4e5f60001 - - - - - - - ${T0} ${T0 + 60} - SKIPDATA`, true],
    [`3 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.25 49152 25 6 12 2480 ${T0} ${T0 + 60} ACCEPT OK`, false],
    [`2 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.25 49152 25 6 12 2480 ${T0} ACCEPT OK`, false],
  ])('default record %j → %s', (line, ok) => {
    expect(isDefaultRecord(line)).toBe(ok);
  });
  it.each([
    ['{"Records":[', 'cloudtrail'],
    ['\ufeff {"Records":[', 'cloudtrail'],
    ['version account-id', 'vpc-flow'],
    ['2 111122223333', 'vpc-flow'],
    ['PAR1\u0000', 'parquet'],
    ['\u001f\u008b\u0008', 'gzip'],
    ['\u0000\u0001', 'unknown'],
  ])('sniff %j → %s', (head, kind) => {
    expect(sniff(Buffer.from(head, head.startsWith('\ufeff') ? 'utf8' : 'latin1'))).toBe(kind);
  });
});

describe('reading a flow log text', () => {
  const lines = [
    DEFAULT_HEADER,
    `2 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.25 49152 25 6 12 2480 ${T0} ${T0 + 60} ACCEPT OK`,
    `2 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 198.51.100.7 49153 443 6 40 52000 ${T0} ${T0 + 60} ACCEPT OK`,
    `2 111122223333 eni-0a1b2c3d4e5f60002 10.0.2.9 192.0.2.10 50000 587 6 30 9000 ${T0 + 120} ${T0 + 180} ACCEPT OK`,
    `2 111122223333 eni-0a1b2c3d4e5f60003 - - - - - - - ${T0} ${T0 + 60} - NODATA`,
    `2 111122223333 eni-0a1b2c3d4e5f60003 10.0.3.3 203.0.113.9 40000 25 17 1 60 ${T0} ${T0 + 60} ACCEPT OK`,
    'this line is broken',
    `2 111122223333 eni-0a1b2c3d4e5f60004 2001:db8:1::15 2001:db8:ffff::25 40001 25 6 3 180 ${T0 + 300} ${T0 + 360} REJECT OK`,
  ];
  const text = `${lines.join('\n')}\n`;

  it('keeps only TCP lines to mail ports, with raw text and line number; counts everything', async () => {
    const { records, stats, object } = await read([text]);
    expect(records.map((r) => [r.line, r.dstport, r.dstaddr, r.action, r.interfaceId])).toEqual([
      [2, 25, '203.0.113.25', 'ACCEPT', 'eni-0a1b2c3d4e5f60001'],
      [4, 587, '192.0.2.10', 'ACCEPT', 'eni-0a1b2c3d4e5f60002'],
      [8, 25, '2001:db8:ffff::25', 'REJECT', 'eni-0a1b2c3d4e5f60004'],
    ]);
    expect(records[0].raw).toBe(lines[1]);
    expect(records[0]).toMatchObject({ account: '111122223333', srcaddr: '10.0.1.15', srcport: 49152, packets: 12, bytes: 2480, start: T0, end: T0 + 60, logStatus: 'OK' });
    expect(records[0].vpcId).toBeUndefined();
    expect([stats.records, stats.malformed, stats.nodata, stats.firstMalformed?.line, stats.start, stats.end]).toEqual([6, 1, 1, 7, T0, T0 + 360]);
    expect([...stats.accounts]).toEqual(['111122223333']);
    expect(object).toEqual({ name: 'flow.log', kind: 'vpc-flow', bytes: text.length, sha256: createHash('sha256').update(text).digest('hex') });
  });
  it('the same records whatever the chunking (lines split anywhere, CRLF, gzip); the hash is of the bytes as delivered', async () => {
    const whole = await read([text]);
    for (const size of [1, 7, 64]) {
      const parts: string[] = [];
      for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
      expect((await read(parts)).records).toEqual(whole.records);
    }
    const crlf = await read([text.replace(/\n/g, '\r\n')]);
    expect(crlf.records.map((r) => r.raw)).toEqual(whole.records.map((r) => r.raw));
    const gz = gzipSync(text);
    const zipped = await read([gz.subarray(0, 10), gz.subarray(10)]);
    expect(zipped.records).toEqual(whole.records);
    expect(zipped.object.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    expect(zipped.object.bytes).toBe(gz.length);
  });
  it('a custom format in any order, optional fields read', async () => {
    const header = 'instance-id start end action dstport pkt-dstaddr dstaddr protocol srcaddr interface-id subnet-id vpc-id flow-direction type region account-id log-status';
    const line = `i-0123456789abcdef0 ${T0} ${T0 + 60} ACCEPT 465 198.51.100.99 198.51.100.99 6 10.0.1.15 eni-0a1b2c3d4e5f60001 subnet-0aa11 vpc-0bb22 egress IPv4 eu-west-1 111122223333 OK`;
    const { records, stats } = await read([`${header}\n${line}\n`]);
    expect(records).toEqual([
      expect.objectContaining({
        instanceId: 'i-0123456789abcdef0', dstport: 465, pktDstaddr: '198.51.100.99', subnetId: 'subnet-0aa11', vpcId: 'vpc-0bb22',
        flowDirection: 'egress', type: 'IPv4', region: 'eu-west-1', line: 2, raw: line,
      }),
    ]);
    expect([...stats.formats]).toEqual([header]);
    expect([...stats.regions]).toEqual(['eu-west-1']);
  });
  it('without a header, default-format records are recognised (CloudWatch Logs exports, copies)', async () => {
    const { records } = await read([lines.slice(1, 3).join('\n')]);
    expect(records.map((r) => r.line)).toEqual([1]);
  });
  it('time range: flows outside it are counted, not kept', async () => {
    const { records, outside } = await read([text], { since: T0 + 100, until: T0 + 200 });
    expect(records.map((r) => r.dstport)).toEqual([587]);
    expect(outside).toBe(2);
  });
  it.each([
    [['{"Records":[]}'], /a CloudTrail log, not a VPC flow log/],
    [['hello there\n'], /not a VPC flow log \(the first line/],
    [['version srcaddr srcport\n1 2 3\n'], /flow log format lacks dstaddr, dstport, protocol, action, start, interface-id/],
    [[''], /empty file/],
    [[gzipSync(text).subarray(0, 30)], /truncated gzip|unexpected end/],
    [[Buffer.from([0, 1, 2, 3, 255])], /not a VPC flow log \(binary/],
  ])('%#: one line naming the problem, never the content', async (parts, message) => {
    await expect(read(parts)).rejects.toThrow(message);
  });
});

describe('Parquet delivery', () => {
  it('reads a Parquet flow log (GZIP pages, underscore column names) row group by row group', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const n = 2500;
    const column = (name: string, type: 'INT32' | 'INT64' | 'STRING', make: (i: number) => unknown) => ({
      name, type, data: Array.from({ length: n }, (_, i) => make(i)),
    });
    const buffer = parquetWriteBuffer({
      columnData: [
        column('version', 'INT32', () => 5),
        column('account_id', 'STRING', () => '111122223333'),
        column('interface_id', 'STRING', () => 'eni-0a1b2c3d4e5f60001'),
        column('srcaddr', 'STRING', () => '10.0.1.15'),
        column('dstaddr', 'STRING', (i) => `203.0.113.${i % 200}`),
        column('srcport', 'INT32', (i) => 40000 + i),
        column('dstport', 'INT32', (i) => (i % 10 === 0 ? 25 : 443)),
        column('protocol', 'INT32', () => 6),
        column('packets', 'INT64', () => 10n),
        column('bytes', 'INT64', () => 1000n),
        column('start', 'INT64', (i) => BigInt(T0 + i)),
        column('end', 'INT64', (i) => BigInt(T0 + i + 60)),
        column('action', 'STRING', () => 'ACCEPT'),
        column('log_status', 'STRING', () => 'OK'),
        column('flow_direction', 'STRING', () => 'egress'),
      ],
      codec: 'GZIP',
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      rowGroupSize: 1000,
    });
    const { records, stats, object } = await read([Buffer.from(buffer)]);
    expect(object.kind).toBe('vpc-flow-parquet');
    expect(stats.records).toBe(n);
    expect(records).toHaveLength(n / 10);
    expect(records[1]).toMatchObject({ line: 11, dstport: 25, dstaddr: '203.0.113.10', flowDirection: 'egress', start: T0 + 10 });
    expect(records[1].raw).toBe(`5 111122223333 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.10 40010 25 6 10 1000 ${T0 + 10} ${T0 + 70} ACCEPT OK egress`);
  });
  it('a file that only starts like Parquet is one clear error', async () => {
    await expect(read([Buffer.from('PAR1 and then nothing of the sort')])).rejects.toThrow(/not a readable Parquet file/);
  });
});

describe('CloudWatch Logs groups (--flow-log-group)', () => {
  const account = '111122223333';
  const custom = '${version} ${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}';
  const event = (i: number, port: number) => ({
    timestamp: (T0 + i * 60) * 1000,
    message: `5 i-0123456789abcdef0 eni-0a1b2c3d4e5f60001 10.0.1.15 203.0.113.${i} ${40000 + i} ${port} 6 5 500 ${T0 + i * 60} ${T0 + i * 60 + 60} ACCEPT OK egress`,
  });
  const scenario = (flowLogs: boolean): Scenario => ({
    organization: { Id: 'o-aaaa1111', MasterAccountId: account, roots: [{ Id: 'r-ab12' }] },
    accounts: [{
      Id: account, Name: 'workloads', parentId: 'r-ab12', enabledRegions: ['eu-west-1'],
      regions: {
        'eu-west-1': {
          ec2: flowLogs ? { flowLogs: [{ FlowLogId: 'fl-0a1', ResourceId: 'vpc-0bb22', LogGroupName: 'vpc-flow', LogFormat: custom }] } : {},
          logs: {
            groups: [{
              logGroupName: 'vpc-flow',
              streams: [
                { logStreamName: 'eni-0a1b2c3d4e5f60001-all', events: [event(1, 25), event(2, 443), event(3, 25), event(4, 587), event(5, 25)] },
                { logStreamName: 'eni-0a1b2c3d4e5f60002-all', events: [event(6, 25)] },
              ],
            }],
          },
        },
      },
    }],
  } as Scenario);

  async function run(fake: Awaited<ReturnType<typeof startFakeAws>>, name = 'vpc-flow') {
    const common = { region: 'eu-west-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'x' }, maxAttempts: 1 };
    const stats = emptyFlowStats();
    const records: FlowRecord[] = [];
    const errors: unknown[] = [];
    const notes: string[] = [];
    const result = await readLogGroup({ logs: new CloudWatchLogsClient(common), ec2: new EC2Client(common) }, logGroupOf(name, 'eu-west-1'), {
      wanted: MAIL, stats, onRecord: (r) => records.push(r), startTime: T0 * 1000, endTime: (T0 + 3600) * 1000,
      onError: (e) => errors.push(e), onNote: (n) => notes.push(n),
    });
    return { ...result, stats, records, errors, notes };
  }

  it('reads the custom format DescribeFlowLogs names, pages through FilterLogEvents, one object per stream', async () => {
    const fake = await startFakeAws(scenario(true), { pageSize: 2 });
    try {
      const r = await run(fake);
      expect(r.errors).toEqual([]);
      expect(r.records.map((x) => [x.source, x.line, x.dstport, x.instanceId])).toEqual([
        ['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', 1, 25, 'i-0123456789abcdef0'],
        ['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', 3, 25, 'i-0123456789abcdef0'],
        ['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', 4, 587, 'i-0123456789abcdef0'],
        ['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', 5, 25, 'i-0123456789abcdef0'],
        ['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60002-all', 1, 25, 'i-0123456789abcdef0'],
      ]);
      expect(r.records.every((x) => typeof x.eventId === 'string' && x.eventId.length > 0)).toBe(true);
      expect(r.objects.map((o) => o.name)).toEqual(['logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', 'logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60002-all']);
      const ops = fake.calls.map((c) => c.operation);
      expect(ops.filter((o) => o === 'FilterLogEvents').length).toBe(3);
      expect(new Set(ops)).toEqual(new Set(['DescribeFlowLogs', 'FilterLogEvents']));
    } finally {
      await fake.close();
    }
  });
  it('without DescribeFlowLogs a custom format cannot be read: one error per stream, saying why', async () => {
    const fake = await startFakeAws(scenario(true), { pageSize: 50, faults: [{ service: 'ec2', operation: 'DescribeFlowLogs', error: 'AccessDenied' }] });
    try {
      const r = await run(fake);
      expect(r.notes).toEqual([expect.stringMatching(/DescribeFlowLogs failed \(UnauthorizedOperation.*records are read if they are in the default format/)]);
      expect(r.errors).toEqual([
        { file: 'logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60001-all', message: expect.stringMatching(/not a VPC flow log.*needs ec2:DescribeFlowLogs/) },
        { file: 'logs:eu-west-1:vpc-flow:eni-0a1b2c3d4e5f60002-all', message: expect.stringMatching(/needs ec2:DescribeFlowLogs/) },
      ]);
    } finally {
      await fake.close();
    }
  });
  it('a group that does not exist, by ARN in another region: one error naming group, region and call', async () => {
    const fake = await startFakeAws(scenario(true));
    try {
      const r = await run(fake, 'arn:aws:logs:eu-west-1:111122223333:log-group:missing:*');
      expect(r.errors).toEqual([{ file: 'logs:eu-west-1:missing', region: 'eu-west-1', call: 'FilterLogEvents', message: expect.stringMatching(/ResourceNotFoundException/) }]);
    } finally {
      await fake.close();
    }
  });
});
