// Every AWS API call the live-scan collectors make, with the IAM action that authorizes it. The audit-role
// policy in docs/iam/ is derived from this table, and a test checks it against the collectors' source: a
// command used but not listed, or listed but unused, fails it; every operation is a Get/List/Describe/Lookup,
// except the one entry that says why it is not (GenerateCredentialReport).

export interface ReadCall {
  /** SDK client package suffix (`@aws-sdk/client-<service>`). */
  service: string;
  /** SDK command / API operation name. */
  operation: string;
  /** The IAM action that authorizes the call. */
  iamAction: string;
  /** Only for a call that is not Get/List/Describe/Lookup: why it is still a read (shown in docs/iam/). */
  notReadOnlyBecause?: string;
}

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
