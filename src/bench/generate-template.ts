// Generates a large, realistic CloudFormation YAML template for benchmark B1 (never committed).
// Deterministic: the same count gives the same text.

const KINDS = ['sg', 'role', 'identity', 'configset', 'alarm', 'policy', 'nacl', 'trail'] as const;

function resource(kind: (typeof KINDS)[number], i: number): string {
  switch (kind) {
    case 'sg':
      return `  Sg${i}:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "group ${i} in \${AWS::Region}"
      VpcId: !Ref VpcId
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: ${i % 5 === 0 ? 25 : 443}
          ToPort: ${i % 5 === 0 ? 25 : 443}
          CidrIp: 0.0.0.0/0
        - IpProtocol: "-1"
          CidrIp: 10.0.0.0/8
`;
    case 'role':
      return `  Role${i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: send
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ${i % 3 === 0 ? '"ses:*"' : '[ses:SendEmail, ses:SendRawEmail]'}
                Resource: ${i % 3 === 0 ? '"*"' : `!Sub "arn:aws:ses:\${AWS::Region}:\${AWS::AccountId}:identity/app${i}.example.com"`}
                Condition:
                  IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] }
`;
    case 'identity':
      return `  Identity${i}:
    Type: AWS::SES::EmailIdentity
    Properties:
      EmailIdentity: app${i}.example.com
      ConfigurationSetAttributes:
        ConfigurationSetName: !Ref ConfigSet${i + 1}
      DkimAttributes: { SigningEnabled: true }
`;
    case 'configset':
      return `  ConfigSet${i}:
    Type: AWS::SES::ConfigurationSet
    Properties:
      Name: set-${i}
      DeliveryOptions: { TlsPolicy: ${i % 2 === 0 ? 'REQUIRE' : 'OPTIONAL'} }
      ReputationOptions: { ReputationMetricsEnabled: true }
`;
    case 'alarm':
      return `  Alarm${i}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SES
      MetricName: Reputation.BounceRate
      Statistic: Average
      Period: 3600
      EvaluationPeriods: 1
      Threshold: ${i % 4 === 0 ? 5 : 0.05}
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions: [!Ref AlertTopic]
`;
    case 'policy':
      return `  Policy${i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref Role${i - 5}]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [ses:GetSendQuota, "ses:List*"]
            Resource: "*"
`;
    case 'nacl':
      return `  Nacl${i}:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref VpcId
  NaclEntry${i}:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Nacl${i}
      RuleNumber: 100
      Protocol: 6
      RuleAction: ${i % 2 === 0 ? 'deny' : 'allow'}
      Egress: true
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 25, To: 25 }
`;
    case 'trail':
      return `  Trail${i}:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: !Ref LogBucket
`;
  }
}

/** A template with about `count` resources (NACLs count twice: the ACL and its entry). */
export function generateTemplate(count: number): string {
  const parts = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Description: sesguard benchmark B1',
    'Parameters:',
    '  VpcId: { Type: String, Default: vpc-0123456789abcdef0 }',
    '  LogBucket: { Type: String, Default: org-trail-logs }',
    'Resources:',
    '  AlertTopic:',
    '    Type: AWS::SNS::Topic',
  ];
  let made = 1;
  for (let i = 1; made < count; i++) {
    const kind = KINDS[i % KINDS.length];
    parts.push(resource(kind, i).trimEnd());
    made += kind === 'nacl' ? 2 : 1;
  }
  return `${parts.join('\n')}\n`;
}
