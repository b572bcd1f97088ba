// Fn::ForEach (AWS::LanguageExtensions) expanded as CloudFormation expands it: collections from literal lists
// and list parameters, `${Id}` / `&{Id}` in logical ids, keys and Fn::Sub strings, `Ref: Id`, nested loops,
// loops inside Properties and Outputs. A loop over an unknown collection is reported, never dropped.
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../src/config/types.js';
import type { PropsOf, Resource, SourceResult } from '../src/inventory/types.js';
import { readCloudFormation } from '../src/sources/cloudformation/index.js';
import { substitute } from '../src/sources/cloudformation/foreach.js';
import { runIac } from '../src/run.js';
import { tempDir } from './helpers.js';

function read(text: string): SourceResult {
  const result = readCloudFormation('loops.yaml', text);
  if (!result) throw new Error('not recognised as a template');
  return result;
}

const ids = (result: SourceResult) => result.resources.map((r) => [r.type, r.provenance.logicalId, r.provenance.line]);

const HEAD = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Transform: AWS::LanguageExtensions',
  'Parameters:',
  '  Senders: { Type: CommaDelimitedList, Default: "orders, invoices" }',
  '  Subnets: { Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-0a1b, subnet-2c3d" }',
  '  Tenants: { Type: CommaDelimitedList }',
].join('\n');

describe('substitution', () => {
  test.each([
    ['${Id} is the item', 'Topic${T}', 'orders-eu', 'Topicorders-eu'],
    ['&{Id} is the item without non-alphanumerics', 'Subnet&{T}', '10.0.2.0/24', 'Subnet1002024'],
    ['unbound identifiers stay', '${Other}-${T}', 'a', '${Other}-a'],
    ['both forms in one string', '${T}:&{T}', 'a.b', 'a.b:ab'],
  ])('%s', (_name, text, item, expected) => {
    expect(substitute(text, new Map([['T', item]]))).toBe(expected);
  });
});

describe('expansion', () => {
  test('a literal list: one role per item, logical ids and names from the item, each at the line of its key', () => {
    const result = read(
      [
        HEAD,
        'Resources:',
        '  Fn::ForEach::Senders:',
        '    - Name',
        '    - [orders, invoices]',
        '    - Sender${Name}:',
        '        Type: AWS::IAM::Role',
        '        Properties:',
        '          RoleName: !Sub "${Name}-sender"',
        '          Path: !Join ["/", ["", !Ref Name, ""]]',
        '          AssumeRolePolicyDocument: { Statement: [] }',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(ids(result)).toEqual([
      ['aws.iam.role', 'Senderorders', 11],
      ['aws.iam.role', 'Senderinvoices', 11],
    ]);
    expect(result.resources.map((r) => (r.props as PropsOf<'aws.iam.role'>).roleName)).toEqual(['orders-sender', 'invoices-sender']);
  });

  test('a CommaDelimitedList and a List<…> parameter with defaults; &{} for items that are not alphanumeric', () => {
    const result = read(
      [
        HEAD,
        'Resources:',
        '  Fn::ForEach::Groups:',
        '    - Subnet',
        '    - !Ref Subnets',
        '    - Relay&{Subnet}:',
        '        Type: AWS::EC2::SecurityGroup',
        '        Properties:',
        '          GroupName: !Sub relay-${Subnet}',
        '          GroupDescription: relay',
        '          SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 25, ToPort: 25, CidrIp: 0.0.0.0/0 }]',
        '  Fn::ForEach::Alarms:',
        '    - Sender',
        '    - !Ref Senders',
        '    - ${Sender}Bounces:',
        '        Type: AWS::CloudWatch::Alarm',
        '        Properties: { AlarmName: !Sub "${Sender}-bounces", Namespace: AWS/SES, MetricName: Reputation.BounceRate, Threshold: 0.05, ComparisonOperator: GreaterThanThreshold }',
      ].join('\n'),
    );
    expect(ids(result)).toEqual([
      ['aws.ec2.security-group', 'Relaysubnet0a1b', 11],
      ['aws.ec2.security-group', 'Relaysubnet2c3d', 11],
      ['aws.cloudwatch.alarm', 'ordersBounces', 20],
      ['aws.cloudwatch.alarm', 'invoicesBounces', 20],
    ]);
    expect(result.resources.map((r) => r.name)).toEqual(['relay-subnet-0a1b', 'relay-subnet-2c3d', 'orders-bounces', 'invoices-bounces']);
  });

  test('nested loops, and Fn::GetAtt of a generated id through Fn::Sub', () => {
    const result = read(
      [
        HEAD,
        'Resources:',
        '  Fn::ForEach::Tiers:',
        '    - Tier',
        '    - [Web, Mail]',
        '    - ${Tier}Sg:',
        '        Type: AWS::EC2::SecurityGroup',
        '        Properties: { GroupDescription: !Ref Tier, SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }] }',
        '      Fn::ForEach::Ports:',
        '        - Port',
        '        - ["25", "587"]',
        '        - ${Tier}Egress${Port}:',
        '            Type: AWS::EC2::SecurityGroupEgress',
        '            Properties:',
        '              GroupId: !GetAtt [{ "Fn::Sub": "${Tier}Sg" }, GroupId]',
        '              IpProtocol: tcp',
        '              FromPort: !Ref Port',
        '              ToPort: !Ref Port',
        '              CidrIp: 0.0.0.0/0',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    const groups = result.resources.filter((r): r is Resource<'aws.ec2.security-group'> => r.type === 'aws.ec2.security-group');
    expect(groups.map((g) => [g.provenance.logicalId, g.props.egress.map((e) => e.fromPort)])).toEqual([
      ['WebSg', [443, 25, 587]],
      ['MailSg', [443, 25, 587]],
    ]);
  });

  test('a loop in Outputs generates outputs other templates can use', () => {
    const result = read(
      [
        HEAD,
        'Resources:',
        '  Topic: { Type: AWS::SNS::Topic }',
        'Outputs:',
        '  Fn::ForEach::Exports:',
        '    - Name',
        '    - [alerts, bounces]',
        '    - ${Name}Topic:',
        '        Value: !Ref Topic',
        '        Export: { Name: !Sub "mail-${Name}-topic" }',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.notices).toBeUndefined();
  });
});

describe('a loop over an unknown collection', () => {
  const text = [
    HEAD,
    'Resources:',
    '  Fn::ForEach::TenantSenders:',
    '    - Tenant',
    '    - !Ref Tenants',
    '    - ${Tenant}Sender:',
    '        Type: AWS::IAM::Role',
    '        Properties:',
    '          RoleName: !Sub "${Tenant}-sender"',
    '          AssumeRolePolicyDocument: { Statement: [] }',
    '      ${Tenant}Relay:',
    '        Type: AWS::EC2::SecurityGroup',
    '        Properties: { GroupDescription: relay }',
    '  Audit:',
    '    Type: AWS::CloudTrail::Trail',
    '    Properties: { IsLogging: true, IsMultiRegionTrail: true }',
  ].join('\n');

  test('is a fragment naming the loop, its line, the reason and what it would produce; the rest is read', () => {
    const result = read(text);
    expect(result.errors).toEqual([]);
    expect(ids(result)).toEqual([['aws.cloudtrail.trail', 'Audit', 19]]);
    expect(result.fragments).toEqual([
      {
        file: 'loops.yaml',
        line: 8,
        column: 3,
        name: 'Fn::ForEach::TenantSenders',
        reason: 'Fn::ForEach::TenantSenders is not expanded (parameter Tenants has no default)',
        resourceTypes: ['aws.ec2.security-group', 'aws.iam.role'],
      },
    ]);
    expect(result.notices).toEqual([
      {
        file: 'loops.yaml',
        line: 8,
        column: 3,
        message: 'Fn::ForEach::TenantSenders is not expanded (parameter Tenants has no default): the resources it generates are not assessed',
      },
    ]);
  });

  test('inside Properties, the keys it would add are unknown: the properties read as Unknown, with a notice', () => {
    const result = read(
      [
        HEAD,
        'Resources:',
        '  Relay:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: relay',
        '      Fn::ForEach::Extra:',
        '        - Key',
        '        - !Ref Tenants',
        '        - Tag${Key}: x',
      ].join('\n'),
    );
    const relay = result.resources[0] as Resource<'aws.ec2.security-group'>;
    // Not "no egress written" (which would be AWS's allow-all default): unknown.
    expect(relay.props.egress).toMatchObject([{ protocol: { $unknown: 'Fn::ForEach::Extra is not expanded (parameter Tenants has no default)' } }]);
    expect(result.notices?.map((n) => [n.line, n.message])).toEqual([
      [12, 'Fn::ForEach::Extra is not expanded (parameter Tenants has no default): the values it generates are Unknown'],
    ]);
  });

  test('every check reading those resource types is not assessed at the loop, with the reason and a notice', async () => {
    const dir = tempDir({ 'loops.yaml': text });
    const results = await runIac(['loops.yaml'], { config: defaultConfig(), cwd: dir });
    const loop = results.notAssessed.filter((n) => n.logicalId === 'Fn::ForEach::TenantSenders');
    expect(new Set(loop.map((n) => n.checkId.split('-')[1]))).toEqual(new Set(['IAM', 'NET']));
    expect(loop.every((n) => n.file === 'loops.yaml' && n.line === 8 && n.reason.includes('parameter Tenants has no default'))).toBe(true);
    expect(results.notices).toEqual([
      'loops.yaml:8: Fn::ForEach::TenantSenders is not expanded (parameter Tenants has no default): the resources it generates are not assessed',
    ]);
    expect(results.errors).toEqual([]);
  });
});
