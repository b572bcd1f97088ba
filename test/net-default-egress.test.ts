// SESG-NET-004 and the written rules of SESG-NET-001/002: a CloudFormation group that writes no egress rule keeps
// AWS's allow-all rule, which NET-004 (low) reports and NET-001/002 do not; whatever someone wrote — the rule CDK
// writes for allowAllOutbound included — NET-001/002 judge, and say when a rule has the exact shape of AWS's default.
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { Outcome } from '../src/engine/types.js';
import type { Resource } from '../src/inventory/types.js';
import { checksForSources } from '../src/checks.js';
import { collectIac } from '../src/sources/iac.js';
import { tempDir } from './helpers.js';

const NET = ['SESG-NET-001', 'SESG-NET-002', 'SESG-NET-004'];

function evaluate(resources: Resource[], source: 'C' | 'L'): Map<string, Record<string, Outcome>> {
  const checks = checksForSources(loadChecks(), [source]).filter((c) => NET.includes(c.id));
  const evaluations = evaluateAll(checks, { resources, organizationAccounts: [] }, { config: celConfig(defaultConfig(), new Date('2026-11-23T00:00:00Z')), org: [] });
  const out = new Map<string, Record<string, Outcome>>();
  for (const e of evaluations) out.set(e.resourceId, { ...(out.get(e.resourceId) ?? {}), [e.checkId]: e.outcome });
  return out;
}

const kinds = (outcomes: Record<string, Outcome> | undefined) =>
  Object.fromEntries(Object.entries(outcomes ?? {}).map(([id, o]) => [id, o.kind]));

// A SAM-style application stack: one group with no egress (the habit NET-004 is about), one written by CDK with
// allowAllOutbound left on, one locked down the CDK way, one whose default is replaced by a separate rule.
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  VpcId: { Type: "AWS::EC2::VPC::Id" }
Resources:
  WorkerSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: queue worker
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 8080, ToPort: 8080, CidrIp: 10.0.0.0/16 }
  ApiSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: MailStack/Api/SecurityGroup
      SecurityGroupEgress:
        - CidrIp: 0.0.0.0/0
          Description: Allow all outbound traffic by default
          IpProtocol: "-1"
      VpcId: !Ref VpcId
  LockedSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: MailStack/Locked/SecurityGroup
      SecurityGroupEgress:
        - CidrIp: 255.255.255.255/32
          Description: Disallow all traffic
          FromPort: 252
          IpProtocol: icmp
          ToPort: 86
      VpcId: !Ref VpcId
  BatchSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: batch
      VpcId: !Ref VpcId
  BatchHttpsEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt BatchSecurityGroup.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 0.0.0.0/0
`;

describe('CloudFormation: written rules (NET-001/002) and the default rule (NET-004)', async () => {
  const dir = tempDir({ 'app.yaml': TEMPLATE });
  const collection = await collectIac(['app.yaml'], dir);
  const results = evaluate(collection.resources, 'C');

  it.each([
    ['WorkerSecurityGroup', 'no egress written: only NET-004 fails', { 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'fail' }],
    ['ApiSecurityGroup', "CDK's written allow-all rule: NET-001/002", { 'SESG-NET-001': 'fail', 'SESG-NET-002': 'fail', 'SESG-NET-004': 'pass' }],
    ['LockedSecurityGroup', 'CDK allowAllOutbound false', { 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'pass' }],
    ['BatchSecurityGroup', 'a separate rule replaces the default', { 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'pass' }],
  ])('%s: %s', (logicalId, _what, expected) => {
    expect(kinds(results.get(`app.yaml#${logicalId}`))).toEqual(expected);
  });

  it('NET-004 points at the group and says what the default rule allows', () => {
    const outcome = results.get('app.yaml#WorkerSecurityGroup')?.['SESG-NET-004'];
    expect(outcome).toMatchObject({ kind: 'fail' });
    if (outcome?.kind !== 'fail') return;
    expect(outcome.message).toBe(
      "Security group WorkerSecurityGroup writes no egress rule, so it keeps AWS's default rule allowing all outbound traffic (TCP 25, 465 and 587 included) to 0.0.0.0/0; write the egress rules the workload needs, which replaces the default",
    );
    const group = collection.resources.find((r) => r.id === 'app.yaml#WorkerSecurityGroup');
    expect(group?.provenance.line).toBe(6);
  });

  it("NET-001 on a written rule of the default's shape says so, and points at the rule", () => {
    const outcome = results.get('app.yaml#ApiSecurityGroup')?.['SESG-NET-001'];
    expect(outcome).toMatchObject({ kind: 'fail', line: 18 });
    if (outcome?.kind !== 'fail') return;
    expect(outcome.message).toContain('to 0.0.0.0/0 (the exact shape of the allow-all rule AWS adds to a new group);');
  });
});

describe('live: NET-001/002 evidence names the default shape', () => {
  const group = (name: string, egress: Resource<'aws.ec2.security-group'>['props']['egress']): Resource<'aws.ec2.security-group'> => ({
    type: 'aws.ec2.security-group',
    id: `arn:aws:ec2:eu-west-1:111122223333:security-group/${name}`,
    name,
    provenance: { source: 'aws', account: '111122223333', region: 'eu-west-1' },
    props: { groupName: name, groupId: name, egress, attached: true },
  });
  const results = evaluate(
    [
      group('sg-0default', [{ protocol: '-1', cidrIpv4: '0.0.0.0/0' }]),
      group('sg-0written', [{ protocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv6: '::/0' }]),
    ],
    'L',
  );

  it('all protocols to the world: the default shape, in the message and per rule in the evidence', () => {
    const outcome = results.get('arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0default')?.['SESG-NET-001'];
    expect(outcome?.kind).toBe('fail');
    if (outcome?.kind !== 'fail') return;
    expect(outcome.message).toBe(
      'Security group sg-0default allows outbound TCP 25 to 0.0.0.0/0 (the exact shape of the allow-all rule AWS adds to a new group); remove the rule or send mail through SES or a relay group instead',
    );
    expect(outcome.evidence.rules).toEqual([expect.objectContaining({ destination: '0.0.0.0/0', defaultShape: true })]);
  });

  it('a TCP range to the world is not the default shape', () => {
    const outcome = results.get('arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0written')?.['SESG-NET-002'];
    expect(outcome?.kind).toBe('fail');
    if (outcome?.kind !== 'fail') return;
    expect(outcome.message).not.toContain('exact shape');
    expect(outcome.evidence.rules).toEqual([expect.objectContaining({ destination: '::/0', defaultShape: false })]);
  });

  it('NET-004 does not run on live groups', () => {
    expect(results.get('arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0default')).not.toHaveProperty('SESG-NET-004');
  });
});

// A network stack defines the groups; an application stack (or a nested stack) writes their egress rules on the
// exported ids. CloudFormation removes each group's default rule when that rule is added, wherever it is written.
const NETWORK_STACK = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RelaySecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: mail relay
      VpcId: vpc-0a1b2c3d4e5f60718
  BastionSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      VpcId: vpc-0a1b2c3d4e5f60718
  Rules:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./network-rules.yaml
      Parameters:
        BastionGroupId: !GetAtt BastionSecurityGroup.GroupId
Outputs:
  RelayGroupId:
    Value: !GetAtt RelaySecurityGroup.GroupId
    Export: { Name: network-relay-sg }
`;

const APP_STACK = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RelaySubmission:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !ImportValue network-relay-sg
      IpProtocol: tcp
      FromPort: 587
      ToPort: 587
      CidrIp: 10.20.0.15/32
`;

const NESTED_RULES = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  BastionGroupId: { Type: "AWS::EC2::SecurityGroup::Id" }
Resources:
  BastionHttps:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref BastionGroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 0.0.0.0/0
`;

describe('NET-004 across stacks: a rule another scanned template writes for the group removes its default rule', async () => {
  const dir = tempDir({ 'network.yaml': NETWORK_STACK, 'app.yaml': APP_STACK, 'network-rules.yaml': NESTED_RULES });
  const collection = await collectIac(['.'], dir);
  const together = evaluate(collection.resources, 'C');

  it.each([
    ['RelaySecurityGroup', 'through Fn::ImportValue of its exported id'],
    ['BastionSecurityGroup', "through a nested stack's parameter"],
  ])('%s: NET-004 passes (%s)', (logicalId) => {
    expect(kinds(together.get(`network.yaml#${logicalId}`))).toEqual({ 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'pass' });
  });

  it('the rules themselves are judged where they are written, naming the template that defines their group', () => {
    expect(kinds(together.get('app.yaml#RelaySubmission'))).toEqual({ 'SESG-NET-001': 'pass', 'SESG-NET-002': 'pass', 'SESG-NET-004': 'not-applicable' });
    expect(collection.resources.find((r) => r.id === 'network-rules.yaml#BastionHttps')).toMatchObject({
      props: { groupName: { $unknown: 'security group BastionSecurityGroup is defined in another scanned template (network.yaml), not in this one' } },
    });
  });

  it('scanned without the templates that write their rules, the groups keep their default rule as far as sesguard can tell', async () => {
    const alone = evaluate((await collectIac(['network.yaml'], dir)).resources, 'C');
    expect(alone.get('network.yaml#RelaySecurityGroup')?.['SESG-NET-004'].kind).toBe('fail');
    expect(alone.get('network.yaml#BastionSecurityGroup')?.['SESG-NET-004'].kind).toBe('fail');
  });

  it('an imported literal id names no group of the set: every group keeps its default rule', async () => {
    const literal = NETWORK_STACK.replace('Value: !GetAtt RelaySecurityGroup.GroupId', 'Value: sg-0f1e2d3c4b5a69788');
    const results = evaluate((await collectIac(['network.yaml', 'app.yaml'], tempDir({ 'network.yaml': literal, 'app.yaml': APP_STACK }))).resources, 'C');
    expect(results.get('network.yaml#RelaySecurityGroup')?.['SESG-NET-004'].kind).toBe('fail');
    expect(results.get('app.yaml#RelaySubmission')?.['SESG-NET-001'].kind).toBe('pass');
  });
});
