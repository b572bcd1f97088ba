// The normalized resource model: one shape per resource type, filled alike by every source
// (CloudFormation, Terraform plan, live AWS). Checks read only this model, never a source format.
//
// Conventions
// - Property names are camelCase and source-independent; lists are always arrays (never a lone value).
// - A value that the source cannot know (a parameter without default, `known after apply`, a managed
//   policy defined elsewhere, a configuration set referenced by name but not defined) is an `Unknown`
//   marker object. Evaluation is three-valued: a check whose outcome depends on an Unknown is "not
//   assessed" — never pass/fail — and one that the known values decide is decided (src/engine/unknowns.ts).
// - Sub-objects that sit at their own place in a file (a policy statement, an egress rule) may carry
//   `line`/`column` so a finding can point at the offending property rather than at the resource.

/**
 * Marker for a value the source cannot determine. `$unknown` is the reason shown to the user.
 * A string that is only partly known (`arn:aws:ses:eu-west-1:111122223333:identity/` + an imported value)
 * keeps its pieces in `parts`: known text and holes, in order. A hole stands for any text at all
 * (wildcards included), so a consumer that needs the whole value treats the marker as Unknown, and one
 * that can decide from the known pieces alone (an IAM Resource that is not an SES ARN whatever the hole
 * holds) may do so.
 */
export interface Unknown {
  $unknown: string;
  parts?: (string | Unknown)[];
}

export type Maybe<T> = T | Unknown;

export function unknown(reason: string): Unknown {
  return { $unknown: reason };
}

/**
 * Concatenation of known text and Unknown pieces: a plain string when every piece is known, otherwise an
 * Unknown whose `parts` are the known runs (adjacent strings merged) and the holes (nested parts flattened),
 * and whose reason lists the holes' reasons.
 */
export function partialString(pieces: readonly (string | Unknown)[]): Maybe<string> {
  const parts: (string | Unknown)[] = [];
  const push = (piece: string | Unknown): void => {
    if (typeof piece === 'string') {
      if (piece === '') return;
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + piece;
      else parts.push(piece);
    } else if (piece.parts) {
      for (const inner of piece.parts) push(inner);
    } else {
      parts.push({ $unknown: piece.$unknown });
    }
  };
  for (const piece of pieces) push(piece);
  const holes = parts.filter((p): p is Unknown => typeof p !== 'string');
  if (holes.length === 0) return parts.join('');
  const reasons = [...new Set(holes.map((h) => h.$unknown))];
  return { $unknown: reasons.join('; '), parts };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && typeof (value as Unknown).$unknown === 'string';
}

/** Where a resource came from: a place in a file, or a live ARN in an account and region. */
export interface Provenance {
  source: 'cloudformation' | 'terraform' | 'aws';
  /** Path as given on the command line / found by the walk, relative to the working directory, `/` separated. */
  file?: string;
  line?: number;
  column?: number;
  /** CloudFormation logical id, or Terraform resource address (`module.mail.aws_iam_policy.send`). */
  logicalId?: string;
  /** `aws:cdk:path` metadata of CDK-synthesized templates. */
  cdkPath?: string;
  arn?: string;
  account?: string;
  region?: string;
}

/** A position inside a file, used by sub-objects (statements, rules) to point at themselves. */
export interface Located {
  line?: number;
  column?: number;
}

/** An inline suppression found next to the resource (CloudFormation Metadata, Terraform comment). */
export interface InlineSuppression {
  check: string;
  reason: string;
  line?: number;
  /**
   * Set when the suppression is written on another resource whose data was folded into this one (a
   * Terraform `aws_iam_role_policy` into its role): that resource and its file (`line` is the comment's).
   * It applies to this resource's findings of its check, and is reported unmatched only when it matched
   * on none of the resources it was folded into.
   */
  foldedFrom?: { logicalId: string; file?: string };
}

export interface Resource<T extends ResourceType = ResourceType> {
  type: T;
  /** Stable identity, used in fingerprints: the ARN (live) or `<file>#<logicalId>` (IaC). */
  id: string;
  /** Human name (role name, group name, identity, alarm name, …). */
  name: string;
  provenance: Provenance;
  props: PropsOf<T>;
  suppressions?: InlineSuppression[];
}

// ---------------------------------------------------------------------------------------------
// IAM

/** One statement, normalized: every list is an array, keys lower camel; `principal` parsed. */
export interface PolicyStatement extends Located {
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: Maybe<string>[];
  notAction?: Maybe<string>[];
  resource?: Maybe<string>[];
  notResource?: Maybe<string>[];
  principal?: Principal;
  notPrincipal?: Principal;
  /** operator → condition key → values (always an array of strings; Unknown where unresolved). */
  condition?: Record<string, Record<string, Maybe<string>[]>>;
}

/** `Principal` normalized. `"*"` becomes `{ wildcard: true, aws: ["*"] }`. */
export interface Principal {
  wildcard: boolean;
  aws: Maybe<string>[];
  service: Maybe<string>[];
  federated: Maybe<string>[];
  canonicalUser: Maybe<string>[];
}

export interface PolicyDocument {
  statements: PolicyStatement[];
}

/** A policy that applies to a principal: inline, customer managed or AWS managed. */
export interface AttachedPolicy extends Located {
  name: string;
  kind: 'inline' | 'managed' | 'aws-managed';
  arn?: string;
  /** Where the document is defined (may be a different resource/file than the principal). */
  definedAt?: Provenance;
  /** Unknown when the document is not in the scanned input (e.g. a managed policy ARN). */
  document: Maybe<PolicyDocument>;
}

export interface AccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
  lastUsedAt?: string;
  lastUsedService?: string;
}

export interface IamRoleProps {
  roleName: Maybe<string>;
  trustPolicy: Maybe<PolicyDocument>;
  /** Every policy that applies: inline, attached managed, and AWS::IAM::Policy / ManagedPolicy pointing at it. */
  policies: AttachedPolicy[];
  /** True when it is a service-linked role (`AWSServiceRoleFor*`). */
  serviceLinked: boolean;
}

export interface IamUserProps {
  userName: Maybe<string>;
  /** Own policies plus those of its groups (group policies apply to the user). */
  policies: AttachedPolicy[];
  groups: Maybe<string>[];
  /** Live only; IaC: empty list (a key created in the template is in `accessKeys` without dates). */
  accessKeys: AccessKey[];
}

export interface IamGroupProps {
  groupName: Maybe<string>;
  policies: AttachedPolicy[];
}

/** A policy defined in the input whose attachments are not all inside the input (IaC only). */
export interface IamPolicyProps {
  policyName: Maybe<string>;
  document: Maybe<PolicyDocument>;
  /** Names/ARNs of principals it attaches to that are not defined in the input. */
  externalAttachments: Maybe<string>[];
}

// ---------------------------------------------------------------------------------------------
// SES

export interface EventDestination extends Located {
  name: string;
  enabled: Maybe<boolean>;
  /** Upper-case SES event types: SEND, REJECT, BOUNCE, COMPLAINT, DELIVERY, … */
  matchingEventTypes: Maybe<string>[];
  /** Which target kind it writes to: sns, cloudwatch, firehose, eventbridge, pinpoint. */
  targets: string[];
  snsTopicArn?: Maybe<string>;
}

export interface SesConfigurationSetProps {
  configurationSetName: Maybe<string>;
  reputationMetricsEnabled: Maybe<boolean>;
  /** `REQUIRE` or `OPTIONAL` (SES default when unset: OPTIONAL). */
  tlsPolicy: Maybe<string>;
  sendingEnabled: Maybe<boolean>;
  /**
   * The event destinations known. An Unknown item stands for destinations that may exist but are not in the
   * input (a set defined elsewhere that the template adds destinations to): coverage they could decide is unknown.
   */
  eventDestinations: Maybe<EventDestination>[];
}

export interface SesNotifications {
  bounceTopic?: Maybe<string>;
  complaintTopic?: Maybe<string>;
  deliveryTopic?: Maybe<string>;
  forwardingEnabled?: Maybe<boolean>;
}

export interface SesIdentityPolicy extends Located {
  name: string;
  document: Maybe<PolicyDocument>;
  definedAt?: Provenance;
}

export interface SesIdentityProps {
  identity: Maybe<string>;
  kind: 'domain' | 'email';
  /** Live: verification status; IaC: true (a declared identity is meant to be verified). */
  verified: Maybe<boolean>;
  dkim: {
    signingEnabled: Maybe<boolean>;
    /** Live: SUCCESS, PENDING, FAILED, …; IaC: Unknown unless a DKIM resource makes it explicit. */
    status?: Maybe<string>;
  };
  /** For an email identity: the parent domain identity, when it is in the inventory. */
  parentDomain?: { identity: string; dkimSigningEnabled: Maybe<boolean>; dkimStatus?: Maybe<string> };
  mailFrom: { domain?: Maybe<string>; status?: Maybe<string> };
  /** Name of the default configuration set, if any. */
  configurationSetName?: Maybe<string>;
  /** The default configuration set, resolved; Unknown when referenced but not defined in the input. */
  configurationSet?: Maybe<SesConfigurationSetProps>;
  /** v1 notification topics and feedback forwarding; Unknown where the source cannot express them. */
  notifications: Maybe<SesNotifications>;
  /** Sending-authorization policies. */
  policies: SesIdentityPolicy[];
}

export interface SesAccountProps {
  account: string;
  region: string;
  productionAccessEnabled: Maybe<boolean>;
  enforcementStatus: Maybe<string>;
  sendingEnabled: Maybe<boolean>;
  max24HourSend: Maybe<number>;
  sentLast24Hours: Maybe<number>;
  suppressedReasons: Maybe<string[]>;
  verifiedIdentityCount: Maybe<number>;
  /** The region's CloudWatch alarms, linked for the monitoring checks. */
  alarms: Maybe<CloudWatchAlarmProps[]>;
}

export interface SnsTopicProps {
  topicArn: string;
  /** Unknown when the topic's attributes could not be read (denied, a topic in another account). */
  exists: Maybe<boolean>;
  subscriptions: Maybe<{ protocol: string; endpoint: string; confirmed: boolean }[]>;
}

// ---------------------------------------------------------------------------------------------
// Monitoring

export interface CloudWatchAlarmProps {
  alarmName: Maybe<string>;
  namespace: Maybe<string>;
  metricName: Maybe<string>;
  /** For metric-math alarms: the metrics it reads (namespace + name). */
  metrics: { namespace: Maybe<string>; metricName: Maybe<string> }[];
  threshold: Maybe<number>;
  comparisonOperator: Maybe<string>;
  actionsEnabled: Maybe<boolean>;
  alarmActions: Maybe<string>[];
  /**
   * The composite alarms that surely go to ALARM whenever this one does and alert (actions enabled, at least one
   * action): its alerts when its own actions are off or empty, as AWS recommends for the alarms a composite
   * combines. Absent when the source has no composite alarm; Unknown when one could alert and cannot be read.
   * Set by linkComposites (inventory/composite-alarms.ts).
   */
  notifiedThrough?: Maybe<string[]>;
}

export interface CloudTrailTrailProps {
  trailName: Maybe<string>;
  isMultiRegionTrail: Maybe<boolean>;
  isLogging: Maybe<boolean>;
  /** True when management events are recorded (read or write-only counts; `None`/false does not). */
  includesManagementEvents: Maybe<boolean>;
}

/** Live: the trails of one account, to say "no trail covers this account". */
export interface CloudTrailAccountProps {
  account: string;
  trails: CloudTrailTrailProps[];
}

// ---------------------------------------------------------------------------------------------
// Network

export interface EgressRule extends Located {
  /** `-1` for all, otherwise `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number as a string. */
  protocol: Maybe<string>;
  fromPort?: Maybe<number>;
  toPort?: Maybe<number>;
  cidrIpv4?: Maybe<string>;
  cidrIpv6?: Maybe<string>;
  /** Destination that is not a CIDR: another group or a prefix list. */
  destinationGroup?: Maybe<string>;
  prefixListId?: Maybe<string>;
}

export interface SecurityGroupProps {
  groupName: Maybe<string>;
  groupId?: Maybe<string>;
  vpcId?: Maybe<string>;
  /**
   * IaC: the rules someone wrote (inline, or as separate rule resources). Live: the rules present on the
   * group, whoever added them. The rule AWS adds on its own is never listed here in IaC: see `defaultEgress`.
   */
  egress: EgressRule[];
  /**
   * CloudFormation only: true when no egress rule is written for the group, so it keeps the allow-all rule AWS
   * adds to a new group (SESG-NET-004); false when a written rule replaces it; Unknown when whether any rule is
   * written depends on a value the template does not decide. Absent where the source lists every rule in
   * `egress` (live) or where the default rule never exists (Terraform removes it).
   */
  defaultEgress?: Maybe<boolean>;
  /** Live: attached to at least one network interface. IaC: true (a declared group is meant to be used). */
  attached: Maybe<boolean>;
}

export interface NaclEntry extends Located {
  ruleNumber: Maybe<number>;
  egress: boolean;
  protocol: Maybe<string>;
  ruleAction: Maybe<'allow' | 'deny'>;
  cidrBlock?: Maybe<string>;
  ipv6CidrBlock?: Maybe<string>;
  fromPort?: Maybe<number>;
  toPort?: Maybe<number>;
}

export interface NetworkAclProps {
  networkAclId?: Maybe<string>;
  /**
   * The entries known. An Unknown item stands for entries that exist but are not in the input (an entry written
   * for an ACL defined elsewhere): a first-match decision that could depend on them is not assessed.
   */
  entries: Maybe<NaclEntry>[];
  isDefault: Maybe<boolean>;
}

/**
 * Live only: a network interface as DescribeNetworkInterfaces shows it. No check reads it: `sesguard trail
 * --snapshot` names the workload behind a VPC Flow Logs interface (instance, Lambda function, security groups).
 */
export interface NetworkInterfaceProps {
  networkInterfaceId: string;
  /** `interface` (an instance's), `lambda`, `natGateway`, `vpc_endpoint`, … as EC2 reports it. */
  interfaceType?: string;
  description?: string;
  status?: string;
  subnetId?: string;
  vpcId?: string;
  availabilityZone?: string;
  /** The instance it is attached to. */
  instanceId?: string;
  /**
   * Lambda interfaces: the function named in the interface's description. Lambda shares one interface among
   * the functions with the same subnets and security groups, so others may use it too.
   */
  lambdaFunction?: string;
  /** Who created it when not the owner (an AWS service for requester-managed interfaces). */
  requesterId?: string;
  requesterManaged?: boolean;
  securityGroups: { groupId: string; groupName?: string }[];
  privateIpAddresses: string[];
  ipv6Addresses: string[];
  publicIp?: string;
}

// ---------------------------------------------------------------------------------------------
// Organizations (live only)

export interface ScpPolicy {
  id: string;
  name: string;
  /** Where it is attached: root, OU or the account itself. */
  target: string;
  document: Maybe<PolicyDocument>;
}

export interface OrgAccountProps {
  accountId: string;
  accountName: string;
  isManagementAccount: boolean;
  /** SCPs in effect, root → OUs → account. Unknown if the chain could not be read. */
  scps: Maybe<ScpPolicy[]>;
}

// ---------------------------------------------------------------------------------------------

export interface PropsByType {
  'aws.iam.role': IamRoleProps;
  'aws.iam.user': IamUserProps;
  'aws.iam.group': IamGroupProps;
  'aws.iam.policy': IamPolicyProps;
  'aws.ses.identity': SesIdentityProps;
  'aws.ses.configuration-set': SesConfigurationSetProps;
  'aws.ses.account': SesAccountProps;
  'aws.sns.topic': SnsTopicProps;
  'aws.cloudwatch.alarm': CloudWatchAlarmProps;
  'aws.cloudtrail.trail': CloudTrailTrailProps;
  'aws.cloudtrail.account': CloudTrailAccountProps;
  'aws.ec2.security-group': SecurityGroupProps;
  'aws.ec2.network-acl': NetworkAclProps;
  'aws.ec2.network-interface': NetworkInterfaceProps;
  'aws.organizations.account': OrgAccountProps;
}

export type ResourceType = keyof PropsByType;
export type PropsOf<T extends ResourceType> = PropsByType[T];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  'aws.iam.role',
  'aws.iam.user',
  'aws.iam.group',
  'aws.iam.policy',
  'aws.ses.identity',
  'aws.ses.configuration-set',
  'aws.ses.account',
  'aws.sns.topic',
  'aws.cloudwatch.alarm',
  'aws.cloudtrail.trail',
  'aws.cloudtrail.account',
  'aws.ec2.security-group',
  'aws.ec2.network-acl',
  'aws.ec2.network-interface',
  'aws.organizations.account',
];

/**
 * An input that could not be read or parsed (a file, or an account/region/call of a log source), as recorded
 * in the results: reported, exit 2, the other inputs still read. What sources throw for it is the SourceError
 * class (src/errors.ts).
 */
export interface InputError {
  file?: string;
  line?: number;
  column?: number;
  account?: string;
  region?: string;
  call?: string;
  message: string;
}

/**
 * Something a source could not evaluate and worked around (an unknown function or YAML tag, a resource
 * it skipped): reported as a notice, never an error, the rest of the input is still read.
 */
export interface SourceNotice {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * A part of an input the source could not turn into resources (a `Fn::ForEach` over an unknown
 * collection): every check that reads one of `resourceTypes` is not assessed there, with `reason`.
 */
export interface UnreadFragment {
  file: string;
  line?: number;
  column?: number;
  /** What the part is called in the input (`Fn::ForEach::Topics`). */
  name: string;
  reason: string;
  /** The model types of the resources it would produce. */
  resourceTypes: ResourceType[];
}

/** What a source produces for one input file (IaC) or one account (live). */
export interface SourceResult {
  resources: Resource[];
  errors: InputError[];
  /** Files recognised and parsed, by kind (for the summary). */
  files: { file: string; kind: 'cloudformation' | 'terraform-plan' }[];
  /** Present when not empty. */
  notices?: SourceNotice[];
  /** Present when not empty. */
  fragments?: UnreadFragment[];
}

/** Everything the engine evaluates. */
export interface Inventory {
  resources: Resource[];
  /** Accounts of the Organization (live), for "outside the Organization" tests. Empty for IaC. */
  organizationAccounts: string[];
}
