// One investigation from both logs: the CloudTrail acceptance day and a generated day of VPC Flow Logs (default
// and custom format) in one `sesguard trail` run. The flow findings are exactly the planted ones (relay, IPv6
// sender, blocked spambot), the approved relay, HTTPS, UDP, NODATA and inbound IPv6 stay quiet; the relay's
// finding and the security group the attacker opened point at each other; each flow finding cites raw lines
// that are byte for byte in the delivered files, with the files' SHA-256; a log group in CloudWatch Logs is read
// through the fake AWS; bad flow inputs are one line each.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectedAttackFindings, writeDay } from '../src/detections/generate.js';
import { APPROVED_RELAY, FLOW_INTERFACES, RELAY_INSTANCE, expectedFlowFindings, generateFlowDay, writeFlowDay } from '../src/detections/generate-flows.js';
import { startFakeAws, type Scenario } from '../src/testing/fake-aws/index.js';
import { cli, tempDir } from './helpers.js';

interface Finding {
  checkId: string;
  severity: string;
  fingerprint: string;
  message: string;
  resource: { id: string; name?: string; account?: string; region?: string; arn?: string };
  evidence: Record<string, unknown> & { records?: { source: string; line: number; raw: string }[]; relatedFindings?: { checkId: string; fingerprint: string; relation?: string }[] };
}

let dir: string;
beforeAll(() => {
  dir = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
  writeDay(path.join(dir, 'logs'), {});
  writeFlowDay(path.join(dir, 'logs'), {});
});

async function investigate(args: string[] = [], cwd = dir) {
  const r = await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none', ...args], cwd);
  return { ...r, results: JSON.parse(r.stdout) as { findings: Finding[]; inputs: { files: { file: string; kind: string; sha256?: string }[]; skipped: string[] }; trail: { coverage: Record<string, unknown> & { flows: Record<string, unknown>; detectionsSupported: { id: string; supported: boolean }[] } } } };
}

describe('sesguard trail on CloudTrail and VPC Flow Logs together', () => {
  it('reports every attack step of both logs, and nothing benign', async () => {
    const { code, results, stderr } = await investigate();
    expect(stderr).not.toMatch(/sesguard: (?!note)/);
    expect(code).toBe(0);
    const flowFindings = results.findings.filter((f) => ['SESG-DET-011', 'SESG-DET-012'].includes(f.checkId));
    expect(flowFindings.map((f) => ({ checkId: f.checkId, subject: f.resource.id })).sort((a, b) => a.subject.localeCompare(b.subject))).toEqual(
      expectedFlowFindings().sort((a, b) => a.subject.localeCompare(b.subject)),
    );
    const trailIds = new Set(results.findings.filter((f) => !flowFindings.includes(f)).map((f) => f.checkId));
    expect([...trailIds].sort()).toEqual([...new Set(expectedAttackFindings().map((e) => e.checkId))].sort());
    const flows = results.trail.coverage.flows;
    expect(flows).toMatchObject({ inputs: 48, malformed: 0, nodata: 24, formats: ['default', expect.stringContaining('instance-id')], regions: ['us-east-1'] });
    expect(results.trail.coverage.detectionsSupported.filter((d) => d.id >= 'SESG-DET-011').map((d) => [d.id, d.supported])).toEqual([
      ['SESG-DET-011', true],
      ['SESG-DET-012', true],
      ['SESG-DET-013', true],
    ]);
    expect((results.trail.coverage.notes as string[]).join('\n')).toMatch(/flow\(s\) to mail ports were not reported: 144 to approvedMailRelays, 0 to private.*, 24 inbound/);
  });

  it('the relay names its instance, subnet and VPC, its destinations, and the security group opened before it', async () => {
    const { results } = await investigate();
    const relay = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.relay) as Finding;
    expect(relay).toMatchObject({
      severity: 'high',
      resource: { account: '111122223333', region: 'us-east-1', arn: `arn:aws:ec2:us-east-1:111122223333:network-interface/${FLOW_INTERFACES.relay}` },
      evidence: { instanceIds: [RELAY_INSTANCE], subnetIds: ['subnet-0b22c33d44e55f661'], vpcIds: ['vpc-0b0b0b0b0b0b0b0b1'], flows: 100, ports: { 25: 100 }, action: 'ACCEPT' },
    });
    expect(relay.evidence.distinctDestinations).toBe(100);
    expect(relay.evidence.windowStart).toMatch(/^2026-11-23T02:5/);
    expect(relay.evidence.unknown).toBeUndefined();
    const opened = results.findings.find((f) => f.checkId === 'SESG-DET-006') as Finding;
    expect(relay.evidence.relatedFindings).toEqual([
      expect.objectContaining({ checkId: 'SESG-DET-006', fingerprint: opened.fingerprint, relation: expect.stringMatching(/opened on a mail port before these flows/) }),
      expect.objectContaining({ checkId: 'SESG-DET-007', relation: expect.stringMatching(/newly created access key was used for SES within a day/) }),
    ]);
    expect(opened.evidence.relatedFindings?.map((r) => r.fingerprint)).toContain(relay.fingerprint);
    const v6 = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.v6sender) as Finding;
    expect(v6.evidence.unknown).toEqual([
      expect.stringMatching(/instance or function behind the interface/),
      expect.stringMatching(/subnet and VPC/),
      expect.stringMatching(/direction of 16 IPv6 flow/),
    ]);
    const bot = results.findings.find((f) => f.checkId === 'SESG-DET-012') as Finding;
    expect(bot).toMatchObject({ severity: 'medium', evidence: { attempt: true, action: 'REJECT', flows: 180, distinctDestinations: 180 } });
  });

  it('each cited record is byte for byte a line of the delivered file it names, whose SHA-256 the inputs list', async () => {
    const { results } = await investigate();
    const hashes = new Map(results.inputs.files.map((f) => [f.file, f.sha256]));
    for (const finding of results.findings.filter((f) => f.evidence.records)) {
      expect(finding.evidence.records?.length).toBeGreaterThan(0);
      for (const record of finding.evidence.records ?? []) {
        const bytes = readFileSync(path.join(dir, record.source));
        expect(hashes.get(record.source)).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(gunzipSync(bytes).toString('latin1').split('\n')[record.line - 1]).toBe(record.raw);
      }
    }
  });

  it('without approvedMailRelays the app using its relay is reported too', async () => {
    const bare = tempDir();
    writeFlowDay(path.join(bare, 'logs'), {});
    const { results } = await investigate([], bare);
    expect(results.findings.map((f) => f.resource.id)).toContain(FLOW_INTERFACES.app);
  });

  it('flow logs alone: the CloudTrail detections are not assessed, the run is not an error', async () => {
    const only = tempDir();
    writeFlowDay(path.join(only, 'logs'), {});
    const { code, results } = await investigate([], only);
    expect(code).toBe(0);
    const support = new Map(results.trail.coverage.detectionsSupported.map((d) => [d.id, d.supported]));
    expect([support.get('SESG-DET-001'), support.get('SESG-DET-011')]).toEqual([false, true]);
  });

  it('another service\'s .log in the folder is skipped; a broken flow log is one line, the rest still read', async () => {
    const d = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
    const files = writeFlowDay(path.join(d, 'logs'), {});
    writeFileSync(path.join(d, 'logs', 'elb-access.log'), 'https 2026-11-23T08:00:00.123456Z app/web/50dc6c495c0c9188 198.51.100.7:2817 10.0.1.20:80 0.000 0.001 0.000 200 200 34 366 "GET https://www.example.com:443/ HTTP/1.1"\n');
    writeFileSync(files[0], gzipSync(readFileSync(files[0])).subarray(0, 60));
    const r = await cli(['trail', 'logs', '--format', 'json', '--fail-on', 'none'], d);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => /^sesguard: (?!note)/.test(l))).toEqual([expect.stringMatching(/_vpcflowlogs_.*: (truncated gzip|corrupt gzip|not a VPC flow log)/)]);
    const results = JSON.parse(r.stdout);
    expect(results.inputs.skipped).toContain('logs/elb-access.log');
    expect(results.findings.length).toBeGreaterThan(0);
  });

  it('a flow log named on the command line that is not one is an error naming it', async () => {
    const d = tempDir({ 'notes.log': 'hello, this is not a flow log\n' });
    const r = await cli(['trail', 'notes.log', '--format', 'json'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.log: not a VPC flow log/);
  });

  it('--since/--until bound the flows too', async () => {
    const { results } = await investigate(['--since', '2026-11-23T05:00:00Z', '--until', '2026-11-23T06:00:00Z']);
    const bot = results.findings.find((f) => f.checkId === 'SESG-DET-012') as Finding;
    expect(bot.evidence.flows).toBe(30);
  });
});

describe('--flow-log-group', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('reads flow logs from CloudWatch Logs through the fake AWS, alongside the CloudTrail files', async () => {
    const files = [...generateFlowDay({})];
    const custom = files.filter((f) => f.key.includes('fl-0cccc3333dddd4444'));
    const events = custom.flatMap((f) => f.text.trim().split('\n').slice(1)).map((message) => ({ timestamp: Number(message.split(' ')[16]) * 1000, message }));
    const scenario = {
      organization: { Id: 'o-aaaa1111', MasterAccountId: '111122223333', roots: [{ Id: 'r-ab12' }] },
      accounts: [{
        Id: '111122223333', Name: 'workloads', parentId: 'r-ab12', enabledRegions: ['us-east-1'],
        regions: { 'us-east-1': {
          ec2: { flowLogs: [{ FlowLogId: 'fl-0cccc3333dddd4444', ResourceId: 'vpc-0b0b0b0b0b0b0b0b1', LogGroupName: '/vpc/flow-b', LogFormat: files.length ? `\${${['version', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'account-id', 'type', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'pkt-srcaddr', 'pkt-dstaddr', 'protocol', 'bytes', 'packets', 'start', 'end', 'action', 'tcp-flags', 'log-status', 'flow-direction', 'region'].join('} ${')}}` : '' }] },
          logs: { groups: [{ logGroupName: '/vpc/flow-b', streams: [{ logStreamName: `${FLOW_INTERFACES.relay}-all`, events }] }] },
        } },
      }],
    } as unknown as Scenario;
    const fake = await startFakeAws(scenario, { pageSize: 100 });
    try {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKECALLER000001');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
      vi.stubEnv('AWS_REGION', 'us-east-1');
      const d = tempDir();
      writeDay(path.join(d, 'logs'), {});
      const r = await cli(['trail', 'logs', '--flow-log-group', '/vpc/flow-b', '--since', '2026-11-23T00:00:00Z', '--until', '2026-11-24T00:00:00Z', '--endpoint-url', fake.endpoint, '--format', 'json', '--fail-on', 'none'], d);
      expect(r.stderr).not.toMatch(/sesguard: (?!note)/);
      const results = JSON.parse(r.stdout);
      const relay = results.findings.find((f: Finding) => f.resource.id === FLOW_INTERFACES.relay);
      expect(relay.evidence.records[0]).toMatchObject({ source: `logs:us-east-1:/vpc/flow-b:${FLOW_INTERFACES.relay}-all`, eventId: expect.any(String) });
      expect(relay.evidence.relatedFindings.map((x: { checkId: string }) => x.checkId)).toEqual(['SESG-DET-006', 'SESG-DET-007']);
      expect(new Set(fake.calls.map((c) => c.operation))).toEqual(new Set(['DescribeFlowLogs', 'FilterLogEvents']));
    } finally {
      await fake.close();
    }
  });
  it('a group that is missing is one line naming it and the call; exit 2', async () => {
    const fake = await startFakeAws({
      organization: { Id: 'o-aaaa1111', MasterAccountId: '111122223333', roots: [{ Id: 'r-ab12' }] },
      accounts: [{ Id: '111122223333', Name: 'workloads', parentId: 'r-ab12', enabledRegions: ['us-east-1'] }],
    } as unknown as Scenario);
    try {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKECALLER000001');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
      vi.stubEnv('AWS_REGION', 'us-east-1');
      const r = await cli(['trail', '--flow-log-group', 'nope', '--endpoint-url', fake.endpoint, '--format', 'json'], tempDir());
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/logs:us-east-1:nope: .*ResourceNotFoundException/);
    } finally {
      await fake.close();
    }
  });
});

describe('--snapshot: the workload behind each interface, from a scan', () => {
  // What DescribeNetworkInterfaces showed when the account was scanned: the relay's instance and the group the
  // attacker opened, the IPv6 sender as a Lambda function's interface; the spambot was deleted before the scan.
  const scenario = {
    organization: { Id: 'o-aaaa1111', MasterAccountId: '111122223333', roots: [{ Id: 'r-ab12' }] },
    accounts: [{
      Id: '111122223333', Name: 'workloads', parentId: 'r-ab12', enabledRegions: ['us-east-1'],
      regions: { 'us-east-1': { ec2: {
        securityGroups: [
          { GroupId: 'sg-0a77ac4e1bad25e25', GroupName: 'batch-mailer', VpcId: 'vpc-0b0b0b0b0b0b0b0b1', IpPermissionsEgress: [{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
          { GroupId: 'sg-0f00d5e1f00d5e1f0', GroupName: 'newsletter-fn', VpcId: 'vpc-0a0a0a0a0a0a0a0a1', IpPermissionsEgress: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] },
        ],
        networkInterfaces: [
          { NetworkInterfaceId: FLOW_INTERFACES.relay, Groups: ['sg-0a77ac4e1bad25e25'], VpcId: 'vpc-0b0b0b0b0b0b0b0b1', SubnetId: 'subnet-0b22c33d44e55f661', AvailabilityZone: 'us-east-1b', InstanceId: RELAY_INSTANCE, PrivateIpAddress: '10.20.1.15' },
          {
            NetworkInterfaceId: FLOW_INTERFACES.v6sender, Groups: ['sg-0f00d5e1f00d5e1f0'], VpcId: 'vpc-0a0a0a0a0a0a0a0a1', SubnetId: 'subnet-0a11b22c33d44e551', AvailabilityZone: 'us-east-1a',
            InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-newsletter-worker-3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f', RequesterId: 'AROAEXAMPLELAMBDA0001:awslambda_730_20261101093012345', PrivateIpAddress: '10.10.2.40', Ipv6Addresses: ['2600:1f18:4a3:6b00::40'],
          },
        ],
      } } },
    }],
  } as unknown as Scenario;

  async function scanned(d: string): Promise<void> {
    const fake = await startFakeAws(scenario, { pageSize: 100 });
    try {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAFAKECALLER000001');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
      vi.stubEnv('AWS_REGION', 'us-east-1');
      const r = await cli(['scan', '--endpoint-url', fake.endpoint, '--regions', 'us-east-1', '--snapshot', 'snapshot.json', '--quiet', '--fail-on', 'none'], d);
      expect(r.stderr).not.toMatch(/sesguard: (?!note)/);
    } finally {
      await fake.close();
    }
  }

  it('names the relay\'s instance and groups, the Lambda function behind the IPv6 sender, and what the snapshot lacks', async () => {
    const d = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
    writeDay(path.join(d, 'logs'), {});
    writeFlowDay(path.join(d, 'logs'), {});
    await scanned(d);
    const { code, results } = await investigate(['--snapshot', 'snapshot.json'], d);
    expect(code).toBe(0);
    const relay = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.relay) as Finding;
    expect(relay.evidence.workload).toMatchObject({
      source: 'snapshot', snapshot: 'snapshot.json', account: '111122223333', region: 'us-east-1', instanceId: RELAY_INSTANCE, availabilityZone: 'us-east-1b',
      securityGroups: [{ groupId: 'sg-0a77ac4e1bad25e25', groupName: 'batch-mailer' }], privateIpAddresses: ['10.20.1.15'],
    });
    const opened = results.findings.find((f) => f.checkId === 'SESG-DET-006') as Finding & { evidence: { relatedFindings: { relation: string }[] } };
    expect(relay.evidence.relatedFindings).toContainEqual(expect.objectContaining({ fingerprint: opened.fingerprint, relation: "this interface's security group sg-0a77ac4e1bad25e25 was opened on a mail port before these flows" }));
    expect(opened.evidence.relatedFindings.map((r) => r.relation)).toContain('the group opened here is on this interface, which then sent mail directly');

    const v6 = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.v6sender) as Finding & { resource: { name: string } };
    expect(v6.resource.name).toBe(`${FLOW_INTERFACES.v6sender} (lambda:newsletter-worker, subnet-0a11b22c33d44e551, vpc-0a0a0a0a0a0a0a0a1)`);
    expect(v6.message).toMatch(new RegExp(`^${FLOW_INTERFACES.v6sender} \\(lambda:newsletter-worker, subnet-0a11b22c33d44e551, vpc-0a0a0a0a0a0a0a0a1\\) sent mail directly`));
    expect(v6.evidence.workload).toMatchObject({ interfaceType: 'lambda', lambdaFunction: 'newsletter-worker', requesterManaged: true });
    expect(v6.evidence.unknown).toEqual([expect.stringMatching(/direction of 16 IPv6 flow/)]);

    const bot = results.findings.find((f) => f.checkId === 'SESG-DET-012') as Finding;
    expect(bot.evidence.workload).toBeUndefined();
    // The snapshot that named the workloads goes into the evidence bundle with them.
    const bundled = await cli(['trail', 'logs', '--snapshot', 'snapshot.json', '--evidence', 'bundle', '--quiet', '--fail-on', 'none'], d);
    expect(bundled.code).toBe(0);
    expect(readFileSync(path.join(d, 'bundle', 'snapshot.json'), 'utf8')).toBe(readFileSync(path.join(d, 'snapshot.json'), 'utf8'));
    expect((await cli(['verify-bundle', 'bundle'], d)).code).toBe(0);
    expect(bot.evidence.unknown).toContainEqual(expect.stringMatching(new RegExp(`${FLOW_INTERFACES.spambot} is not in the snapshot snapshot\\.json \\(captured [^)]+\\): it was deleted before the scan`)));
  });

  it('a snapshot of another time without interfaces says so; a wrong --snapshot is one line and exit 2 before any log is read', async () => {
    const d = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
    writeFlowDay(path.join(d, 'logs'), {});
    await scanned(d);
    const snapshot = JSON.parse(readFileSync(path.join(d, 'snapshot.json'), 'utf8')) as { resources: { type: string }[] };
    snapshot.resources = snapshot.resources.filter((r) => r.type !== 'aws.ec2.network-interface');
    writeFileSync(path.join(d, 'old.json'), JSON.stringify(snapshot));
    const { results } = await investigate(['--snapshot', 'old.json'], d);
    const relay = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.relay) as Finding;
    expect(relay.evidence.workload).toBeUndefined();
    const v6 = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.v6sender) as Finding;
    expect(v6.evidence.unknown).toContainEqual(expect.stringMatching(/not in the snapshot old\.json .*: the snapshot holds no network interfaces/));
    // The same, when the snapshot records that the call failed there: that is the reason given.
    writeFileSync(path.join(d, 'denied.json'), JSON.stringify({ ...snapshot, callErrors: [{ account: '111122223333', region: 'us-east-1', call: 'ec2:DescribeNetworkInterfaces', error: 'UnauthorizedOperation', affects: ['aws.ec2.network-interface'] }] }));
    const denied = (await investigate(['--snapshot', 'denied.json'], d)).results.findings.find((f) => f.resource.id === FLOW_INTERFACES.v6sender) as Finding;
    expect(denied.evidence.unknown).toContainEqual(expect.stringMatching(/ec2:DescribeNetworkInterfaces failed in 111122223333 us-east-1 during the scan \(UnauthorizedOperation\)$/));

    writeFileSync(path.join(d, 'results.json'), JSON.stringify({ kind: 'trail', findings: [] }));
    writeFileSync(path.join(d, 'cut.json'), readFileSync(path.join(d, 'snapshot.json'), 'utf8').slice(0, 200));
    for (const [file, message] of [
      ['missing.json', /^sesguard: missing\.json: cannot read snapshot \(ENOENT\)$/],
      ['results.json', /^sesguard: results\.json: not a sesguard snapshot: /],
      ['cut.json', /^sesguard: cut\.json: not valid JSON \(expected a sesguard snapshot\)$/],
    ] as const) {
      const r = await cli(['trail', 'logs', '--snapshot', file, '--format', 'json'], d);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    }
  });
});

describe('a saved copy of a flow log', () => {
  it('is read whatever its name, uncompressed', async () => {
    const d = tempDir();
    const [first] = [...generateFlowDay({})].filter((f) => f.key.includes('T03'));
    mkdirSync(path.join(d, 'saved'));
    writeFileSync(path.join(d, 'saved', 'incident-4711.txt'), first.text);
    copyFileSync(path.join(d, 'saved', 'incident-4711.txt'), path.join(d, 'saved', 'copy.log'));
    const r = await cli(['trail', 'saved/incident-4711.txt', '--format', 'json', '--fail-on', 'none'], d);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs.files).toEqual([{ file: 'saved/incident-4711.txt', kind: 'vpc-flow', sha256: expect.any(String), bytes: first.text.length }]);
  });
});

describe('raw evidence in the bundle', () => {
  it('each finding cites its raw records and their sources\' SHA-256; verify-bundle checks them against the delivered files', async () => {
    const d = tempDir({ 'sesguard.yaml': `approvedMailRelays: [${APPROVED_RELAY}/32]\n` });
    writeDay(path.join(d, 'logs'), {});
    writeFlowDay(path.join(d, 'logs'), {});
    const r = await cli(['trail', 'logs', '--evidence', 'bundle', '--quiet', '--fail-on', 'none'], d);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(d, 'bundle', 'manifest.json'), 'utf8')) as { files: { name: string }[] };
    const raws = manifest.files.map((f) => f.name).filter((n) => n.startsWith('raw/'));
    const results = JSON.parse(readFileSync(path.join(d, 'bundle', 'results.json'), 'utf8')) as { findings: Finding[] };
    expect(raws).toHaveLength(results.findings.length);
    const relay = results.findings.find((f) => f.resource.id === FLOW_INTERFACES.relay) as Finding;
    const entry = JSON.parse(readFileSync(path.join(d, 'bundle', 'raw', `SESG-DET-011-${relay.fingerprint}.json`), 'utf8'));
    expect(entry.records[0]).toMatchObject({ source: expect.stringMatching(/_vpcflowlogs_/), line: expect.any(Number), encoding: 'latin1' });
    const opened = results.findings.find((f) => f.checkId === 'SESG-DET-006') as Finding;
    const ct = JSON.parse(readFileSync(path.join(d, 'bundle', 'raw', `SESG-DET-006-${opened.fingerprint}.json`), 'utf8'));
    expect(ct.records[0]).toMatchObject({ source: expect.stringMatching(/_CloudTrail_us-east-1_/), recordIndex: expect.any(Number), eventId: expect.any(String), encoding: 'utf8' });
    expect(JSON.parse(ct.records[0].raw).eventName).toBe('AuthorizeSecurityGroupEgress');
    expect(ct.sources.find((x: { source: string }) => x.source === ct.records[0].source).sha256).toBe(createHash('sha256').update(readFileSync(path.join(d, ct.records[0].source))).digest('hex'));

    const ok = await cli(['verify-bundle', 'bundle'], d);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/intact/)]);
    // A delivered log changed after the run: the bundle no longer proves its lines came from it.
    const source = path.join(d, entry.records[0].source);
    writeFileSync(source, gzipSync(`${gunzipSync(readFileSync(source)).toString('latin1')}extra\n`));
    const bad = await cli(['verify-bundle', 'bundle'], d);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`raw/SESG-DET-011-${relay.fingerprint}\\.json: source .*_vpcflowlogs_.* has changed`));
  });
});
