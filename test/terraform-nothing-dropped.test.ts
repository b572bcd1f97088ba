// Nothing dropped (issue #8 item 1, SPEC §8), Terraform plans: for every resource type the plan reader
// reads, a plan holding only that resource — everything it refers to defined elsewhere, named by a literal,
// an ARN or a value known only after apply — still yields evaluation records (pass, fail or not assessed),
// never nothing. Where a check needs the missing object, the reason names it.
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Evaluation } from '../src/engine/types.js';
import type { Resource } from '../src/inventory/types.js';
import { TERRAFORM_RESOURCE_TYPES, readTerraformPlan } from '../src/sources/terraform/index.js';

const CHECKS = loadChecks().filter((c) => c.sources.includes('T'));
const CTX = { config: celConfig(defaultConfig(), new Date('2026-11-23T00:00:00Z')), org: [] as string[] };

const PUBLIC_SEND = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' }],
});
const SEND_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }] });
const TRUST = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const OUTSIDE_POLICY = 'arn:aws:iam::444455556666:policy/mail-senders';

interface Case {
  address: string;
  after: Record<string, unknown>;
  unknown?: Record<string, unknown>;
}

/** One resource per case, in a plan of format 1.2 with no configuration (nothing to resolve references). */
function readOne(c: Case): { resources: Resource[]; evaluations: Evaluation[] } {
  const [type, name] = c.address.split('.');
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: [
      { address: c.address, mode: 'managed', type, name, change: { actions: ['create'], before: null, after: c.after, after_unknown: c.unknown ?? {} } },
    ],
  };
  const { resources } = readTerraformPlan('infra/plan.json', JSON.stringify(plan, null, 2), plan);
  return { resources, evaluations: evaluateAll(CHECKS, { resources, organizationAccounts: [] }, CTX) };
}

const CASES: Case[] = [
  { address: 'aws_iam_role.r', after: { name: 'r', assume_role_policy: TRUST, managed_policy_arns: [OUTSIDE_POLICY] } },
  { address: 'aws_iam_user.u', after: { name: 'u' } },
  { address: 'aws_iam_group.g', after: { name: 'g' } },
  { address: 'aws_iam_policy.p', after: { name: 'p', policy: SEND_ALL } },
  { address: 'aws_iam_role_policy.p', after: { name: 'p', role: 'role-from-another-stack', policy: SEND_ALL } },
  { address: 'aws_iam_user_policy.p', after: { name: 'p', user: 'ses-smtp-user.20260101', policy: SEND_ALL } },
  { address: 'aws_iam_group_policy.p', after: { name: 'p', policy: SEND_ALL }, unknown: { group: true } },
  { address: 'aws_iam_role_policy_attachment.a', after: { role: 'elsewhere', policy_arn: OUTSIDE_POLICY } },
  { address: 'aws_iam_user_policy_attachment.a', after: { user: 'elsewhere', policy_arn: 'arn:aws:iam::aws:policy/AmazonSESFullAccess' } },
  { address: 'aws_iam_group_policy_attachment.a', after: { group: 'elsewhere' }, unknown: { policy_arn: true } },
  { address: 'aws_iam_policy_attachment.a', after: { name: 'a', roles: ['x'], users: [], groups: [], policy_arn: OUTSIDE_POLICY } },
  { address: 'aws_iam_user_group_membership.m', after: { user: 'elsewhere', groups: ['admins'] } },
  { address: 'aws_iam_group_membership.m', after: { name: 'm', users: ['elsewhere'], group: 'admins' } },
  { address: 'aws_sesv2_email_identity.i', after: { email_identity: 'example.net' } },
  { address: 'aws_ses_domain_identity.i', after: { domain: 'example.net' } },
  { address: 'aws_ses_email_identity.i', after: { email: 'ops@example.net' } },
  { address: 'aws_sesv2_configuration_set.c', after: { configuration_set_name: 'c' } },
  { address: 'aws_ses_configuration_set.c', after: { name: 'c' } },
  {
    address: 'aws_sesv2_configuration_set_event_destination.d',
    after: {
      configuration_set_name: 'elsewhere',
      event_destination_name: 'feedback',
      event_destination: [{ enabled: true, matching_event_types: ['BOUNCE', 'COMPLAINT'], sns_destination: [{ topic_arn: 'arn:aws:sns:eu-west-1:111122223333:t' }] }],
    },
  },
  { address: 'aws_ses_event_destination.d', after: { name: 'feedback', configuration_set_name: 'elsewhere', enabled: true, matching_types: ['bounce'] } },
  { address: 'aws_ses_domain_dkim.d', after: { domain: 'example.net' } },
  { address: 'aws_ses_domain_mail_from.m', after: { domain: 'example.net', mail_from_domain: 'bounce.example.net' } },
  { address: 'aws_sesv2_email_identity_mail_from_attributes.m', after: { email_identity: 'example.net', mail_from_domain: 'bounce.example.net' } },
  { address: 'aws_ses_identity_policy.p', after: { identity: 'example.net', name: 'public', policy: PUBLIC_SEND } },
  { address: 'aws_sesv2_email_identity_policy.p', after: { email_identity: 'example.net', policy_name: 'public', policy: PUBLIC_SEND } },
  { address: 'aws_ses_identity_notification_topic.t', after: { identity: 'example.net', notification_type: 'Bounce', topic_arn: 'arn:aws:sns:eu-west-1:111122223333:t' } },
  { address: 'aws_security_group.g', after: { name: 'g', egress: [] } },
  { address: 'aws_default_security_group.g', after: { egress: [] }, unknown: { vpc_id: true } },
  {
    address: 'aws_security_group_rule.r',
    after: { type: 'egress', security_group_id: 'sg-0abc', protocol: 'tcp', from_port: 0, to_port: 65535, ipv6_cidr_blocks: ['::/0'] },
  },
  { address: 'aws_vpc_security_group_egress_rule.r', after: { ip_protocol: 'tcp', from_port: 25, to_port: 25, cidr_ipv4: '0.0.0.0/0' }, unknown: { security_group_id: true } },
  { address: 'aws_network_acl.n', after: { egress: [], ingress: [] }, unknown: { vpc_id: true } },
  { address: 'aws_default_network_acl.n', after: { egress: [], ingress: [] }, unknown: { default_network_acl_id: true } },
  {
    address: 'aws_network_acl_rule.r',
    after: { network_acl_id: 'acl-0abc', rule_number: 100, egress: true, protocol: '6', rule_action: 'allow', cidr_block: '0.0.0.0/0', from_port: 25, to_port: 25 },
  },
  {
    address: 'aws_cloudwatch_metric_alarm.a',
    after: { alarm_name: 'bounce', namespace: 'AWS/SES', metric_name: 'Reputation.BounceRate', threshold: 0.05, comparison_operator: 'GreaterThanThreshold', alarm_actions: [] },
  },
  { address: 'aws_cloudtrail.t', after: { name: 't' } },
];

const EVALUATED = new Set(['pass', 'fail', 'not-assessed']);

describe('every resource type the plan reader reads has a case', () => {
  it('the table covers TERRAFORM_RESOURCE_TYPES', () => {
    const covered = new Set(CASES.map((c) => c.address.split('.')[0]));
    expect(TERRAFORM_RESOURCE_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('a resource whose references are all outside the plan is still evaluated', () => {
  it.each(CASES.map((c) => [c.address, c] as const))('%s', (address, c) => {
    const { resources, evaluations } = readOne(c);
    const records = evaluations.filter((e) => EVALUATED.has(e.outcome.kind));
    expect(records.length).toBeGreaterThan(0);
    // Whatever stands for it (itself, a placeholder, a standalone policy) points at the resource.
    for (const r of resources) expect(r.provenance.logicalId).toBe(address);
  });
});

function outcomes(c: Case): [string, string, string?][] {
  return readOne(c).evaluations.map((e) => [
    e.checkId,
    e.outcome.kind,
    ...(e.outcome.kind === 'not-assessed' ? [e.outcome.reason] : []),
  ] as [string, string, string?]);
}

describe('what the issue reported silent is now judged', () => {
  it.each([
    ['a literal domain', { identity: 'example.net' }, {}],
    ['an identity ARN', { identity: 'arn:aws:ses:eu-west-1:444455556666:identity/example.net' }, {}],
    ['a value known after apply', {}, { identity: true }],
  ])('SESG-SES-001 fails a public sending-authorization policy on %s', (_, identity, unknownMarks) => {
    const result = outcomes({ address: 'aws_ses_identity_policy.p', after: { name: 'public', policy: PUBLIC_SEND, ...identity }, unknown: unknownMarks });
    expect(result).toContainEqual(['SESG-SES-001', 'fail']);
  });

  it('checks that need the identity itself are not assessed, naming it', () => {
    const result = outcomes({ address: 'aws_ses_identity_policy.p', after: { identity: 'example.net', name: 'public', policy: PUBLIC_SEND } });
    expect(result).toContainEqual(['SESG-SES-006', 'not-assessed', 'verified: SES identity example.net is not defined in the plan']);
  });

  it.each(['aws_iam_user_policy', 'aws_iam_role_policy', 'aws_iam_group_policy'])('%s on a principal defined elsewhere fails SESG-IAM-001', (type) => {
    const kind = type.split('_')[2]!;
    const result = outcomes({ address: `${type}.p`, after: { name: 'p', [kind]: 'elsewhere', policy: SEND_ALL } });
    expect(result).toContainEqual(['SESG-IAM-001', 'fail']);
    expect(result).toContainEqual(['SESG-IAM-004', 'fail']);
  });

  it('an attachment of a customer managed policy from elsewhere to a user from elsewhere is not assessed, naming the policy', () => {
    const result = outcomes({ address: 'aws_iam_user_policy_attachment.a', after: { user: 'smtp', policy_arn: OUTSIDE_POLICY } });
    expect(result).toContainEqual(['SESG-IAM-001', 'not-assessed', expect.stringContaining(`customer managed policy ${OUTSIDE_POLICY} is not defined in the plan`)]);
  });

  it('a user defined elsewhere put into a group defined elsewhere: not assessed, naming the group', () => {
    const result = outcomes({ address: 'aws_iam_user_group_membership.m', after: { user: 'smtp', groups: ['admins'] } });
    expect(result).toContainEqual(['SESG-IAM-001', 'not-assessed', expect.stringContaining('the policies of group admins are not defined in the plan')]);
  });

  it('an egress rule on a security group defined elsewhere fails SESG-NET-001 and NET-002 at the rule', () => {
    const c = CASES.find((x) => x.address === 'aws_security_group_rule.r')!;
    const result = outcomes(c);
    expect(result).toContainEqual(['SESG-NET-001', 'fail']);
    expect(result).toContainEqual(['SESG-NET-002', 'fail']);
  });

  it('an event destination of a configuration set defined elsewhere: the set checks are not assessed, naming it', () => {
    const result = outcomes({ address: 'aws_ses_event_destination.d', after: { name: 'feedback', configuration_set_name: 'elsewhere', enabled: true, matching_types: ['bounce'] } });
    expect(result).toContainEqual(['SESG-SES-008', 'not-assessed', 'reputationMetricsEnabled: configuration set "elsewhere" is not defined in the plan']);
  });
});
