// Conventions test for SPEC §8 "nothing is dropped": a resource that carries data a check reads is evaluated on its
// own, and a reference that does not resolve never drops it.
//
// IaC: every source registers a row — the resource types it reads (exported by the source itself, so this test
// cannot drift from the code) and, per type, a fixture in which everything that resource refers to is missing.
// Each fixture must give its resource at least one evaluation record that is a pass, a fail or a not assessed.
//
// Live: the same promise per AWS call. Every read call the collectors make (their own table, READ_CALLS) is either a
// call that discovers the scope, a listing, or a link; with every link failing, and then with every listing
// failing, each resource the clean scan evaluated is still evaluated — or the results say, per check, that its
// account and region were not assessed because of the failed call. Nothing silently disappears.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks, type CompiledCheck } from '../src/engine/load.js';
import type { Evaluation, NotAssessed, SourceCode } from '../src/engine/types.js';
import type { Resource } from '../src/inventory/types.js';
import type { Snapshot } from '../src/inventory/snapshot.js';
import { checksForSources } from '../src/checks.js';
import { scopeNotAssessed } from '../src/run.js';
import { READ_CALLS } from '../src/sources/aws/collectors/index.js';
import { scanLive } from '../src/sources/aws/scan.js';
import { CLOUDFORMATION_RESOURCE_TYPES } from '../src/sources/cloudformation/index.js';
import { collectIac } from '../src/sources/iac.js';
import { TERRAFORM_RESOURCE_TYPES } from '../src/sources/terraform/index.js';
import { startFakeAws, type Fault } from '../src/testing/fake-aws/index.js';

const ROOT = path.join(__dirname, '..');
const NOW = new Date('2026-11-23T12:00:00Z');

const loaded = new Map<SourceCode, CompiledCheck[]>();
function checksOf(source: SourceCode): CompiledCheck[] {
  if (!loaded.has(source)) loaded.set(source, checksForSources(loadChecks(), [source]));
  return loaded.get(source)!;
}
const CHECKS_L = () => checksOf('L');

function evaluate(resources: Resource[], source: SourceCode, organizationAccounts: string[] = []): Evaluation[] {
  const checks = checksOf(source);
  return evaluateAll(checks, { resources, organizationAccounts }, { config: celConfig(defaultConfig(), NOW), org: organizationAccounts });
}

/** A record that says something: pass, fail or not assessed (not applicable says nothing about the resource). */
const says = (e: Evaluation) => e.outcome.kind !== 'not-applicable';

// ---------------------------------------------------------------------------------------------
// IaC sources

interface DanglingFixture {
  /** File under the row's fixture folder. */
  file: string;
  /** Logical id (CloudFormation) or address (Terraform) of the resource under test. */
  subject: string;
  /** What it refers to that is not in the file. */
  missing: string;
  /**
   * For a type read only to complete other resources (a composite alarm, which tells whether a metric alarm with
   * its actions off still alerts): the resource of the file it completes, evaluated with the subject's data.
   */
  completes?: { id: string; type: string };
}

interface IacRow {
  source: string;
  code: SourceCode;
  /** Every resource type the source reads, as the source exports it. */
  types: readonly string[];
  dir: string;
  fixtures: Record<string, DanglingFixture>;
  /** The resources a fixture file declares, by id and type (to check that the subject is the only one read). */
  declared(text: string): { id: string; type: string }[];
  /** The resource types named in the source's adapters: each must be in `types` (a type read but not exported fails). */
  namedInCode(): string[];
}

/** Quoted literals matching `pattern` (first group) in the given source files. */
function literals(files: string[], pattern: RegExp): string[] {
  return [...new Set(files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(pattern)].map((m) => m[1])))];
}

const CFN_DIR = path.join(ROOT, 'fixtures', 'nothing-dropped', 'cloudformation');

const CLOUDFORMATION: IacRow = {
  source: 'cloudformation',
  code: 'C',
  types: CLOUDFORMATION_RESOURCE_TYPES,
  dir: CFN_DIR,
  declared: (text) =>
    Object.entries((parse(text, { logLevel: 'silent' }) as { Resources: Record<string, { Type: string }> }).Resources).map(([id, r]) => ({ id, type: r.Type })),
  namedInCode: () =>
    literals(
      ['iam', 'ses', 'monitoring', 'network'].map((f) => path.join(ROOT, 'src', 'sources', 'cloudformation', `${f}.ts`)),
      /'(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)'/g,
    ),
  fixtures: {
    'AWS::IAM::Role': { file: 'iam-role.json', subject: 'MailerFunctionServiceRoleC4B5E1A2', missing: 'managed policies imported and by ARN (CDK output)' },
    'AWS::IAM::User': { file: 'iam-user.yaml', subject: 'NewsletterSmtpUser', missing: 'an imported group, a customer managed policy' },
    'AWS::IAM::Group': { file: 'iam-group.yaml', subject: 'MailOperators', missing: 'a managed policy ARN from a parameter without default' },
    'AWS::IAM::Policy': { file: 'iam-policy.yaml', subject: 'SendEmailPolicy', missing: 'an imported role, a user by name' },
    'AWS::IAM::ManagedPolicy': { file: 'iam-managed-policy.json', subject: 'MailSendManagedPolicy', missing: 'a role named by a parameter' },
    'AWS::IAM::RolePolicy': { file: 'iam-role-policy.yaml', subject: 'WorkerSendPolicy', missing: 'an imported role' },
    'AWS::IAM::UserPolicy': { file: 'iam-user-policy.yaml', subject: 'SmtpUserSendPolicy', missing: 'an SMTP user created elsewhere' },
    'AWS::IAM::GroupPolicy': { file: 'iam-group-policy.yaml', subject: 'OperatorsSesControl', missing: 'a group named by a parameter' },
    'AWS::IAM::UserToGroupAddition': { file: 'iam-user-to-group-addition.yaml', subject: 'AddNewsletterToSenders', missing: 'the group and the users' },
    'AWS::SES::ConfigurationSet': { file: 'ses-configuration-set.yaml', subject: 'TransactionalSet', missing: 'an imported dedicated pool, a tracking domain parameter' },
    'AWS::SES::ConfigurationSetEventDestination': { file: 'ses-event-destination.json', subject: 'FeedbackDestinationA81C3F2E', missing: 'the configuration set and the topic (CDK output)' },
    'AWS::SES::EmailIdentity': { file: 'ses-email-identity.yaml', subject: 'NoReplyAddress', missing: 'its configuration set and its parent domain identity' },
    'AWS::CloudWatch::Alarm': { file: 'cloudwatch-alarm.yaml', subject: 'SesBounceRateAlarm', missing: 'the alarm topic' },
    'AWS::CloudWatch::CompositeAlarm': {
      file: 'cloudwatch-composite-alarm.yaml',
      subject: 'SesHealthAlarm',
      missing: 'the alarm topic',
      completes: { id: 'SesBounceRateAlarm', type: 'AWS::CloudWatch::Alarm' },
    },
    'AWS::CloudTrail::Trail': { file: 'cloudtrail-trail.yaml', subject: 'OrganizationTrail', missing: 'the bucket and the key' },
    'AWS::EC2::SecurityGroup': { file: 'ec2-security-group.yaml', subject: 'MailWorkerSecurityGroup', missing: 'the VPC and the source group' },
    'AWS::EC2::SecurityGroupEgress': { file: 'ec2-security-group-egress.yaml', subject: 'RelaySmtpEgress', missing: 'the group (a literal sg-…)' },
    'AWS::EC2::NetworkAcl': { file: 'ec2-network-acl.yaml', subject: 'PrivateSubnetAcl', missing: 'the VPC' },
    'AWS::EC2::NetworkAclEntry': { file: 'ec2-network-acl-entry.yaml', subject: 'DenySmtpEgress', missing: 'the network ACL' },
  },
};

/** The resource types named in the Terraform adapters (shared by the plan and the source reader). */
const terraformTypesInCode = () =>
  literals(
    ['iam', 'ses', 'monitoring', 'network'].map((f) => path.join(ROOT, 'src', 'sources', 'terraform', `${f}.ts`)),
    /'(aws_[a-z0-9_]+)'/g,
  );

/** The Terraform fixtures: what each resource refers to is named by a literal, an ARN, or a variable with no value. */
const TERRAFORM_FIXTURES = (file: (type: string) => string): Record<string, DanglingFixture> =>
  Object.fromEntries(
    Object.entries({
    aws_iam_role: { file: 'aws_iam_role', subject: 'aws_iam_role.mailer', missing: 'a customer managed policy of another account' },
    aws_iam_user: { file: 'aws_iam_user', subject: 'aws_iam_user.smtp', missing: 'its groups and policies (none written here)' },
    aws_iam_group: { file: 'aws_iam_group', subject: 'aws_iam_group.senders', missing: 'its members' },
    aws_iam_policy: { file: 'aws_iam_policy', subject: 'aws_iam_policy.send', missing: 'any principal to attach to' },
    aws_iam_role_policy: { file: 'aws_iam_role_policy', subject: 'aws_iam_role_policy.send', missing: 'the role (another stack)' },
    aws_iam_user_policy: { file: 'aws_iam_user_policy', subject: 'aws_iam_user_policy.send', missing: 'the SMTP user (created in the console)' },
    aws_iam_group_policy: { file: 'aws_iam_group_policy', subject: 'aws_iam_group_policy.send', missing: 'the group (known after apply)' },
    aws_iam_role_policy_attachment: { file: 'aws_iam_role_policy_attachment', subject: 'aws_iam_role_policy_attachment.send', missing: 'the role and the policy' },
    aws_iam_user_policy_attachment: { file: 'aws_iam_user_policy_attachment', subject: 'aws_iam_user_policy_attachment.admin', missing: 'the user' },
    aws_iam_group_policy_attachment: { file: 'aws_iam_group_policy_attachment', subject: 'aws_iam_group_policy_attachment.send', missing: 'the group and the policy (known after apply)' },
    aws_iam_policy_attachment: { file: 'aws_iam_policy_attachment', subject: 'aws_iam_policy_attachment.send', missing: 'the role and the policy' },
    aws_iam_user_group_membership: { file: 'aws_iam_user_group_membership', subject: 'aws_iam_user_group_membership.smtp', missing: 'the user and the group' },
    aws_iam_group_membership: { file: 'aws_iam_group_membership', subject: 'aws_iam_group_membership.senders', missing: 'the users and the group' },
    aws_sesv2_email_identity: { file: 'aws_sesv2_email_identity', subject: 'aws_sesv2_email_identity.domain', missing: 'its configuration set' },
    aws_ses_domain_identity: { file: 'aws_ses_domain_identity', subject: 'aws_ses_domain_identity.domain', missing: 'its DKIM and MAIL FROM resources' },
    aws_ses_email_identity: { file: 'aws_ses_email_identity', subject: 'aws_ses_email_identity.ops', missing: 'its parent domain identity' },
    aws_sesv2_configuration_set: { file: 'aws_sesv2_configuration_set', subject: 'aws_sesv2_configuration_set.main', missing: 'its event destinations' },
    aws_ses_configuration_set: { file: 'aws_ses_configuration_set', subject: 'aws_ses_configuration_set.main', missing: 'its event destinations' },
    aws_sesv2_configuration_set_event_destination: { file: 'aws_sesv2_configuration_set_event_destination', subject: 'aws_sesv2_configuration_set_event_destination.feedback', missing: 'the configuration set' },
    aws_ses_event_destination: { file: 'aws_ses_event_destination', subject: 'aws_ses_event_destination.feedback', missing: 'the configuration set' },
    aws_ses_domain_dkim: { file: 'aws_ses_domain_dkim', subject: 'aws_ses_domain_dkim.domain', missing: 'the domain identity' },
    aws_ses_domain_mail_from: { file: 'aws_ses_domain_mail_from', subject: 'aws_ses_domain_mail_from.domain', missing: 'the domain identity' },
    aws_sesv2_email_identity_mail_from_attributes: { file: 'aws_sesv2_email_identity_mail_from_attributes', subject: 'aws_sesv2_email_identity_mail_from_attributes.domain', missing: 'the identity' },
    aws_ses_identity_policy: { file: 'aws_ses_identity_policy', subject: 'aws_ses_identity_policy.public', missing: 'the identity (an ARN)' },
    aws_sesv2_email_identity_policy: { file: 'aws_sesv2_email_identity_policy', subject: 'aws_sesv2_email_identity_policy.public', missing: 'the identity (a literal domain)' },
    aws_ses_identity_notification_topic: { file: 'aws_ses_identity_notification_topic', subject: 'aws_ses_identity_notification_topic.bounce', missing: 'the identity' },
    aws_security_group: { file: 'aws_security_group', subject: 'aws_security_group.relay', missing: 'the VPC' },
    aws_default_security_group: { file: 'aws_default_security_group', subject: 'aws_default_security_group.default', missing: 'the VPC (known after apply)' },
    aws_security_group_rule: { file: 'aws_security_group_rule', subject: 'aws_security_group_rule.smtp', missing: 'the security group (a literal sg-…)' },
    aws_vpc_security_group_egress_rule: { file: 'aws_vpc_security_group_egress_rule', subject: 'aws_vpc_security_group_egress_rule.smtp', missing: 'the security group (known after apply)' },
    aws_network_acl: { file: 'aws_network_acl', subject: 'aws_network_acl.private', missing: 'the VPC' },
    aws_default_network_acl: { file: 'aws_default_network_acl', subject: 'aws_default_network_acl.default', missing: 'the VPC default ACL (known after apply)' },
    aws_network_acl_rule: { file: 'aws_network_acl_rule', subject: 'aws_network_acl_rule.smtp', missing: 'the network ACL (a literal acl-…)' },
    aws_cloudwatch_metric_alarm: { file: 'aws_cloudwatch_metric_alarm', subject: 'aws_cloudwatch_metric_alarm.bounce', missing: 'the alarm topic (known after apply)' },
    aws_cloudwatch_composite_alarm: {
      file: 'aws_cloudwatch_composite_alarm',
      subject: 'aws_cloudwatch_composite_alarm.ses_health',
      missing: 'the alarm topic and the complaint alarm',
      completes: { id: 'aws_cloudwatch_metric_alarm.bounce', type: 'aws_cloudwatch_metric_alarm' },
    },
    aws_cloudtrail: { file: 'aws_cloudtrail', subject: 'aws_cloudtrail.main', missing: 'the bucket (known after apply)' },

    }).map(([type, f]) => [type, { ...f, file: file(type) }]),
  );

const TERRAFORM_PLAN: IacRow = {
  source: 'terraform-plan',
  code: 'T',
  types: TERRAFORM_RESOURCE_TYPES,
  dir: path.join(ROOT, 'fixtures', 'nothing-dropped', 'terraform-plan'),
  declared: (text) =>
    (JSON.parse(text) as { resource_changes: { address: string; type: string }[] }).resource_changes.map((r) => ({ id: r.address, type: r.type })),
  namedInCode: terraformTypesInCode,
  fixtures: TERRAFORM_FIXTURES((type) => `${type}.json`),
};

const TERRAFORM_SOURCE: IacRow = {
  source: 'terraform-source',
  code: 'T',
  types: TERRAFORM_RESOURCE_TYPES,
  dir: path.join(ROOT, 'fixtures', 'nothing-dropped', 'terraform-source'),
  declared: (text) => [...text.matchAll(/^resource "([a-z0-9_]+)" "([A-Za-z0-9_-]+)"/gm)].map((m) => ({ id: `${m[1]}.${m[2]}`, type: m[1]! })),
  namedInCode: terraformTypesInCode,
  // One folder per fixture: a .tf file is read with its folder (a root module).
  fixtures: TERRAFORM_FIXTURES((type) => `${type}/main.tf`),
};

/** One row per IaC source. */
const IAC_ROWS: IacRow[] = [CLOUDFORMATION, TERRAFORM_PLAN, TERRAFORM_SOURCE];

describe.each(IAC_ROWS)('$source: every resource type it reads is evaluated when what it refers to is missing', (row) => {
  it('has exactly one fixture per resource type the source reads', () => {
    expect(Object.keys(row.fixtures).sort()).toEqual([...row.types].sort());
  });

  it('reads no resource type it does not export (the adapters name only listed types)', () => {
    const named = row.namedInCode();
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((type) => !row.types.includes(type))).toEqual([]);
  });

  it('every fixture file is registered', () => {
    expect(readdirSync(row.dir).sort()).toEqual(Object.values(row.fixtures).map((f) => f.file.split('/')[0]).sort());
  });

  const cases = Object.entries(row.fixtures).map(([type, fixture]) => ({ type, ...fixture }));
  it.each(cases)('$type ($file, missing: $missing)', async ({ type, file, subject, completes }) => {
    // The subject is of the type under test, and nothing else in the file is of a type the source reads (but the
    // resource it completes, for a type read only to complete others).
    const declared = row.declared(readFileSync(path.join(row.dir, file), 'utf8'));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(declared.filter((d) => row.types.includes(d.type)).sort(byId)).toEqual([{ id: subject, type }, ...(completes ? [completes] : [])].sort(byId));

    const collection = await collectIac([path.join(row.dir, file)], ROOT);
    expect(collection.errors).toEqual([]);
    const own = collection.resources.filter((r) => r.provenance.logicalId === (completes?.id ?? subject));
    expect(own.length).toBeGreaterThan(0);
    const records = evaluate(collection.resources, row.code).filter((e) => own.some((r) => r.id === e.resourceId));
    expect(records.filter(says).map((e) => e.checkId)).not.toEqual([]);
  });
});

describe('CloudFormation: what the missing references leave decided, and what not assessed with the reason', () => {
  const outcomes = async (file: string) => {
    const collection = await collectIac([path.join(CFN_DIR, file)], ROOT);
    return Object.fromEntries(
      evaluate(collection.resources, 'C')
        .filter(says)
        .map((e) => [e.checkId, e.outcome.kind === 'not-assessed' ? `not assessed: ${e.outcome.reason}` : e.outcome.kind]),
    );
  };

  it.each([
    // A document is enough for the IAM checks, whoever it is attached to.
    ['iam-policy.yaml', { 'SESG-IAM-001': 'fail', 'SESG-IAM-002': 'fail', 'SESG-IAM-003': 'fail', 'SESG-IAM-004': 'pass' }],
    ['iam-role-policy.yaml', { 'SESG-IAM-001': 'fail', 'SESG-IAM-002': 'fail', 'SESG-IAM-003': 'fail', 'SESG-IAM-004': 'pass' }],
    ['iam-group-policy.yaml', { 'SESG-IAM-001': 'pass', 'SESG-IAM-002': 'pass', 'SESG-IAM-003': 'pass', 'SESG-IAM-004': 'fail' }],
    // A rule alone decides NET-001/002: TCP 0-65535 to ::/0.
    ['ec2-security-group-egress.yaml', { 'SESG-NET-001': 'fail', 'SESG-NET-002': 'fail' }],
    ['ec2-security-group.yaml', { 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'fail' }],
    ['ec2-network-acl.yaml', { 'SESG-NET-003': 'pass' }],
    ['cloudwatch-alarm.yaml', { 'SESG-MON-004': 'pass' }],
    // The alarm's actions are off: it alerts through the composite alarm, whose own topic is imported.
    ['cloudwatch-composite-alarm.yaml', { 'SESG-MON-004': 'pass' }],
    ['cloudtrail-trail.yaml', { 'SESG-MON-005': 'pass' }],
  ])('%s', async (file, expected) => {
    expect(await outcomes(file)).toEqual(expected);
  });

  it.each([
    ['ec2-network-acl-entry.yaml', 'SESG-NET-003', 'the network ACL is not defined in this template: imported from another stack (network-PrivateNetworkAclId)'],
    ['ses-event-destination.json', 'SESG-SES-008', 'reputationMetricsEnabled: the configuration set is not defined in this template: imported from another stack (MailPlatform:ExportsOutputRefTransactionalSetName)'],
    ['ses-email-identity.yaml', 'SESG-SES-004', 'default configuration set: configuration set platform-transactional is not defined in this template'],
    ['iam-user-to-group-addition.yaml', 'SESG-IAM-001', 'group ses-senders is not defined in this template'],
  ])('%s: %s not assessed because %s', async (file, checkId, reason) => {
    expect((await outcomes(file))[checkId]).toMatch(new RegExp(`^not assessed: .*${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

// ---------------------------------------------------------------------------------------------
// Live scan

/** How each read call relates to what the collectors build. */
const CALL_ROLES: Record<string, 'scope' | 'listing' | 'link'> = {
  // Which accounts and regions are scanned: a failure there fails the account (or the run), reported as such.
  'organizations:ListAccounts': 'scope',
  'ec2:DescribeRegions': 'scope',
  'account:ListRegions': 'scope',
  // Listings: a failure leaves a resource type unbuilt in that account/region, said per check (CallError.affects).
  'iam:GetAccountAuthorizationDetails': 'listing',
  'sesv2:ListEmailIdentities': 'listing',
  'sesv2:ListConfigurationSets': 'listing',
  'ec2:DescribeSecurityGroups': 'listing',
  'ec2:DescribeNetworkAcls': 'listing',
  'cloudwatch:DescribeAlarms': 'listing',
  'cloudtrail:DescribeTrails': 'listing',
  // Links: a failure leaves a property of a listed resource Unknown; the resource stays.
  'organizations:DescribeOrganization': 'link',
  'organizations:ListRoots': 'link',
  'organizations:ListParents': 'link',
  'organizations:ListPoliciesForTarget': 'link',
  'organizations:DescribePolicy': 'link',
  'iam:GenerateCredentialReport': 'link',
  'iam:GetCredentialReport': 'link',
  'iam:ListAccessKeys': 'link',
  'iam:GetAccessKeyLastUsed': 'link',
  'sesv2:GetAccount': 'link',
  'sesv2:GetEmailIdentity': 'link',
  'sesv2:GetEmailIdentityPolicies': 'link',
  'sesv2:GetConfigurationSet': 'link',
  'sesv2:GetConfigurationSetEventDestinations': 'link',
  'ses:GetIdentityNotificationAttributes': 'link',
  'sns:GetTopicAttributes': 'link',
  'sns:ListSubscriptionsByTopic': 'link',
  'ec2:DescribeNetworkInterfaces': 'link',
  'cloudtrail:GetTrailStatus': 'link',
  'cloudtrail:GetEventSelectors': 'link',
};

const callKey = (c: { service: string; operation: string }) => `${c.service}:${c.operation}`;

describe('live scan: a failed call is a not-assessed record, never an omission', () => {
  const scenario = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'scenarios', 'org-planted.json'), 'utf8'));
  const credentials = async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'not-a-secret' });

  interface Run {
    snapshot: Snapshot;
    evaluations: Evaluation[];
    scope: NotAssessed[];
  }
  async function scan(faults: Fault[]): Promise<Run> {
    const fake = await startFakeAws(scenario, { pageSize: 2, faults });
    try {
      const snapshot = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: fake.endpoint, concurrency: 8, credentials, version: 'test' });
      return {
        snapshot,
        evaluations: evaluate(snapshot.resources, 'L', snapshot.organizationAccounts),
        scope: scopeNotAssessed(snapshot, CHECKS_L()),
      };
    } finally {
      await fake.close();
    }
  }
  const faultsFor = (role: 'listing' | 'link'): Fault[] =>
    READ_CALLS.filter((c) => CALL_ROLES[callKey(c)] === role).map((c) => ({ service: c.service, operation: c.operation, error: 'AccessDenied' }));

  let clean: Run;
  let links: Run;
  let listings: Run;
  beforeAll(async () => {
    clean = await scan([]);
    links = await scan(faultsFor('link'));
    listings = await scan(faultsFor('listing'));
  }, 120_000);

  it('every read call has a role, and every role names a real call', () => {
    expect(READ_CALLS.map(callKey).sort()).toEqual(Object.keys(CALL_ROLES).sort());
  });

  it('the clean scan evaluates every resource type a live check reads', () => {
    // IaC-only model types: a policy resource apart from its principals, one trail (live judges the account's trails).
    const iacOnly = ['aws.iam.policy', 'aws.cloudtrail.trail'];
    const types = new Set(CHECKS_L().flatMap((c) => c.resourceTypes).filter((t) => !iacOnly.includes(t)));
    const evaluated = new Set(clean.snapshot.resources.filter((r) => clean.evaluations.some((e) => e.resourceId === r.id && says(e))).map((r) => r.type));
    expect([...types].filter((t) => !evaluated.has(t))).toEqual([]);
    expect(clean.snapshot.callErrors).toEqual([]);
  });

  /** The (check, resource) pairs of the clean scan that said something, and whether the faulted run still says it. */
  function lost(run: Run): string[] {
    const byId = new Map(run.snapshot.resources.map((r) => [r.id, r]));
    const out: string[] = [];
    for (const e of clean.evaluations.filter(says)) {
      const resource = clean.snapshot.resources.find((r) => r.id === e.resourceId)!;
      if (byId.has(e.resourceId) && run.evaluations.some((f) => f.resourceId === e.resourceId && f.checkId === e.checkId && says(f))) continue;
      const { account, region } = resource.provenance;
      // A global resource (IAM, the account's trails) is covered by a not-assessed record in any region of its account.
      const scoped = run.scope.some(
        (n) => n.checkId === e.checkId && n.account === account && (n.region === undefined || n.region === region || region === 'global'),
      );
      if (!scoped) out.push(`${e.checkId} ${resource.type} ${resource.name} (${account}/${region})`);
    }
    return out;
  }

  it('with every link call failing, every resource is still listed and each of its checks still has a record', () => {
    const ids = new Set(links.snapshot.resources.map((r) => r.id));
    const affected = new Set(links.snapshot.callErrors.flatMap((c) => c.affects));
    // Only what a failed call was declared to hide may be missing (SNS topics found through notification attributes).
    const missing = clean.snapshot.resources.filter((r) => !ids.has(r.id));
    expect(missing.filter((r) => !affected.has(r.type)).map((r) => `${r.type} ${r.name}`)).toEqual([]);
    expect(lost(links)).toEqual([]);
    // The examples of issue 8: an identity whose details (and policies) cannot be read, a group whose interfaces cannot be read.
    const identities = links.evaluations.filter((e) => e.checkId === 'SESG-SES-001');
    expect(identities.length).toBeGreaterThan(0);
    expect(identities.every((e) => e.outcome.kind === 'not-assessed' && /GetEmailIdentity failed/.test(e.outcome.reason))).toBe(true);
    const groups = links.evaluations.filter((e) => e.checkId === 'SESG-NET-001');
    expect(groups.length).toBe(clean.evaluations.filter((e) => e.checkId === 'SESG-NET-001').length);
    expect(groups.every((e) => e.outcome.kind === 'not-assessed' && /DescribeNetworkInterfaces failed/.test(e.outcome.reason))).toBe(true);
  });

  it('with every listing call failing, each check of each resource is not assessed for its account and region', () => {
    expect(lost(listings)).toEqual([]);
    expect(listings.scope.length).toBeGreaterThan(0);
  });
});
