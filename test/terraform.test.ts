// The Terraform plan source: recognition, format versions and broken plans, every resource type with
// its defaults, linking through configuration references and literal names, unknown values, module
// addresses, positions in .tf sources and in the plan text, and `# sesguard:ignore` suppressions.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../src/errors.js';
import type { Resource, SourceResult } from '../src/inventory/types.js';
import { isTerraformPlan, readTerraformPlan } from '../src/sources/terraform/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = 'fixtures/iac/terraform';

/** Reads a fixture plan the way the CLI does: display path relative to the repo, fs-backed callbacks. */
function readFixture(relative: string): SourceResult {
  const full = path.join(ROOT, relative);
  const dir = path.dirname(full);
  const text = readFileSync(full, 'utf8');
  return readTerraformPlan(relative, text, JSON.parse(text), {
    readTextFile: (p) => {
      try {
        return readFileSync(path.resolve(dir, p), 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (p) => {
      try {
        return readdirSync(path.resolve(dir, p));
      } catch {
        return [];
      }
    },
  });
}

function byAddress(result: SourceResult, address: string): Resource {
  const found = result.resources.find((r) => r.provenance.logicalId === address);
  if (!found) throw new Error(`no resource ${address} in ${result.resources.map((r) => r.provenance.logicalId).join(', ')}`);
  return found;
}

function props(result: SourceResult, address: string): any {
  return byAddress(result, address).props;
}

/** Sub-objects without their `line` (for cases where only the values matter). */
function withoutLines<T extends { line?: number }>(items: T[]): Omit<T, 'line'>[] {
  return items.map(({ line: _line, ...rest }) => rest);
}

interface Change {
  address: string;
  after: Record<string, unknown>;
  unknown?: Record<string, unknown>;
  actions?: string[];
  expressions?: Record<string, unknown>;
}

/** A minimal plan (format 1.2) of root-module resource changes, with their configuration expressions. */
function plan(changes: Change[]): Record<string, unknown> {
  const split = (address: string) => {
    const [type, name] = address.replace(/\[.*\]$/, '').split('.');
    const key = /\[(.*)\]$/.exec(address)?.[1];
    return { type: type!, name: name!, ...(key !== undefined ? { index: JSON.parse(key) as string | number } : {}) };
  };
  return {
    format_version: '1.2',
    terraform_version: '1.7.5',
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: 'managed',
      ...split(c.address),
      change: { actions: c.actions ?? ['create'], before: null, after: c.after, after_unknown: c.unknown ?? {} },
    })),
    configuration: {
      root_module: {
        resources: changes.map((c) => {
          const { type, name } = split(c.address);
          return { address: `${type}.${name}`, mode: 'managed', type, name, expressions: c.expressions ?? {} };
        }),
      },
    },
  };
}

/** Reads an in-memory plan, with optional in-memory `.tf` files beside it (in `infra/`). */
function read(doc: Record<string, unknown>, files?: Record<string, string>): SourceResult {
  const text = JSON.stringify(doc, null, 2);
  if (!files) return readTerraformPlan('infra/plan.json', text, doc);
  return readTerraformPlan('infra/plan.json', text, doc, {
    readTextFile: (p) => files[p],
    listDir: (d) =>
      Object.keys(files)
        .filter((f) => path.posix.dirname(f) === d)
        .map((f) => path.posix.basename(f)),
  });
}

describe('recognition', () => {
  it.each([
    [{ format_version: '1.2', planned_values: {} }, true],
    [{ format_version: '1.2', resource_changes: [] }, true],
    [{ format_version: '0.1', terraform_version: '0.12.0' }, true],
    [{ format_version: '1.0', values: {} }, false], // `terraform show -json` of a state, not a plan
    [{ planned_values: {}, resource_changes: [] }, false],
    [{ AWSTemplateFormatVersion: '2010-09-09', Resources: {} }, false],
    [[], false],
    [null, false],
    ['format_version', false],
  ])('%j → %s', (value, expected) => {
    expect(isTerraformPlan(value)).toBe(expected);
  });
});

describe('format versions and broken plans', () => {
  it.each(['versions/plan-0.1.json', 'versions/plan-1.2.json'])('%s is read', (file) => {
    const result = readFixture(`${FIXTURES}/${file}`);
    expect(result.files).toEqual([{ file: `${FIXTURES}/${file}`, kind: 'terraform-plan' }]);
    expect(props(result, 'aws_cloudtrail.main')).toMatchObject({ trailName: 'main', isMultiRegionTrail: false });
  });

  it('format_version 2.0 is rejected in one line naming the file and line', () => {
    let error: unknown;
    try {
      readFixture(`${FIXTURES}/versions/plan-2.0.json`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toBe('unsupported Terraform plan format_version "2.0" (supported 0.x and 1.x)');
    expect((error as SourceError).file).toBe(`${FIXTURES}/versions/plan-2.0.json`);
    expect((error as SourceError).line).toBe(2);
  });

  it.each([
    [{ format_version: 'one', resource_changes: [] }, 'Terraform plan format_version "one" is not a version'],
    [{ format_version: 1.2, resource_changes: [] }, 'Terraform plan format_version 1.2 is not a version'],
    [{ format_version: '1.2', resource_changes: {} }, 'malformed Terraform plan: resource_changes is not a list'],
    [{ format_version: '1.2', resource_changes: [42] }, 'malformed Terraform plan: resource_changes[0] is not a resource change (address, type, name)'],
    [
      { format_version: '1.2', resource_changes: [{ address: 'a.b', type: 'a', name: 'b', change: {} }] },
      'malformed Terraform plan: resource_changes[0] (a.b) has no change.actions list',
    ],
    [{ format_version: '1.2', planned_values: [] }, 'malformed Terraform plan: planned_values is not an object'],
    [
      { format_version: '1.2', planned_values: { root_module: { resources: 'x' } } },
      'malformed Terraform plan: planned_values.root_module.resources is not a list',
    ],
    [
      { format_version: '1.2', planned_values: { root_module: { child_modules: [{ resources: [{}] }] } } },
      'malformed Terraform plan: planned_values.root_module.child_modules[0].resources[0] is not a resource (address, type, name)',
    ],
    [{ format_version: '1.2', resource_changes: [], configuration: 'x' }, 'malformed Terraform plan: configuration is not an object'],
  ])('%j → %s', (doc, message) => {
    let error: unknown;
    try {
      read(doc as Record<string, unknown>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toBe(message);
    expect((error as SourceError).file).toBe('infra/plan.json');
  });
});

describe('the bad fixture (with .tf sources and a local module)', () => {
  const result = readFixture(`${FIXTURES}/bad/plan.json`);
  const tf = `${FIXTURES}/bad/main.tf`;
  const moduleTf = `${FIXTURES}/bad/modules/mail/main.tf`;

  it('points every resource at its .tf block, module resources at the module file', () => {
    const where = (address: string) => {
      const p = byAddress(result, address).provenance;
      return [p.file, p.line];
    };
    expect(where('aws_iam_role.sender')).toEqual([tf, 21]);
    expect(where('aws_sesv2_email_identity.domain')).toEqual([tf, 49]);
    expect(where('aws_security_group.relay')).toEqual([tf, 76]);
    expect(where('aws_cloudwatch_metric_alarm.bounce')).toEqual([tf, 95]);
    expect(where('aws_cloudtrail.main')).toEqual([tf, 107]);
    expect(where('aws_network_acl.mail')).toEqual([tf, 113]);
    expect(where('module.mail.aws_sesv2_email_identity.noreply')).toEqual([moduleTf, 21]);
    expect(byAddress(result, 'aws_iam_role.sender').id).toBe(`${FIXTURES}/bad/plan.json#aws_iam_role.sender`);
  });

  it('sets the account from data.aws_caller_identity in prior_state on every resource', () => {
    expect(result.resources.length).toBeGreaterThan(0);
    for (const r of result.resources) expect(r.provenance).toMatchObject({ source: 'terraform', account: '111122223333' });
  });

  it('folds every policy into the role: inline by reference, AWS managed by literal name, module policy through var', () => {
    const role = props(result, 'aws_iam_role.sender');
    expect(role.roleName).toBe('sender');
    expect(role.trustPolicy.statements[0].principal.service).toEqual(['ec2.amazonaws.com']);
    expect(role.policies.map((p: any) => [p.name, p.kind, p.definedAt?.logicalId])).toEqual([
      ['send-all', 'inline', 'aws_iam_role_policy.send_all'],
      ['AmazonSESFullAccess', 'aws-managed', undefined],
      ['ses-send', 'managed', 'module.mail.aws_iam_policy.send'],
    ]);
    expect(role.policies[0].document.statements[0]).toMatchObject({ effect: 'Allow', action: ['ses:*'], resource: ['*'] });
    // AWS managed: the document comes from the shipped data file (data/aws-managed-policies.json).
    expect(role.policies[1].document).toEqual({ statements: [{ effect: 'Allow', action: ['ses:*'], resource: ['*'] }] });
    expect(role.policies[2].definedAt.file).toBe(moduleTf);
    // The policy attached to a plan principal is not emitted on its own.
    expect(result.resources.some((r) => r.type === 'aws.iam.policy')).toBe(false);
  });

  it('links sending-authorization policies by reference to an ARN known only after apply, and by email_identity', () => {
    const domain = props(result, 'aws_sesv2_email_identity.domain');
    expect(domain.policies).toHaveLength(1);
    expect(domain.policies[0]).toMatchObject({ name: 'public-send', line: 54 });
    expect(domain.policies[0].document.statements[0].principal).toMatchObject({ wildcard: true });
    const noreply = props(result, 'module.mail.aws_sesv2_email_identity.noreply');
    expect(noreply.policies[0].document.statements[0].principal.aws).toEqual(['arn:aws:iam::999988887777:root']);
  });

  it('an identity without notifications or configuration set; DKIM through the parent domain', () => {
    const domain = props(result, 'aws_sesv2_email_identity.domain');
    expect(domain).toMatchObject({ identity: 'example.com', kind: 'domain', verified: true, dkim: { signingEnabled: true }, notifications: {}, mailFrom: {} });
    expect(domain.configurationSet).toBeUndefined();
    expect(domain.dkim.status).toBeUndefined();
    const noreply = props(result, 'module.mail.aws_sesv2_email_identity.noreply');
    expect(noreply).toMatchObject({ kind: 'email', dkim: { signingEnabled: false }, parentDomain: { identity: 'example.com', dkimSigningEnabled: true } });
  });

  it('resolves a configuration set named by a literal in a module; TLS not required', () => {
    const noreply = props(result, 'module.mail.aws_sesv2_email_identity.noreply');
    expect(noreply.configurationSetName).toBe('main');
    expect(noreply.configurationSet).toMatchObject({ configurationSetName: 'main', tlsPolicy: 'OPTIONAL', eventDestinations: [] });
    // reputation_options / sending_options are unknown in the plan but not written in main.tf: defaults.
    expect(props(result, 'aws_sesv2_configuration_set.main')).toEqual({
      configurationSetName: 'main',
      reputationMetricsEnabled: false,
      tlsPolicy: 'OPTIONAL',
      sendingEnabled: true,
      eventDestinations: [],
    });
  });

  it('adds a separate egress rule to the group whose id is known only after apply, at the rule line', () => {
    expect(props(result, 'aws_security_group.relay')).toEqual({
      groupName: 'mail-relay',
      groupId: { $unknown: 'known after apply' },
      vpcId: 'vpc-0a1b2c3d',
      egress: [{ protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0', line: 82 }],
      attached: true,
    });
  });

  it('alarm, trail and network ACL as planned', () => {
    expect(props(result, 'aws_cloudwatch_metric_alarm.bounce')).toEqual({
      alarmName: 'ses-bounce-rate',
      namespace: 'AWS/SES',
      metricName: 'Reputation.BounceRate',
      metrics: [],
      threshold: 5,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      actionsEnabled: true,
      alarmActions: [{ $unknown: 'known after apply' }],
    });
    expect(props(result, 'aws_cloudtrail.main')).toEqual({
      trailName: 'main',
      isMultiRegionTrail: false,
      isLogging: true,
      includesManagementEvents: true,
    });
    expect(props(result, 'aws_network_acl.mail').entries).toEqual([
      { line: 116, ruleNumber: 100, egress: true, protocol: 'tcp', ruleAction: 'allow', fromPort: 25, toPort: 25, cidrBlock: '0.0.0.0/0' },
    ]);
  });

  it('reads the suppression comment above the block', () => {
    expect(byAddress(result, 'aws_ses_domain_identity.marketing').suppressions).toEqual([
      { check: 'SESG-SES-003', reason: 'marketing.example.com is approved in SEC-42', line: 126 },
    ]);
    expect(props(result, 'aws_ses_domain_identity.marketing').dkim).toEqual({ signingEnabled: false });
    expect(result.errors).toEqual([]);
  });
});

describe('the good fixture', () => {
  const result = readFixture(`${FIXTURES}/good/plan.json`);

  it('links the configuration set and its event destination through references', () => {
    const identity = props(result, 'aws_sesv2_email_identity.domain');
    expect(identity.mailFrom).toEqual({ domain: 'bounce.example.org' });
    expect(identity.configurationSet).toEqual({
      configurationSetName: 'main',
      reputationMetricsEnabled: true,
      tlsPolicy: 'REQUIRE',
      sendingEnabled: true,
      eventDestinations: [
        {
          name: 'feedback',
          line: 70,
          enabled: true,
          matchingEventTypes: ['BOUNCE', 'COMPLAINT'],
          targets: ['sns'],
          snsTopicArn: { $unknown: 'known after apply' },
        },
      ],
    });
  });

  it('network ACL rules and inline egress blocks carry their lines', () => {
    expect(props(result, 'aws_network_acl.app').entries.map((e: any) => [e.ruleNumber, e.ruleAction, e.line])).toEqual([
      [90, 'deny', 135],
      [100, 'allow', 146],
    ]);
    expect(props(result, 'aws_security_group.app').egress).toEqual([
      { line: 123, protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' },
    ]);
  });

  it('a multi-region trail with management events, and no suppression errors', () => {
    expect(props(result, 'aws_cloudtrail.org')).toMatchObject({ isMultiRegionTrail: true, isLogging: true, includesManagementEvents: true });
    expect(result.errors).toEqual([]);
    expect(result.resources.every((r) => r.provenance.file === `${FIXTURES}/good/main.tf`)).toBe(true);
  });
});

describe('a plan without .tf sources', () => {
  const file = `${FIXTURES}/no-tf/plan.json`;
  const result = readFixture(file);
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const firstLine = (address: string) => text.slice(0, text.indexOf(`"address": ${JSON.stringify(address)}`)).split('\n').length;

  it.each([
    'module.a[0].module.b.aws_security_group.x[0]',
    'aws_ses_email_identity.ops["ops@example.net"]',
    'module.mail.aws_iam_policy.send',
    'aws_iam_user.smtp',
  ])('points %s at the plan line where its address first appears', (address) => {
    const p = byAddress(result, address).provenance;
    expect(p.file).toBe(file);
    expect(p.line).toBe(firstLine(address));
    expect(p.line).toBeGreaterThan(1);
    expect(byAddress(result, address).id).toBe(`${file}#${address}`);
  });

  it('skips a resource that is only being destroyed', () => {
    expect(result.resources.some((r) => r.provenance.logicalId === 'aws_iam_role.retired')).toBe(false);
  });

  it('emits a policy attached to nothing in the plan, with its outside attachments', () => {
    expect(props(result, 'module.mail.aws_iam_policy.send')).toMatchObject({
      policyName: 'ses-send',
      externalAttachments: ['legacy-role'],
      document: { statements: [{ action: ['ses:Send*'] }] },
    });
  });

  it('gives a user its own policies, its groups’ policies and unknown ones for groups outside the plan', () => {
    const user = props(result, 'aws_iam_user.smtp');
    expect(user.groups).toEqual(['mailers', 'outside-admins']);
    expect(user.accessKeys).toEqual([]);
    expect(user.policies.map((p: any) => [p.name, p.kind])).toEqual([
      ['smtp-send', 'inline'],
      ['AmazonSESFullAccess', 'aws-managed'],
      ['group outside-admins', 'managed'],
    ]);
    expect(user.policies[2].document).toEqual({ $unknown: 'the policies of group outside-admins are not defined in the plan' });
    expect(props(result, 'aws_iam_group.mailers').policies.map((p: any) => p.arn)).toEqual(['arn:aws:iam::aws:policy/AmazonSESFullAccess']);
  });

  it('v1 SES: notification topic, configuration set with event destination, address identity without its domain', () => {
    expect(props(result, 'aws_ses_email_identity.ops["ops@example.net"]')).toMatchObject({
      identity: 'ops@example.net',
      kind: 'email',
      notifications: { bounceTopic: 'arn:aws:sns:us-east-1:111122223333:bounces' },
      dkim: { signingEnabled: { $unknown: 'DKIM of an address identity comes from its domain identity, which is not in the plan' } },
    });
    expect(props(result, 'aws_ses_configuration_set.legacy')).toEqual({
      configurationSetName: 'legacy',
      reputationMetricsEnabled: true,
      tlsPolicy: 'REQUIRE',
      sendingEnabled: true,
      eventDestinations: [
        {
          name: 'feedback',
          // Without .tf sources, sub-objects defined by other resources point at them in the plan.
          line: firstLine('aws_ses_event_destination.feedback'),
          enabled: true,
          matchingEventTypes: ['BOUNCE', 'RENDERING_FAILURE'],
          targets: ['sns'],
          snsTopicArn: 'arn:aws:sns:us-east-1:111122223333:feedback',
        },
      ],
    });
  });

  it('security groups: protocol numbers as strings, default group, a rule on a group outside the plan', () => {
    expect(props(result, 'module.a[0].module.b.aws_security_group.x[0]').egress).toEqual([
      { protocol: '6', fromPort: 587, toPort: 587, cidrIpv6: '::/0' },
    ]);
    expect(props(result, 'aws_default_security_group.default')).toMatchObject({
      groupName: 'default',
      egress: [{ protocol: '-1', cidrIpv4: '0.0.0.0/0' }],
    });
    const outside = byAddress(result, 'aws_security_group_rule.external');
    expect(outside.type).toBe('aws.ec2.security-group');
    expect(outside.props).toMatchObject({ groupId: 'sg-0123external', egress: [{ protocol: 'tcp', fromPort: 465, toPort: 465, cidrIpv4: '0.0.0.0/0' }] });
  });

  it('default network ACL, metric-math alarm, trail with data-only advanced selectors', () => {
    expect(props(result, 'aws_default_network_acl.default')).toMatchObject({ isDefault: true, entries: [{ ruleNumber: 100, protocol: '-1', ruleAction: 'allow' }] });
    expect(props(result, 'aws_cloudwatch_metric_alarm.math')).toMatchObject({
      namespace: '',
      metrics: [{ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate' }],
      threshold: 5,
      actionsEnabled: false,
      alarmActions: [],
    });
    expect(props(result, 'aws_cloudtrail.data_only')).toEqual({
      trailName: 'data-only',
      isMultiRegionTrail: true,
      isLogging: false,
      includesManagementEvents: false,
    });
  });

  it('has no account when prior_state holds no caller identity', () => {
    expect(result.resources.every((r) => r.provenance.account === undefined)).toBe(true);
  });
});

describe('unknown after apply', () => {
  it('the only destination of a port-25 rule is unknown: the rule keeps an Unknown, never a guess', () => {
    const result = readFixture(`${FIXTURES}/unknown/plan.json`);
    expect(props(result, 'aws_security_group.relay').egress).toEqual([
      { protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: { $unknown: 'known after apply' } },
    ]);
  });

  it.each([
    // [after, after_unknown, expected egress]
    [{ egress: [] }, {}, []],
    [{}, { egress: true }, [{ protocol: { $unknown: 'known after apply' }, fromPort: { $unknown: 'known after apply' }, toPort: { $unknown: 'known after apply' }, cidrIpv4: { $unknown: 'known after apply' }, cidrIpv6: { $unknown: 'known after apply' } }]],
  ])('security group egress %j / %j without .tf sources', (after, unknownMarks, egress) => {
    const result = read(plan([{ address: 'aws_security_group.g', after: { name: 'g', ...after }, unknown: unknownMarks }]));
    expect(props(result, 'aws_security_group.g').egress).toEqual(egress);
  });

  it('egress unknown in the plan but not written in the .tf block: Terraform removes the default rule, so none', () => {
    const result = read(plan([{ address: 'aws_security_group.g', after: { name: 'g' }, unknown: { egress: true } }]), {
      'main.tf': 'resource "aws_security_group" "g" {\n  name = "g"\n}\n',
    });
    expect(props(result, 'aws_security_group.g').egress).toEqual([]);
    expect(byAddress(result, 'aws_security_group.g').provenance).toMatchObject({ file: 'infra/main.tf', line: 1 });
  });

  it('a configuration set named by an unknown value with no reference is Unknown, and one defined elsewhere too', () => {
    const result = read(
      plan([
        { address: 'aws_sesv2_email_identity.a', after: { email_identity: 'a.example' }, unknown: { configuration_set_name: true } , expressions: { configuration_set_name: { references: ['var.set'] } } },
        { address: 'aws_sesv2_email_identity.b', after: { email_identity: 'b.example', configuration_set_name: 'elsewhere' } },
      ]),
    );
    expect(props(result, 'aws_sesv2_email_identity.a')).toMatchObject({
      configurationSetName: { $unknown: 'known after apply' },
      configurationSet: { $unknown: 'the default configuration set is known only after apply' },
    });
    expect(props(result, 'aws_sesv2_email_identity.b')).toMatchObject({
      configurationSetName: 'elsewhere',
      configurationSet: { $unknown: 'configuration set "elsewhere" is not defined in the plan' },
    });
  });

  it('a role attachment whose policy ARN is unknown and unexplained adds an unknown managed policy', () => {
    const result = read(
      plan([
        { address: 'aws_iam_role.r', after: { name: 'r', assume_role_policy: '{"Statement":[]}' } },
        { address: 'aws_iam_role_policy_attachment.a', after: { role: 'r' }, unknown: { policy_arn: true }, expressions: { policy_arn: { references: ['var.arn'] } } },
      ]),
    );
    expect(props(result, 'aws_iam_role.r').policies).toEqual([
      { name: '(policy ARN known after apply)', kind: 'managed', document: { $unknown: 'policy_arn of aws_iam_role_policy_attachment.a is known after apply' } },
    ]);
  });
});

describe('defaults of the provider and of AWS', () => {
  it.each([
    ['aws_sesv2_configuration_set.s', { configuration_set_name: 's' }, { configurationSetName: 's', reputationMetricsEnabled: false, tlsPolicy: 'OPTIONAL', sendingEnabled: true, eventDestinations: [] }],
    [
      'aws_sesv2_configuration_set.s',
      { configuration_set_name: 's', delivery_options: [{ tls_policy: 'REQUIRE' }], reputation_options: [{ reputation_metrics_enabled: true }], sending_options: [{ sending_enabled: false }] },
      { configurationSetName: 's', reputationMetricsEnabled: true, tlsPolicy: 'REQUIRE', sendingEnabled: false, eventDestinations: [] },
    ],
    ['aws_ses_configuration_set.s', { name: 's' }, { configurationSetName: 's', reputationMetricsEnabled: false, tlsPolicy: 'OPTIONAL', sendingEnabled: true, eventDestinations: [] }],
    [
      'aws_ses_configuration_set.s',
      { name: 's', delivery_options: [{ tls_policy: 'Require' }], reputation_metrics_enabled: true, sending_enabled: false },
      { configurationSetName: 's', reputationMetricsEnabled: true, tlsPolicy: 'REQUIRE', sendingEnabled: false, eventDestinations: [] },
    ],
    ['aws_cloudtrail.t', { name: 't' }, { trailName: 't', isMultiRegionTrail: false, isLogging: true, includesManagementEvents: true }],
    ['aws_cloudtrail.t', { name: 't', event_selector: [{ include_management_events: false }] }, { trailName: 't', isMultiRegionTrail: false, isLogging: true, includesManagementEvents: false }],
    [
      'aws_cloudtrail.t',
      { name: 't', advanced_event_selector: [{ field_selector: [{ field: 'eventCategory', equals: ['Management'] }] }] },
      { trailName: 't', isMultiRegionTrail: false, isLogging: true, includesManagementEvents: true },
    ],
    ['aws_security_group.g', { name: 'g' }, { groupName: 'g', groupId: { $unknown: 'known after apply' }, egress: [], attached: true }],
    ['aws_network_acl.n', { id: 'acl-1' }, { networkAclId: 'acl-1', entries: [], isDefault: false }],
  ])('%s %j', (address, after, expected) => {
    expect(props(read(plan([{ address, after }])), address)).toEqual(expected);
  });

  it.each([
    [{ alarm_name: 'a', namespace: 'AWS/SES', metric_name: 'Send', threshold: 1, comparison_operator: 'GreaterThanThreshold' }, { actionsEnabled: true, alarmActions: [] }],
    [{ alarm_name: 'a', actions_enabled: false, alarm_actions: ['arn:aws:sns:us-east-1:1:t'], threshold_metric_id: 'ad1' }, { actionsEnabled: false, alarmActions: ['arn:aws:sns:us-east-1:1:t'], threshold: { $unknown: 'the threshold is an anomaly detection band' } }],
  ])('alarm %j', (after, expected) => {
    expect(props(read(plan([{ address: 'aws_cloudwatch_metric_alarm.a', after }])), 'aws_cloudwatch_metric_alarm.a')).toMatchObject(expected);
  });

  it.each([
    ['aws_sesv2_configuration_set_event_destination.d', { configuration_set_name: 's', event_destination_name: 'd', event_destination: [{ matching_event_types: ['BOUNCE'], cloud_watch_destination: [{}] }] }, { name: 'd', enabled: false, matchingEventTypes: ['BOUNCE'], targets: ['cloudwatch'] }],
    ['aws_sesv2_configuration_set_event_destination.d', { configuration_set_name: 's', event_destination_name: 'd', event_destination: [{ enabled: true, matching_event_types: ['COMPLAINT'], event_bridge_destination: [{ event_bus_arn: 'x' }], kinesis_firehose_destination: [{}] }] }, { name: 'd', enabled: true, matchingEventTypes: ['COMPLAINT'], targets: ['firehose', 'eventbridge'] }],
    ['aws_ses_event_destination.d', { configuration_set_name: 's', name: 'd', matching_types: ['complaint', 'deliveryDelay'], kinesis_destination: [{}] }, { name: 'd', enabled: false, matchingEventTypes: ['COMPLAINT', 'DELIVERY_DELAY'], targets: ['firehose'] }],
  ])('event destination %s %j', (address, after, expected) => {
    const result = read(
      plan([
        { address: 'aws_sesv2_configuration_set.s', after: { configuration_set_name: 's' } },
        { address, after },
      ]),
    );
    expect(withoutLines(props(result, 'aws_sesv2_configuration_set.s').eventDestinations)).toEqual([expected]);
  });
});

describe('linking', () => {
  it.each([
    // a v1 domain identity: DKIM signing only through aws_ses_domain_dkim, MAIL FROM, notification topics
    [
      [
        { address: 'aws_ses_domain_identity.d', after: { domain: 'example.com' }, unknown: { arn: true } },
        { address: 'aws_ses_domain_dkim.d', after: { domain: 'example.com' } },
        { address: 'aws_ses_domain_mail_from.d', after: { domain: 'example.com', mail_from_domain: 'mail.example.com' } },
        { address: 'aws_ses_identity_notification_topic.b', after: { identity: 'example.com', notification_type: 'Bounce', topic_arn: 'arn:aws:sns:us-east-1:1:b' } },
        { address: 'aws_ses_identity_notification_topic.c', after: { notification_type: 'Complaint' }, unknown: { identity: true, topic_arn: true }, expressions: { identity: { references: ['aws_ses_domain_identity.d.arn', 'aws_ses_domain_identity.d'] } } },
        { address: 'aws_ses_identity_notification_topic.x', after: { identity: 'other.example', notification_type: 'Delivery', topic_arn: 'arn:aws:sns:us-east-1:1:x' } },
      ],
      {
        identity: 'example.com',
        kind: 'domain',
        dkim: { signingEnabled: true },
        mailFrom: { domain: 'mail.example.com' },
        notifications: { bounceTopic: 'arn:aws:sns:us-east-1:1:b', complaintTopic: { $unknown: 'known after apply' } },
      },
    ],
    [
      [{ address: 'aws_ses_domain_identity.d', after: { domain: 'example.com' } }],
      { dkim: { signingEnabled: false }, mailFrom: {}, notifications: {} },
    ],
  ])('SES identity %#', (changes, expected) => {
    expect(props(read(plan(changes as Change[])), 'aws_ses_domain_identity.d')).toMatchObject(expected);
  });

  it('an address identity under a subdomain signs through the parent domain identity', () => {
    const result = read(
      plan([
        { address: 'aws_ses_domain_identity.d', after: { domain: 'Example.com' } },
        { address: 'aws_ses_domain_dkim.d', after: {}, unknown: { domain: true }, expressions: { domain: { references: ['aws_ses_domain_identity.d.domain', 'aws_ses_domain_identity.d'] } } },
        { address: 'aws_ses_email_identity.e', after: { email: 'alerts@eu.example.com' } },
      ]),
    );
    expect(props(result, 'aws_ses_email_identity.e')).toMatchObject({
      kind: 'email',
      dkim: { signingEnabled: false },
      parentDomain: { identity: 'Example.com', dkimSigningEnabled: true },
    });
  });

  it('roles, users and groups through aws_iam_policy_attachment, managed_policy_arns and inline_policy', () => {
    const doc = (action: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const result = read(
      plan([
        {
          address: 'aws_iam_role.r',
          after: { name: 'r', inline_policy: [{ name: 'own', policy: doc('ses:SendEmail') }, { name: '', policy: '' }], managed_policy_arns: ['arn:aws:iam::111122223333:policy/p2'] },
        },
        { address: 'aws_iam_user.u', after: { name: 'u' } },
        { address: 'aws_iam_group.g', after: { name: 'g' } },
        { address: 'aws_iam_group_membership.m', after: { name: 'm', group: 'g', users: ['u'] } },
        { address: 'aws_iam_policy.p', after: { name: 'p', policy: doc('ses:*') }, unknown: { arn: true } },
        { address: 'aws_iam_policy.p2', after: { name: 'p2', policy: doc('ses:SendRawEmail') }, unknown: { arn: true } },
        {
          address: 'aws_iam_policy_attachment.all',
          after: { name: 'all', roles: ['r', 'outside-role'], groups: ['g'], users: [] },
          unknown: { policy_arn: true },
          expressions: { policy_arn: { references: ['aws_iam_policy.p.arn', 'aws_iam_policy.p'] } },
        },
      ]),
    );
    expect(props(result, 'aws_iam_role.r').policies.map((p: any) => [p.name, p.kind])).toEqual([
      ['p', 'managed'],
      ['own', 'inline'],
      ['p2', 'managed'],
    ]);
    expect(props(result, 'aws_iam_group.g').policies.map((p: any) => p.name)).toEqual(['p']);
    expect(props(result, 'aws_iam_user.u')).toMatchObject({ groups: ['g'], policies: [{ name: 'p' }] });
    expect(result.resources.filter((r) => r.type === 'aws.iam.policy')).toEqual([]);
  });

  it('count instances refer to the instance with the same index', () => {
    const result = read(
      plan([
        { address: 'aws_security_group.g[0]', after: { name: 'g0' } },
        { address: 'aws_security_group.g[1]', after: { name: 'g1' } },
        {
          address: 'aws_security_group_rule.r[1]',
          after: { type: 'egress', protocol: 'TCP', from_port: 587, to_port: 587, cidr_blocks: ['0.0.0.0/0', '10.0.0.0/8'], ipv6_cidr_blocks: ['::/0'] },
          unknown: { security_group_id: true },
          expressions: { security_group_id: { references: ['aws_security_group.g.id', 'aws_security_group.g'] } },
        },
      ]),
    );
    expect(props(result, 'aws_security_group.g[0]').egress).toEqual([]);
    expect(withoutLines(props(result, 'aws_security_group.g[1]').egress)).toEqual([
      { protocol: 'tcp', fromPort: 587, toPort: 587, cidrIpv4: '0.0.0.0/0' },
      { protocol: 'tcp', fromPort: 587, toPort: 587, cidrIpv4: '10.0.0.0/8' },
      { protocol: 'tcp', fromPort: 587, toPort: 587, cidrIpv6: '::/0' },
    ]);
  });

  it('network ACL rules link by reference and by literal id; ingress entries are kept as such', () => {
    const result = read(
      plan([
        { address: 'aws_network_acl.n', after: { id: 'acl-9', ingress: [{ rule_no: 1, action: 'deny', protocol: 'all', cidr_block: '0.0.0.0/0', from_port: 0, to_port: 0 }] } },
        { address: 'aws_network_acl_rule.a', after: { network_acl_id: 'acl-9', rule_number: 10, egress: true, protocol: '6', rule_action: 'ALLOW', cidr_block: '0.0.0.0/0', from_port: 25, to_port: 25 } },
        { address: 'aws_network_acl_rule.b', after: { rule_number: 20, protocol: 'tcp', rule_action: 'deny', ipv6_cidr_block: '::/0' }, unknown: { network_acl_id: true }, expressions: { network_acl_id: { references: ['aws_network_acl.n.id', 'aws_network_acl.n'] } } },
      ]),
    );
    expect(withoutLines(props(result, 'aws_network_acl.n').entries)).toEqual([
      { ruleNumber: 1, egress: false, protocol: '-1', ruleAction: 'deny', fromPort: 0, toPort: 0, cidrBlock: '0.0.0.0/0' },
      { ruleNumber: 10, egress: true, protocol: '6', ruleAction: 'allow', fromPort: 25, toPort: 25, cidrBlock: '0.0.0.0/0' },
      { ruleNumber: 20, egress: false, protocol: 'tcp', ruleAction: 'deny', ipv6CidrBlock: '::/0' },
    ]);
  });
});

describe('.tf positions and inline suppressions', () => {
  const doc = plan([
    { address: 'aws_security_group.a', after: { name: 'a', egress: [] } },
    { address: 'aws_security_group.b', after: { name: 'b', egress: [] } },
    { address: 'aws_security_group.c', after: { name: 'c', egress: [] } },
    { address: 'aws_cloudtrail.t', after: { name: 't' } },
  ]);
  const tf = [
    '# sesguard:ignore SESG-NET-001 relay approved in SEC-1', // 1
    '// sesguard:ignore SESG-NET-002 submission too', // 2
    'resource "aws_security_group" "a" {', // 3
    '  description = <<EOT', // 4
    '  braces { in a heredoc', // 5
    'EOT', // 6
    '  name = "a}"', // 7
    '}', // 8
    '', // 9
    '# sesguard:ignore SESG-NET-001', // 10
    'resource "aws_security_group" "b" { # sesguard:ignore SESG-NET-002 on the block line', // 11
    '}', // 12
    '# sesguard:ignore SESG-NET-001 separated by a blank line does not count', // 13
    '', // 14
    '  resource "aws_security_group" "c" {}', // 15
  ].join('\n');
  const result = read(doc, { 'main.tf': tf, 'other.tf': 'resource "aws_cloudtrail" "t" {\n}\n', 'notes.txt': 'resource "aws_cloudtrail" "t" {' });

  it.each([
    ['aws_security_group.a', 'infra/main.tf', 3, 1],
    ['aws_security_group.b', 'infra/main.tf', 11, 1],
    ['aws_security_group.c', 'infra/main.tf', 15, 3],
    ['aws_cloudtrail.t', 'infra/other.tf', 1, 1],
  ])('%s at %s:%i:%i', (address, file, line, column) => {
    expect(byAddress(result, address).provenance).toMatchObject({ file, line, column, logicalId: address });
  });

  it.each([
    ['aws_security_group.a', [
      { check: 'SESG-NET-001', reason: 'relay approved in SEC-1', line: 1 },
      { check: 'SESG-NET-002', reason: 'submission too', line: 2 },
    ]],
    ['aws_security_group.b', [{ check: 'SESG-NET-002', reason: 'on the block line', line: 11 }]],
    ['aws_security_group.c', undefined],
  ])('%s suppressions', (address, expected) => {
    expect(byAddress(result, address).suppressions).toEqual(expected);
  });

  it('a suppression without a reason is an error naming the file and line; scanning goes on', () => {
    expect(result.errors).toEqual([
      { file: 'infra/main.tf', line: 10, message: 'sesguard:ignore SESG-NET-001 has no reason (a suppression must say why)' },
    ]);
  });

  it('module blocks come from the local module source; indexed addresses map to their block', () => {
    const moduleDoc = {
      format_version: '1.2',
      resource_changes: [
        { address: 'module.m["x"].aws_cloudtrail.t[0]', module_address: 'module.m["x"]', mode: 'managed', type: 'aws_cloudtrail', name: 't', index: 0, change: { actions: ['create'], after: { name: 't' } } },
        { address: 'module.remote.aws_cloudtrail.t', module_address: 'module.remote', mode: 'managed', type: 'aws_cloudtrail', name: 't', change: { actions: ['update'], after: { name: 'r' } } },
      ],
      configuration: {
        root_module: {
          module_calls: {
            m: { source: '../modules/trail', module: { resources: [{ address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't' }] } },
            remote: { source: 'terraform-aws-modules/cloudtrail/aws', module: { resources: [{ address: 'aws_cloudtrail.t', mode: 'managed', type: 'aws_cloudtrail', name: 't' }] } },
          },
        },
      },
    };
    const moduleResult = read(moduleDoc, { '../modules/trail/trail.tf': '\n\nresource "aws_cloudtrail" "t" {\n  count = 1\n}\n' });
    expect(byAddress(moduleResult, 'module.m["x"].aws_cloudtrail.t[0]').provenance).toMatchObject({ file: 'modules/trail/trail.tf', line: 3 });
    // A registry module has no local source: the resource points into the plan.
    expect(byAddress(moduleResult, 'module.remote.aws_cloudtrail.t').provenance).toMatchObject({ file: 'infra/plan.json' });
  });
});
