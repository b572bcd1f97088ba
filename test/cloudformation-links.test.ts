// The CloudFormation source joins resources the way AWS does: policies to principals, identities to
// configuration sets, event destinations, egress rules and NACL entries to their owners; and applies
// AWS's defaults to properties left out.
import { describe, expect, test } from 'vitest';
import { type PropsOf, type Resource, type ResourceType, type SourceResult, isUnknown } from '../src/inventory/types.js';
import { readCloudFormation } from '../src/sources/cloudformation/index.js';

function read(text: string): SourceResult {
  const result = readCloudFormation('t.yaml', text);
  if (!result) throw new Error('not recognised as a template');
  return result;
}

function get<T extends ResourceType>(result: SourceResult, logicalId: string, type: T): Resource<T> {
  const found = result.resources.find((r) => r.provenance.logicalId === logicalId && r.type === type);
  if (!found) throw new Error(`no ${type} ${logicalId}`);
  return found as Resource<T>;
}

const DOC = '{ Statement: [ { Effect: Allow, Action: "ses:SendEmail", Resource: "*" } ] }';

describe('IAM', () => {
  const template = `Resources:
  Sender:
    Type: AWS::IAM::Role
    Properties:
      RoleName: sender
      AssumeRolePolicyDocument: { Statement: [ { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: "sts:AssumeRole" } ] }
      ManagedPolicyArns:
        - !Ref SharedManaged
        - arn:aws:iam::aws:policy/AmazonSESFullAccess
        - arn:aws:iam::111122223333:policy/custom
  ByRef:
    Type: AWS::IAM::Policy
    Properties: { PolicyName: by-ref, Roles: [!Ref Sender], PolicyDocument: ${DOC} }
  ByName:
    Type: AWS::IAM::Policy
    Properties: { PolicyName: by-name, Roles: [sender, outside-role], PolicyDocument: ${DOC} }
  SharedManaged:
    Type: AWS::IAM::ManagedPolicy
    Properties: { ManagedPolicyName: shared, PolicyDocument: ${DOC} }
  Orphan:
    Type: AWS::IAM::Policy
    Properties: { PolicyName: orphan, PolicyDocument: ${DOC} }
  Team:
    Type: AWS::IAM::Group
    Properties:
      Policies: [ { PolicyName: team-inline, PolicyDocument: ${DOC} } ]
  Other:
    Type: AWS::IAM::Group
  Smtp:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Team, ExternalGroup]
  Joined:
    Type: AWS::IAM::UserToGroupAddition
    Properties: { GroupName: !Ref Other, Users: [!Ref Smtp] }
`;

  test('a role carries inline, attached and managed policies with where each is defined', () => {
    const result = read(template);
    const role = get(result, 'Sender', 'aws.iam.role');
    expect(role.props.policies.map((p) => [p.name, p.kind, p.definedAt?.logicalId, p.line, p.arn])).toEqual([
      ['by-ref', 'inline', 'ByRef', 11, undefined],
      ['by-name', 'inline', 'ByName', 14, undefined],
      ['shared', 'managed', 'SharedManaged', 17, undefined],
      ['AmazonSESFullAccess', 'aws-managed', undefined, 9, 'arn:aws:iam::aws:policy/AmazonSESFullAccess'],
      ['custom', 'managed', undefined, 10, 'arn:aws:iam::111122223333:policy/custom'],
    ]);
    expect(role.props.policies[2].document).toMatchObject({ statements: [{ action: ['ses:SendEmail'] }] });
    // AWS managed: the document comes from the shipped data file (data/aws-managed-policies.json).
    expect(role.props.policies[3].document).toEqual({ statements: [{ effect: 'Allow', action: ['ses:*'], resource: ['*'] }] });
    expect(role.props.policies[4].document).toEqual({
      $unknown: 'managed policy arn:aws:iam::111122223333:policy/custom is not defined in the template',
    });
  });

  test('policies attached outside the template, or to nothing, stay visible as aws.iam.policy', () => {
    const result = read(template);
    expect(result.resources.filter((r) => r.type === 'aws.iam.policy').map((r) => [r.provenance.logicalId, (r.props as PropsOf<'aws.iam.policy'>).externalAttachments])).toEqual([
      ['ByName', ['outside-role']],
      ['Orphan', []],
    ]);
  });

  test('a user gets its own, its template groups’ and (as Unknown) its outside groups’ policies', () => {
    const user = get(read(template), 'Smtp', 'aws.iam.user');
    expect(user.props.groups).toEqual(['Team', 'ExternalGroup', 'Other']);
    expect(user.props.accessKeys).toEqual([]);
    expect(user.props.userName).toEqual({ $unknown: 'UserName is not set: CloudFormation generates the name' });
    expect(user.props.policies.map((p) => [p.name, p.definedAt?.logicalId, isUnknown(p.document) ? p.document.$unknown : 'known'])).toEqual([
      ['team-inline', 'Team', 'known'],
      ['group ExternalGroup', undefined, 'group ExternalGroup is not defined in this template'],
    ]);
  });

  test('RolePolicy / UserPolicy / GroupPolicy fold into their principal by Ref or name; on one defined elsewhere they stay aws.iam.policy', () => {
    const result = read(`Resources:
  Mailer:
    Type: AWS::IAM::Role
    Properties:
      RoleName: mailer
      AssumeRolePolicyDocument: { Statement: [ { Effect: Allow, Principal: { Service: ecs-tasks.amazonaws.com }, Action: "sts:AssumeRole" } ] }
  Senders:
    Type: AWS::IAM::Group
  Smtp:
    Type: AWS::IAM::User
    Properties: { Groups: [!Ref Senders] }
  MailerSend:
    Type: AWS::IAM::RolePolicy
    Properties: { RoleName: !Ref Mailer, PolicyName: mailer-send, PolicyDocument: ${DOC} }
  MailerByName:
    Type: AWS::IAM::RolePolicy
    Properties: { RoleName: mailer, PolicyName: mailer-by-name, PolicyDocument: ${DOC} }
  SendersSend:
    Type: AWS::IAM::GroupPolicy
    Properties: { GroupName: !Ref Senders, PolicyName: senders-send, PolicyDocument: ${DOC} }
  SmtpSend:
    Type: AWS::IAM::UserPolicy
    Properties: { UserName: !Ref Smtp, PolicyName: smtp-send, PolicyDocument: ${DOC} }
  LegacyRoleSend:
    Type: AWS::IAM::RolePolicy
    Properties: { RoleName: legacy-mailer, PolicyName: legacy-send, PolicyDocument: ${DOC} }
`);
    expect(get(result, 'Mailer', 'aws.iam.role').props.policies.map((p) => [p.name, p.kind, p.definedAt?.logicalId])).toEqual([
      ['mailer-send', 'inline', 'MailerSend'],
      ['mailer-by-name', 'inline', 'MailerByName'],
    ]);
    expect(get(result, 'Senders', 'aws.iam.group').props.policies.map((p) => p.name)).toEqual(['senders-send']);
    expect(get(result, 'Smtp', 'aws.iam.user').props.policies.map((p) => p.name)).toEqual(['smtp-send', 'senders-send']);
    const legacy = get(result, 'LegacyRoleSend', 'aws.iam.policy');
    expect(legacy.props).toMatchObject({ policyName: 'legacy-send', externalAttachments: ['legacy-mailer'], document: { statements: [{ action: ['ses:SendEmail'] }] } });
    expect(result.resources.filter((r) => r.type === 'aws.iam.policy').map((r) => r.provenance.logicalId)).toEqual(['LegacyRoleSend']);
  });

  test('users added to a group defined elsewhere: the addition stands for that group, its policies unknown', () => {
    const result = read(`Resources:
  Smtp:
    Type: AWS::IAM::User
  JoinShared:
    Type: AWS::IAM::UserToGroupAddition
    Properties: { GroupName: shared-senders, Users: [!Ref Smtp, ops-user] }
`);
    expect(get(result, 'JoinShared', 'aws.iam.group')).toMatchObject({
      id: 't.yaml#JoinShared',
      name: 'shared-senders',
      provenance: { logicalId: 'JoinShared', line: 4 },
      props: {
        groupName: 'shared-senders',
        policies: [{ name: 'group shared-senders', kind: 'managed', line: 6, document: { $unknown: 'group shared-senders is not defined in this template' } }],
      },
    });
    expect(get(result, 'Smtp', 'aws.iam.user').props.policies.map((p) => p.name)).toEqual(['group shared-senders']);
  });
});

describe('SES', () => {
  test('identities link to configuration sets by Ref or by name; event destinations by Ref or name', () => {
    const result = read(`Resources:
  Domain:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: example.com
      DkimAttributes: { SigningEnabled: false }
      MailFromAttributes: { MailFromDomain: mail.example.com }
  Address:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: noreply@Example.com
      ConfigurationSetAttributes: { ConfigurationSetName: named-set }
  Elsewhere:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: other@example.org
      ConfigurationSetAttributes: { ConfigurationSetName: shared-set }
  Set:
    Type: AWS::SES::ConfigurationSet
    Properties: { Name: named-set, SendingOptions: { SendingEnabled: "false" }, DeliveryOptions: { TlsPolicy: Require } }
  ByName:
    Type: AWS::SES::ConfigurationSetEventDestination
    Properties:
      ConfigurationSetName: named-set
      EventDestination: { MatchingEventTypes: [send, deliveryDelay], CloudWatchDestination: {}, KinesisFirehoseDestination: {} }
  ByRef:
    Type: AWS::SES::ConfigurationSetEventDestination
    Properties:
      ConfigurationSetName: !Ref Set
      EventDestination: { Name: eb, Enabled: true, MatchingEventTypes: [bounce], EventBridgeDestination: {} }
`);
    const set = get(result, 'Set', 'aws.ses.configuration-set').props;
    expect(set).toEqual({
      configurationSetName: 'named-set',
      reputationMetricsEnabled: false,
      tlsPolicy: 'REQUIRE',
      sendingEnabled: false,
      eventDestinations: [
        { name: 'ByName', enabled: false, matchingEventTypes: ['SEND', 'DELIVERY_DELAY'], targets: ['cloudwatch', 'firehose'], line: 21, column: 3 },
        { name: 'eb', enabled: true, matchingEventTypes: ['BOUNCE'], targets: ['eventbridge'], line: 26, column: 3 },
      ],
    });
    const address = get(result, 'Address', 'aws.ses.identity').props;
    expect(address.kind).toBe('email');
    expect(address.configurationSet).toBe(set);
    expect(address.parentDomain).toEqual({ identity: 'example.com', dkimSigningEnabled: false });
    const domain = get(result, 'Domain', 'aws.ses.identity').props;
    expect(domain).toMatchObject({ kind: 'domain', verified: true, dkim: { signingEnabled: false }, mailFrom: { domain: 'mail.example.com' } });
    expect(domain.parentDomain).toBeUndefined();
    expect(domain.configurationSet).toBeUndefined();
    const elsewhere = get(result, 'Elsewhere', 'aws.ses.identity').props;
    expect(elsewhere.parentDomain).toBeUndefined();
    expect(elsewhere.configurationSetName).toBe('shared-set');
    expect(elsewhere.configurationSet).toEqual({ $unknown: 'configuration set shared-set is not defined in this template' });
    expect(elsewhere.notifications).toEqual({});
    expect(elsewhere.policies).toEqual([]);
  });

  test('an event destination of a set defined elsewhere: a resource of its own, and known to identities using that set', () => {
    const result = read(`Parameters:
  FeedbackSetName: { Type: String }
Resources:
  Sender:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: mail.example.com
      ConfigurationSetAttributes: { ConfigurationSetName: platform-feedback }
  Feedback:
    Type: AWS::SES::ConfigurationSetEventDestination
    Properties:
      ConfigurationSetName: platform-feedback
      EventDestination: { Enabled: true, MatchingEventTypes: [bounce, complaint], SnsDestination: { TopicARN: !Ref FeedbackTopic } }
  FeedbackTopic:
    Type: AWS::SNS::Topic
  Unnamed:
    Type: AWS::SES::ConfigurationSetEventDestination
    Properties:
      ConfigurationSetName: !Ref FeedbackSetName
      EventDestination: { Enabled: true, MatchingEventTypes: [send], CloudWatchDestination: {} }
`);
    const missing = { $unknown: 'configuration set platform-feedback is not defined in this template' };
    const destination = { name: 'Feedback', enabled: true, matchingEventTypes: ['BOUNCE', 'COMPLAINT'], targets: ['sns'], snsTopicArn: '${FeedbackTopic}', line: 9, column: 3 };
    expect(get(result, 'Feedback', 'aws.ses.configuration-set')).toMatchObject({
      id: 't.yaml#Feedback',
      name: 'platform-feedback',
      provenance: { logicalId: 'Feedback', line: 9 },
      props: {
        configurationSetName: 'platform-feedback',
        reputationMetricsEnabled: missing,
        tlsPolicy: missing,
        sendingEnabled: missing,
        eventDestinations: [destination, missing],
      },
    });
    expect(get(result, 'Sender', 'aws.ses.identity').props.configurationSet).toEqual({
      configurationSetName: 'platform-feedback',
      reputationMetricsEnabled: missing,
      tlsPolicy: missing,
      sendingEnabled: missing,
      eventDestinations: [destination, { $unknown: 'the other event destinations of configuration set platform-feedback are not in this template' }],
    });
    expect(get(result, 'Unnamed', 'aws.ses.configuration-set')).toMatchObject({
      name: 'event destination Unnamed',
      props: { reputationMetricsEnabled: { $unknown: 'the configuration set is not defined in this template: parameter FeedbackSetName has no default' } },
    });
  });
});

describe('network', () => {
  test('egress rules: inline and separate resources by Ref/GetAtt; the default allow-all rule apart from what is written', () => {
    const result = read(`Resources:
  Inline:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: inline
      SecurityGroupEgress:
        - { IpProtocol: "-1", CidrIpv6: "::/0" }
        - { IpProtocol: 6, FromPort: "465", ToPort: 587, DestinationPrefixListId: pl-1 }
  Separate:
    Type: AWS::EC2::SecurityGroup
  Bare:
    Type: AWS::EC2::SecurityGroup
  RuleByRef:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !Ref Separate, IpProtocol: TCP, FromPort: 25, ToPort: 25, CidrIp: 0.0.0.0/0 }
  RuleByGetAtt:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !GetAtt Separate.GroupId, IpProtocol: udp, FromPort: 53, ToPort: 53, DestinationSecurityGroupId: sg-1 }
  EmptyList:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: none written, SecurityGroupEgress: [] }
`);
    expect(get(result, 'Inline', 'aws.ec2.security-group').props).toEqual({
      groupName: 'inline',
      attached: true,
      defaultEgress: false,
      egress: [
        { protocol: '-1', cidrIpv6: '::/0', line: 7, column: 11 },
        { protocol: '6', fromPort: 465, toPort: 587, prefixListId: 'pl-1', line: 8, column: 11 },
      ],
    });
    // A separate rule on a template group replaces AWS's default rule, as an inline one does.
    expect(get(result, 'Separate', 'aws.ec2.security-group').props).toMatchObject({
      defaultEgress: false,
      egress: [
        { protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0', line: 13, column: 3 },
        { protocol: 'udp', fromPort: 53, toPort: 53, destinationGroup: 'sg-1', line: 16, column: 3 },
      ],
    });
    // No rule written (absent, or an empty list): the group keeps AWS's allow-all rule, which is not a written rule.
    expect(get(result, 'Bare', 'aws.ec2.security-group').props).toMatchObject({ egress: [], defaultEgress: true });
    expect(get(result, 'EmptyList', 'aws.ec2.security-group').props).toMatchObject({ egress: [], defaultEgress: true });
    expect(result.resources.filter((r) => r.type === 'aws.ec2.security-group')).toHaveLength(4);
  });

  test('an egress list the template does not decide is Unknown in every field a check reads, and so is the default rule', () => {
    const result = read(`Parameters:
  Rules: { Type: String }
Conditions:
  Open: !Equals [!Ref Rules, open]
Resources:
  Undecided:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: undecided
      SecurityGroupEgress: !If [Open, [{ IpProtocol: "-1", CidrIp: 0.0.0.0/0 }], [{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }]]
  UndecidedButReplaced:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: undecided, with a separate rule
      SecurityGroupEgress: !If [Open, [{ IpProtocol: "-1", CidrIp: 0.0.0.0/0 }], !Ref AWS::NoValue]
  Https:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !Ref UndecidedButReplaced, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
`);
    const undecided = get(result, 'Undecided', 'aws.ec2.security-group').props;
    expect(isUnknown(undecided.defaultEgress)).toBe(true);
    expect(undecided.egress).toHaveLength(1);
    for (const field of ['protocol', 'fromPort', 'toPort', 'cidrIpv4', 'cidrIpv6'] as const) expect(isUnknown(undecided.egress[0][field])).toBe(true);
    expect(get(result, 'UndecidedButReplaced', 'aws.ec2.security-group').props.defaultEgress).toBe(false);
  });

  test('a rule on a group defined elsewhere is a resource of its own: the rule, its line, the group reference', () => {
    const result = read(`Parameters:
  AppSecurityGroupId: { Type: "AWS::EC2::SecurityGroup::Id" }
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  RuleOnLiteral:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: sg-0outside, IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIpv6: "::/0" }
  RuleOnImport:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !ImportValue shared-network-AppSg, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
  RuleOnParameter:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !Ref AppSecurityGroupId, IpProtocol: tcp, FromPort: 587, ToPort: 587, CidrIp: 0.0.0.0/0 }
  RuleOnVpcDefault:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: { GroupId: !GetAtt Vpc.DefaultSecurityGroup, IpProtocol: "-1", CidrIp: 0.0.0.0/0 }
`);
    const literal = get(result, 'RuleOnLiteral', 'aws.ec2.security-group');
    expect(literal).toMatchObject({
      id: 't.yaml#RuleOnLiteral',
      name: 'sg-0outside',
      provenance: { logicalId: 'RuleOnLiteral', line: 7 },
      props: {
        groupName: { $unknown: 'security group sg-0outside is not defined in this template' },
        groupId: 'sg-0outside',
        egress: [{ protocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv6: '::/0', line: 7 }],
        attached: true,
      },
    });
    // Whether a group defined elsewhere keeps a default rule is not this template's to say.
    expect(literal.props).not.toHaveProperty('defaultEgress');
    expect(get(result, 'RuleOnImport', 'aws.ec2.security-group')).toMatchObject({
      name: 'egress rule RuleOnImport',
      props: { groupName: { $unknown: expect.stringMatching(/^the security group is not defined in this template: /) } },
    });
    expect(get(result, 'RuleOnParameter', 'aws.ec2.security-group')).toMatchObject({
      name: 'egress rule RuleOnParameter',
      props: { groupName: { $unknown: 'the security group is not defined in this template: parameter AppSecurityGroupId has no default' } },
    });
    expect(get(result, 'RuleOnVpcDefault', 'aws.ec2.security-group')).toMatchObject({
      name: '${Vpc.DefaultSecurityGroup}',
      props: { egress: [{ protocol: '-1', cidrIpv4: '0.0.0.0/0', line: 16 }] },
    });
  });

  test('NACL entries join their ACL; Egress defaults to false', () => {
    const result = read(`Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
  Empty:
    Type: AWS::EC2::NetworkAcl
  In:
    Type: AWS::EC2::NetworkAclEntry
    Properties: { NetworkAclId: !Ref Acl, RuleNumber: "90", Protocol: -1, RuleAction: DENY, Ipv6CidrBlock: "::/0" }
  Out:
    Type: AWS::EC2::NetworkAclEntry
    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Egress: true, Protocol: 17, RuleAction: allow, CidrBlock: 10.0.0.0/8, PortRange: { From: 1, To: 65535 } }
`);
    expect(get(result, 'Acl', 'aws.ec2.network-acl').props).toEqual({
      isDefault: false,
      entries: [
        { ruleNumber: 90, egress: false, protocol: '-1', ruleAction: 'deny', ipv6CidrBlock: '::/0', line: 6, column: 3 },
        { ruleNumber: 100, egress: true, protocol: '17', ruleAction: 'allow', cidrBlock: '10.0.0.0/8', fromPort: 1, toPort: 65535, line: 9, column: 3 },
      ],
    });
    expect(get(result, 'Empty', 'aws.ec2.network-acl').props.entries).toEqual([]);
  });

  test('an entry of an ACL defined elsewhere is a resource of its own, with the ACL\'s other entries Unknown', () => {
    const result = read(`Resources:
  DenySmtp:
    Type: AWS::EC2::NetworkAclEntry
    Properties: { NetworkAclId: acl-0shared, RuleNumber: 90, Egress: true, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: { From: 25, To: 25 } }
`);
    expect(get(result, 'DenySmtp', 'aws.ec2.network-acl')).toEqual({
      type: 'aws.ec2.network-acl',
      id: 't.yaml#DenySmtp',
      name: 'acl-0shared',
      provenance: { source: 'cloudformation', file: 't.yaml', logicalId: 'DenySmtp', line: 2, column: 3 },
      props: {
        networkAclId: 'acl-0shared',
        entries: [
          { ruleNumber: 90, egress: true, protocol: '6', ruleAction: 'deny', cidrBlock: '0.0.0.0/0', fromPort: 25, toPort: 25, line: 2, column: 3 },
          { $unknown: 'network ACL acl-0shared is not defined in this template' },
        ],
        isDefault: { $unknown: 'network ACL acl-0shared is not defined in this template' },
      },
    });
  });
});

describe('monitoring defaults', () => {
  test.each([
    ['no selectors', '', true],
    ['classic selector defaulting to management events', 'EventSelectors: [ { ReadWriteType: All } ]', true],
    ['classic selector without management events', 'EventSelectors: [ { IncludeManagementEvents: false } ]', false],
    ['advanced selector for management events', 'AdvancedEventSelectors: [ { FieldSelectors: [ { Field: eventCategory, Equals: [Management] } ] } ]', true],
    ['advanced selector for data events only', 'AdvancedEventSelectors: [ { FieldSelectors: [ { Field: eventCategory, Equals: [Data] } ] } ]', false],
  ])('trail with %s', (_name, selectors, expected) => {
    const result = read(`Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      ${selectors}\n`);
    expect(get(result, 'T', 'aws.cloudtrail.trail').props).toEqual({
      trailName: { $unknown: 'TrailName is not set: CloudFormation generates the name' },
      isMultiRegionTrail: false,
      isLogging: true,
      includesManagementEvents: expected,
    });
  });

  test('metric-math alarm: metrics from MetricStat, threshold parsed, actions disabled', () => {
    const result = read(`Resources:
  A:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Threshold: "0.05"
      ComparisonOperator: GreaterThanThreshold
      ActionsEnabled: false
      AlarmActions: [!Ref Topic]
      Metrics:
        - { Id: e1, Expression: "m1 / m2" }
        - { Id: m1, MetricStat: { Metric: { Namespace: AWS/SES, MetricName: Bounce } } }
        - { Id: m2, MetricStat: { Metric: { Namespace: AWS/SES, MetricName: Send } } }
  Topic:
    Type: AWS::SNS::Topic
`);
    expect(get(result, 'A', 'aws.cloudwatch.alarm').props).toEqual({
      alarmName: { $unknown: 'AlarmName is not set: CloudFormation generates the name' },
      namespace: '',
      metricName: '',
      metrics: [
        { namespace: 'AWS/SES', metricName: 'Bounce' },
        { namespace: 'AWS/SES', metricName: 'Send' },
      ],
      threshold: 0.05,
      comparisonOperator: 'GreaterThanThreshold',
      actionsEnabled: false,
      alarmActions: ['${Topic}'],
    });
  });
});

describe('suppressions', () => {
  test('read from Metadata.sesguard; one without a reason is an error with its line, the scan goes on', () => {
    const result = read(`Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      sesguard:
        suppress:
          - check: SESG-NET-001
            reason: Outbound relay, approved in SEC-123
          - check: SESG-NET-002
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: { IsLogging: true }
`);
    const sg = get(result, 'Sg', 'aws.ec2.security-group');
    expect(sg.suppressions).toEqual([{ check: 'SESG-NET-001', reason: 'Outbound relay, approved in SEC-123', line: 7 }]);
    expect(result.errors).toEqual([
      { file: 't.yaml', line: 9, column: 13, message: 'Sg: the inline suppression of SESG-NET-002 has no reason' },
    ]);
    expect(result.resources).toHaveLength(2);
  });
});
