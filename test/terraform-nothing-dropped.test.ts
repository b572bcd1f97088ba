// Nothing dropped (issue #8 item 1, SPEC §8), Terraform plans: what the issue found silent is judged, and where
// a check needs the object a resource refers to, the reason names it. (That every resource type the Terraform
// readers read gives a record with everything it refers to missing is the conventions test,
// test/nothing-dropped.test.ts, with its fixtures under fixtures/nothing-dropped/terraform-*.)
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Evaluation } from '../src/engine/types.js';
import type { Resource } from '../src/inventory/types.js';
import { readTerraformPlan } from '../src/sources/terraform/index.js';

const CHECKS = loadChecks().filter((c) => c.sources.includes('T'));
const CTX = { config: celConfig(defaultConfig(), new Date('2026-11-23T00:00:00Z')), org: [] as string[] };

const PUBLIC_SEND = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' }],
});
const SEND_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }] });
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
    const result = outcomes({
      address: 'aws_security_group_rule.r',
      after: { type: 'egress', security_group_id: 'sg-0abc', protocol: 'tcp', from_port: 0, to_port: 65535, ipv6_cidr_blocks: ['::/0'] },
    });
    expect(result).toContainEqual(['SESG-NET-001', 'fail']);
    expect(result).toContainEqual(['SESG-NET-002', 'fail']);
  });

  it('an event destination of a configuration set defined elsewhere: the set checks are not assessed, naming it', () => {
    const result = outcomes({ address: 'aws_ses_event_destination.d', after: { name: 'feedback', configuration_set_name: 'elsewhere', enabled: true, matching_types: ['bounce'] } });
    expect(result).toContainEqual(['SESG-SES-008', 'not-assessed', 'reputationMetricsEnabled: configuration set "elsewhere" is not defined in the plan']);
  });
});
