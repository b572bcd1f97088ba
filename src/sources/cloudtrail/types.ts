// The shape of one CloudTrail record as AWS delivers it (log files, S3, LookupEvents' CloudTrailEvent),
// reduced to the fields sesguard reads. Everything is optional: records come from outside and are
// checked field by field, never trusted to be complete.

export interface CloudTrailSessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface CloudTrailUserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  sessionContext?: { sessionIssuer?: CloudTrailSessionIssuer; attributes?: Record<string, unknown> };
}

export interface CloudTrailRecord {
  eventVersion?: string;
  eventID?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: CloudTrailUserIdentity;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  eventType?: string;
  eventCategory?: string;
  managementEvent?: boolean;
  readOnly?: boolean;
  recipientAccountId?: string;
  [key: string]: unknown;
}

/** One input that was read (or tried): a file, an S3 object, a LookupEvents region or a flow log stream. */
export interface TrailInputFile {
  file: string;
  kind: 'cloudtrail' | 'cloudtrail-lookup' | 'vpc-flow' | 'vpc-flow-parquet' | 'vpc-flow-logs-group';
  /** SHA-256 of the object's bytes as read (as delivered: compressed), and their count. */
  sha256?: string;
  bytes?: number;
}
