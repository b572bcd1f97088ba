// "No silent pass" for the live-scan collectors: one failing call (AccessDenied from the fake AWS) leaves
// exactly the properties it would have filled Unknown, or — when a listing fails — reports a CallError naming
// the resource types that are missing, and everything else is collected exactly as without the fault.
// Throttling is retried by the SDK until the result is the same as a clean run.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REGIONAL_TYPES,
  collectCloudTrail,
  collectCloudWatch,
  collectEc2,
  collectEnabledRegions,
  collectIam,
  collectOrganization,
  collectSes,
  collectSnsTopics,
  sesTopicArns,
  staticScope,
} from '../src/sources/aws/collectors/index.js';
import { isUnknown, type Resource, type ResourceType } from '../src/inventory/types.js';
import type { CallError, Collected } from '../src/sources/aws/types.js';
import { startFakeAws, type FakeAws, type Fault, type Scenario } from '../src/testing/fake-aws/index.js';

const MGMT = '111111111111';
const MAIL = '333333333333';
const REGION = 'us-east-1';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;

function scopeFor(fake: FakeAws, account: string, maxAttempts?: number) {
  const credentials =
    account === MGMT
      ? { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'caller-secret' }
      : { accessKeyId: `ASIA${account}TEST`, secretAccessKey: 'member-secret', sessionToken: 'token' };
  return staticScope({ endpoint: fake.endpoint, accountId: account, credentials, maxAttempts, now: '2026-12-01T00:00:00Z' });
}

/** Everything collected for the marketing account in us-east-1, the way the orchestrator chains it. */
async function collectMail(fake: FakeAws, maxAttempts?: number, credentialReport = true): Promise<Collected> {
  const scope = scopeFor(fake, MAIL, maxAttempts);
  const cw = await collectCloudWatch(scope, REGION);
  const ses = await collectSes(scope, { region: REGION, alarms: cw.alarms, notificationIntervalMs: 0 });
  const sns = await collectSnsTopics(scope, sesTopicArns(ses.resources));
  const iam = await collectIam(scope, { credentialReport, reportPollMs: [0, 0] });
  const parts = [iam, cw, ses, sns, await collectEc2(scope, REGION), await collectCloudTrail(scope, [REGION, 'eu-west-1'])];
  scope.destroy();
  return { resources: parts.flatMap((p) => p.resources), errors: parts.flatMap((p) => p.errors) };
}

/** The same with access keys read per user (--no-credential-report). */
function collectMailPerUser(fake: FakeAws): Promise<Collected> {
  return collectMail(fake, undefined, false);
}

async function collectOrg(fake: FakeAws): Promise<Collected> {
  const scope = scopeFor(fake, MGMT);
  const out = await collectOrganization(scope);
  scope.destroy();
  return out;
}

/** `<type> <name> <path> ← <call failed: ErrorName>` for every Unknown in the props. */
function unknowns(resources: readonly Resource[]): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string, at: string) => {
    if (isUnknown(value)) {
      out.push(`${at} ${path} ← ${value.$unknown.replace(/^(\S+ failed: \w+).*$/s, '$1')}`);
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, at));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, at);
  };
  for (const r of resources) walk(r.props, '', `${r.type} ${r.name}`);
  return out;
}

function hasUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value && typeof value === 'object') return Object.values(value).some(hasUnknown);
  return false;
}

const short = (e: CallError) => ({ call: e.call, region: e.region, error: e.error.split(':')[0], affects: e.affects });

interface Case {
  name: string;
  fault: Fault;
  collect: (fake: FakeAws) => Promise<Collected>;
  unknowns?: string[];
  errors?: ReturnType<typeof short>[];
  /** Resource types that disappear because of the fault. */
  missing?: ResourceType[];
}

const ID = (name: string) => `aws.ses.identity ${name}`;
const IDENTITIES = ['offers.example.net', 'news@example.net', 'promo@example.org', 'pending.example.org'];
const ACCOUNT = `aws.ses.account ${MAIL}/${REGION}`;
const denied = (service: string, operation: string, account = MAIL, region?: string): Fault => ({
  service,
  operation,
  account,
  ...(region ? { region } : {}),
  error: 'AccessDenied',
});

const CASES: Case[] = [
  {
    name: 'ses:GetAccount',
    fault: denied('sesv2', 'GetAccount'),
    collect: collectMail,
    unknowns: ['productionAccessEnabled', 'enforcementStatus', 'sendingEnabled', 'max24HourSend', 'sentLast24Hours', 'suppressedReasons'].map(
      (p) => `${ACCOUNT} ${p} ← ses:GetAccount failed: AccessDeniedException`,
    ),
  },
  {
    name: 'ses:ListEmailIdentities',
    fault: denied('sesv2', 'ListEmailIdentities'),
    collect: collectMail,
    unknowns: [`${ACCOUNT} verifiedIdentityCount ← ses:ListEmailIdentities failed: AccessDeniedException`],
    errors: [{ call: 'ses:ListEmailIdentities', region: REGION, error: 'AccessDeniedException', affects: ['aws.ses.identity', 'aws.sns.topic'] }],
    // Without identities, their notification topics are not known either.
    missing: ['aws.ses.identity', 'aws.sns.topic'],
  },
  {
    name: 'ses:GetEmailIdentity',
    fault: denied('sesv2', 'GetEmailIdentity'),
    collect: collectMail,
    // GetEmailIdentity also answers with the sending-authorization policies: without it, they are unknown too.
    unknowns: IDENTITIES.flatMap((i) =>
      ['dkim.signingEnabled', 'dkim.status', 'mailFrom.domain', 'mailFrom.status', 'configurationSetName', 'configurationSet', 'policies[0].document'].map(
        (p) => `${ID(i)} ${p} ← ses:GetEmailIdentity failed: AccessDeniedException`,
      ),
    ),
  },
  {
    name: 'ses:GetIdentityNotificationAttributes',
    fault: denied('ses', 'GetIdentityNotificationAttributes'),
    collect: collectMail,
    unknowns: IDENTITIES.map((i) => `${ID(i)} notifications ← ses:GetIdentityNotificationAttributes failed: AccessDenied`),
    errors: [{ call: 'ses:GetIdentityNotificationAttributes', region: REGION, error: 'AccessDenied', affects: ['aws.sns.topic'] }],
    // The topics SES notifies were only known from the notification attributes.
    missing: ['aws.sns.topic'],
  },
  {
    name: 'ses:GetConfigurationSet',
    fault: denied('sesv2', 'GetConfigurationSet'),
    collect: collectMail,
    unknowns: [
      ...['reputationMetricsEnabled', 'tlsPolicy', 'sendingEnabled'].map((p) => `${ID('offers.example.net')} configurationSet.${p} ← ses:GetConfigurationSet failed: AccessDeniedException`),
      ...['reputationMetricsEnabled', 'tlsPolicy', 'sendingEnabled'].map((p) => `aws.ses.configuration-set marketing ${p} ← ses:GetConfigurationSet failed: AccessDeniedException`),
    ],
  },
  {
    name: 'ses:GetConfigurationSetEventDestinations',
    fault: denied('sesv2', 'GetConfigurationSetEventDestinations'),
    collect: collectMail,
    unknowns: [
      `${ID('offers.example.net')} configurationSet.eventDestinations ← ses:GetConfigurationSetEventDestinations failed: AccessDeniedException`,
      `aws.ses.configuration-set marketing eventDestinations ← ses:GetConfigurationSetEventDestinations failed: AccessDeniedException`,
    ],
  },
  {
    name: 'ses:ListConfigurationSets (identities still resolve their set by name)',
    fault: denied('sesv2', 'ListConfigurationSets'),
    collect: collectMail,
    errors: [{ call: 'ses:ListConfigurationSets', region: REGION, error: 'AccessDeniedException', affects: ['aws.ses.configuration-set'] }],
    missing: ['aws.ses.configuration-set'],
  },
  {
    name: 'iam:GetAccountAuthorizationDetails',
    fault: denied('iam', 'GetAccountAuthorizationDetails'),
    collect: collectMail,
    errors: [{ call: 'iam:GetAccountAuthorizationDetails', region: 'global', error: 'AccessDenied', affects: ['aws.iam.role', 'aws.iam.user', 'aws.iam.group'] }],
    missing: ['aws.iam.role', 'aws.iam.user'],
  },
  {
    name: 'iam:GetCredentialReport',
    fault: denied('iam', 'GetCredentialReport'),
    collect: collectMail,
    unknowns: ['aws.iam.user ses-smtp-user.20220110 accessKeys ← iam:GetCredentialReport failed: AccessDenied'],
  },
  {
    name: 'iam:GenerateCredentialReport (no report yet)',
    fault: denied('iam', 'GenerateCredentialReport'),
    collect: collectMail,
    unknowns: ['aws.iam.user ses-smtp-user.20220110 accessKeys ← iam:GenerateCredentialReport failed: AccessDenied'],
  },
  {
    name: 'iam:ListAccessKeys (--no-credential-report)',
    fault: denied('iam', 'ListAccessKeys'),
    collect: collectMailPerUser,
    unknowns: ['aws.iam.user ses-smtp-user.20220110 accessKeys ← iam:ListAccessKeys failed: AccessDenied'],
  },
  {
    name: 'iam:GetAccessKeyLastUsed (--no-credential-report)',
    fault: denied('iam', 'GetAccessKeyLastUsed'),
    collect: collectMailPerUser,
    unknowns: [0, 1].map((i) => `aws.iam.user ses-smtp-user.20220110 accessKeys[${i}].lastUsedAt ← iam:GetAccessKeyLastUsed failed: AccessDenied`),
  },
  {
    name: 'ec2:DescribeNetworkInterfaces',
    fault: denied('ec2', 'DescribeNetworkInterfaces'),
    collect: collectMail,
    unknowns: ['mailer-open-25', 'old-mailer-open-25', 'submission'].map(
      (g) => `aws.ec2.security-group ${g} attached ← ec2:DescribeNetworkInterfaces failed: UnauthorizedOperation`,
    ),
    // The interfaces themselves (read by no check; `trail --snapshot` says the call failed there).
    errors: [{ call: 'ec2:DescribeNetworkInterfaces', region: REGION, error: 'UnauthorizedOperation', affects: ['aws.ec2.network-interface'] }],
    missing: ['aws.ec2.network-interface'],
  },
  {
    name: 'ec2:DescribeSecurityGroups',
    fault: denied('ec2', 'DescribeSecurityGroups'),
    collect: collectMail,
    errors: [{ call: 'ec2:DescribeSecurityGroups', region: REGION, error: 'UnauthorizedOperation', affects: ['aws.ec2.security-group'] }],
    missing: ['aws.ec2.security-group'],
  },
  {
    name: 'ec2:DescribeNetworkAcls',
    fault: denied('ec2', 'DescribeNetworkAcls'),
    collect: collectMail,
    errors: [{ call: 'ec2:DescribeNetworkAcls', region: REGION, error: 'UnauthorizedOperation', affects: ['aws.ec2.network-acl'] }],
    missing: ['aws.ec2.network-acl'],
  },
  {
    name: 'cloudwatch:DescribeAlarms',
    fault: denied('cloudwatch', 'DescribeAlarms'),
    collect: collectMail,
    unknowns: [`${ACCOUNT} alarms ← cloudwatch:DescribeAlarms failed: AccessDenied`],
    errors: [{ call: 'cloudwatch:DescribeAlarms', region: REGION, error: 'AccessDenied', affects: ['aws.cloudwatch.alarm'] }],
    missing: ['aws.cloudwatch.alarm'],
  },
  {
    // The topics stay, each not assessed by name: nothing SES writes feedback to is dropped.
    name: 'sns:GetTopicAttributes',
    fault: denied('sns', 'GetTopicAttributes'),
    collect: collectMail,
    unknowns: ['ses-feedback', 'ses-feedback-deleted'].flatMap((t) =>
      ['exists', 'subscriptions'].map((p) => `aws.sns.topic ${t} ${p} ← sns:GetTopicAttributes failed: AuthorizationErrorException`),
    ),
    errors: ['ses-feedback', 'ses-feedback-deleted'].map(() => ({
      call: 'sns:GetTopicAttributes',
      region: REGION,
      error: 'AuthorizationErrorException',
      affects: [] as ResourceType[],
    })),
  },
  {
    name: 'sns:ListSubscriptionsByTopic',
    fault: denied('sns', 'ListSubscriptionsByTopic'),
    collect: collectMail,
    unknowns: ['aws.sns.topic ses-feedback subscriptions ← sns:ListSubscriptionsByTopic failed: AuthorizationErrorException'],
  },
  {
    name: 'cloudtrail:GetTrailStatus',
    fault: denied('cloudtrail', 'GetTrailStatus'),
    collect: collectMail,
    unknowns: [`aws.cloudtrail.account ${MAIL} trails[0].isLogging ← cloudtrail:GetTrailStatus failed: AccessDeniedException`],
  },
  {
    name: 'cloudtrail:GetEventSelectors',
    fault: denied('cloudtrail', 'GetEventSelectors'),
    collect: collectMail,
    unknowns: [`aws.cloudtrail.account ${MAIL} trails[0].includesManagementEvents ← cloudtrail:GetEventSelectors failed: AccessDeniedException`],
  },
  {
    name: 'cloudtrail:DescribeTrails in one region, no covering trail seen elsewhere',
    fault: denied('cloudtrail', 'DescribeTrails', MAIL, 'eu-west-1'),
    collect: collectMail,
    errors: [{ call: 'cloudtrail:DescribeTrails', region: 'eu-west-1', error: 'AccessDeniedException', affects: ['aws.cloudtrail.account'] }],
    missing: ['aws.cloudtrail.account'],
  },
  {
    name: 'cloudtrail:DescribeTrails in one region, a covering multi-region trail seen in another',
    fault: denied('cloudtrail', 'DescribeTrails', MGMT, 'eu-west-1'),
    collect: async (fake) => {
      const scope = scopeFor(fake, MGMT);
      return collectCloudTrail(scope, [REGION, 'eu-west-1']);
    },
    errors: [{ call: 'cloudtrail:DescribeTrails', region: 'eu-west-1', error: 'AccessDeniedException', affects: [] }],
  },
  {
    name: 'organizations:DescribePolicy',
    fault: denied('organizations', 'DescribePolicy', MGMT),
    collect: collectOrg,
    unknowns: [
      ...[0, 1].map((i) => `aws.organizations.account management scps[${i}].document ← organizations:DescribePolicy failed: AccessDeniedException`),
      ...['notifications', 'marketing-mail'].flatMap((a) =>
        [0, 1, 2, 3].map((i) => `aws.organizations.account ${a} scps[${i}].document ← organizations:DescribePolicy failed: AccessDeniedException`),
      ),
      ...[0, 1, 2].map((i) => `aws.organizations.account dev-sandbox scps[${i}].document ← organizations:DescribePolicy failed: AccessDeniedException`),
    ],
  },
  {
    name: 'organizations:ListParents',
    fault: denied('organizations', 'ListParents', MGMT),
    collect: collectOrg,
    unknowns: ['management', 'notifications', 'marketing-mail', 'dev-sandbox'].map(
      (a) => `aws.organizations.account ${a} scps ← organizations:ListParents failed: AccessDeniedException`,
    ),
  },
  {
    name: 'organizations:ListAccounts',
    fault: denied('organizations', 'ListAccounts', MGMT),
    collect: collectOrg,
    errors: [{ call: 'organizations:ListAccounts', region: 'global', error: 'AccessDeniedException', affects: ['aws.organizations.account'] }],
    missing: ['aws.organizations.account'],
  },
  {
    name: 'organizations:DescribeOrganization (management account read from the account ARNs)',
    fault: denied('organizations', 'DescribeOrganization', MGMT),
    collect: collectOrg,
    errors: [{ call: 'organizations:DescribeOrganization', region: 'global', error: 'AccessDeniedException', affects: [] }],
  },
];

describe('one failing call', () => {
  let clean: FakeAws;
  const baselines = new Map<(fake: FakeAws) => Promise<Collected>, Collected>();
  beforeAll(async () => {
    clean = await startFakeAws(scenario, { pageSize: 2 });
    for (const collect of [collectMail, collectMailPerUser, collectOrg]) baselines.set(collect, await collect(clean));
    baselines.set(CASES.find((c) => c.fault.account === MGMT && c.fault.service === 'cloudtrail')!.collect, {
      resources: (await collectCloudTrail(scopeFor(clean, MGMT), [REGION, 'eu-west-1'])).resources,
      errors: [],
    });
  });
  afterAll(async () => {
    await clean.close();
  });

  it('the baselines are complete: no Unknown, no error', () => {
    for (const base of baselines.values()) {
      expect(unknowns(base.resources)).toEqual([]);
      expect(base.errors).toEqual([]);
    }
  });

  it.each(CASES)('$name', async (c) => {
    const fake = await startFakeAws(scenario, { pageSize: 2, faults: [c.fault] });
    try {
      const out = await c.collect(fake);
      const base = baselines.get(c.collect)!;
      expect(unknowns(out.resources)).toEqual(c.unknowns ?? []);
      expect(out.errors.map(short)).toEqual(c.errors ?? []);
      // The fault was really hit (and the SDK did not retry an AccessDenied).
      const hit = fake.calls.filter((x) => x.service === c.fault.service && x.operation === c.fault.operation && x.status >= 400);
      expect(hit.length).toBeGreaterThan(0);
      // Everything else: the same resources, and identical props wherever no Unknown was introduced.
      const missing = new Set(c.missing ?? []);
      expect(out.resources.map((r) => r.id)).toEqual(base.resources.filter((r) => !missing.has(r.type)).map((r) => r.id));
      for (const r of out.resources) {
        if (hasUnknown(r.props)) continue;
        expect(r).toEqual(base.resources.find((b) => b.id === r.id));
      }
    } finally {
      await fake.close();
    }
  });
});

describe('organization id', () => {
  it('is read from the account ARNs when DescribeOrganization is denied', async () => {
    const fake = await startFakeAws(scenario, { faults: [denied('organizations', 'DescribeOrganization', MGMT)] });
    try {
      const scope = scopeFor(fake, MGMT);
      const out = await collectOrganization(scope);
      scope.destroy();
      expect(out.organizationId).toBe('o-plant3d0001');
    } finally {
      await fake.close();
    }
  });
});

describe('regions', () => {
  it('falls back to account:ListRegions when EC2 is denied', async () => {
    const fake = await startFakeAws(scenario, { pageSize: 1, faults: [denied('ec2', 'DescribeRegions')] });
    try {
      expect(await collectEnabledRegions(scopeFor(fake, MAIL))).toEqual({
        regions: ['af-south-1', 'eu-west-1', 'us-east-1'],
        via: 'account:ListRegions',
        errors: [],
      });
    } finally {
      await fake.close();
    }
  });

  it('reports every regional type as missing when neither call answers', async () => {
    const fake = await startFakeAws(scenario, { faults: [denied('ec2', 'DescribeRegions'), denied('account', 'ListRegions')] });
    try {
      const out = await collectEnabledRegions(scopeFor(fake, MAIL));
      expect(out.regions).toBeUndefined();
      expect(out.errors.map(short)).toEqual([
        { call: 'ec2:DescribeRegions', region: 'global', error: 'UnauthorizedOperation', affects: [] },
        { call: 'account:ListRegions', region: 'global', error: 'AccessDeniedException', affects: REGIONAL_TYPES },
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('throttling', () => {
  it('is retried by the SDK: the result equals a clean run', async () => {
    const cleanFake = await startFakeAws(scenario, { pageSize: 2 });
    const throttled = await startFakeAws(scenario, { pageSize: 2, throttleRate: 0.15, seed: 7 });
    try {
      const base = await collectMail(cleanFake);
      const out = await collectMail(throttled, 10);
      expect(throttled.calls.filter((c) => c.error === 'Throttling' || c.error?.includes('Throttl') || c.error === 'TooManyRequestsException' || c.error === 'RequestLimitExceeded').length).toBeGreaterThan(3);
      expect(out.errors).toEqual([]);
      expect(out.resources).toEqual(base.resources);
    } finally {
      await cleanFake.close();
      await throttled.close();
    }
  }, 60_000);

  it('after the retries are spent, becomes an Unknown like any other failure', async () => {
    const fake = await startFakeAws(scenario, { faults: [{ service: 'sesv2', operation: 'GetAccount', account: MAIL, error: 'Throttling' }] });
    try {
      const scope = scopeFor(fake, MAIL, 2);
      const out = await collectSes(scope, { region: REGION, alarms: [], notificationIntervalMs: 0 });
      expect(unknowns(out.resources).filter((u) => u.startsWith(ACCOUNT))).toContain(
        `${ACCOUNT} enforcementStatus ← ses:GetAccount failed: TooManyRequestsException`,
      );
      expect(fake.calls.filter((c) => c.operation === 'GetAccount')).toHaveLength(2);
    } finally {
      await fake.close();
    }
  }, 30_000);
});

describe('timeout', () => {
  it('a call that never answers becomes an Unknown after the request timeout', async () => {
    const fake = await startFakeAws(scenario, { faults: [{ service: 'sesv2', operation: 'GetAccount', account: MAIL, error: 'Timeout' }] });
    try {
      const scope = staticScope({
        endpoint: fake.endpoint,
        accountId: MAIL,
        credentials: { accessKeyId: `ASIA${MAIL}TEST`, secretAccessKey: 's', sessionToken: 't' },
        maxAttempts: 1,
        requestTimeoutMs: 300,
      });
      const out = await collectSes(scope, { region: REGION, alarms: [], notificationIntervalMs: 0 });
      const account = out.resources.find((r) => r.type === 'aws.ses.account')!;
      expect(account.props).toMatchObject({ productionAccessEnabled: { $unknown: expect.stringMatching(/^ses:GetAccount failed: TimeoutError/) } });
      // The identities of the region are still collected.
      expect(out.resources.filter((r) => r.type === 'aws.ses.identity')).toHaveLength(4);
      scope.destroy();
    } finally {
      await fake.close();
    }
  }, 20_000);
});
