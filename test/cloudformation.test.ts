// The CloudFormation source: fixtures end to end, positions, intrinsics, links between resources,
// defaults, Unknown values, CDK paths and inline suppressions.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Resource, ResourceType, PropsOf, SourceResult } from '../src/inventory/types.js';
import { isCloudFormationTemplate, readCloudFormation } from '../src/sources/cloudformation/index.js';

function read(file: string, text: string): SourceResult {
  const result = readCloudFormation(file, text);
  if (!result) throw new Error(`${file} was not recognised as a template`);
  return result;
}

function fixture(path: string): SourceResult {
  return read(path, readFileSync(path, 'utf8'));
}

function get<T extends ResourceType>(result: SourceResult, logicalId: string, type: T): Resource<T> {
  const found = result.resources.find((r) => r.provenance.logicalId === logicalId && r.type === type);
  if (!found) throw new Error(`no ${type} ${logicalId}`);
  return found as Resource<T>;
}

function props<T extends ResourceType>(text: string, logicalId: string, type: T): PropsOf<T> {
  return get(read('t.yaml', text), logicalId, type).props;
}

/** A template with one resource of `type` whose Properties are the given YAML lines. */
function one(type: string, properties: string, head = ''): string {
  return `${head}Resources:\n  R:\n    Type: ${type}\n    Properties:\n${properties.replace(/^/gm, '      ')}\n`;
}

const BAD = 'fixtures/iac/cloudformation/bad-mail-stack.yaml';
const BAD_JSON = 'fixtures/iac/cloudformation/bad-mail-stack.json';
const GOOD = 'fixtures/iac/cloudformation/good-mail-stack.yaml';
const CDK = 'fixtures/iac/cdk/cdk.out/MailStack.template.json';

describe('fixtures', () => {
  test('the bad stack: every mistake is visible in the model, with positions', () => {
    const result = fixture(BAD);
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual([{ file: BAD, kind: 'cloudformation' }]);
    expect(result.resources.map((r) => [r.type, r.provenance.logicalId, r.provenance.line])).toEqual([
      ['aws.iam.role', 'MailSenderRole', 13],
      ['aws.ec2.security-group', 'MailRelaySg', 33],
      ['aws.ses.identity', 'DomainIdentity', 44],
      ['aws.ses.configuration-set', 'MailConfigSet', 49],
      ['aws.cloudwatch.alarm', 'BounceRateAlarm', 54],
      ['aws.cloudtrail.trail', 'AuditTrail', 66],
      ['aws.ec2.network-acl', 'MailNacl', 73],
    ]);
    const role = get(result, 'MailSenderRole', 'aws.iam.role');
    expect(role.id).toBe(`${BAD}#MailSenderRole`);
    expect(role.name).toBe('mail-sender-prod');
    expect(role.provenance).toEqual({ source: 'cloudformation', file: BAD, line: 13, column: 3, logicalId: 'MailSenderRole' });
    expect(role.props.policies).toEqual([
      {
        name: 'send-anything',
        kind: 'inline',
        line: 25,
        column: 11,
        document: { statements: [{ effect: 'Allow', action: ['ses:*'], resource: ['*'], line: 29, column: 17 }] },
      },
    ]);
    expect(get(result, 'MailRelaySg', 'aws.ec2.security-group').props.egress).toEqual([
      { protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0', line: 39, column: 11 },
    ]);
    const identity = get(result, 'DomainIdentity', 'aws.ses.identity').props;
    expect(identity.configurationSet).toBeUndefined();
    expect(identity.configurationSetName).toBeUndefined();
    expect(get(result, 'MailConfigSet', 'aws.ses.configuration-set').props).toEqual({
      configurationSetName: 'mail-prod',
      reputationMetricsEnabled: false,
      tlsPolicy: 'OPTIONAL',
      sendingEnabled: true,
      eventDestinations: [],
    });
    expect(get(result, 'BounceRateAlarm', 'aws.cloudwatch.alarm').props.threshold).toBe(5);
    expect(get(result, 'AuditTrail', 'aws.cloudtrail.trail').props.isMultiRegionTrail).toBe(false);
    expect(get(result, 'MailNacl', 'aws.ec2.network-acl').props.entries).toEqual([
      { ruleNumber: 100, egress: true, protocol: '6', ruleAction: 'allow', cidrBlock: '0.0.0.0/0', fromPort: 25, toPort: 25, line: 78, column: 3 },
    ]);
  });

  test('the JSON version gives the same model, with JSON positions', () => {
    const yaml = fixture(BAD);
    const json = fixture(BAD_JSON);
    const strip = (r: Resource) => JSON.parse(JSON.stringify(r.props, (k, v) => (k === 'line' || k === 'column' ? undefined : v)));
    expect(json.resources.map(strip)).toEqual(yaml.resources.map(strip));
    expect(get(json, 'MailSenderRole', 'aws.iam.role').provenance.line).toBe(15);
    expect(get(json, 'MailRelaySg', 'aws.ec2.security-group').props.egress[0].line).toBe(56);
  });

  test('the good stack: send limited to one identity, with network and FromAddress conditions', () => {
    const result = fixture(GOOD);
    const role = get(result, 'MailSenderRole', 'aws.iam.role');
    expect(role.props.policies).toEqual([
      {
        name: 'send-from-noreply',
        kind: 'inline',
        line: 25,
        column: 3,
        definedAt: { source: 'cloudformation', file: GOOD, line: 25, column: 3, logicalId: 'SendFromOneIdentity' },
        document: {
          statements: [
            {
              sid: 'SendOnlyAsNoreply',
              effect: 'Allow',
              action: ['ses:SendEmail', 'ses:SendRawEmail'],
              resource: ['arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/noreply@example.com'],
              condition: {
                IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
                StringEquals: { 'ses:FromAddress': ['noreply@example.com'] },
              },
              line: 34,
              column: 13,
            },
          ],
        },
      },
    ]);
    // Folded into the role: not emitted on its own.
    expect(result.resources.some((r) => r.type === 'aws.iam.policy')).toBe(false);
    const identity = get(result, 'NoreplyIdentity', 'aws.ses.identity').props;
    expect(identity).toMatchObject({ identity: 'noreply@example.com', kind: 'email', configurationSetName: 'mail-default' });
    expect(identity.configurationSet).toEqual({
      configurationSetName: 'mail-default',
      reputationMetricsEnabled: true,
      tlsPolicy: 'REQUIRE',
      sendingEnabled: true,
      eventDestinations: [
        {
          name: 'bounce-complaint-to-sns',
          enabled: true,
          matchingEventTypes: ['BOUNCE', 'COMPLAINT'],
          targets: ['sns'],
          snsTopicArn: '${FeedbackTopic}',
          line: 70,
          column: 3,
        },
      ],
    });
    expect(get(result, 'HttpsOnlySg', 'aws.ec2.security-group').props.egress.map((r) => r.fromPort)).toEqual([443]);
    expect(get(result, 'ComplaintRateAlarm', 'aws.cloudwatch.alarm').props).toMatchObject({
      threshold: 0.001,
      alarmActions: ['${FeedbackTopic}'],
      actionsEnabled: true,
    });
    expect(get(result, 'AuditTrail', 'aws.cloudtrail.trail').props).toEqual({
      trailName: 'org-audit',
      isMultiRegionTrail: true,
      isLogging: true,
      includesManagementEvents: true,
    });
  });

  test('CDK output: aws:cdk:path, SSM parameters and Rules are tolerated, suppression read', () => {
    const result = fixture(CDK);
    expect(result.errors).toEqual([]);
    const role = get(result, 'SenderRole9F2E8A41', 'aws.iam.role');
    expect(role.provenance.cdkPath).toBe('MailStack/SenderRole/Resource');
    expect(role.suppressions).toEqual([
      { check: 'SESG-IAM-003', reason: 'FromAddress is enforced by the sending library, SEC-42', line: 43 },
    ]);
    expect(role.props.policies.map((p) => [p.name, p.kind, p.definedAt?.cdkPath])).toEqual([
      ['SenderRoleDefaultPolicyB5A9C0E7', 'inline', 'MailStack/SenderRole/DefaultPolicy/Resource'],
      ['AWSLambdaBasicExecutionRole', 'aws-managed', undefined],
    ]);
    const identity = get(result, 'Identity4E7A2B90', 'aws.ses.identity');
    expect(identity.provenance.cdkPath).toBe('MailStack/Identity/Resource');
    // No Name: the configuration set is known by its logical id.
    expect(identity.props.configurationSetName).toBe('ConfigSet3D1F0A8B');
    expect(identity.props.mailFrom).toEqual({ domain: 'bounce.mail.example.com' });
    const set = identity.props.configurationSet as PropsOf<'aws.ses.configuration-set'>;
    expect(set.eventDestinations[0]).toHaveProperty('matchingEventTypes', ['BOUNCE', 'COMPLAINT', 'RENDERING_FAILURE']);
  });
});

describe('recognition', () => {
  test.each([
    ['package.json', '{"name": "x", "version": "1.0.0", "scripts": {"test": "vitest"}}'],
    ['workflow', 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n'],
    ['docker-compose', 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n'],
    ['Resources without types', 'Resources:\n  cpu: 2\n  memory: 4Gi\n'],
    ['kubernetes multi-document', 'kind: Service\n---\nkind: Deployment\n'],
    ['a scalar', 'just text\n'],
    ['empty', ''],
  ])('%s is not a template', (_name, text) => {
    expect(readCloudFormation('x.yaml', text)).toBeNull();
  });

  test.each([
    [{ AWSTemplateFormatVersion: '2010-09-09' }, true],
    [{ Resources: { A: { Type: 'AWS::SNS::Topic' } } }, true],
    [{ Resources: { A: { Type: 'Custom::Thing' } } }, true],
    [{ Resources: { A: { Type: 'web' } } }, false],
    [{ Resources: [] }, false],
    [{ name: 'x' }, false],
    [[], false],
    [null, false],
    ['Resources', false],
  ])('isCloudFormationTemplate(%j) is %s', (value, expected) => {
    expect(isCloudFormationTemplate(value)).toBe(expected);
  });

  test('a template with no resources of interest gives no resources', () => {
    expect(read('t.yaml', one('AWS::S3::Bucket', 'BucketName: b'))).toEqual({
      resources: [],
      errors: [],
      files: [{ file: 't.yaml', kind: 'cloudformation' }],
    });
  });
});

describe('intrinsics', () => {
  const head = [
    'Parameters:',
    '  Env: { Type: String, Default: prod }',
    '  NoDefault: { Type: String }',
    '  Cidrs: { Type: CommaDelimitedList, Default: "10.0.0.0/8, 192.168.0.0/16" }',
    '  FromSsm: { Type: "AWS::SSM::Parameter::Value<String>", Default: /mail/name }',
    'Mappings:',
    '  Names: { prod: { alarm: prod-bounce }, dev: { alarm: dev-bounce } }',
    '',
  ].join('\n');
  const alarmName = (expression: string) =>
    props(one('AWS::CloudWatch::Alarm', `AlarmName: ${expression}\nThreshold: 1`, head), 'R', 'aws.cloudwatch.alarm').alarmName;

  test.each([
    ['literal', 'plain', 'plain'],
    ['!Ref parameter with default', '!Ref Env', 'prod'],
    ['Ref long form', '{ Ref: Env }', 'prod'],
    ['!Ref parameter without default', '!Ref NoDefault', { $unknown: 'parameter NoDefault has no default' }],
    ['!Ref SSM parameter', '!Ref FromSsm', { $unknown: 'parameter is read from SSM at deployment' }],
    ['!Ref pseudo parameter', '!Ref AWS::Region', '${AWS::Region}'],
    ['!Ref resource', '!Ref R', '${R}'],
    ['!Ref unknown name', '!Ref Nope', { $unknown: 'Ref to Nope, which is neither a parameter nor a resource of the template' }],
    ['!Sub with parameter and pseudo', '!Sub "${Env}-${AWS::AccountId}-${R.Arn}-${!Literal}"', 'prod-${AWS::AccountId}-${R.Arn}-${Literal}'],
    ['!Sub with variables', '!Sub ["${A}-${Env}", { A: !Ref AWS::Partition }]', '${AWS::Partition}-prod'],
    ['Fn::Sub long form', '{ "Fn::Sub": "x-${Env}" }', 'x-prod'],
    ['!Sub of a parameter without default keeps the known text', '!Sub "x-${NoDefault}"', { $unknown: 'parameter NoDefault has no default', parts: ['x-', { $unknown: 'parameter NoDefault has no default' }] }],
    [
      '!Sub with two unknowns keeps the text around each',
      '!Sub "arn:${AWS::Partition}:ses:${NoDefault}:111122223333:identity/${Imported}"',
      {
        $unknown: 'parameter NoDefault has no default; Fn::Sub refers to Imported, which is neither a parameter nor a resource of the template',
        parts: [
          'arn:${AWS::Partition}:ses:',
          { $unknown: 'parameter NoDefault has no default' },
          ':111122223333:identity/',
          { $unknown: 'Fn::Sub refers to Imported, which is neither a parameter nor a resource of the template' },
        ],
      },
    ],
    ['!GetAtt short form', '!GetAtt R.Arn', '${R.Arn}'],
    ['!GetAtt list form', '!GetAtt [R, Arn]', '${R.Arn}'],
    ['!GetAtt nested attribute', '!GetAtt R.Endpoint.Address', '${R.Endpoint.Address}'],
    ['!Join', '!Join ["-", [a, !Ref Env, 3]]', 'a-prod-3'],
    ['!Join of a list parameter', '!Join [";", !Ref Cidrs]', '10.0.0.0/8;192.168.0.0/16'],
    ['!Join with an unknown part keeps the known parts', '!Join ["", [a, !ImportValue Shared]]', { $unknown: 'imported from another stack (Shared)', parts: ['a', { $unknown: 'imported from another stack (Shared)' }] }],
    [
      '!Join of a partly known part flattens it',
      '!Join [":", [arn, !Sub "aws-${NoDefault}", ses]]',
      { $unknown: 'parameter NoDefault has no default', parts: ['arn:aws-', { $unknown: 'parameter NoDefault has no default' }, ':ses'] },
    ],
    ['!Join of an unknown list', '!Join [",", !Ref NoDefault]', { $unknown: 'parameter NoDefault has no default' }],
    ['!Base64 of a partly known string is wholly unknown', '!Base64 { "Fn::Sub": "x-${NoDefault}" }', { $unknown: 'parameter NoDefault has no default' }],
    ['!ImportValue of a partly known name is wholly unknown', '!ImportValue { "Fn::Sub": "${NoDefault}-vpc" }', { $unknown: 'parameter NoDefault has no default' }],
    ['!Select from a partly known string split is wholly unknown', '!Select [0, !Split ["-", !Sub "a-${NoDefault}"]]', { $unknown: 'parameter NoDefault has no default' }],
    ['!Select on a literal list', '!Select [1, [a, b, c]]', 'b'],
    ['!Select on !Split', '!Select [0, !Split [",", "x,y"]]', 'x'],
    ['!Select out of range', '!Select [5, [a]]', { $unknown: 'Fn::Select index is outside the list' }],
    ['!Select on !GetAZs', "!Select [0, !GetAZs '']", { $unknown: 'Fn::GetAZs is known only at deployment' }],
    ['!FindInMap', '!FindInMap [Names, !Ref Env, alarm]', 'prod-bounce'],
    ['!FindInMap missing key', '!FindInMap [Names, test, alarm]', { $unknown: "Fn::FindInMap: Names/test/alarm is not in the template's Mappings" }],
    ['!If with equal branches', '!If [IsProd, same, same]', 'same'],
    ['!If with different branches', '!If [IsProd, a, b]', { $unknown: 'depends on condition IsProd' }],
    ['!ImportValue', '!ImportValue Shared', { $unknown: 'imported from another stack (Shared)' }],
    ['!Base64', '!Base64 hi', 'aGk='],
    ['!ToJsonString', '!ToJsonString { a: !Ref Env }', '{"a":"prod"}'],
    ['!Transform', '!Transform { Name: Macro }', { $unknown: 'Fn::Transform macros are not expanded' }],
    ['!Cidr', '!Cidr [10.0.0.0/16, 2, 8]', { $unknown: 'Fn::Cidr is not evaluated' }],
  ])('%s', (_name, expression, expected) => {
    expect(alarmName(expression)).toEqual(expected);
  });

  test.each([
    ['!Length', 'Threshold: !Length [a, b, c]', 3],
    ['!Equals true', 'Threshold: !If [C, 1, 1]\nActionsEnabled: !Equals [!Ref Env, prod]', true],
    ['!Equals false', 'Threshold: 1\nActionsEnabled: !Equals [!Ref Env, dev]', false],
    ['!Not / !And / !Or', 'Threshold: 1\nActionsEnabled: !And [!Not [!Equals [a, b]], !Or [!Equals [a, b], true]]', true],
    ['!Condition', 'Threshold: 1\nActionsEnabled: !Condition IsProd', { $unknown: 'depends on condition IsProd' }],
    ['!Equals on a symbolic value', 'Threshold: 1\nActionsEnabled: !Equals [!Ref AWS::Region, us-east-1]', { $unknown: 'Fn::Equals compares a value known only at deployment' }],
  ])('%s', (name, properties, expected) => {
    const alarm = props(one('AWS::CloudWatch::Alarm', properties, head), 'R', 'aws.cloudwatch.alarm');
    expect(name === '!Length' ? alarm.threshold : alarm.actionsEnabled).toEqual(expected);
  });

  test('AWS::NoValue removes the property and the list item', () => {
    const alarm = props(
      one('AWS::CloudWatch::Alarm', 'Threshold: 1\nActionsEnabled: !Ref AWS::NoValue\nAlarmActions: [a, !Ref AWS::NoValue, b]'),
      'R',
      'aws.cloudwatch.alarm',
    );
    expect(alarm.actionsEnabled).toBe(true);
    expect(alarm.alarmActions).toEqual(['a', 'b']);
  });

  test('Unknown values inside a policy statement stay Unknown', () => {
    const role = props(
      one(
        'AWS::IAM::Role',
        [
          'Policies:',
          '  - PolicyName: p',
          '    PolicyDocument:',
          '      Statement:',
          '        - Effect: Allow',
          '          Action: ses:SendEmail',
          '          Resource: !ImportValue IdentityArn',
          '          Condition: { IpAddress: { aws:SourceIp: !Ref NoDefault } }',
        ].join('\n'),
        'Parameters:\n  NoDefault: { Type: String }\n',
      ),
      'R',
      'aws.iam.role',
    );
    const document = role.policies[0].document as PropsOf<'aws.iam.policy'>['document'] & { statements: unknown[] };
    expect(document.statements[0]).toMatchObject({
      resource: [{ $unknown: 'imported from another stack (IdentityArn)' }],
      condition: { IpAddress: { 'aws:SourceIp': [{ $unknown: 'parameter NoDefault has no default' }] } },
    });
  });
});
