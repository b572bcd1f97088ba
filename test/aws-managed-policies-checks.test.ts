// AWS managed policies attached by ARN are assessed from the shipped data file, in CloudFormation (CDK
// output), Terraform plans and live scans (when GetAccountAuthorizationDetails does not return the policy);
// one newer than the data stays not assessed, and the reason names the dataset's date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Outcome } from '../src/engine/types.js';
import { awsManagedPolicyDataset } from '../src/inventory/aws-managed-policies.js';
import type { Resource } from '../src/inventory/types.js';
import { collectIam, staticScope } from '../src/sources/aws/collectors/index.js';
import { collectIac } from '../src/sources/iac.js';
import { startFakeAws, type FakeAws, type Scenario } from '../src/testing/fake-aws/index.js';
import { tempDir } from './helpers.js';

const IAM_CHECKS = ['SESG-IAM-001', 'SESG-IAM-002', 'SESG-IAM-003', 'SESG-IAM-004'];
const checks = loadChecks().filter((c) => IAM_CHECKS.includes(c.id));
const ctx = { config: celConfig(defaultConfig(), new Date('2026-11-23T12:00:00Z')), org: [] as string[] };

/** IAM-001…004 outcomes of the resource named `name`: kind, plus the reason when not assessed. */
function outcomes(resources: Resource[], name: string): Record<string, string> {
  const resource = resources.find((r) => r.name === name || r.provenance.logicalId === name);
  if (!resource) throw new Error(`no resource ${name}`);
  const out: Record<string, string> = {};
  for (const e of evaluateAll(checks, { resources: [resource], organizationAccounts: [] }, ctx)) {
    const o: Outcome = e.outcome;
    out[e.checkId] = o.kind === 'not-assessed' ? `not-assessed: ${o.reason}` : o.kind;
  }
  return out;
}

// What `cdk synth` writes for `new lambda.Function(...)`: the service role attaches the AWS managed
// basic execution policy through Fn::Join with the partition pseudo parameter.
function lambdaRole(logicalId: string, policy: string): string {
  return `
    "${logicalId}": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{ "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" } }],
          "Version": "2012-10-17"
        },
        "ManagedPolicyArns": [
          { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::aws:policy/${policy}"]] }
        ]
      },
      "Metadata": { "aws:cdk:path": "MailStack/${logicalId}/Resource" }
    }`;
}

const CDK_TEMPLATE = `{
  "Resources": {${[
    lambdaRole('NotifierServiceRoleA1B2C3D4', 'service-role/AWSLambdaBasicExecutionRole'),
    lambdaRole('AdminServiceRoleE5F6A7B8', 'AdministratorAccess'),
    lambdaRole('FutureServiceRole0C1D2E3F', 'service-role/AWSLambdaSesSenderRole2027'),
  ].join(',')}
  },
  "Parameters": { "BootstrapVersion": { "Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version" } }
}
`;

const dataset = awsManagedPolicyDataset();

describe('CloudFormation (CDK output)', async () => {
  const dir = tempDir({ 'cdk.out/MailStack.template.json': CDK_TEMPLATE });
  const { resources, errors } = await collectIac(['cdk.out'], dir);

  it('reads the template', () => {
    expect(errors).toEqual([]);
  });

  it('a Lambda role with only AWSLambdaBasicExecutionRole is assessed and passes IAM-001…004', () => {
    expect(outcomes(resources, 'NotifierServiceRoleA1B2C3D4')).toEqual({
      'SESG-IAM-001': 'pass',
      'SESG-IAM-002': 'pass',
      'SESG-IAM-003': 'pass',
      'SESG-IAM-004': 'pass',
    });
  });

  it('a role with AdministratorAccess fails IAM-001 and IAM-004', () => {
    const got = outcomes(resources, 'AdminServiceRoleE5F6A7B8');
    expect(got['SESG-IAM-001']).toBe('fail');
    expect(got['SESG-IAM-004']).toBe('fail');
  });

  it('an AWS managed policy newer than the data stays not assessed, naming the dataset date', () => {
    const got = outcomes(resources, 'FutureServiceRole0C1D2E3F');
    for (const id of IAM_CHECKS) {
      expect(got[id]).toMatch(/^not-assessed: .*AWSLambdaSesSenderRole2027 is not in sesguard's managed policy data/);
      expect(got[id]).toContain(`policies up to ${dataset?.date}`);
    }
  });
});

describe('Terraform plan', async () => {
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: {
      root_module: {
        resources: [
          {
            address: 'aws_iam_role.ops',
            mode: 'managed',
            type: 'aws_iam_role',
            name: 'ops',
            provider_name: 'registry.terraform.io/hashicorp/aws',
            values: {
              name: 'ops',
              assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] }),
            },
          },
          {
            address: 'aws_iam_role_policy_attachment.ops_admin',
            mode: 'managed',
            type: 'aws_iam_role_policy_attachment',
            name: 'ops_admin',
            provider_name: 'registry.terraform.io/hashicorp/aws',
            values: { role: 'ops', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          },
        ],
      },
    },
  };
  const dir = tempDir({ 'plan.json': JSON.stringify(plan) });
  const { resources, errors } = await collectIac(['plan.json'], dir);

  it('a role with AdministratorAccess attached fails IAM-001 and IAM-004', () => {
    expect(errors).toEqual([]);
    const got = outcomes(resources, 'ops');
    expect(got['SESG-IAM-001']).toBe('fail');
    expect(got['SESG-IAM-004']).toBe('fail');
  });
});

describe('live: AWS managed policies GetAccountAuthorizationDetails does not return', () => {
  const ACCOUNT = '111111111111';
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }] };
  const scenario: Scenario = {
    organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: ACCOUNT, roots: [{ Id: 'r-ab12' }] },
    accounts: [
      {
        Id: ACCOUNT,
        Name: 'management',
        parentId: 'r-ab12',
        enabledRegions: ['us-east-1'],
        iam: {
          roles: [
            {
              RoleName: 'notifier',
              AssumeRolePolicyDocument: trust,
              AttachedManagedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
            },
            {
              RoleName: 'break-glass',
              AssumeRolePolicyDocument: trust,
              AttachedManagedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
            },
          ],
        },
      },
    ],
  };
  let fake: FakeAws;
  let resources: Resource[];
  beforeAll(async () => {
    fake = await startFakeAws(scenario, { pageSize: 2 });
    const scope = staticScope({ endpoint: fake.endpoint, accountId: ACCOUNT, credentials: { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' } });
    const collected = await collectIam(scope);
    expect(collected.errors).toEqual([]);
    resources = collected.resources;
  });
  afterAll(async () => {
    await fake.close();
  });

  it('documents come from the data file', () => {
    expect(outcomes(resources, 'notifier')).toEqual({
      'SESG-IAM-001': 'pass',
      'SESG-IAM-002': 'pass',
      'SESG-IAM-003': 'pass',
      'SESG-IAM-004': 'pass',
    });
    const admin = outcomes(resources, 'break-glass');
    expect(admin['SESG-IAM-001']).toBe('fail');
    expect(admin['SESG-IAM-004']).toBe('fail');
  });
});
