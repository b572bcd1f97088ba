// The scenario a fake AWS serves: an Organization, its accounts and, per account and region, the
// resources the live scan reads. Containers (organization, accounts, iam, regions, …) are lowerCamel;
// every object that IS an AWS API object uses that API's own PascalCase field names, so writing a
// scenario means copying what the API returns. Policy documents are JSON objects here; the fake
// serializes them the way each API does (JSON strings, URL-encoded for IAM).
// The JSON Schema next to this file (scenario.schema.json) validates the same shape.

/** An IAM-style policy document, written as an object (the fake turns it into a string on the wire). */
export type PolicyDocumentJson = Record<string, unknown>;

export interface Scenario {
  /** Free text shown in the README/fixture listing. */
  description?: string;
  organization: OrganizationScenario;
  accounts: AccountScenario[];
}

export interface OrganizationScenario {
  /** `o-…` */
  Id: string;
  MasterAccountId: string;
  MasterAccountEmail?: string;
  FeatureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  roots: { Id: string; Name?: string }[];
  organizationalUnits?: { Id: string; Name: string; parentId: string }[];
  /** Service control policies and where they are attached (root, OU or account ids). */
  policies?: ScpScenario[];
}

export interface ScpScenario {
  Id: string;
  Name: string;
  Description?: string;
  AwsManaged?: boolean;
  document: PolicyDocumentJson;
  targets: string[];
}

export interface AccountScenario {
  Id: string;
  Name: string;
  Email?: string;
  Status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  JoinedMethod?: 'INVITED' | 'CREATED';
  /** ISO 8601. */
  JoinedTimestamp?: string;
  /** Root or OU id. */
  parentId: string;
  /** Roles the scanner may assume (the management account is scanned with the caller's own keys). */
  assumableRoles?: { RoleName: string; ExternalId?: string }[];
  /**
   * Regions enabled for the account. ListRegions / DescribeRegions(AllRegions) report every other
   * region of the catalogue as DISABLED / not-opted-in, so a scenario bounds the scan. A call into a
   * disabled opt-in region fails like AWS does; one into a disabled default region answers empty.
   */
  enabledRegions: string[];
  iam?: IamScenario;
  /** Resources per region name. */
  regions?: Record<string, RegionScenario>;
}

// ---------------------------------------------------------------------------------------------
// IAM (shapes of GetAccountAuthorizationDetails, with documents as objects)

export interface InlinePolicy {
  PolicyName: string;
  PolicyDocument: PolicyDocumentJson;
}

export interface AttachedManagedPolicy {
  PolicyName: string;
  PolicyArn: string;
}

export interface AccessKeyScenario {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  /** ISO 8601. */
  CreateDate: string;
  /** ISO 8601; absent = never used. */
  LastUsedDate?: string;
  LastUsedServiceName?: string;
  LastUsedRegion?: string;
}

export interface IamUserScenario {
  UserName: string;
  Path?: string;
  UserId?: string;
  CreateDate?: string;
  UserPolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: AttachedManagedPolicy[];
  GroupList?: string[];
  AccessKeys?: AccessKeyScenario[];
}

export interface IamGroupScenario {
  GroupName: string;
  Path?: string;
  GroupId?: string;
  CreateDate?: string;
  GroupPolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: AttachedManagedPolicy[];
}

export interface IamRoleScenario {
  RoleName: string;
  Path?: string;
  RoleId?: string;
  CreateDate?: string;
  AssumeRolePolicyDocument: PolicyDocumentJson;
  RolePolicyList?: InlinePolicy[];
  AttachedManagedPolicies?: AttachedManagedPolicy[];
}

/** A managed policy: customer managed (Arn in the account) or AWS managed (`arn:aws:iam::aws:policy/…`). */
export interface IamManagedPolicyScenario {
  PolicyName: string;
  /** Default: `arn:aws:iam::<account>:policy<Path><PolicyName>`. */
  Arn?: string;
  Path?: string;
  PolicyId?: string;
  CreateDate?: string;
  /** The default version's document. */
  Document: PolicyDocumentJson;
}

export interface IamScenario {
  users?: IamUserScenario[];
  groups?: IamGroupScenario[];
  roles?: IamRoleScenario[];
  policies?: IamManagedPolicyScenario[];
  /** The account's credential report. Default: none generated yet, and a generation completes at once. */
  credentialReport?: CredentialReportScenario;
}

/**
 * GenerateCredentialReport / GetCredentialReport. The CSV is built from `users` (and a root row) when the
 * report is generated; users created after that are not in it. A report older than four hours is expired.
 */
export interface CredentialReportScenario {
  /** ISO 8601: a report generated then is already there. */
  GeneratedTime?: string;
  /** GetCredentialReport (or GenerateCredentialReport) calls answered "in progress" once a generation has started (default 0). */
  pollsUntilReady?: number;
}

// ---------------------------------------------------------------------------------------------
// Per region

export interface RegionScenario {
  ses?: SesScenario;
  sns?: { topics?: SnsTopicScenario[] };
  ec2?: Ec2Scenario;
  cloudwatch?: { alarms?: MetricAlarmScenario[]; compositeAlarms?: CompositeAlarmScenario[] };
  cloudtrail?: { trails?: TrailScenario[]; events?: CloudTrailRecord[] };
  /** CloudWatch Logs: log groups with their streams and events (VPC Flow Logs delivered to CloudWatch Logs). */
  logs?: { groups?: LogGroupScenario[] };
}

/** A CloudWatch Logs group; FilterLogEvents returns its events in time order across streams. */
export interface LogGroupScenario {
  logGroupName: string;
  streams: { logStreamName: string; events: { timestamp: number; message: string; eventId?: string }[] }[];
}

/** SESv2 GetAccount output. Absent fields take the values of a fresh sandbox account. */
export interface SesAccountScenario {
  ProductionAccessEnabled?: boolean;
  EnforcementStatus?: string;
  SendingEnabled?: boolean;
  DedicatedIpAutoWarmupEnabled?: boolean;
  SendQuota?: { Max24HourSend?: number; MaxSendRate?: number; SentLast24Hours?: number };
  SuppressionAttributes?: { SuppressedReasons?: ('BOUNCE' | 'COMPLAINT')[] };
}

export interface SesIdentityScenario {
  IdentityName: string;
  IdentityType: 'DOMAIN' | 'EMAIL_ADDRESS' | 'MANAGED_DOMAIN';
  VerificationStatus?: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE' | 'NOT_STARTED';
  SendingEnabled?: boolean;
  FeedbackForwardingStatus?: boolean;
  DkimAttributes?: {
    SigningEnabled?: boolean;
    Status?: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE' | 'NOT_STARTED';
    SigningAttributesOrigin?: string;
    Tokens?: string[];
  };
  MailFromAttributes?: {
    MailFromDomain: string;
    MailFromDomainStatus: 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE';
    BehaviorOnMxFailure?: 'USE_DEFAULT_VALUE' | 'REJECT_MESSAGE';
  };
  ConfigurationSetName?: string;
  /** Sending-authorization policies, name → document. */
  Policies?: Record<string, PolicyDocumentJson>;
  /** SES v1 GetIdentityNotificationAttributes; ForwardingEnabled defaults to FeedbackForwardingStatus (true). */
  Notifications?: {
    BounceTopic?: string;
    ComplaintTopic?: string;
    DeliveryTopic?: string;
    ForwardingEnabled?: boolean;
    HeadersInBounceNotificationsEnabled?: boolean;
    HeadersInComplaintNotificationsEnabled?: boolean;
    HeadersInDeliveryNotificationsEnabled?: boolean;
  };
}

export interface SesEventDestinationScenario {
  Name: string;
  Enabled?: boolean;
  MatchingEventTypes: string[];
  SnsDestination?: { TopicArn: string };
  CloudWatchDestination?: Record<string, unknown>;
  KinesisFirehoseDestination?: { IamRoleArn: string; DeliveryStreamArn: string };
  EventBridgeDestination?: { EventBusArn: string };
  PinpointDestination?: { ApplicationArn: string };
}

export interface SesConfigurationSetScenario {
  ConfigurationSetName: string;
  DeliveryOptions?: { TlsPolicy?: 'REQUIRE' | 'OPTIONAL'; SendingPoolName?: string };
  ReputationOptions?: { ReputationMetricsEnabled?: boolean };
  SendingOptions?: { SendingEnabled?: boolean };
  TrackingOptions?: { CustomRedirectDomain?: string };
  SuppressionOptions?: { SuppressedReasons?: string[] };
  EventDestinations?: SesEventDestinationScenario[];
}

export interface SesScenario {
  account?: SesAccountScenario;
  identities?: SesIdentityScenario[];
  configurationSets?: SesConfigurationSetScenario[];
}

export interface SnsTopicScenario {
  /** Topic name; the ARN is built from region and account. */
  Name: string;
  DisplayName?: string;
  Policy?: PolicyDocumentJson;
  Subscriptions?: { Protocol: string; Endpoint: string; Confirmed?: boolean }[];
}

export interface IpRangeScenario {
  CidrIp: string;
  Description?: string;
}

export interface IpPermissionScenario {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: IpRangeScenario[];
  Ipv6Ranges?: { CidrIpv6: string; Description?: string }[];
  PrefixListIds?: { PrefixListId: string }[];
  UserIdGroupPairs?: { GroupId: string; UserId?: string }[];
}

export interface SecurityGroupScenario {
  GroupId: string;
  GroupName: string;
  Description?: string;
  VpcId?: string;
  IpPermissions?: IpPermissionScenario[];
  IpPermissionsEgress?: IpPermissionScenario[];
}

export interface NetworkInterfaceScenario {
  NetworkInterfaceId: string;
  /** Attached security group ids. */
  Groups: string[];
  VpcId?: string;
  SubnetId?: string;
  Description?: string;
  InterfaceType?: string;
  Status?: 'available' | 'in-use' | 'attaching' | 'detaching' | 'associated';
  AvailabilityZone?: string;
  /** The instance it is attached to. */
  InstanceId?: string;
  PrivateIpAddress?: string;
  Ipv6Addresses?: string[];
  PublicIp?: string;
  /** Set for interfaces an AWS service created (Lambda, NAT gateway, endpoints). */
  RequesterId?: string;
}

export interface NetworkAclEntryScenario {
  RuleNumber: number;
  Protocol: string;
  RuleAction: 'allow' | 'deny';
  Egress: boolean;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  PortRange?: { From: number; To: number };
}

export interface NetworkAclScenario {
  NetworkAclId: string;
  VpcId?: string;
  IsDefault?: boolean;
  Entries: NetworkAclEntryScenario[];
}

export interface Ec2Scenario {
  securityGroups?: SecurityGroupScenario[];
  networkInterfaces?: NetworkInterfaceScenario[];
  networkAcls?: NetworkAclScenario[];
  /** DescribeFlowLogs: where each flow log delivers and in which record format. */
  flowLogs?: FlowLogScenario[];
}

export interface FlowLogScenario {
  FlowLogId: string;
  ResourceId: string;
  LogDestinationType?: 'cloud-watch-logs' | 's3' | 'kinesis-data-firehose';
  LogGroupName?: string;
  /** `${version} ${account-id} …`; absent = the default format. */
  LogFormat?: string;
}

/** CloudWatch MetricAlarm (DescribeAlarms), ARN built by the fake when absent. */
export interface MetricAlarmScenario {
  AlarmName: string;
  AlarmArn?: string;
  AlarmDescription?: string;
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  Dimensions?: { Name: string; Value: string }[];
  Period?: number;
  EvaluationPeriods?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
  OKActions?: string[];
  InsufficientDataActions?: string[];
  StateValue?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  TreatMissingData?: string;
  /** Metric-math alarms. */
  Metrics?: Record<string, unknown>[];
}

/** CloudWatch CompositeAlarm (DescribeAlarms with AlarmTypes CompositeAlarm), ARN built by the fake when absent. */
export interface CompositeAlarmScenario {
  AlarmName: string;
  AlarmArn?: string;
  AlarmRule: string;
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
  OKActions?: string[];
  StateValue?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
}

export interface TrailScenario {
  Name: string;
  S3BucketName?: string;
  IsMultiRegionTrail?: boolean;
  IsOrganizationTrail?: boolean;
  IncludeGlobalServiceEvents?: boolean;
  LogFileValidationEnabled?: boolean;
  /** GetTrailStatus. */
  IsLogging: boolean;
  /** Default: one selector, All management events. */
  EventSelectors?: { ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All'; IncludeManagementEvents?: boolean; DataResources?: { Type: string; Values: string[] }[] }[];
  AdvancedEventSelectors?: { Name?: string; FieldSelectors: Record<string, unknown>[] }[];
}

/** A CloudTrail record as it appears in log files; LookupEvents summarises it. */
export interface CloudTrailRecord {
  eventID: string;
  eventName: string;
  eventSource: string;
  /** ISO 8601. */
  eventTime: string;
  awsRegion?: string;
  readOnly?: boolean;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: Record<string, unknown>;
  [key: string]: unknown;
}
