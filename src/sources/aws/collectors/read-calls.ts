// Every AWS API call sesguard makes, with the IAM action that authorizes it: the live-scan collectors' calls
// (READ_CALLS) and the calls `sesguard trail` makes to read logs (TRAIL_CALLS: S3, LookupEvents, CloudWatch
// Logs). The audit-role and responder policies in docs/iam/ are derived from these tables, and a test checks
// them against the source: a command used but not listed, or listed but unused, fails it; every operation is a
// Get/List/Describe/Lookup (trail: or FilterLogEvents, CloudWatch Logs' read), except the one entry that says why
// it is not (GenerateCredentialReport).

export interface ReadCall {
  /** SDK client package suffix (`@aws-sdk/client-<service>`). */
  service: string;
  /** SDK command / API operation name. */
  operation: string;
  /** The IAM action that authorizes the call. */
  iamAction: string;
  /** Only for a call that is not Get/List/Describe/Lookup: why it is still a read (shown in docs/iam/). */
  notReadOnlyBecause?: string;
  /** What the call is for, for the trail calls (shown in docs/iam/). */
  purpose?: string;
}

/** The calls of `sesguard trail`: reading logs, never the accounts' configuration. */
export const TRAIL_CALLS: readonly ReadCall[] = [
  { service: 's3', operation: 'ListObjectsV2', iamAction: 's3:ListBucket', purpose: 'list CloudTrail and VPC Flow Logs objects under an s3:// prefix' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject', purpose: 'read each log object' },
  { service: 'cloudtrail', operation: 'LookupEvents', iamAction: 'cloudtrail:LookupEvents', purpose: '--lookup: management events of the last 90 days' },
  { service: 'cloudwatch-logs', operation: 'FilterLogEvents', iamAction: 'logs:FilterLogEvents', purpose: '--flow-log-group: flow log records delivered to CloudWatch Logs' },
  { service: 'ec2', operation: 'DescribeFlowLogs', iamAction: 'ec2:DescribeFlowLogs', purpose: '--flow-log-group: the record format of the flow log writing to the group' },
];

export const READ_CALLS: readonly ReadCall[] = [
  { service: 'organizations', operation: 'DescribeOrganization', iamAction: 'organizations:DescribeOrganization' },
  { service: 'organizations', operation: 'ListAccounts', iamAction: 'organizations:ListAccounts' },
  { service: 'organizations', operation: 'ListRoots', iamAction: 'organizations:ListRoots' },
  { service: 'organizations', operation: 'ListParents', iamAction: 'organizations:ListParents' },
  { service: 'organizations', operation: 'ListPoliciesForTarget', iamAction: 'organizations:ListPoliciesForTarget' },
  { service: 'organizations', operation: 'DescribePolicy', iamAction: 'organizations:DescribePolicy' },
  { service: 'ec2', operation: 'DescribeRegions', iamAction: 'ec2:DescribeRegions' },
  { service: 'account', operation: 'ListRegions', iamAction: 'account:ListRegions' },
  { service: 'iam', operation: 'GetAccountAuthorizationDetails', iamAction: 'iam:GetAccountAuthorizationDetails' },
  { service: 'iam', operation: 'ListAccessKeys', iamAction: 'iam:ListAccessKeys' },
  { service: 'iam', operation: 'GetAccessKeyLastUsed', iamAction: 'iam:GetAccessKeyLastUsed' },
  { service: 'iam', operation: 'GetCredentialReport', iamAction: 'iam:GetCredentialReport' },
  {
    service: 'iam',
    operation: 'GenerateCredentialReport',
    iamAction: 'iam:GenerateCredentialReport',
    notReadOnlyBecause:
      'asks IAM to build the account\'s credential report (at most once every four hours) when none is fresh; it changes no ' +
      'configuration, and AWS\'s own SecurityAudit and ReadOnlyAccess policies grant it. --no-credential-report avoids it.',
  },
  { service: 'sesv2', operation: 'GetAccount', iamAction: 'ses:GetAccount' },
  { service: 'sesv2', operation: 'ListEmailIdentities', iamAction: 'ses:ListEmailIdentities' },
  { service: 'sesv2', operation: 'GetEmailIdentity', iamAction: 'ses:GetEmailIdentity' },
  { service: 'sesv2', operation: 'GetEmailIdentityPolicies', iamAction: 'ses:GetEmailIdentityPolicies' },
  { service: 'sesv2', operation: 'ListConfigurationSets', iamAction: 'ses:ListConfigurationSets' },
  { service: 'sesv2', operation: 'GetConfigurationSet', iamAction: 'ses:GetConfigurationSet' },
  { service: 'sesv2', operation: 'GetConfigurationSetEventDestinations', iamAction: 'ses:GetConfigurationSetEventDestinations' },
  { service: 'ses', operation: 'GetIdentityNotificationAttributes', iamAction: 'ses:GetIdentityNotificationAttributes' },
  { service: 'sns', operation: 'GetTopicAttributes', iamAction: 'sns:GetTopicAttributes' },
  { service: 'sns', operation: 'ListSubscriptionsByTopic', iamAction: 'sns:ListSubscriptionsByTopic' },
  { service: 'ec2', operation: 'DescribeSecurityGroups', iamAction: 'ec2:DescribeSecurityGroups' },
  { service: 'ec2', operation: 'DescribeNetworkInterfaces', iamAction: 'ec2:DescribeNetworkInterfaces' },
  { service: 'ec2', operation: 'DescribeNetworkAcls', iamAction: 'ec2:DescribeNetworkAcls' },
  { service: 'cloudwatch', operation: 'DescribeAlarms', iamAction: 'cloudwatch:DescribeAlarms' },
  { service: 'cloudtrail', operation: 'DescribeTrails', iamAction: 'cloudtrail:DescribeTrails' },
  { service: 'cloudtrail', operation: 'GetTrailStatus', iamAction: 'cloudtrail:GetTrailStatus' },
  { service: 'cloudtrail', operation: 'GetEventSelectors', iamAction: 'cloudtrail:GetEventSelectors' },
];
