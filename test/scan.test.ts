// `sesguard scan --org` end to end over the wire: the real SDK clients against the loopback fake AWS holding
// the planted Organization (fixtures/scenarios/org-planted.json). Every planted mistake is found in the right
// account, the well-configured account stays clean, failures become not assessed, and snapshots re-evaluate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshot, evaluateSnapshot, mergeResults } from '../src/run.js';
import { defaultConfig } from '../src/config/types.js';
import { scanLive } from '../src/sources/aws/scan.js';
import { startFakeAws, type FakeAws, type Fault } from '../src/testing/fake-aws/index.js';
import type { Results } from '../src/results.js';
import { cli, tempDir } from './helpers.js';

const scenario = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'scenarios', 'org-planted.json'), 'utf8'));
const credentials = async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'not-a-secret' });
const CONFIG = 'approvedRegions: [us-east-1]\napprovedDomainIdentities: [notify.example.com]\n';

process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKECALLER000001';
process.env.AWS_SECRET_ACCESS_KEY = 'not-a-secret';
process.env.AWS_REGION = 'us-east-1';
delete process.env.AWS_PROFILE;

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws(scenario, { pageSize: 2 });
});
afterAll(async () => {
  await fake.close();
});

function open(results: Results, account: string, checkId: string): string[] {
  return results.findings
    .filter((f) => !f.suppressed && f.resource.account === account && f.checkId === checkId)
    .map((f) => f.resource.name);
}

async function scanCli(extra: string[] = [], config = CONFIG) {
  const dir = tempDir({ 'sesguard.yaml': config });
  const r = await cli(['scan', '--org', '--endpoint-url', fake.endpoint, '--external-id', 'sesguard-ext-1', '--json', 'r.json', '--snapshot', 's.json', '--quiet', ...extra], dir);
  const results: Results = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
  return { ...r, dir, results };
}

describe('scan --org on the planted Organization', () => {
  let run: Awaited<ReturnType<typeof scanCli>>;
  beforeAll(async () => {
    run = await scanCli();
  });

  it('scans every account in every enabled SES region, reading only', () => {
    expect(run.results.inputs.accounts?.map((a) => [a.accountId, a.status])).toEqual([
      ['111111111111', 'scanned'],
      ['222222222222', 'scanned'],
      ['333333333333', 'scanned'],
      ['444444444444', 'scanned'],
    ]);
    expect(run.results.inputs.accounts?.find((a) => a.accountId === '333333333333')?.regions).toEqual(
      expect.arrayContaining(['us-east-1', 'eu-west-1', 'af-south-1']),
    );
    // AssumeRole, and GenerateCredentialReport (the documented exception: it builds the IAM credential report).
    const writes = fake.calls.filter((c) => !/^(Get|List|Describe|Lookup)/.test(c.operation) && !['AssumeRole', 'GenerateCredentialReport'].includes(c.operation));
    expect(writes).toEqual([]);
  });

  it.each([
    ['a public sending-authorization policy hidden behind a private one', '333333333333', 'SESG-SES-001', ['offers.example.net']],
    ['a user with ses:* on * and a key', '333333333333', 'SESG-IAM-001', expect.arrayContaining(['ses-smtp-user.20220110'])],
    ['that user\'s active key from 2022', '333333333333', 'SESG-IAM-005', ['ses-smtp-user.20220110']],
    ['a role that can send, trusted by an outside account', '333333333333', 'SESG-IAM-006', ['partner-mailer']],
    ['an attached security group open on 25 (not the unattached one)', '333333333333', 'SESG-NET-001', ['mailer-open-25']],
    ['a bounce alarm with its threshold in percent', '333333333333', 'SESG-MON-004', expect.arrayContaining(['ses-bounce-rate'])],
    ['identities without notifications', '333333333333', 'SESG-SES-004', expect.arrayContaining(['news@example.net', 'promo@example.org'])],
    ['no trail at all', '444444444444', 'SESG-MON-005', expect.any(Array)],
    ['no SCP guardrail (every member)', '222222222222', 'SESG-ORG-001', expect.any(Array)],
    ['production access outside approvedRegions', '333333333333', 'SESG-ACC-001', expect.any(Array)],
  ])('finds %s', (_what, account, checkId, names) => {
    const found = open(run.results, account, checkId);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(names);
  });

  it('does not flag the unattached security group', () => {
    expect(open(run.results, '333333333333', 'SESG-NET-001')).not.toContain('unattached-open-25');
  });

  it('raises nothing on the well-configured account but the Organization-wide missing SCP guardrails', () => {
    const checks = run.results.findings.filter((f) => f.resource.account === '222222222222' && !f.suppressed).map((f) => f.checkId);
    expect([...new Set(checks)].sort()).toEqual(['SESG-ORG-001', 'SESG-ORG-002']);
  });

  it('the snapshot re-evaluates to the same results', () => {
    const snapshot = parseSnapshot(readFileSync(path.join(run.dir, 's.json'), 'utf8'), 's.json');
    const config = { ...defaultConfig(), approvedRegions: ['us-east-1'], approvedRegionsSet: true, approvedDomainIdentities: ['notify.example.com'] };
    // --org read the Organization's id: aws:PrincipalOrgID conditions are judged against it.
    expect(snapshot.scope.organizationId).toBe('o-plant3d0001');
    const again = evaluateSnapshot(snapshot, { config });
    expect(again.findings.map((f) => f.fingerprint).sort()).toEqual(run.results.findings.map((f) => f.fingerprint).sort());
    expect(again.score).toEqual(run.results.score);
  });

  it('evaluate via the CLI gives the same score', async () => {
    const r = await cli(['evaluate', 's.json', '--format', 'json', '--fail-on', 'none'], run.dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).score).toEqual(run.results.score);
  });

  it('--evidence bundles the snapshot with the reports, and redacts the external id', async () => {
    const r = await scanCli(['--evidence', 'bundle']);
    const manifest = JSON.parse(readFileSync(path.join(r.dir, 'bundle', 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['snapshot.json', 'results.json', 'report.html']));
    expect(JSON.stringify(manifest.command)).not.toContain('sesguard-ext-1');
    expect((await cli(['verify-bundle', 'bundle'], r.dir)).code).toBe(0);
  });

  it('reports API calls per account-region', () => {
    expect(run.results.inputs.apiCalls).toBeGreaterThan(0);
  });
});

describe('failures become not assessed, never a pass', () => {
  it('AccessDenied on DescribeAlarms in one account: exactly the alarm checks there are not assessed', async () => {
    const faulty = await startFakeAws(scenario, { pageSize: 2, faults: [{ service: 'cloudwatch', operation: 'DescribeAlarms', account: '444444444444', error: 'AccessDenied' } as Fault] });
    try {
      const snapshot = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: faulty.endpoint, concurrency: 8, credentials, version: 'test' });
      const results = evaluateSnapshot(snapshot, { config: defaultConfig() });
      const checks = new Set(results.notAssessed.filter((n) => n.account === '444444444444').map((n) => n.checkId));
      expect([...checks].sort()).toEqual(['SESG-MON-001', 'SESG-MON-002', 'SESG-MON-003', 'SESG-MON-004'].filter((c) => checks.has(c)));
      expect(checks.has('SESG-MON-001')).toBe(true);
      expect(results.notAssessed.find((n) => n.checkId === 'SESG-MON-001')?.reason).toMatch(/DescribeAlarms.*AccessDenied/);
      expect(results.notAssessed.filter((n) => n.account !== '444444444444')).toEqual([]);
      // The summary names the call, the error and where (a text report shows it without the JSON).
      const [notice] = results.notices.filter((n) => /AWS calls failed/.test(n));
      expect(notice).toMatch(/^\d+ \(check, resource\) pair\(s\) not assessed because AWS calls failed: cloudwatch:DescribeAlarms \(AccessDenied\) in 444444444444\/eu-west-1, 444444444444\/us-east-1 \(each pair's reason in notAssessed\)$/);
      // Everything else in that account was still assessed.
      expect(results.findings.some((f) => f.resource.account === '444444444444' && f.checkId === 'SESG-MON-005')).toBe(true);
    } finally {
      await faulty.close();
    }
  });

  it('a role that cannot be assumed: that account is not assessed, with the call and error; the rest is scanned', async () => {
    const dir = tempDir({ 'sesguard.yaml': CONFIG });
    const r = await cli(['scan', '--org', '--endpoint-url', fake.endpoint, '--external-id', 'wrong', '--format', 'json', '--fail-on', 'none'], dir);
    const results: Results = JSON.parse(r.stdout);
    const failed = results.inputs.accounts?.filter((a) => a.status === 'failed').map((a) => a.accountId);
    expect(failed).toEqual(['222222222222', '333333333333', '444444444444']);
    expect(results.notAssessed.find((n) => n.account === '333333333333')?.reason).toMatch(/^sts:AssumeRole into arn:aws:iam::333333333333:role\/SesguardAudit failed: AccessDenied/);
    expect(results.score.coverage).toBeLessThan(1);
    expect(r.stderr).toMatch(/333333333333.*AssumeRole/);
    // Accounts that could not be entered are named by their own notice, not listed again as failed calls.
    expect(r.stderr).not.toMatch(/AWS calls failed: sts:AssumeRole/);
    expect(r.stderr).not.toMatch(/not-a-secret/);
  });

  it('identity policies come with GetEmailIdentity; an answer without them is completed by GetEmailIdentityPolicies, never read as none', async () => {
    const options = { org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', concurrency: 8, credentials, version: 'test' };
    const before = fake.calls.length;
    const clean = await scanLive({ ...options, endpoint: fake.endpoint });
    expect(fake.calls.slice(before).some((c) => c.operation === 'GetEmailIdentityPolicies')).toBe(false);
    const sparse = await startFakeAws(scenario, { pageSize: 2, omit: { GetEmailIdentity: ['Policies'] } });
    const denied = await startFakeAws(scenario, { pageSize: 2, omit: { GetEmailIdentity: ['Policies'] }, faults: [{ service: 'sesv2', operation: 'GetEmailIdentityPolicies', error: 'AccessDenied' }] });
    try {
      const completed = await scanLive({ ...options, endpoint: sparse.endpoint });
      expect(sparse.calls.some((c) => c.operation === 'GetEmailIdentityPolicies')).toBe(true);
      const a = evaluateSnapshot(completed, { config: defaultConfig() });
      const b = evaluateSnapshot(clean, { config: defaultConfig() });
      expect(open(a, '333333333333', 'SESG-SES-001')).toEqual(['offers.example.net']);
      expect(a.findings.map((f) => f.fingerprint).sort()).toEqual(b.findings.map((f) => f.fingerprint).sort());
      // Neither answer holds the policies: the public-policy check is not assessed, naming the call, not passed.
      const unknown = evaluateSnapshot(await scanLive({ ...options, endpoint: denied.endpoint }), { config: defaultConfig() });
      expect(open(unknown, '333333333333', 'SESG-SES-001')).toEqual([]);
      const reasons = unknown.notAssessed.filter((n) => n.checkId === 'SESG-SES-001').map((n) => n.reason);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.every((r) => /GetEmailIdentityPolicies failed/.test(r))).toBe(true);
    } finally {
      await sparse.close();
      await denied.close();
    }
  });

  it('throttling is retried to the end: same findings as an unthrottled scan', async () => {
    const throttled = await startFakeAws(scenario, { pageSize: 2, throttleRate: 0.05, seed: 7 });
    try {
      const snapshot = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: throttled.endpoint, concurrency: 8, credentials, version: 'test' });
      expect(throttled.calls.some((c) => c.status >= 400 && /Throttl|TooMany|RequestLimit/.test(c.error ?? ''))).toBe(true);
      expect(snapshot.callErrors).toEqual([]);
      const clean = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: fake.endpoint, concurrency: 8, credentials, version: 'test' });
      const a = evaluateSnapshot(snapshot, { config: defaultConfig() });
      const b = evaluateSnapshot(clean, { config: defaultConfig() });
      expect(a.findings.map((f) => f.fingerprint).sort()).toEqual(b.findings.map((f) => f.fingerprint).sort());
    } finally {
      await throttled.close();
    }
  });

  it('a timeout on one call is not assessed, naming the call', async () => {
    const slow = await startFakeAws(scenario, { pageSize: 2, faults: [{ service: 'ec2', operation: 'DescribeNetworkAcls', account: '333333333333', region: 'us-east-1', error: 'Timeout' } as Fault] });
    try {
      const snapshot = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: slow.endpoint, concurrency: 8, credentials, version: 'test', requestTimeoutMs: 300, maxAttempts: 2 });
      const results = evaluateSnapshot(snapshot, { config: defaultConfig() });
      const nacl = results.notAssessed.filter((n) => n.checkId === 'SESG-NET-003');
      expect(nacl).toEqual([expect.objectContaining({ account: '333333333333', region: 'us-east-1' })]);
      expect(nacl[0].reason).toMatch(/DescribeNetworkAcls/);
    } finally {
      await slow.close();
    }
  });

  it('an interrupted scan still yields valid results marked incomplete', async () => {
    const laggy = await startFakeAws(scenario, { pageSize: 2, latencyMs: 40 });
    try {
      const controller = new AbortController();
      // Interrupted once the accounts are listed and the first is done (a timer would race the listing on a busy
      // machine; an interruption before it is its own test in scan-workers.test.ts).
      const onProgress = (p: { done: number }) => p.done >= 1 && controller.abort();
      const snapshot = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: laggy.endpoint, concurrency: 4, credentials, version: 'test', signal: controller.signal, onProgress });
      expect(snapshot.incomplete).toBe(true);
      const results = evaluateSnapshot(snapshot, { config: defaultConfig() });
      expect(results.incomplete).toBe(true);
      expect(results.notAssessed.length).toBeGreaterThan(0);
      expect(snapshot.scope.accounts.some((a) => a.status === 'skipped')).toBe(true);
    } finally {
      await laggy.close();
    }
  });
});

describe('shards', () => {
  it('two shards merged give the findings and per-account scores of the whole scan', async () => {
    const dir = tempDir({ 'sesguard.yaml': CONFIG });
    const base = ['scan', '--org', '--endpoint-url', fake.endpoint, '--external-id', 'sesguard-ext-1', '--quiet', '--fail-on', 'none'];
    await cli([...base, '--json', 'all.json'], dir);
    await cli([...base, '--shard', '1/2', '--json', 's1.json'], dir);
    await cli([...base, '--shard', '2/2', '--json', 's2.json'], dir);
    const merged = await cli(['merge', 's1.json', 's2.json', '--format', 'json', '--fail-on', 'none'], dir);
    const whole: Results = JSON.parse(readFileSync(path.join(dir, 'all.json'), 'utf8'));
    const m: Results = JSON.parse(merged.stdout);
    const s1: Results = JSON.parse(readFileSync(path.join(dir, 's1.json'), 'utf8'));
    expect(s1.inputs.accounts?.length).toBe(2);
    expect(m.findings.map((f) => f.fingerprint).sort()).toEqual(whole.findings.map((f) => f.fingerprint).sort());
    expect(m.score.byAccount).toEqual(whole.score.byAccount);
    expect(m.incomplete).toBe(false);
    const lonely = mergeResults([s1], ['s1.json']);
    expect(lonely.score.byAccount).toEqual(s1.score.byAccount);
    expect(lonely.incomplete).toBe(true);
    expect(lonely.notices).toContain('shards 2/2 are missing from this merge: their accounts are not covered');
    const twice = await cli(['merge', 's1.json', 's1.json', '--quiet'], dir);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/is in both s1\.json and s1\.json/);
  });
});

describe('scope', () => {
  it('--regions with a region some accounts have not enabled: their trail check is not assessed, not failed', async () => {
    const { results } = await scanCli(['--regions', 'af-south-1', '--fail-on', 'none']);
    expect(results.findings.filter((f) => f.checkId === 'SESG-MON-005' && f.resource.account !== '333333333333')).toEqual([]);
    expect(results.notAssessed.filter((n) => n.checkId === 'SESG-MON-005').map((n) => n.account).sort()).toEqual(['111111111111', '222222222222', '444444444444']);
  });
  it('--accounts naming no account of the Organization: exit 2', async () => {
    const r = await cli(['scan', '--org', '--endpoint-url', fake.endpoint, '--external-id', 'sesguard-ext-1', '--accounts', '999999999999'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('sesguard: none of --accounts (999999999999) is an active account of the Organization');
  });
  it('without --org the SCP checks are not assessed, and say why', async () => {
    const r = await cli(['scan', '--endpoint-url', fake.endpoint, '--format', 'json', '--fail-on', 'none'], tempDir());
    const results: Results = JSON.parse(r.stdout);
    const org = results.notAssessed.filter((n) => n.checkId.startsWith('SESG-ORG-'));
    expect(org.map((n) => n.checkId).sort()).toEqual(['SESG-ORG-001', 'SESG-ORG-002']);
    expect(org[0].reason).toMatch(/scan with --org/);
  });
});

describe('endpoint from the environment', () => {
  it('AWS_ENDPOINT_URL is honoured as the SDK does, without --endpoint-url', async () => {
    process.env.AWS_ENDPOINT_URL = fake.endpoint;
    try {
      const r = await cli(['scan', '--accounts', '111111111111', '--format', 'json', '--fail-on', 'none'], tempDir());
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).inputs.accounts).toEqual([expect.objectContaining({ accountId: '111111111111', status: 'scanned' })]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });
});

describe('scan bad input', () => {
  it.each([
    [['--shard', '3/2'], /--shard takes K\/N/],
    [['--accounts', '12345'], /--accounts takes 12-digit account ids/],
    [['--regions', 'mars-1'], /--regions takes SES region names/],
    [['--regions', 'us-east-1,xx-fake-9'], /--regions takes SES region names .*xx-fake-9/],
    [['--concurrency', '0'], /--concurrency must be a whole number/],
  ])('%j: exit 2 with one line', async (argv, message) => {
    const r = await cli(['scan', '--endpoint-url', fake.endpoint, ...argv], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('a snapshot that cannot be written: exit 2 naming it; the scan is not lost, its results are still written', async () => {
    const dir = tempDir({ blocker: 'a file' });
    const r = await cli(['scan', '--accounts', '111111111111', '--endpoint-url', fake.endpoint, '--snapshot', 'blocker/s.json', '--json', 'r.json', '--quiet', '--fail-on', 'none'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('sesguard: note: '))).toEqual([
      'sesguard: blocker/s.json: cannot write (a part of the path is a file, not a directory)',
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')).inputs.accounts).toEqual([expect.objectContaining({ accountId: '111111111111', status: 'scanned' })]);
  });
  it('credentials that do not work: exit 2 naming the call', async () => {
    const r = await cli(['scan', '--endpoint-url', 'http://127.0.0.1:9'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sesguard: cannot use the AWS credentials \(sts:GetCallerIdentity in us-east-1\)/);
  });
  it('a snapshot that is not one: exit 2 naming the file', async () => {
    const r = await cli(['evaluate', 'x.json'], tempDir({ 'x.json': '{"schemaVersion": 1}' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sesguard: x\.json: not a sesguard snapshot/);
  });
});
