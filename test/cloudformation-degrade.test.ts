// What the CloudFormation source cannot evaluate degrades to the smallest unit (SPEC §11): an unknown
// intrinsic function or YAML tag becomes an Unknown for that value alone, a resource whose Type is not a
// plain string is skipped, and each is a notice naming the construct and its line — never an error.
import { describe, expect, test } from 'vitest';
import type { PropsOf, Resource, ResourceType, SourceResult } from '../src/inventory/types.js';
import { readCloudFormation } from '../src/sources/cloudformation/index.js';
import { formatNotices } from '../src/sources/notices.js';

function read(text: string): SourceResult {
  const result = readCloudFormation('stacks/app.yaml', text);
  if (!result) throw new Error('not recognised as a template');
  return result;
}

function get<T extends ResourceType>(result: SourceResult, logicalId: string, type: T): Resource<T> {
  const found = result.resources.find((r) => r.provenance.logicalId === logicalId && r.type === type);
  if (!found) throw new Error(`no ${type} ${logicalId}`);
  return found as Resource<T>;
}

/** A role whose name is `name` and a group whose egress is written out, so each test sees what survived. */
function template(roleName: string, extra = ''): string {
  return [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Sender:',
    '    Type: AWS::IAM::Role',
    '    Properties:',
    `      RoleName: ${roleName}`,
    '      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" }] }',
    '  Relay:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: relay',
    '      SecurityGroupEgress: [{ IpProtocol: tcp, FromPort: 25, ToPort: 25, CidrIp: 0.0.0.0/0 }]',
    extra,
  ].join('\n');
}

describe('an unknown function or tag: Unknown for that value, a notice, the rest evaluated', () => {
  test.each([
    ['a pre-processor tag (Rain::Env)', '!Rain::Env ROLE', '!Rain::Env at line 6 is not evaluated', '!Rain::Env is not evaluated'],
    ['a pre-processor tag on a map (Rain::S3)', '!Rain::S3 { Path: src, Zip: true }', '!Rain::S3 at line 6 is not evaluated', '!Rain::S3 is not evaluated'],
    ['a future intrinsic function', '{ "Fn::Whatever": [a, b] }', 'Fn::Whatever at line 6 is not evaluated', 'Fn::Whatever is not evaluated (an intrinsic function'],
    ['a future function inside a known one', '!Join ["-", [mail, { "Fn::Whatever": x }]]', 'Fn::Whatever at line 6 is not evaluated', 'Fn::Whatever is not evaluated'],
  ])('%s', (_name, expression, reason, notice) => {
    const result = read(template(expression));
    expect(result.errors).toEqual([]);
    const role = get(result, 'Sender', 'aws.iam.role');
    expect(role.props.roleName).toMatchObject({ $unknown: reason });
    // The group next to it is read as written.
    expect(get(result, 'Relay', 'aws.ec2.security-group').props.egress).toMatchObject([{ protocol: 'tcp', fromPort: 25, cidrIpv4: '0.0.0.0/0' }]);
    expect(result.notices).toHaveLength(1);
    expect(result.notices?.[0]).toMatchObject({ file: 'stacks/app.yaml', line: 6 });
    expect(result.notices?.[0].message).toContain(notice);
  });

  test('a tag that makes all Properties unknown: every property reads as Unknown, no AWS default is assumed', () => {
    const result = read(template('mailer', '  Open:\n    Type: AWS::EC2::SecurityGroup\n    Properties: !Rain::Include open-sg.yaml\n'));
    const open = get(result, 'Open', 'aws.ec2.security-group');
    // Without the properties, the group is not taken to have no egress (which would mean AWS's allow-all rule).
    expect(open.props.egress).toMatchObject([{ protocol: { $unknown: '!Rain::Include at line 15 is not evaluated' } }]);
    expect(open.props.groupName).toMatchObject({ $unknown: '!Rain::Include at line 15 is not evaluated' });
  });

  test('the same tag at several places is one notice listing its lines', () => {
    const result = read(template('!Rain::Env ROLE', '  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: !Rain::Env TOPIC }\n'));
    expect(formatNotices(result.notices ?? [])).toEqual([
      "stacks/app.yaml (lines 6, 15): !Rain::Env is not evaluated (a YAML tag sesguard does not know, such as a pre-processor's directive): the value there is Unknown",
    ]);
  });
});

describe('a resource that is not a plain resource: skipped with a notice, the rest evaluated', () => {
  test.each([
    ['a Rain module as its Type', '  Bucket:\n    Type: !Rain::Module "./modules/bucket.yaml"\n    Properties: { Name: logs }\n', 13, 'resource Bucket is skipped: its Type is not a plain string (!Rain::Module ./modules/bucket.yaml'],
    ['a Type that is a list', '  Bucket:\n    Type: [AWS::S3::Bucket]\n', 13, 'resource Bucket is skipped: its Type is not a plain string ([…]'],
    ['a whole resource behind a tag', '  Bucket: !Rain::Include bucket.yaml\n', 13, 'resource Bucket is skipped: it is written as !Rain::Include bucket.yaml'],
    ['Fn::Transform among the resources', '  Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://b/k } }\n', 13, 'Fn::Transform inside Resources is not expanded: the resources it adds are not scanned'],
  ])('%s', (_name, extra, line, message) => {
    const result = read(template('mailer', extra));
    expect(result.errors).toEqual([]);
    expect(result.resources.map((r) => r.provenance.logicalId)).toEqual(['Sender', 'Relay']);
    expect(result.notices).toHaveLength(1);
    expect(result.notices?.[0]).toMatchObject({ line });
    expect(result.notices?.[0].message).toContain(message);
  });

  test('a template whose only resources are modules is still a template (recognised, nothing dropped silently)', () => {
    const result = read('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Site:\n    Type: !Rain::Module ./site.yaml\n');
    expect(result.resources).toEqual([]);
    expect(result.notices?.map((n) => n.line)).toEqual([3]);
  });
});

describe('nothing is lost: known values around an Unknown stay known', () => {
  test('a policy statement with an unknown Resource still shows its actions', () => {
    const result = read(
      [
        'Resources:',
        '  Sender:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      AssumeRolePolicyDocument: { Statement: [] }',
        '      Policies:',
        '        - PolicyName: send',
        '          PolicyDocument:',
        '            Statement:',
        '              - Effect: Allow',
        '                Action: [ses:SendEmail]',
        '                Resource: !Sub "arn:aws:ses:eu-west-1:111122223333:identity/${Rain::Constant}"',
        '                Condition: { StringEquals: { ses:FromAddress: !Rain::Env FROM } }',
      ].join('\n'),
    );
    const role = get(result, 'Sender', 'aws.iam.role');
    const document = role.props.policies[0].document as Exclude<PropsOf<'aws.iam.role'>['policies'][number]['document'], { $unknown: string }>;
    expect(document.statements[0].action).toEqual(['ses:SendEmail']);
    expect(document.statements[0].resource).toEqual([
      {
        $unknown: 'Fn::Sub refers to Rain::Constant, which is neither a parameter nor a resource of the template',
        parts: ['arn:aws:ses:eu-west-1:111122223333:identity/', { $unknown: 'Fn::Sub refers to Rain::Constant, which is neither a parameter nor a resource of the template' }],
      },
    ]);
    expect(document.statements[0].condition).toEqual({ StringEquals: { 'ses:FromAddress': [{ $unknown: '!Rain::Env at line 13 is not evaluated' }] } });
  });
});
