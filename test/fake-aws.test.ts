// The fake AWS answers the REAL SDK v3 clients in each service's wire protocol: every service,
// pagination through the SDK paginators, URL-encoded IAM documents, AssumeRole attribution,
// throttling retried by the SDK, fault errors with the SDK's error names, timeouts and latency.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrganizationsClient,
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPoliciesForTarget,
  paginateListRoots,
} from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import {
  IAMClient,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
} from '@aws-sdk/client-iam';
import {
  SESv2Client,
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetConfigurationSetEventDestinationsCommand,
  GetEmailIdentityCommand,
  GetEmailIdentityPoliciesCommand,
  paginateListConfigurationSets,
  paginateListEmailIdentities,
} from '@aws-sdk/client-sesv2';
import { SESClient, GetIdentityNotificationAttributesCommand } from '@aws-sdk/client-ses';
import { SNSClient, GetTopicAttributesCommand, paginateListSubscriptionsByTopic } from '@aws-sdk/client-sns';
import {
  EC2Client,
  DescribeRegionsCommand,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
} from '@aws-sdk/client-ec2';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { generateScenario, startFakeAws, type FakeAws, type FakeOptions, type Scenario } from '../src/testing/fake-aws/index.js';

const scenario = JSON.parse(readFileSync(new URL('../fixtures/scenarios/org-planted.json', import.meta.url), 'utf8')) as Scenario;
const MGMT = '111111111111';
const MAIL = '333333333333';
const SEC = '222222222222';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const CALLER: Creds = { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'caller-secret' };

function config(fake: FakeAws, region = 'us-east-1', credentials: Creds = CALLER, extra: Record<string, unknown> = {}) {
  return { endpoint: fake.endpoint, region, credentials, maxAttempts: 2, ...extra };
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

async function memberCreds(fake: FakeAws, account: string): Promise<Creds> {
  const sts = new STSClient(config(fake));
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/SesguardAudit`, RoleSessionName: 'sesguard', ExternalId: 'sesguard-ext-1' }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('fake AWS with the real SDK clients', () => {
  let fake: FakeAws;
  let mail: Creds;
  beforeAll(async () => {
    fake = await startFakeAws(scenario);
    mail = await memberCreds(fake, MAIL);
  });
  afterAll(async () => {
    await fake.close();
  });

  it('Organizations: accounts, tree and SCPs through the paginators', async () => {
    const org = new OrganizationsClient(config(fake));
    const accounts = (await all(paginateListAccounts({ client: org }, {}))).flatMap((p) => p.Accounts ?? []);
    expect(accounts.map((a) => a.Id)).toEqual([MGMT, SEC, MAIL, '444444444444']);
    expect(accounts[0].JoinedTimestamp).toEqual(new Date('2020-01-15T10:00:00Z'));
    const pages = await all(paginateListAccounts({ client: org }, {}));
    expect(pages.length).toBe(2);
    const roots = (await all(paginateListRoots({ client: org }, {}))).flatMap((p) => p.Roots ?? []);
    expect(roots.map((r) => r.Id)).toEqual(['r-pl01']);
    const ous = (await all(paginateListOrganizationalUnitsForParent({ client: org }, { ParentId: 'r-pl01' }))).flatMap((p) => p.OrganizationalUnits ?? []);
    expect(ous.map((o) => o.Name)).toEqual(['Workloads', 'Sandbox']);
    const inWorkloads = (await all(paginateListAccountsForParent({ client: org }, { ParentId: 'ou-pl01-workload' }))).flatMap((p) => p.Accounts ?? []);
    expect(inWorkloads.map((a) => a.Id)).toEqual([SEC, MAIL]);
    const parents = await org.send(new ListParentsCommand({ ChildId: MAIL }));
    expect(parents.Parents).toEqual([{ Id: 'ou-pl01-workload', Type: 'ORGANIZATIONAL_UNIT' }]);
    const scps = (await all(paginateListPoliciesForTarget({ client: org }, { TargetId: 'ou-pl01-workload', Filter: 'SERVICE_CONTROL_POLICY' }))).flatMap(
      (p) => p.Policies ?? [],
    );
    expect(scps.map((p) => p.Id)).toEqual(['p-FullAWSAccess', 'p-denyleave01']);
    const policy = await org.send(new DescribePolicyCommand({ PolicyId: 'p-denyleave01' }));
    expect(JSON.parse(policy.Policy!.Content!).Statement[0].Action).toBe('organizations:LeaveOrganization');
    const described = await org.send(new DescribeOrganizationCommand({}));
    expect(described.Organization?.MasterAccountId).toBe(MGMT);
  });

  it('Organizations refuses a member account', async () => {
    const org = new OrganizationsClient(config(fake, 'us-east-1', mail));
    expect(await errorOf(org.send(new DescribeOrganizationCommand({})).then(() => all(paginateListAccounts({ client: org }, {}))))).toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('STS: AssumeRole attributes later calls to the member account; a wrong external id is denied', async () => {
    const sts = new STSClient(config(fake, 'us-east-1', mail));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    expect(me.Account).toBe(MAIL);
    expect(me.Arn).toBe(`arn:aws:sts::${MAIL}:assumed-role/SesguardAudit/sesguard`);
    const own = await new STSClient(config(fake)).send(new GetCallerIdentityCommand({}));
    expect(own.Account).toBe(MGMT);
    const caller = new STSClient(config(fake));
    const denied = await errorOf(
      caller.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MAIL}:role/SesguardAudit`, RoleSessionName: 's', ExternalId: 'wrong' })),
    );
    expect(denied).toEqual({ name: 'AccessDenied', status: 403 });
    const noRole = await errorOf(caller.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MGMT}:role/SesguardAudit`, RoleSessionName: 's' })));
    expect(noRole.name).toBe('AccessDenied');
    const calls = fake.calls.filter((c) => c.operation === 'GetCallerIdentity');
    expect(calls.map((c) => c.account)).toContain(MAIL);
  });

  it('Account ListRegions and EC2 DescribeRegions report opt-in status', async () => {
    const account = new AccountClient(config(fake, 'us-east-1', mail));
    const regions = (await all(paginateListRegions({ client: account }, {}))).flatMap((p) => p.Regions ?? []);
    const status = Object.fromEntries(regions.map((r) => [r.RegionName, r.RegionOptStatus]));
    expect(status['us-east-1']).toBe('ENABLED_BY_DEFAULT');
    expect(status['af-south-1']).toBe('ENABLED');
    expect(status['me-south-1']).toBe('DISABLED');
    const ec2 = new EC2Client(config(fake, 'us-east-1', mail));
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    const ec2Status = Object.fromEntries((out.Regions ?? []).map((r) => [r.RegionName, r.OptInStatus]));
    expect(ec2Status['af-south-1']).toBe('opted-in');
    expect(ec2Status['us-east-1']).toBe('opt-in-not-required');
    expect(ec2Status['me-south-1']).toBe('not-opted-in');
    const enabledOnly = await ec2.send(new DescribeRegionsCommand({}));
    expect(enabledOnly.Regions?.map((r) => r.RegionName).sort()).toEqual(['af-south-1', 'eu-west-1', 'us-east-1']);
  });

  it('IAM: authorization details paginate and documents are URL-encoded; keys and last use', async () => {
    const iam = new IAMClient(config(fake, 'us-east-1', mail));
    const pages = await all(paginateGetAccountAuthorizationDetails({ client: iam }, {}));
    expect(pages.length).toBeGreaterThan(1);
    const users = pages.flatMap((p) => p.UserDetailList ?? []);
    const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
    const policies = pages.flatMap((p) => p.Policies ?? []);
    expect(users.map((u) => u.UserName)).toEqual(['ses-smtp-user.20220110']);
    const raw = users[0].UserPolicyList![0].PolicyDocument!;
    expect(raw).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(raw)).Statement[0].Action).toBe('ses:*');
    const partner = roles.find((r) => r.RoleName === 'partner-mailer')!;
    expect(JSON.parse(decodeURIComponent(partner.AssumeRolePolicyDocument!)).Statement[0].Principal.AWS).toBe('arn:aws:iam::999988887777:root');
    expect(policies.map((p) => p.Arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(policies[0].PolicyVersionList?.[0].IsDefaultVersion).toBe(true);
    expect(users[0].CreateDate).toEqual(new Date('2022-01-10T00:00:00Z'));

    const keys = (await all(paginateListAccessKeys({ client: iam }, { UserName: 'ses-smtp-user.20220110' }))).flatMap((p) => p.AccessKeyMetadata ?? []);
    expect(keys.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      ['AKIA333333333333OLD1', 'Active'],
      ['AKIA333333333333OFF2', 'Inactive'],
    ]);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIA333333333333OLD1' }));
    expect(used.AccessKeyLastUsed?.LastUsedDate).toEqual(new Date('2026-11-21T18:00:00Z'));
    const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIA333333333333OFF2' }));
    expect(never.AccessKeyLastUsed).toMatchObject({ ServiceName: 'N/A', Region: 'N/A' });
    expect(never.AccessKeyLastUsed?.LastUsedDate).toBeUndefined();
    expect((await errorOf(iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIA222222222222APP1' })))).name).toBe('AccessDenied');
  });

  it('IAM credential report: none, generation in progress, then the CSV IAM writes, over the wire', async () => {
    const planted = JSON.parse(JSON.stringify(scenario)) as Scenario;
    planted.accounts.find((a) => a.Id === MAIL)!.iam!.credentialReport = { pollsUntilReady: 1 };
    const own = await startFakeAws(planted);
    try {
      const iam = new IAMClient(config(own, 'us-east-1', await memberCreds(own, MAIL)));
      expect(await errorOf(iam.send(new GetCredentialReportCommand({})))).toEqual({ name: 'CredentialReportNotPresentException', status: 410 });
      expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
      expect(await errorOf(iam.send(new GetCredentialReportCommand({})))).toEqual({ name: 'CredentialReportNotReadyException', status: 404 });
      const report = await iam.send(new GetCredentialReportCommand({}));
      expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
      expect(report.ReportFormat).toBe('text/csv');
      expect(Date.now() - report.GeneratedTime!.getTime()).toBeLessThan(60_000);
      const [header, root, user, ...rest] = Buffer.from(report.Content!).toString('utf8').split('\n');
      expect(rest).toEqual([]);
      expect(header.split(',')).toHaveLength(22);
      expect(root).toMatch(new RegExp(`^<root_account>,arn:aws:iam::${MAIL}:root,.*,not_supported,`));
      expect(user).toBe(
        `ses-smtp-user.20220110,arn:aws:iam::${MAIL}:user/ses-smtp-user.20220110,2022-01-10T00:00:00+00:00,false,N/A,N/A,N/A,false,` +
          'true,2022-01-10T00:00:00+00:00,2026-11-21T18:00:00+00:00,us-east-1,ses,false,2021-06-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
      );
    } finally {
      await own.close();
    }
  });

  it('IAM credential report: one older than four hours is expired', async () => {
    const planted = JSON.parse(JSON.stringify(scenario)) as Scenario;
    planted.accounts.find((a) => a.Id === MAIL)!.iam!.credentialReport = { GeneratedTime: new Date(Date.now() - 5 * 3_600_000).toISOString() };
    const own = await startFakeAws(planted);
    try {
      const iam = new IAMClient(config(own, 'us-east-1', await memberCreds(own, MAIL)));
      expect(await errorOf(iam.send(new GetCredentialReportCommand({})))).toEqual({ name: 'CredentialReportExpiredException', status: 410 });
      expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
      expect((await iam.send(new GetCredentialReportCommand({}))).Content).toBeInstanceOf(Uint8Array);
    } finally {
      await own.close();
    }
  });

  it('counts the TCP connections it accepts: keep-alive reuses them', async () => {
    const own = await startFakeAws(scenario);
    try {
      const iam = new IAMClient(config(own));
      for (let i = 0; i < 5; i++) await iam.send(new GetCredentialReportCommand({})).catch(() => undefined);
      expect(own.calls).toHaveLength(5);
      expect(own.connections).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('SESv2: account, identities, policies, configuration sets and destinations', async () => {
    const ses = new SESv2Client(config(fake, 'us-east-1', mail));
    const account = await ses.send(new GetAccountCommand({}));
    expect(account).toMatchObject({ ProductionAccessEnabled: true, EnforcementStatus: 'HEALTHY', SendQuota: { SentLast24Hours: 91000 } });
    expect(account.SuppressionAttributes?.SuppressedReasons).toEqual(['BOUNCE']);
    const pages = await all(paginateListEmailIdentities({ client: ses }, {}));
    expect(pages.length).toBe(2);
    expect(pages.flatMap((p) => p.EmailIdentities ?? []).map((i) => i.IdentityName)).toEqual([
      'offers.example.net',
      'news@example.net',
      'promo@example.org',
      'pending.example.org',
    ]);
    const offers = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: 'offers.example.net' }));
    expect(Object.keys(offers.Policies ?? {})).toEqual(['a-partner-private', 'z-legacy-public']);
    expect(JSON.parse(offers.Policies!['z-legacy-public']).Statement[0].Principal).toBe('*');
    expect(offers.ConfigurationSetName).toBe('marketing');
    const news = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: 'news@example.net' }));
    expect(news.DkimAttributes?.SigningEnabled).toBe(false);
    const policies = await ses.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: 'offers.example.net' }));
    expect(Object.keys(policies.Policies ?? {})).toHaveLength(2);
    const sets = (await all(paginateListConfigurationSets({ client: ses }, {}))).flatMap((p) => p.ConfigurationSets ?? []);
    expect(sets).toEqual(['marketing']);
    const set = await ses.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'marketing' }));
    expect(set.DeliveryOptions?.TlsPolicy).toBe('OPTIONAL');
    expect(set.ReputationOptions?.ReputationMetricsEnabled).toBe(false);
    const dests = await ses.send(new GetConfigurationSetEventDestinationsCommand({ ConfigurationSetName: 'marketing' }));
    expect(dests.EventDestinations?.[0]).toMatchObject({ Name: 'opens', Enabled: true, MatchingEventTypes: ['OPEN', 'CLICK'] });
    expect(await errorOf(ses.send(new GetEmailIdentityCommand({ EmailIdentity: 'missing.example' })))).toEqual({ name: 'NotFoundException', status: 404 });
    const probation = await new SESv2Client(config(fake, 'eu-west-1', mail)).send(new GetAccountCommand({}));
    expect(probation.EnforcementStatus).toBe('PROBATION');
  });

  it('SES v1: notification attributes, at most 100 identities per call', async () => {
    const ses = new SESClient(config(fake, 'us-east-1', mail));
    const out = await ses.send(new GetIdentityNotificationAttributesCommand({ Identities: ['offers.example.net', 'news@example.net', 'unknown.example'] }));
    expect(Object.keys(out.NotificationAttributes ?? {}).sort()).toEqual(['news@example.net', 'offers.example.net']);
    expect(out.NotificationAttributes!['offers.example.net']).toMatchObject({
      BounceTopic: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`,
      ForwardingEnabled: false,
    });
    expect(out.NotificationAttributes!['news@example.net'].BounceTopic).toBeUndefined();
    expect(out.NotificationAttributes!['news@example.net'].ForwardingEnabled).toBe(true);
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}@example.net`);
    expect(await errorOf(ses.send(new GetIdentityNotificationAttributesCommand({ Identities: tooMany })))).toMatchObject({ status: 400 });
    const hundred = await ses.send(new GetIdentityNotificationAttributesCommand({ Identities: tooMany.slice(0, 100) }));
    expect(hundred.NotificationAttributes).toEqual({});
  });

  it('SNS: topic attributes and subscriptions; a missing topic is NotFound', async () => {
    const sns = new SNSClient(config(fake, 'us-east-1', mail));
    const arn = `arn:aws:sns:us-east-1:${MAIL}:ses-feedback`;
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(attrs.Attributes).toMatchObject({ TopicArn: arn, SubscriptionsConfirmed: '0', SubscriptionsPending: '1' });
    const subs = (await all(paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: arn }))).flatMap((p) => p.Subscriptions ?? []);
    expect(subs).toEqual([{ SubscriptionArn: 'PendingConfirmation', Owner: MAIL, Protocol: 'email', Endpoint: 'mail-team@example.net', TopicArn: arn }]);
    const missing = await errorOf(sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:us-east-1:${MAIL}:ses-feedback-deleted` })));
    expect(missing).toMatchObject({ name: 'NotFoundException', status: 404 });
    const secSubs = (
      await all(paginateListSubscriptionsByTopic({ client: new SNSClient(config(fake, 'us-east-1', await memberCreds(fake, SEC))) }, { TopicArn: `arn:aws:sns:us-east-1:${SEC}:ses-feedback` }))
    ).flatMap((p) => p.Subscriptions ?? []);
    expect(secSubs[0].SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:222222222222:ses-feedback:/);
  });

  it('EC2: security groups with egress, attachments, NACL entries', async () => {
    const ec2 = new EC2Client(config(fake, 'us-east-1', mail));
    const groups = (await all(paginateDescribeSecurityGroups({ client: ec2 }, {}))).flatMap((p) => p.SecurityGroups ?? []);
    expect(groups.map((g) => g.GroupId)).toEqual(['sg-0attached25', 'sg-0unattached25', 'sg-0submission']);
    expect(groups[0].IpPermissionsEgress).toEqual([
      { IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
    ]);
    expect(groups[2].IpPermissionsEgress?.[0].Ipv6Ranges).toEqual([{ CidrIpv6: '::/0' }]);
    const enis = (await all(paginateDescribeNetworkInterfaces({ client: ec2 }, {}))).flatMap((p) => p.NetworkInterfaces ?? []);
    expect(enis.flatMap((n) => n.Groups?.map((g) => g.GroupId) ?? [])).toEqual(['sg-0attached25', 'sg-0submission']);
    const filtered = (
      await all(paginateDescribeNetworkInterfaces({ client: ec2 }, { Filters: [{ Name: 'group-id', Values: ['sg-0unattached25'] }] }))
    ).flatMap((p) => p.NetworkInterfaces ?? []);
    expect(filtered).toEqual([]);
    const acls = (await all(paginateDescribeNetworkAcls({ client: ec2 }, {}))).flatMap((p) => p.NetworkAcls ?? []);
    expect(acls[0].IsDefault).toBe(true);
    expect(acls[0].Entries?.[0]).toMatchObject({ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' });
    const sec = new EC2Client(config(fake, 'us-east-1', await memberCreds(fake, SEC)));
    const secAcls = (await all(paginateDescribeNetworkAcls({ client: sec }, {}))).flatMap((p) => p.NetworkAcls ?? []);
    expect(secAcls[0].Entries?.[0].PortRange).toEqual({ From: 25, To: 25 });
  });

  it('CloudWatch: alarms including the percent mistake', async () => {
    const cw = new CloudWatchClient(config(fake, 'us-east-1', mail));
    const alarms = (await all(paginateDescribeAlarms({ client: cw }, {}))).flatMap((p) => p.MetricAlarms ?? []);
    expect(alarms.map((a) => [a.MetricName, a.Threshold, a.ActionsEnabled])).toEqual([
      ['Reputation.BounceRate', 5, true],
      ['Reputation.ComplaintRate', 0.001, false],
    ]);
    const sec = new CloudWatchClient(config(fake, 'us-east-1', await memberCreds(fake, SEC)));
    const pages = await all(paginateDescribeAlarms({ client: sec }, {}));
    expect(pages.length).toBe(2);
  });

  it('CloudTrail: trails, status, selectors and LookupEvents', async () => {
    const ct = new CloudTrailClient(config(fake, 'eu-west-1'));
    const trails = await ct.send(new DescribeTrailsCommand({}));
    expect(trails.trailList?.map((t) => [t.Name, t.HomeRegion, t.IsMultiRegionTrail])).toEqual([['org-trail', 'us-east-1', true]]);
    const status = await ct.send(new GetTrailStatusCommand({ Name: trails.trailList![0].TrailARN }));
    expect(status.IsLogging).toBe(true);
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'org-trail' }));
    expect(selectors.EventSelectors?.[0]).toMatchObject({ ReadWriteType: 'All', IncludeManagementEvents: true });
    const dev = new CloudTrailClient(config(fake, 'us-east-1', await memberCreds(fake, '444444444444')));
    expect((await dev.send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
    const mailTrails = await new CloudTrailClient(config(fake, 'us-east-1', mail)).send(new DescribeTrailsCommand({}));
    expect(mailTrails.trailList?.map((t) => t.Name)).toEqual(['regional-only']);

    const us = new CloudTrailClient(config(fake, 'us-east-1'));
    const events = (await all(paginateLookupEvents({ client: us }, {}))).flatMap((p) => p.Events ?? []);
    expect(events.map((e) => e.EventName)).toEqual(['PutAccountDetails', 'ListIdentities', 'GetSendQuota']);
    expect(events[0].EventTime).toEqual(new Date('2026-11-20T03:05:00Z'));
    expect(JSON.parse(events[0].CloudTrailEvent!).sourceIPAddress).toBe('203.0.113.7');
    const byName = (
      await all(paginateLookupEvents({ client: us }, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetSendQuota' }] }))
    ).flatMap((p) => p.Events ?? []);
    expect(byName.map((e) => e.EventId)).toEqual(['3f1c2a9e-0001-4b4e-9a7d-000000000001']);
    const windowed = (
      await all(paginateLookupEvents({ client: us }, { StartTime: new Date('2026-11-20T03:02:00Z'), EndTime: new Date('2026-11-20T04:00:00Z') }))
    ).flatMap((p) => p.Events ?? []);
    expect(windowed.map((e) => e.EventName)).toEqual(['PutAccountDetails']);
  });

  it('calls are recorded with service, operation, account and region', () => {
    const sesCall = fake.calls.find((c) => c.service === 'sesv2' && c.operation === 'GetAccount' && c.region === 'eu-west-1');
    expect(sesCall).toMatchObject({ account: MAIL, status: 200 });
    expect(fake.calls.some((c) => c.service === 'cloudwatch' && c.operation === 'DescribeAlarms')).toBe(true);
  });
});

describe('fake AWS faults', () => {
  const servers: FakeAws[] = [];
  async function start(options: FakeOptions, s: Scenario = scenario): Promise<FakeAws> {
    const f = await startFakeAws(s, options);
    servers.push(f);
    return f;
  }
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('throttling is answered with each service’s code, retried by the SDK and eventually succeeds', async () => {
    const fake = await start({ throttleRate: 0.4, seed: 1 });
    const retry = { maxAttempts: 10 };
    const iam = new IAMClient(config(fake, 'us-east-1', CALLER, retry));
    const ec2 = new EC2Client(config(fake, 'us-east-1', CALLER, retry));
    const org = new OrganizationsClient(config(fake, 'us-east-1', CALLER, retry));
    const cw = new CloudWatchClient(config(fake, 'us-east-1', CALLER, retry));
    await all(paginateGetAccountAuthorizationDetails({ client: iam }, {}));
    await ec2.send(new DescribeRegionsCommand({}));
    expect((await all(paginateListAccounts({ client: org }, {}))).flatMap((p) => p.Accounts ?? [])).toHaveLength(4);
    await all(paginateDescribeAlarms({ client: cw }, {}));
    const throttled = fake.calls.filter((c) => c.error);
    expect(throttled.length).toBeGreaterThan(0);
    const codes = new Set(throttled.map((c) => `${c.service}:${c.error}`));
    for (const code of codes) {
      expect(['iam:Throttling', 'ec2:RequestLimitExceeded', 'organizations:TooManyRequestsException', 'cloudwatch:Throttling']).toContain(code);
    }
  });

  it('throttling is deterministic for a seed', async () => {
    const run = async (seed: number) => {
      const fake = await start({ throttleRate: 0.5, seed });
      const sts = new STSClient(config(fake, 'us-east-1', CALLER, { maxAttempts: 1 }));
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) outcomes.push(await sts.send(new GetCallerIdentityCommand({})).then(() => 'ok', (e: Error) => e.name));
      return outcomes.join(',');
    };
    const a = await run(3);
    expect(await run(3)).toBe(a);
    expect(a).toMatch(/Throttling/);
    expect(a).toMatch(/ok/);
  });

  it('AccessDenied, UnknownOperation and OptInRequired surface with the names the SDK gives them', async () => {
    const fake = await start({
      faults: [
        { service: 'iam', operation: 'GetAccountAuthorizationDetails', account: MAIL, error: 'AccessDenied' },
        { service: 'sesv2', operation: 'GetAccount', region: 'eu-west-1', error: 'AccessDenied' },
        { service: 'cloudtrail', operation: 'LookupEvents', error: 'UnknownOperation' },
        { service: 'ec2', operation: 'DescribeSecurityGroups', region: 'eu-west-1', error: 'OptInRequired' },
        { service: 'cloudwatch', error: 'AccessDenied' },
        { service: 'sns', operation: 'GetTopicAttributes', error: 'AccessDenied' },
        { service: 'sns', operation: 'ListSubscriptionsByTopic', error: 'Throttling' },
      ],
    });
    const sns = new SNSClient(config(fake, 'us-east-1', CALLER, { maxAttempts: 1 }));
    expect(await errorOf(sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' })))).toEqual({
      name: 'AuthorizationErrorException',
      status: 403,
    });
    expect(await errorOf(all(paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' })))).toMatchObject({
      name: 'ThrottledException',
    });
    const mail = await memberCreds(fake, MAIL);
    expect(await errorOf(new IAMClient(config(fake, 'us-east-1', mail)).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'x' })))).toMatchObject({
      name: 'AccessDenied',
    });
    expect(await errorOf(all(paginateGetAccountAuthorizationDetails({ client: new IAMClient(config(fake, 'us-east-1', mail)) }, {})))).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    // the management account is not affected by a fault scoped to the member
    await all(paginateGetAccountAuthorizationDetails({ client: new IAMClient(config(fake)) }, {}));
    expect(await errorOf(new SESv2Client(config(fake, 'eu-west-1', mail)).send(new GetAccountCommand({})))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
    });
    await new SESv2Client(config(fake, 'us-east-1', mail)).send(new GetAccountCommand({}));
    expect(await errorOf(new CloudTrailClient(config(fake)).send(new (await import('@aws-sdk/client-cloudtrail')).LookupEventsCommand({})))).toMatchObject({
      name: 'UnknownOperationException',
    });
    expect(await errorOf(new EC2Client(config(fake, 'eu-west-1', mail)).send(new (await import('@aws-sdk/client-ec2')).DescribeSecurityGroupsCommand({})))).toEqual({
      name: 'OptInRequired',
      status: 401,
    });
    expect(await errorOf(all(paginateDescribeAlarms({ client: new CloudWatchClient(config(fake)) }, {})))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('a disabled opt-in region fails like AWS; an enabled one answers', async () => {
    const fake = await start({});
    const dev = await memberCreds(fake, '444444444444');
    expect(await errorOf(new SESv2Client(config(fake, 'af-south-1', dev)).send(new GetAccountCommand({})))).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 403,
    });
    expect(await errorOf(new EC2Client(config(fake, 'af-south-1', dev)).send(new DescribeRegionsCommand({})))).toMatchObject({ name: 'OptInRequired' });
    const mail = await memberCreds(fake, MAIL);
    const ids = (await all(paginateListEmailIdentities({ client: new SESv2Client(config(fake, 'af-south-1', mail)) }, {}))).flatMap((p) => p.EmailIdentities ?? []);
    expect(ids.map((i) => i.IdentityName)).toEqual(['ops@example.net']);
  });

  it('Timeout: the server never answers, the client’s request timeout fires', async () => {
    const fake = await start({ faults: [{ service: 'sesv2', operation: 'GetAccount', error: 'Timeout' }] });
    const ses = new SESv2Client({ ...config(fake, 'us-east-1', CALLER, { maxAttempts: 1 }), requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true } });
    const started = Date.now();
    const err = await errorOf(ses.send(new GetAccountCommand({})));
    expect(err.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(fake.calls.find((c) => c.operation === 'GetAccount')?.status).toBe(0);
  });

  it('latency is applied to every answer', async () => {
    const fake = await start({ latencyMs: 150 });
    const sts = new STSClient(config(fake));
    const started = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.calls[0].ms).toBeGreaterThanOrEqual(140);
  });

  it('serves a generated benchmark scenario', async () => {
    const generated = generateScenario({ accounts: 200, regions: 4, principalsPerAccount: 6 });
    expect(generated.accounts).toHaveLength(200);
    expect(new Set(generated.accounts.map((a) => a.Id)).size).toBe(200);
    expect(generated.accounts[5].enabledRegions).toHaveLength(4);
    const fake = await start({ pageSize: 50 }, generated);
    const org = new OrganizationsClient(config(fake));
    const accounts = (await all(paginateListAccounts({ client: org }, {}))).flatMap((p) => p.Accounts ?? []);
    expect(accounts).toHaveLength(200);
    const member = generated.accounts[13].Id;
    const out = await new STSClient(config(fake)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${member}:role/SesguardAudit`, RoleSessionName: 'b' }));
    const creds = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: 'x', sessionToken: out.Credentials!.SessionToken };
    const ids = (await all(paginateListEmailIdentities({ client: new SESv2Client(config(fake, 'ap-southeast-2', creds)) }, {}))).flatMap((p) => p.EmailIdentities ?? []);
    expect(ids).toHaveLength(3);
  });
});

describe('scenario JSON Schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const schema = JSON.parse(readFileSync(new URL('../src/testing/fake-aws/scenario.schema.json', import.meta.url), 'utf8')) as object;
  const validate = ajv.compile(schema);

  it.each([
    ['org-planted.json', scenario],
    ['generated', generateScenario({ accounts: 5, regions: 2, principalsPerAccount: 4 })],
  ])('%s validates', (_name, s) => {
    expect(validate(JSON.parse(JSON.stringify(s))), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('rejects a scenario with a misspelled field', () => {
    const broken = JSON.parse(JSON.stringify(scenario)) as Scenario & { accounts: Record<string, unknown>[] };
    broken.accounts[0].enabledRegion = ['us-east-1'];
    expect(validate(broken)).toBe(false);
  });
});
