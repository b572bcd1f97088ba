// Live-scan collectors against the fake AWS (real SDK clients, pages of one item so every listing paginates):
// each collector's normalized resources for the planted Organization, as literal expectations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectCloudTrail,
  collectCloudWatch,
  collectEc2,
  collectEnabledRegions,
  collectIam,
  collectOrganization,
  collectSes,
  collectSnsTopics,
  sesTopicArns,
} from '../src/sources/aws/collectors/index.js';
import { networkInterfaceProps } from '../src/sources/aws/collectors/ec2.js';
import type { Resource } from '../src/inventory/types.js';
import { startFakeAws, type FakeAws } from '../src/testing/fake-aws/index.js';
import { readFileSync } from 'node:fs';
import { staticScope } from '../src/sources/aws/collectors/static-scope.js';
import type { AccessKeyScenario, IamScenario, Scenario } from '../src/testing/fake-aws/index.js';
import { parseCredentialReport } from '../src/sources/aws/collectors/credential-report.js';
import { isUnknown } from '../src/inventory/types.js';

const MGMT = '111111111111';
const SEC = '222222222222';
const MAIL = '333333333333';
const DEV = '444444444444';

function plantedScenario(): Scenario {
  return JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;
}

/** The management account signs with a plain key; members with `ASIA<account>…` keys, as after AssumeRole. */
function scopeFor(fake: FakeAws, account: string) {
  const credentials =
    account === MGMT
      ? { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'caller-secret' }
      : { accessKeyId: `ASIA${account}TEST`, secretAccessKey: 'member-secret', sessionToken: 'token' };
  return staticScope({ endpoint: fake.endpoint, accountId: account, credentials, now: '2026-12-01T00:00:00Z' });
}

function byName<T extends Resource>(resources: readonly Resource[], type: T['type'], name: string): T {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in ${resources.map((r) => `${r.type}:${r.name}`).join(', ')}`);
  return found as T;
}

const FULL_ACCESS = { statements: [{ effect: 'Allow', action: ['*'], resource: ['*'] }] };
const DENY_LEAVE = { statements: [{ effect: 'Deny', action: ['organizations:LeaveOrganization'], resource: ['*'] }] };
const READ_ONLY = { statements: [{ effect: 'Allow', action: ['ses:Get*', 'ses:List*', 'iam:Get*', 'iam:List*'], resource: ['*'] }] };
const principal = (aws: string[], wildcard = false) => ({ wildcard, aws, service: [], federated: [], canonicalUser: [] });

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws(plantedScenario(), { pageSize: 1 });
});
afterAll(async () => {
  await fake.close();
});

function callsOf(service: string, operation: string, account?: string) {
  return fake.calls.filter((c) => c.service === service && c.operation === operation && (!account || c.account === account));
}

describe('organizations', () => {
  it('lists active accounts, the management account and each SCP chain root → OUs → account', async () => {
    const before = fake.calls.length;
    const out = await collectOrganization(scopeFor(fake, MGMT));
    expect(out.errors).toEqual([]);
    expect(out.managementAccountId).toBe(MGMT);
    expect(out.organizationId).toBe('o-plant3d0001');
    expect(out.accounts).toEqual([
      { id: MGMT, name: 'management' },
      { id: SEC, name: 'notifications' },
      { id: MAIL, name: 'marketing-mail' },
      { id: DEV, name: 'dev-sandbox' },
    ]);
    const mail = byName<Resource<'aws.organizations.account'>>(out.resources, 'aws.organizations.account', 'marketing-mail');
    expect(mail).toEqual({
      type: 'aws.organizations.account',
      id: `arn:aws:organizations::${MGMT}:account/o-plant3d0001/${MAIL}`,
      name: 'marketing-mail',
      provenance: { source: 'aws', arn: `arn:aws:organizations::${MGMT}:account/o-plant3d0001/${MAIL}`, account: MAIL, region: 'global' },
      props: {
        accountId: MAIL,
        accountName: 'marketing-mail',
        isManagementAccount: false,
        scps: [
          { id: 'p-FullAWSAccess', name: 'FullAWSAccess', target: 'r-pl01', document: FULL_ACCESS },
          { id: 'p-FullAWSAccess', name: 'FullAWSAccess', target: 'ou-pl01-workload', document: FULL_ACCESS },
          { id: 'p-denyleave01', name: 'DenyLeaveOrganization', target: 'ou-pl01-workload', document: DENY_LEAVE },
          { id: 'p-FullAWSAccess', name: 'FullAWSAccess', target: MAIL, document: FULL_ACCESS },
        ],
      },
    });
    const mgmt = byName<Resource<'aws.organizations.account'>>(out.resources, 'aws.organizations.account', 'management');
    expect(mgmt.props.isManagementAccount).toBe(true);
    expect(mgmt.props.scps).toEqual([
      { id: 'p-FullAWSAccess', name: 'FullAWSAccess', target: 'r-pl01', document: FULL_ACCESS },
      { id: 'p-FullAWSAccess', name: 'FullAWSAccess', target: MGMT, document: FULL_ACCESS },
    ]);
    const dev = byName<Resource<'aws.organizations.account'>>(out.resources, 'aws.organizations.account', 'dev-sandbox');
    expect((dev.props.scps as { target: string }[]).map((p) => p.target)).toEqual(['r-pl01', 'ou-pl01-sandbox0', DEV]);

    const calls = fake.calls.slice(before);
    // Pages of one account: four accounts need four pages (the SDK stops when NextToken is absent).
    expect(calls.filter((c) => c.operation === 'ListAccounts')).toHaveLength(4);
    // Policy documents are fetched once per policy; parents and policies once per target.
    expect(calls.filter((c) => c.operation === 'DescribePolicy')).toHaveLength(2);
    expect(calls.filter((c) => c.operation === 'ListParents')).toHaveLength(6);
    expect(new Set(calls.map((c) => c.operation))).toEqual(
      new Set(['DescribeOrganization', 'ListAccounts', 'ListRoots', 'ListParents', 'ListPoliciesForTarget', 'DescribePolicy']),
    );
  });
});

describe('regions', () => {
  it('returns the regions enabled for each account', async () => {
    expect(await collectEnabledRegions(scopeFor(fake, MAIL))).toEqual({ regions: ['af-south-1', 'eu-west-1', 'us-east-1'], via: 'ec2:DescribeRegions', errors: [] });
    expect(await collectEnabledRegions(scopeFor(fake, DEV))).toEqual({ regions: ['eu-west-1', 'us-east-1'], via: 'ec2:DescribeRegions', errors: [] });
  });
});

describe('iam', () => {
  it('builds roles with decoded trust and managed policies, users with their keys', async () => {
    const out = await collectIam(scopeFor(fake, MAIL));
    expect(out.errors).toEqual([]);
    expect(out.resources.map((r) => `${r.type} ${r.name}`)).toEqual([
      'aws.iam.role SesguardAudit',
      'aws.iam.role partner-mailer',
      'aws.iam.user ses-smtp-user.20220110',
    ]);
    expect(byName(out.resources, 'aws.iam.role', 'SesguardAudit').props).toEqual({
      roleName: 'SesguardAudit',
      trustPolicy: {
        statements: [
          {
            effect: 'Allow',
            action: ['sts:AssumeRole'],
            principal: principal([`arn:aws:iam::${MGMT}:root`]),
            condition: { StringEquals: { 'sts:ExternalId': ['sesguard-ext-1'] } },
          },
        ],
      },
      policies: [{ name: 'ReadOnlyAccess', kind: 'aws-managed', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: READ_ONLY }],
      serviceLinked: false,
    });
    expect(byName(out.resources, 'aws.iam.role', 'partner-mailer').props).toEqual({
      roleName: 'partner-mailer',
      trustPolicy: { statements: [{ effect: 'Allow', action: ['sts:AssumeRole'], principal: principal(['arn:aws:iam::999988887777:root']) }] },
      policies: [
        { name: 'send', kind: 'inline', document: { statements: [{ effect: 'Allow', action: ['ses:SendEmail', 'ses:SendRawEmail'], resource: ['*'] }] } },
      ],
      serviceLinked: false,
    });
    const user = byName(out.resources, 'aws.iam.user', 'ses-smtp-user.20220110');
    expect(user).toEqual({
      type: 'aws.iam.user',
      id: `arn:aws:iam::${MAIL}:user/ses-smtp-user.20220110`,
      name: 'ses-smtp-user.20220110',
      provenance: { source: 'aws', arn: `arn:aws:iam::${MAIL}:user/ses-smtp-user.20220110`, account: MAIL, region: 'global' },
      props: {
        userName: 'ses-smtp-user.20220110',
        policies: [{ name: 'AmazonSesSendingAccess', kind: 'inline', document: { statements: [{ effect: 'Allow', action: ['ses:*'], resource: ['*'] }] } }],
        groups: [],
        accessKeys: [
          { id: 'access_key_1', status: 'Active', createdAt: '2022-01-10T00:00:00.000Z', lastUsedAt: '2026-11-21T18:00:00.000Z', lastUsedService: 'ses' },
          { id: 'access_key_2', status: 'Inactive', createdAt: '2021-06-01T00:00:00.000Z' },
        ],
      },
    });
  });

  it('with --no-credential-report, reads the same keys per user, with their ids', async () => {
    const out = await collectIam(scopeFor(fake, MAIL), { credentialReport: false });
    expect(byName<Resource<'aws.iam.user'>>(out.resources, 'aws.iam.user', 'ses-smtp-user.20220110').props.accessKeys).toEqual([
      { id: 'AKIA333333333333OLD1', status: 'Active', createdAt: '2022-01-10T00:00:00.000Z', lastUsedAt: '2026-11-21T18:00:00.000Z', lastUsedService: 'ses' },
      { id: 'AKIA333333333333OFF2', status: 'Inactive', createdAt: '2021-06-01T00:00:00.000Z' },
    ]);
  });

  it('gives a user the policies of its groups, URL-decoded with their conditions', async () => {
    const out = await collectIam(scopeFor(fake, SEC));
    const sendNotify = {
      statements: [
        {
          effect: 'Allow',
          action: ['ses:SendEmail', 'ses:SendRawEmail'],
          resource: [`arn:aws:ses:us-east-1:${SEC}:identity/notify.example.com`],
          condition: { StringEquals: { 'ses:FromAddress': ['noreply@notify.example.com'] }, IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } },
        },
      ],
    };
    const groupAt = { source: 'aws', arn: `arn:aws:iam::${SEC}:group/senders`, account: SEC, region: 'global' };
    expect(byName(out.resources, 'aws.iam.group', 'senders').props).toEqual({
      groupName: 'senders',
      policies: [{ name: 'send-notify', kind: 'inline', definedAt: groupAt, document: sendNotify }],
    });
    expect(byName(out.resources, 'aws.iam.user', 'notify-app').props).toEqual({
      userName: 'notify-app',
      policies: [{ name: 'send-notify', kind: 'inline', definedAt: groupAt, document: sendNotify }],
      groups: ['senders'],
      accessKeys: [
        { id: 'access_key_1', status: 'Active', createdAt: '2026-10-01T00:00:00.000Z', lastUsedAt: '2026-11-22T09:00:00.000Z', lastUsedService: 'ses' },
      ],
    });
  });

  it('with --no-credential-report, reads the access keys only of users whose policies mention SES or a wildcard', async () => {
    const scenario = plantedScenario();
    const iam = scenario.accounts.find((a) => a.Id === SEC)!.iam!;
    iam.users!.push(
      {
        UserName: 'reader',
        UserPolicyList: [{ PolicyName: 's3', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
        AccessKeys: [{ AccessKeyId: 'AKIA222222222222READ', Status: 'Active', CreateDate: '2020-01-01T00:00:00Z' }],
      },
      {
        UserName: 'admin',
        UserPolicyList: [{ PolicyName: 'all', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }],
        AccessKeys: [{ AccessKeyId: 'AKIA222222222222ADMN', Status: 'Active', CreateDate: '2020-01-01T00:00:00Z' }],
      },
    );
    const own = await startFakeAws(scenario, { pageSize: 1 });
    try {
      const out = await collectIam(scopeFor(own, SEC), { credentialReport: false });
      expect(byName<Resource<'aws.iam.user'>>(out.resources, 'aws.iam.user', 'reader').props.accessKeys).toEqual([]);
      expect(byName<Resource<'aws.iam.user'>>(out.resources, 'aws.iam.user', 'admin').props.accessKeys).toEqual([
        { id: 'AKIA222222222222ADMN', status: 'Active', createdAt: '2020-01-01T00:00:00.000Z' },
      ]);
      const listed = own.calls.filter((c) => c.operation === 'ListAccessKeys').length;
      const lastUsed = own.calls.filter((c) => c.operation === 'GetAccessKeyLastUsed').length;
      expect({ listed, lastUsed }).toEqual({ listed: 2, lastUsed: 2 });
      // 2 groups/roles/users… one entry per page: every entry was fetched (senders, SesguardAudit, 3 users, ReadOnlyAccess).
      expect(own.calls.filter((c) => c.operation === 'GetAccountAuthorizationDetails')).toHaveLength(6);
    } finally {
      await own.close();
    }
  });
});

describe('iam keys from the credential report', () => {
  const HOUR = 3_600_000;
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const REPORT_CALLS = ['GetCredentialReport', 'GenerateCredentialReport', 'ListAccessKeys', 'GetAccessKeyLastUsed'];

  /** collectIam for the security account of a scenario changed by `change`, with the scan's clock at the real now. */
  async function collectSec(change: (iam: IamScenario) => void, reportPollMs: number[] = [0, 0, 0]) {
    const scenario = plantedScenario();
    change(scenario.accounts.find((a) => a.Id === SEC)!.iam!);
    const own = await startFakeAws(scenario, { pageSize: 1 });
    try {
      const scope = staticScope({
        endpoint: own.endpoint,
        accountId: SEC,
        credentials: { accessKeyId: `ASIA${SEC}TEST`, secretAccessKey: 's', sessionToken: 't' },
        now: new Date().toISOString(),
      });
      const out = await collectIam(scope, { reportPollMs });
      scope.destroy();
      const calls = own.calls.filter((c) => REPORT_CALLS.includes(c.operation)).map((c) => `${c.operation} ${c.status}`);
      const keys = (name: string) => byName<Resource<'aws.iam.user'>>(out.resources, 'aws.iam.user', name).props.accessKeys;
      return { out, calls, keys };
    } finally {
      await own.close();
    }
  }

  const user = (UserName: string, AccessKeys: AccessKeyScenario[], CreateDate = '2025-01-01T00:00:00Z') => ({
    UserName,
    CreateDate,
    UserPolicyList: [{ PolicyName: 's3', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } }],
    AccessKeys,
  });

  it('gives every user its keys — two keys, a never used one, an inactive one, none — and skips the root row', async () => {
    const { out, calls, keys } = await collectSec((iam) => {
      iam.users!.push(
        user('two-keys', [
          { AccessKeyId: 'AKIA2222222222220001', Status: 'Active', CreateDate: '2025-02-01T00:00:00Z', LastUsedDate: '2026-11-01T10:00:00Z', LastUsedServiceName: 's3', LastUsedRegion: 'eu-west-1' },
          { AccessKeyId: 'AKIA2222222222220002', Status: 'Active', CreateDate: '2026-11-30T00:00:00Z' },
        ]),
        user('inactive-key', [{ AccessKeyId: 'AKIA2222222222220003', Status: 'Inactive', CreateDate: '2024-03-01T00:00:00Z' }]),
        user('no-keys', []),
      );
    });
    expect(out.errors).toEqual([]);
    expect(out.resources.filter((r) => r.type === 'aws.iam.user').map((r) => r.name)).toEqual(['notify-app', 'two-keys', 'inactive-key', 'no-keys']);
    expect(keys('two-keys')).toEqual([
      { id: 'access_key_1', status: 'Active', createdAt: '2025-02-01T00:00:00.000Z', lastUsedAt: '2026-11-01T10:00:00.000Z', lastUsedService: 's3' },
      { id: 'access_key_2', status: 'Active', createdAt: '2026-11-30T00:00:00.000Z' },
    ]);
    expect(keys('inactive-key')).toEqual([{ id: 'access_key_1', status: 'Inactive', createdAt: '2024-03-01T00:00:00.000Z' }]);
    expect(keys('no-keys')).toEqual([]);
    // No report yet: one look, one generation (complete at once), one download.
    expect(calls).toEqual(['GetCredentialReport 410', 'GenerateCredentialReport 200', 'GetCredentialReport 200']);
  });

  it.each([
    ['a fresh report is used as it is', { GeneratedTime: ago(HOUR) }, ['GetCredentialReport 200']],
    [
      'an expired report is generated again',
      { GeneratedTime: ago(5 * HOUR) },
      ['GetCredentialReport 410', 'GenerateCredentialReport 200', 'GetCredentialReport 200'],
    ],
    [
      'a generation in progress is polled until ready',
      { pollsUntilReady: 2 },
      ['GetCredentialReport 410', 'GenerateCredentialReport 200', 'GetCredentialReport 404', 'GetCredentialReport 404', 'GetCredentialReport 200'],
    ],
  ])('%s', async (_what, report, expected) => {
    const { calls, keys } = await collectSec((iam) => {
      iam.credentialReport = report;
      iam.users!.forEach((u) => (u.CreateDate = '2025-01-01T00:00:00Z'));
    });
    expect(calls).toEqual(expected);
    expect(keys('notify-app')).toEqual([
      { id: 'access_key_1', status: 'Active', createdAt: '2026-10-01T00:00:00.000Z', lastUsedAt: '2026-11-22T09:00:00.000Z', lastUsedService: 'ses' },
    ]);
  });

  it('a generation that outlasts the polls leaves every user\'s keys not assessed, naming the call', async () => {
    const { calls, keys } = await collectSec((iam) => (iam.credentialReport = { pollsUntilReady: 10 }), [0, 0]);
    expect(calls).toEqual(['GetCredentialReport 410', 'GenerateCredentialReport 200', 'GetCredentialReport 404', 'GetCredentialReport 404']);
    expect(isUnknown(keys('notify-app'))).toBe(true);
    expect((keys('notify-app') as unknown as { $unknown: string }).$unknown).toMatch(/^iam:GetCredentialReport failed: ReportInProgress: the credential report was still not ready 0 s after iam:GenerateCredentialReport/);
  });

  it('a user created after the report is not assessed; the others are', async () => {
    const { keys } = await collectSec((iam) => {
      iam.credentialReport = { GeneratedTime: ago(HOUR) };
      iam.users!.forEach((u) => (u.CreateDate = '2025-01-01T00:00:00Z'));
      iam.users!.push(user('brand-new', [{ AccessKeyId: 'AKIA2222222222220009', Status: 'Active', CreateDate: ago(HOUR / 2) }], ago(HOUR / 2)));
    });
    expect(keys('notify-app')).toHaveLength(1);
    expect((keys('brand-new') as unknown as { $unknown: string }).$unknown).toMatch(
      new RegExp(`^arn:aws:iam::${SEC}:user/brand-new is not in the credential report generated at `),
    );
  });

  it('makes the same calls for 2 users or 40: none per user', async () => {
    const many = await collectSec((iam) => {
      for (let i = 0; i < 38; i++) iam.users!.push(user(`u${i}`, [{ AccessKeyId: `AKIA22222222222${String(i).padStart(5, '0')}`, Status: 'Active', CreateDate: '2025-01-01T00:00:00Z' }]));
    });
    const few = await collectSec(() => undefined);
    expect(many.calls).toEqual(few.calls);
    expect(many.keys('u37')).toEqual([{ id: 'access_key_1', status: 'Active', createdAt: '2025-01-01T00:00:00.000Z' }]);
  });
});

describe('credential report parsing', () => {
  const HEADER =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
    'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
    'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
    'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const row = (user: string, key1: string) =>
    `${user},arn:aws:iam::222222222222:user/${user},2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,${key1},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;

  it.each([
    ['an active key never used', row('a', 'true,2025-02-01T00:00:00+00:00,N/A,N/A,N/A'), [{ id: 'access_key_1', status: 'Active', createdAt: '2025-02-01T00:00:00.000Z' }]],
    ['no key (inactive, no date)', row('a', 'false,N/A,N/A,N/A,N/A'), []],
    [
      'a quoted user name with a comma',
      '"a,b","arn:aws:iam::222222222222:user/a,b",2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      'arn:aws:iam::222222222222:user/a,b',
    ],
  ])('%s', (_what, line, expected) => {
    const parsed = parseCredentialReport(`${HEADER}\r\n${line}\r\n`, '2026-11-30T00:00:00.000Z');
    if (!parsed.ok) throw new Error(parsed.reason);
    if (typeof expected === 'string') expect([...parsed.report.users.keys()]).toEqual([expected]);
    else expect([...parsed.report.users.values()]).toEqual([expected]);
  });

  it('an active key without a creation date has an Unknown one', () => {
    const parsed = parseCredentialReport(`${HEADER}\n${row('a', 'true,N/A,N/A,N/A,N/A')}`, '2026-11-30T00:00:00.000Z');
    if (!parsed.ok) throw new Error(parsed.reason);
    const [keys] = [...parsed.report.users.values()] as { createdAt: unknown }[][];
    expect(isUnknown(keys[0].createdAt)).toBe(true);
  });

  it('a row with a wrong number of fields is unreadable, the rest is read', () => {
    const parsed = parseCredentialReport(`${HEADER}\n${row('a', 'true,N/A')}\n${row('b', 'false,N/A,N/A,N/A,N/A')}`, '2026-11-30T00:00:00.000Z');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect([...parsed.report.users.entries()]).toEqual([
      ['arn:aws:iam::222222222222:user/a', { unreadable: 'row 2 of the credential report has 19 fields, not 22' }],
      ['arn:aws:iam::222222222222:user/b', []],
    ]);
  });

  it('a report without the key columns is refused, naming them', () => {
    expect(parseCredentialReport('user,arn\na,arn:aws:iam::1:user/a\n', '2026-11-30T00:00:00.000Z')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^iam:GetCredentialReport returned a report without the columns access_key_1_active, /),
    });
  });
});

describe('ses', () => {
  it('builds the account, identities with policies, notifications and the default configuration set', async () => {
    const scope = scopeFor(fake, MAIL);
    const alarms = (await collectCloudWatch(scope, 'us-east-1')).alarms;
    const out = await collectSes(scope, { region: 'us-east-1', alarms });
    expect(out.errors).toEqual([]);
    expect(out.resources.map((r) => `${r.type} ${r.name}`)).toEqual([
      'aws.ses.identity offers.example.net',
      'aws.ses.identity news@example.net',
      'aws.ses.identity promo@example.org',
      'aws.ses.identity pending.example.org',
      'aws.ses.configuration-set marketing',
      `aws.ses.account ${MAIL}/us-east-1`,
    ]);
    const marketing = {
      configurationSetName: 'marketing',
      reputationMetricsEnabled: false,
      tlsPolicy: 'OPTIONAL',
      sendingEnabled: true,
      eventDestinations: [{ name: 'opens', enabled: true, matchingEventTypes: ['OPEN', 'CLICK'], targets: ['cloudwatch'] }],
    };
    expect(byName(out.resources, 'aws.ses.identity', 'offers.example.net')).toEqual({
      type: 'aws.ses.identity',
      id: `arn:aws:ses:us-east-1:${MAIL}:identity/offers.example.net`,
      name: 'offers.example.net',
      provenance: { source: 'aws', arn: `arn:aws:ses:us-east-1:${MAIL}:identity/offers.example.net`, account: MAIL, region: 'us-east-1' },
      props: {
        identity: 'offers.example.net',
        kind: 'domain',
        verified: true,
        dkim: { signingEnabled: true, status: 'SUCCESS' },
        mailFrom: {},
        notifications: {
          forwardingEnabled: false,
          bounceTopic: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`,
          complaintTopic: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted`,
        },
        policies: [
          {
            name: 'a-partner-private',
            document: {
              statements: [
                {
                  effect: 'Allow',
                  action: ['ses:SendRawEmail'],
                  resource: [`arn:aws:ses:us-east-1:${MAIL}:identity/offers.example.net`],
                  principal: principal([`arn:aws:iam::${SEC}:root`]),
                },
              ],
            },
          },
          {
            name: 'z-legacy-public',
            document: {
              statements: [
                {
                  effect: 'Allow',
                  action: ['ses:SendEmail', 'ses:SendRawEmail'],
                  resource: [`arn:aws:ses:us-east-1:${MAIL}:identity/offers.example.net`],
                  principal: principal(['*'], true),
                },
              ],
            },
          },
        ],
        configurationSetName: 'marketing',
        configurationSet: marketing,
      },
    });
    expect(byName(out.resources, 'aws.ses.identity', 'news@example.net').props).toEqual({
      identity: 'news@example.net',
      kind: 'email',
      verified: true,
      dkim: { signingEnabled: false, status: 'NOT_STARTED' },
      mailFrom: {},
      notifications: { forwardingEnabled: true },
      policies: [],
    });
    expect(byName(out.resources, 'aws.ses.identity', 'pending.example.org').props).toMatchObject({ verified: false, dkim: { signingEnabled: true, status: 'PENDING' } });
    expect(byName(out.resources, 'aws.ses.configuration-set', 'marketing').props).toEqual(marketing);
    expect(byName(out.resources, 'aws.ses.account', `${MAIL}/us-east-1`).props).toEqual({
      account: MAIL,
      region: 'us-east-1',
      productionAccessEnabled: true,
      enforcementStatus: 'HEALTHY',
      sendingEnabled: true,
      max24HourSend: 100000,
      sentLast24Hours: 91000,
      suppressedReasons: ['BOUNCE'],
      verifiedIdentityCount: 3,
      alarms,
    });
  });

  it('resolves MAIL FROM, SNS event destinations and the sandbox defaults of the well-configured account', async () => {
    const out = await collectSes(scopeFor(fake, SEC), { region: 'us-east-1', alarms: [] });
    expect(byName(out.resources, 'aws.ses.identity', 'notify.example.com').props).toMatchObject({
      mailFrom: { domain: 'bounce.notify.example.com', status: 'SUCCESS' },
      configurationSet: {
        configurationSetName: 'transactional',
        reputationMetricsEnabled: true,
        tlsPolicy: 'REQUIRE',
        sendingEnabled: true,
        eventDestinations: [
          {
            name: 'feedback',
            enabled: true,
            matchingEventTypes: ['BOUNCE', 'COMPLAINT', 'REJECT'],
            targets: ['sns'],
            snsTopicArn: `arn:aws:sns:us-east-1:${SEC}:ses-feedback`,
          },
        ],
      },
    });
    const sandbox = await collectSes(scopeFor(fake, SEC), { region: 'eu-west-1', alarms: [] });
    expect(sandbox.resources).toHaveLength(1);
    expect(sandbox.resources[0].props).toEqual({
      account: SEC,
      region: 'eu-west-1',
      productionAccessEnabled: false,
      enforcementStatus: 'HEALTHY',
      sendingEnabled: true,
      max24HourSend: 200,
      sentLast24Hours: 0,
      suppressedReasons: [],
      verifiedIdentityCount: 0,
      alarms: [],
    });
  });

  it('links address identities to their parent domain and asks for notifications in batches of at most 100, spaced', async () => {
    const scenario = plantedScenario();
    const region = scenario.accounts.find((a) => a.Id === DEV)!.regions!['us-east-1']!;
    region.ses!.identities!.push(
      { IdentityName: 'alerts@mail.dev.example.com', IdentityType: 'EMAIL_ADDRESS' },
      ...Array.from({ length: 203 }, (_, i) => ({ IdentityName: `user${i}@elsewhere.example.org`, IdentityType: 'EMAIL_ADDRESS' as const })),
    );
    const own = await startFakeAws(scenario, { pageSize: 50 });
    try {
      const scope = scopeFor(own, DEV);
      const out = await collectSes(scope, { region: 'us-east-1', alarms: [], notificationIntervalMs: 150 });
      expect(out.errors).toEqual([]);
      expect(out.resources.filter((r) => r.type === 'aws.ses.identity')).toHaveLength(205);
      expect(byName(out.resources, 'aws.ses.identity', 'alerts@mail.dev.example.com').props).toMatchObject({
        kind: 'email',
        parentDomain: { identity: 'dev.example.com', dkimSigningEnabled: true, dkimStatus: 'SUCCESS' },
        notifications: { forwardingEnabled: true },
      });
      expect(byName(out.resources, 'aws.ses.identity', 'user7@elsewhere.example.org').props).not.toHaveProperty('parentDomain');
      expect(own.calls.filter((c) => c.operation === 'GetIdentityNotificationAttributes').map((c) => c.status)).toEqual([200, 200, 200]);
      const starts = scope.limited.filter((c) => c.service === 'ses').map((c) => c.at);
      expect(starts).toHaveLength(3);
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(150);
      expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(150);
      // 205 identities in pages of 50: five pages.
      expect(own.calls.filter((c) => c.operation === 'ListEmailIdentities')).toHaveLength(5);
    } finally {
      await own.close();
    }
  });
});

describe('sns', () => {
  it('collects every topic SES uses, in its own region, with confirmation state', async () => {
    const scope = scopeFor(fake, MAIL);
    const ses = await collectSes(scope, { region: 'us-east-1', alarms: [] });
    const topics = sesTopicArns(ses.resources);
    expect(topics).toEqual([`arn:aws:sns:us-east-1:${MAIL}:ses-feedback`, `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted`]);
    const out = await collectSnsTopics(scope, topics);
    expect(out.errors).toEqual([]);
    expect(out.resources).toEqual([
      {
        type: 'aws.sns.topic',
        id: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`,
        name: 'ses-feedback',
        provenance: { source: 'aws', arn: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`, account: MAIL, region: 'us-east-1' },
        props: {
          topicArn: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`,
          exists: true,
          subscriptions: [{ protocol: 'email', endpoint: 'mail-team@example.net', confirmed: false }],
        },
      },
      {
        type: 'aws.sns.topic',
        id: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted`,
        name: 'ses-feedback-deleted',
        provenance: { source: 'aws', arn: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted`, account: MAIL, region: 'us-east-1' },
        props: { topicArn: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted`, exists: false, subscriptions: [] },
      },
    ]);
  });

  it('finds event-destination topics and confirmed subscriptions', async () => {
    const scope = scopeFor(fake, SEC);
    const ses = await collectSes(scope, { region: 'us-east-1', alarms: [] });
    const out = await collectSnsTopics(scope, sesTopicArns(ses.resources));
    expect(out.resources.map((r) => r.props)).toEqual([
      {
        topicArn: `arn:aws:sns:us-east-1:${SEC}:ses-feedback`,
        exists: true,
        subscriptions: [{ protocol: 'https', endpoint: 'https://hooks.example.com/ses', confirmed: true }],
      },
    ]);
  });
});

describe('ec2', () => {
  it('tells attached from unattached groups and keeps one egress rule per destination', async () => {
    const out = await collectEc2(scopeFor(fake, MAIL), 'us-east-1');
    expect(out.errors).toEqual([]);
    const groups = out.resources.filter((r) => r.type === 'aws.ec2.security-group').map((r) => [r.id, r.props]);
    expect(groups).toEqual([
      [
        `arn:aws:ec2:us-east-1:${MAIL}:security-group/sg-0attached25`,
        { groupName: 'mailer-open-25', groupId: 'sg-0attached25', vpcId: 'vpc-0b2', egress: [{ protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' }], attached: true },
      ],
      [
        `arn:aws:ec2:us-east-1:${MAIL}:security-group/sg-0unattached25`,
        { groupName: 'old-mailer-open-25', groupId: 'sg-0unattached25', vpcId: 'vpc-0b2', egress: [{ protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' }], attached: false },
      ],
      [
        `arn:aws:ec2:us-east-1:${MAIL}:security-group/sg-0submission`,
        { groupName: 'submission', groupId: 'sg-0submission', vpcId: 'vpc-0b2', egress: [{ protocol: 'tcp', fromPort: 587, toPort: 587, cidrIpv6: '::/0' }], attached: true },
      ],
    ]);
    expect(byName(out.resources, 'aws.ec2.network-acl', 'acl-0mail').props).toEqual({
      networkAclId: 'acl-0mail',
      entries: [
        { ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
        { ruleNumber: 32767, egress: true, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
      ],
      isDefault: true,
    });
    // Three groups and two interfaces in pages of one.
    expect(callsOf('ec2', 'DescribeSecurityGroups', MAIL).length).toBeGreaterThanOrEqual(3);
    // The interfaces are kept too (context for `sesguard trail --snapshot`; no check reads them).
    expect(out.resources.filter((r) => r.type === 'aws.ec2.network-interface').map((r) => (r.props as { securityGroups: unknown }).securityGroups)).toHaveLength(2);
  });

  it('names the workload behind an interface: instance, Lambda function (shared interfaces too), AWS-managed types', () => {
    const base = { NetworkInterfaceId: 'eni-0a', Groups: [{ GroupId: 'sg-1', GroupName: 'app' }] };
    expect(networkInterfaceProps({ ...base, InterfaceType: 'interface', Attachment: { InstanceId: 'i-0abc' }, PrivateIpAddress: '10.0.0.5', PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.5' }, { PrivateIpAddress: '10.0.0.6' }] })).toEqual({
      networkInterfaceId: 'eni-0a', interfaceType: 'interface', instanceId: 'i-0abc', securityGroups: [{ groupId: 'sg-1', groupName: 'app' }], privateIpAddresses: ['10.0.0.5', '10.0.0.6'], ipv6Addresses: [],
    });
    // Older per-function interfaces end in a UUID; shared (Hyperplane) ones carry the function name only.
    expect(networkInterfaceProps({ ...base, InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-orders-api-0b7d1c2e-3f4a-4b5c-8d6e-7f8091a2b3c4' }).lambdaFunction).toBe('orders-api');
    expect(networkInterfaceProps({ ...base, InterfaceType: 'lambda', Description: 'AWS Lambda VPC ENI-newsletter-worker' }).lambdaFunction).toBe('newsletter-worker');
    expect(networkInterfaceProps({ ...base, InterfaceType: 'natGateway', Description: 'Interface for NAT Gateway nat-0123', RequesterManaged: true })).toMatchObject({ interfaceType: 'natGateway', requesterManaged: true });
    expect(networkInterfaceProps({ ...base, InterfaceType: 'natGateway', Description: 'Interface for NAT Gateway nat-0123' }).lambdaFunction).toBeUndefined();
  });

  it('splits a permission with several destinations and keeps all-protocol rules as -1', async () => {
    const scenario = plantedScenario();
    const ec2 = scenario.accounts.find((a) => a.Id === SEC)!.regions!['us-east-1']!.ec2!;
    ec2.securityGroups!.push({
      GroupId: 'sg-0mixed',
      GroupName: 'mixed',
      VpcId: 'vpc-0a1',
      IpPermissionsEgress: [
        {
          IpProtocol: '-1',
          IpRanges: [{ CidrIp: '10.0.0.0/8' }],
          Ipv6Ranges: [{ CidrIpv6: '::/0' }],
          UserIdGroupPairs: [{ GroupId: 'sg-0secweb' }],
          PrefixListIds: [{ PrefixListId: 'pl-0s3' }],
        },
      ],
    });
    const own = await startFakeAws(scenario, { pageSize: 1 });
    try {
      const out = await collectEc2(scopeFor(own, SEC), 'us-east-1');
      expect(byName(out.resources, 'aws.ec2.security-group', 'mixed').props).toEqual({
        groupName: 'mixed',
        groupId: 'sg-0mixed',
        vpcId: 'vpc-0a1',
        egress: [
          { protocol: '-1', cidrIpv4: '10.0.0.0/8' },
          { protocol: '-1', cidrIpv6: '::/0' },
          { protocol: '-1', destinationGroup: 'sg-0secweb' },
          { protocol: '-1', prefixListId: 'pl-0s3' },
        ],
        attached: false,
      });
      expect(byName(out.resources, 'aws.ec2.network-acl', 'acl-0sec').props).toMatchObject({
        entries: [{ ruleNumber: 90, egress: true, protocol: '6', ruleAction: 'deny', cidrBlock: '0.0.0.0/0', fromPort: 25, toPort: 25 }, { ruleNumber: 100 }, { ruleNumber: 32767 }],
      });
    } finally {
      await own.close();
    }
  });
});

describe('cloudwatch', () => {
  it('keeps the alarms on AWS/SES metrics, direct or through metric math', async () => {
    const scenario = plantedScenario();
    const cw = scenario.accounts.find((a) => a.Id === SEC)!.regions!['us-east-1']!.cloudwatch!;
    cw.alarms!.push(
      { AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Threshold: 90, ComparisonOperator: 'GreaterThanThreshold' },
      {
        AlarmName: 'bounce-math',
        Threshold: 0.05,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:222222222222:ses-alerts'],
        Metrics: [
          { Id: 'b', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate' }, Period: 300, Stat: 'Average' } },
          { Id: 'e', Expression: 'b * 1', ReturnData: true },
        ],
      },
    );
    const own = await startFakeAws(scenario, { pageSize: 1 });
    try {
      const out = await collectCloudWatch(scopeFor(own, SEC), 'us-east-1');
      expect(out.errors).toEqual([]);
      expect(out.resources.map((r) => r.name)).toEqual(['ses-bounce-rate', 'ses-complaint-rate', 'ses-send-volume', 'bounce-math']);
      expect(byName(out.resources, 'aws.cloudwatch.alarm', 'bounce-math')).toEqual({
        type: 'aws.cloudwatch.alarm',
        id: `arn:aws:cloudwatch:us-east-1:${SEC}:alarm:bounce-math`,
        name: 'bounce-math',
        provenance: { source: 'aws', arn: `arn:aws:cloudwatch:us-east-1:${SEC}:alarm:bounce-math`, account: SEC, region: 'us-east-1' },
        props: {
          alarmName: 'bounce-math',
          namespace: '',
          metricName: '',
          metrics: [{ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate' }],
          threshold: 0.05,
          comparisonOperator: 'GreaterThanThreshold',
          actionsEnabled: true,
          alarmActions: ['arn:aws:sns:us-east-1:222222222222:ses-alerts'],
        },
      });
      expect(out.alarms).toEqual(out.resources.map((r) => r.props));
      // Five alarms in pages of one: all read.
      expect(own.calls.filter((c) => c.operation === 'DescribeAlarms')).toHaveLength(5);
    } finally {
      await own.close();
    }
  });

  it('reads the misconfigured alarms of the marketing account as they are', async () => {
    const out = await collectCloudWatch(scopeFor(fake, MAIL), 'us-east-1');
    expect(out.alarms).toEqual([
      {
        alarmName: 'ses-bounce-rate',
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        metrics: [],
        threshold: 5,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        actionsEnabled: true,
        alarmActions: [`arn:aws:sns:us-east-1:${MAIL}:ses-feedback`],
      },
      {
        alarmName: 'ses-complaint-rate',
        namespace: 'AWS/SES',
        metricName: 'Reputation.ComplaintRate',
        metrics: [],
        threshold: 0.001,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        actionsEnabled: false,
        alarmActions: [],
      },
    ]);
  });
});

describe('cloudtrail', () => {
  it('emits one account resource with the union of trails seen from every region', async () => {
    const before = fake.calls.length;
    const mgmt = await collectCloudTrail(scopeFor(fake, MGMT), ['us-east-1', 'eu-west-1']);
    expect(mgmt).toEqual({
      resources: [
        {
          type: 'aws.cloudtrail.account',
          id: `arn:aws:cloudtrail::${MGMT}:trails`,
          name: MGMT,
          provenance: { source: 'aws', arn: `arn:aws:cloudtrail::${MGMT}:trails`, account: MGMT, region: 'global' },
          props: { account: MGMT, trails: [{ trailName: 'org-trail', isMultiRegionTrail: true, isLogging: true, includesManagementEvents: true }] },
        },
      ],
      errors: [],
    });
    // The multi-region trail is described in both regions but its status is read once, in its home region.
    const status = fake.calls.slice(before).filter((c) => c.operation === 'GetTrailStatus');
    expect(status.map((c) => c.region)).toEqual(['us-east-1']);

    const mail = await collectCloudTrail(scopeFor(fake, MAIL), ['us-east-1', 'eu-west-1', 'af-south-1']);
    expect(mail.resources[0].props).toEqual({
      account: MAIL,
      trails: [{ trailName: 'regional-only', isMultiRegionTrail: false, isLogging: false, includesManagementEvents: true }],
    });
    const dev = await collectCloudTrail(scopeFor(fake, DEV), ['us-east-1', 'eu-west-1']);
    expect(dev.resources[0].props).toEqual({ account: DEV, trails: [] });
  });

  it('reads management events from classic and advanced selectors', async () => {
    const scenario = plantedScenario();
    const trails = scenario.accounts.find((a) => a.Id === DEV)!.regions!['us-east-1']!;
    trails.cloudtrail = {
      trails: [
        { Name: 'data-only', IsMultiRegionTrail: true, IsLogging: true, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] },
        {
          Name: 'advanced',
          IsMultiRegionTrail: true,
          IsLogging: true,
          AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
        },
        {
          Name: 'advanced-data',
          IsMultiRegionTrail: true,
          IsLogging: true,
          AdvancedEventSelectors: [{ Name: 'data', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
        },
        { Name: 'write-only', IsMultiRegionTrail: true, IsLogging: true, EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] },
      ],
    };
    const own = await startFakeAws(scenario, { pageSize: 1 });
    try {
      const out = await collectCloudTrail(scopeFor(own, DEV), ['us-east-1']);
      expect((out.resources[0].props as { trails: unknown }).trails).toEqual([
        { trailName: 'advanced', isMultiRegionTrail: true, isLogging: true, includesManagementEvents: true },
        { trailName: 'advanced-data', isMultiRegionTrail: true, isLogging: true, includesManagementEvents: false },
        { trailName: 'data-only', isMultiRegionTrail: true, isLogging: true, includesManagementEvents: false },
        { trailName: 'write-only', isMultiRegionTrail: true, isLogging: true, includesManagementEvents: true },
      ]);
    } finally {
      await own.close();
    }
  });
});
