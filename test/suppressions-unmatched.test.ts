// A suppression that matches no finding is a notice, like an expired one (issue #8 item 5): placed on CDK's
// generated DefaultPolicy instead of the role, on a check that passes, with a misspelt id, or in the config
// for a resource the run never met. Suppressions meant for the other kind of run sharing the config (a live
// ARN in an IaC run, a live-only check) stay quiet, and `merge` reports one only when no part used it.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/types.js';
import { mergeResults, runIac } from '../src/run.js';
import { cli, tempDir } from './helpers.js';

// The shape `cdk synth` gives a role with `grant*` calls: the statements live in a generated
// `<Role>DefaultPolicy` attached to the role through `Roles`.
function cdkTemplate(policyMetadata: string, roleMetadata = ''): string {
  return `{
  "Resources": {
    "SenderRoleA1B2C3D4": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Statement": [{ "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" } }],
          "Version": "2012-10-17"
        }
      },
      "Metadata": { "aws:cdk:path": "MailStack/SenderRole/Resource"${roleMetadata} }
    },
    "SenderRoleDefaultPolicyE5F6A7B8": {
      "Type": "AWS::IAM::Policy",
      "Properties": {
        "PolicyDocument": {
          "Statement": [{ "Action": ["ses:SendEmail", "ses:SendRawEmail"], "Effect": "Allow", "Resource": "*" }],
          "Version": "2012-10-17"
        },
        "PolicyName": "SenderRoleDefaultPolicyE5F6A7B8",
        "Roles": [{ "Ref": "SenderRoleA1B2C3D4" }]
      },
      "Metadata": { "aws:cdk:path": "MailStack/SenderRole/DefaultPolicy/Resource"${policyMetadata} }
    }
  }
}
`;
}

const suppress = (check: string, reason = 'reviewed in SEC-42') => `, "sesguard": { "suppress": [{ "check": "${check}", "reason": "${reason}" }] }`;

async function iac(files: Record<string, string>) {
  const dir = tempDir(files);
  const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], dir);
  return JSON.parse(r.stdout) as { findings: { checkId: string; suppressed: unknown; resource: { logicalId?: string } }[]; notices: string[] };
}

describe('inline suppressions that match no finding', () => {
  it('on the generated DefaultPolicy: the role still fails, and a notice says where to suppress', async () => {
    const results = await iac({ 'cdk.out/MailStack.template.json': cdkTemplate(suppress('SESG-IAM-001')) });
    const finding = results.findings.find((f) => f.checkId === 'SESG-IAM-001');
    expect(finding).toMatchObject({ suppressed: null, resource: { logicalId: 'SenderRoleA1B2C3D4' } });
    expect(results.notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^cdk\.out\/MailStack\.template\.json:\d+: inline suppression of SESG-IAM-001 on SenderRoleDefaultPolicyE5F6A7B8 \(AWS::IAM::Policy\) matches no finding: .*judged on the roles, users and groups it attaches to; suppress there$/,
        ),
      ]),
    );
  });

  it('on the role, for the failing check: it suppresses, and no notice', async () => {
    const results = await iac({ 'cdk.out/MailStack.template.json': cdkTemplate('', suppress('SESG-IAM-001')) });
    expect(results.findings.find((f) => f.checkId === 'SESG-IAM-001')?.suppressed).toMatchObject({ source: 'inline' });
    expect(results.notices.filter((n) => /matches no finding/.test(n))).toEqual([]);
  });

  it.each([
    ['a check that passes', 'SESG-IAM-004', /inline suppression of SESG-IAM-004 on SenderRoleA1B2C3D4 matches no finding: the check passes$/],
    ['a misspelt check id', 'SESG-IAM-01', /inline suppression of SESG-IAM-01 on SenderRoleA1B2C3D4 matches no finding: SESG-IAM-01 is not among the checks of this run/],
    ['a check of another resource type', 'SESG-SES-003', /inline suppression of SESG-SES-003 on SenderRoleA1B2C3D4 matches no finding: SESG-SES-003 does not judge aws\.iam\.role resources$/],
  ])('on the role, for %s: a notice', async (_name, check, notice) => {
    const results = await iac({ 'cdk.out/MailStack.template.json': cdkTemplate('', suppress(check)) });
    expect(results.notices).toEqual(expect.arrayContaining([expect.stringMatching(notice)]));
  });
});

describe('config suppressions that match no finding', () => {
  const config = (entries: [string, string][]) =>
    `suppressions:\n${entries.map(([check, resource]) => `  - { check: ${check}, resource: "${resource}", reason: "approved in SEC-7" }\n`).join('')}`;

  it('one for a resource the run never met is a notice; the used one is not', async () => {
    const results = await iac({
      'cdk.out/MailStack.template.json': cdkTemplate(''),
      'sesguard.yaml': config([
        ['SESG-IAM-001', 'SenderRoleA1B2C3D4'],
        ['SESG-IAM-00*', 'SenderRoleDefaultPolicy*'],
      ]),
    });
    expect(results.findings.find((f) => f.checkId === 'SESG-IAM-001')?.suppressed).toMatchObject({ source: 'config' });
    const unmatched = results.notices.filter((n) => /matches no finding in this run/.test(n));
    expect(unmatched).toEqual([
      'suppression of SESG-IAM-00* for SenderRoleDefaultPolicy* matches no finding in this run: no failed SESG-IAM-00* pair has a resource matching it (reason was: approved in SEC-7)',
    ]);
  });

  it('ones meant for live scans sharing the config (an ARN, a live-only check) stay quiet in an IaC run', async () => {
    const results = await iac({
      'cdk.out/MailStack.template.json': cdkTemplate(''),
      'sesguard.yaml': config([
        ['SESG-NET-001', 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0relay*'],
        ['SESG-ACC-001', '*'],
      ]),
    });
    expect(results.notices.filter((n) => /matches no finding/.test(n))).toEqual([]);
  });

  it('merge: reported only when no part used it', async () => {
    const config = { ...defaultConfig(), suppressions: [{ check: 'SESG-IAM-001', resource: 'SenderRoleA1B2C3D4', reason: 'approved in SEC-7' }] };
    const withRole = tempDir({ 'a.template.json': cdkTemplate('') });
    const without = tempDir({ 'b.template.json': '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}' });
    const a = await runIac(['.'], { config, cwd: withRole });
    const b = await runIac(['.'], { config, cwd: without });
    const c = await runIac(['.'], { config, cwd: tempDir({ 'c.template.json': '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}' }) });
    const unmatched = (notices: string[]) => notices.filter((n) => /matches no finding in this run/.test(n));
    expect(unmatched(a.notices)).toEqual([]);
    expect(unmatched(b.notices)).toHaveLength(1);
    expect(unmatched(mergeResults([a, b]).notices)).toEqual([]);
    expect(unmatched(mergeResults([b, c]).notices)).toHaveLength(1);
  });
});
