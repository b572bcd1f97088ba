// Generates large deterministic scenarios for benchmarks (e.g. 200 accounts × 4 regions): an
// Organization with OUs, SCPs, and per account IAM principals, SES identities, configuration sets,
// topics, security groups, alarms and trails; every tenth account carries planted mistakes.
import type { AccountScenario, IamRoleScenario, IamUserScenario, RegionScenario, Scenario } from './scenario.js';

export interface GenerateOptions {
  accounts: number;
  regions: number | string[];
  principalsPerAccount: number;
  /** Identities per account and region (default 3). */
  identitiesPerRegion?: number;
}

const REGION_ORDER = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1', 'ca-central-1', 'sa-east-1'];

const SEND_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: '*' }],
};

function accountId(i: number): string {
  return String(100000000000 + i * 7919).slice(0, 12);
}

export function generateScenario(options: GenerateOptions): Scenario {
  const regions = Array.isArray(options.regions) ? options.regions : REGION_ORDER.slice(0, options.regions);
  const management = accountId(0);
  const ous = [
    { Id: 'ou-gen0-prod0001', Name: 'Production', parentId: 'r-gen0' },
    { Id: 'ou-gen0-dev00001', Name: 'Development', parentId: 'r-gen0' },
    { Id: 'ou-gen0-mail0001', Name: 'Mail', parentId: 'ou-gen0-prod0001' },
  ];
  const accounts: AccountScenario[] = [];
  for (let i = 0; i < options.accounts; i++) {
    const id = i === 0 ? management : accountId(i);
    const planted = i % 10 === 3;
    const users: IamUserScenario[] = [];
    const roles: IamRoleScenario[] = [];
    for (let p = 0; p < options.principalsPerAccount; p++) {
      if (p % 2 === 0) {
        users.push({
          UserName: `user-${p}`,
          UserPolicyList: p % 4 === 0 ? [{ PolicyName: 'send', PolicyDocument: SEND_POLICY }] : [],
          AccessKeys: [
            {
              AccessKeyId: `AKIA${id}${String(p).padStart(4, '0')}`,
              Status: 'Active',
              CreateDate: planted ? '2021-01-01T00:00:00Z' : '2026-10-01T00:00:00Z',
              LastUsedDate: '2026-11-20T00:00:00Z',
              LastUsedServiceName: 'ses',
              LastUsedRegion: regions[0],
            },
          ],
        });
      } else {
        roles.push({
          RoleName: `role-${p}`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${planted ? '999999999999' : management}:root` }, Action: 'sts:AssumeRole' }],
          },
          AttachedManagedPolicies: [{ PolicyName: 'AmazonSESFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSESFullAccess' }],
        });
      }
    }
    const perRegion: Record<string, RegionScenario> = {};
    regions.forEach((region, r) => {
      const n = options.identitiesPerRegion ?? 3;
      const topic = `arn:aws:sns:${region}:${id}:ses-feedback`;
      perRegion[region] = {
        ses: {
          account: { ProductionAccessEnabled: r === 0, EnforcementStatus: 'HEALTHY', SendingEnabled: true, SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 1200 }, SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } },
          identities: Array.from({ length: n }, (_, k) => ({
            IdentityName: k === 0 ? `a${i}-r${r}.example.com` : `sender${k}@a${i}-r${r}.example.com`,
            IdentityType: k === 0 ? ('DOMAIN' as const) : ('EMAIL_ADDRESS' as const),
            VerificationStatus: 'SUCCESS' as const,
            DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS' as const },
            ConfigurationSetName: 'default',
            Notifications: planted && k === 1 ? {} : { BounceTopic: topic, ComplaintTopic: topic, ForwardingEnabled: false },
            Policies:
              planted && k === 0
                ? { open: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ses:SendEmail', Resource: '*' }] } }
                : undefined,
          })),
          configurationSets: [
            {
              ConfigurationSetName: 'default',
              DeliveryOptions: { TlsPolicy: 'REQUIRE' },
              ReputationOptions: { ReputationMetricsEnabled: true },
              EventDestinations: [{ Name: 'feedback', Enabled: true, MatchingEventTypes: ['BOUNCE', 'COMPLAINT'], SnsDestination: { TopicArn: topic } }],
            },
          ],
        },
        sns: { topics: [{ Name: 'ses-feedback', Subscriptions: [{ Protocol: 'email', Endpoint: 'ops@example.com', Confirmed: true }] }] },
        ec2: {
          securityGroups: [
            { GroupId: `sg-${i}r${r}a`, GroupName: 'app', VpcId: 'vpc-1', IpPermissionsEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
            { GroupId: `sg-${i}r${r}b`, GroupName: 'mailer', VpcId: 'vpc-1', IpPermissionsEgress: [{ IpProtocol: planted ? '-1' : 'tcp', FromPort: planted ? undefined : 443, ToPort: planted ? undefined : 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
          ],
          networkInterfaces: [{ NetworkInterfaceId: `eni-${i}r${r}`, Groups: [`sg-${i}r${r}a`, `sg-${i}r${r}b`], VpcId: 'vpc-1' }],
          networkAcls: [{ NetworkAclId: `acl-${i}r${r}`, VpcId: 'vpc-1', IsDefault: true, Entries: [{ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' }] }],
        },
        cloudwatch: {
          alarms: [
            { AlarmName: 'ses-bounce', Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: planted ? 5 : 0.05, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topic] },
            { AlarmName: 'ses-complaint', Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topic] },
          ],
        },
        cloudtrail: r === 0 && !planted ? { trails: [{ Name: 'org-trail', IsMultiRegionTrail: true, IsLogging: true }] } : undefined,
      };
    });
    accounts.push({
      Id: id,
      Name: i === 0 ? 'management' : `member-${i}`,
      parentId: i === 0 ? 'r-gen0' : ous[i % ous.length].Id,
      assumableRoles: i === 0 ? [] : [{ RoleName: 'SesguardAudit' }],
      enabledRegions: regions,
      // No report yet, and generating one takes a poll: the most calls a scan makes for the keys.
      iam: { users, roles, credentialReport: { pollsUntilReady: 1 }, policies: [{ PolicyName: 'AmazonSESFullAccess', Arn: 'arn:aws:iam::aws:policy/AmazonSESFullAccess', Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }] } }] },
      regions: perRegion,
    });
  }
  return {
    description: `generated: ${options.accounts} accounts × ${regions.length} regions, ${options.principalsPerAccount} principals each`,
    organization: {
      Id: 'o-generated01',
      MasterAccountId: management,
      roots: [{ Id: 'r-gen0', Name: 'Root' }],
      organizationalUnits: ous,
      policies: [
        { Id: 'p-FullAWSAccess', Name: 'FullAWSAccess', AwsManaged: true, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, targets: ['r-gen0', ...ous.map((o) => o.Id), ...accounts.map((a) => a.Id)] },
        { Id: 'p-sesguard01', Name: 'DenySesAccountChanges', document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['ses:PutAccountDetails'], Resource: '*' }] }, targets: ['ou-gen0-prod0001'] },
      ],
    },
    accounts,
  };
}
