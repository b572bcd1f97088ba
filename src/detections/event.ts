// From a raw CloudTrail record to the compact TrailEvent the detections read, and the tests that
// decide what a record is: an SES send call, a call made by AWS itself, an Insights record. Shared by the
// analyzer and the rule files (which import helpers from here, never from each other).
import { createHash } from 'node:crypto';
import type { CloudTrailRecord } from '../sources/cloudtrail/types.js';
import type { TrailEvent } from './types.js';

export const SES = 'ses.amazonaws.com';
export const IAM = 'iam.amazonaws.com';
export const EC2 = 'ec2.amazonaws.com';
export const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
export const CLOUDWATCH = 'monitoring.amazonaws.com';

/** SPEC §8 "send actions": SES v1 and v2 send calls (data events when the trail records them). */
export const SEND_EVENTS = new Set(['SendEmail', 'SendRawEmail', 'SendTemplatedEmail', 'SendBulkTemplatedEmail', 'SendBulkEmail']);

export function isSend(record: CloudTrailRecord): boolean {
  return record.eventSource === SES && SEND_EVENTS.has(record.eventName ?? '');
}

export function isDataEvent(record: CloudTrailRecord): boolean {
  return record.eventCategory === 'Data' || record.managementEvent === false;
}

/**
 * CloudTrail Insights records (delivered under CloudTrail-Insight/) describe unusual call rates, not
 * calls: their eventName sits inside insightDetails and there is no caller. Never read as API calls.
 */
export function isInsight(record: CloudTrailRecord): boolean {
  return record.eventType === 'AwsCloudTrailInsight' || record.eventCategory === 'Insight' || record.insightDetails !== undefined;
}

/** A service's own address, e.g. `trustedadvisor.amazonaws.com`: no customer caller can present it. */
const AWS_SERVICE_ADDRESS = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/;
const SERVICE_LINKED = /(^|[/:])AWSServiceRoleFor/;

/**
 * Calls AWS makes itself are not reconnaissance (SPEC §8 note): the AWSService identity type, any
 * `invokedBy`, a service-linked role (`AWSServiceRoleFor*`, path /aws-service-role/), or a source that
 * is a service's own address. Trusted Advisor sweeping GetSendQuota across regions is the classic case.
 */
export function isAwsCaller(record: CloudTrailRecord): boolean {
  const identity = record.userIdentity ?? {};
  if (identity.type === 'AWSService') return true;
  if (typeof identity.invokedBy === 'string' && identity.invokedBy !== '') return true;
  const issuer = identity.sessionContext?.sessionIssuer ?? {};
  for (const value of [identity.arn, issuer.arn, issuer.userName]) {
    if (typeof value !== 'string') continue;
    if (value.includes(':role/aws-service-role/') || SERVICE_LINKED.test(value)) return true;
  }
  return typeof record.sourceIPAddress === 'string' && AWS_SERVICE_ADDRESS.test(record.sourceIPAddress);
}

/** The ARN of the caller, or a stable stand-in: `service:<name>`, `<type>:<principalId>`. */
export function principalOf(record: CloudTrailRecord): string {
  const identity = record.userIdentity ?? {};
  if (typeof identity.arn === 'string' && identity.arn !== '') return identity.arn;
  if (identity.type === 'AWSService') return `service:${identity.invokedBy ?? record.sourceIPAddress ?? 'unknown'}`;
  if (identity.principalId) return `${identity.type ?? 'Unknown'}:${identity.principalId}`;
  if (identity.accountId) return `${identity.type ?? 'Unknown'}:${identity.accountId}`;
  return `${identity.type ?? 'Unknown'}:anonymous`;
}

function objectOrNull(value: unknown): Record<string, unknown> | null {
  // Some log shippers store requestParameters / responseElements as JSON text.
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      return objectOrNull(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * The event's id. A record whose shipper dropped eventID gets a stand-in derived from its whole content:
 * stable whatever the file order, equal only for records that are identical (true duplicates).
 */
function idOf(record: CloudTrailRecord): string {
  if (typeof record.eventID === 'string' && record.eventID !== '') return record.eventID;
  return `no-eventID:${createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 20)}`;
}

/**
 * The compact event of a record whose name, source and time were checked (`time` in epoch ms), or null
 * when it names no caller at all (a shipper dropped userIdentity): the detections group by caller and
 * must not merge unknown ones.
 */
export function toEvent(record: CloudTrailRecord, time: number): TrailEvent | null {
  const identity = record.userIdentity;
  if (identity === null || typeof identity !== 'object') return null;
  const event: TrailEvent = {
    id: idOf(record),
    time,
    name: record.eventName as string,
    source: record.eventSource as string,
    region: typeof record.awsRegion === 'string' ? record.awsRegion : 'unknown',
    account: String(record.recipientAccountId ?? identity.accountId ?? 'unknown'),
    principal: principalOf(record),
    principalType: identity.type ?? 'Unknown',
    byAws: isAwsCaller(record),
    data: isDataEvent(record),
    params: objectOrNull(record.requestParameters),
    response: objectOrNull(record.responseElements),
  };
  const issuer = identity.sessionContext?.sessionIssuer?.arn;
  if (typeof issuer === 'string' && issuer !== '') event.issuer = issuer;
  if (typeof identity.accessKeyId === 'string' && identity.accessKeyId !== '') event.accessKey = identity.accessKeyId;
  if (typeof record.sourceIPAddress === 'string') event.sourceIp = record.sourceIPAddress;
  if (typeof record.userAgent === 'string') event.userAgent = record.userAgent;
  if (typeof record.errorCode === 'string' && record.errorCode !== '') event.errorCode = record.errorCode;
  const mfa = (record.additionalEventData as Record<string, unknown> | undefined)?.MFAUsed;
  if (mfa === 'Yes' || mfa === 'No') event.mfaUsed = mfa === 'Yes';
  return event;
}

/** `user/alice`, `assumed-role/deploy/session`, or the stand-in itself: short enough for a message. */
export function shortPrincipal(principal: string): string {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(.+)$/.exec(principal);
  return match ? match[1] : principal;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The key id and owner a successful CreateAccessKey returned (a failed one created nothing). */
export function createdKey(event: TrailEvent): { accessKey: string; userName?: string } | null {
  if (event.errorCode) return null;
  const key = param(event.response, 'accessKey') as Record<string, unknown> | undefined;
  const accessKey = str(param(key, 'accessKeyId'));
  if (!accessKey) return null;
  return { accessKey, userName: str(param(key, 'userName')) ?? str(param(event.params, 'userName')) };
}

/** Case-insensitive lookup of a request parameter: SES v1 uses camelCase, SES v2 and EC2's newer APIs PascalCase. */
export function param(source: Record<string, unknown> | null | undefined, ...names: string[]): unknown {
  if (!source) return undefined;
  for (const name of names) {
    if (name in source) return source[name];
  }
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const [key, value] of Object.entries(source)) {
    if (wanted.has(key.toLowerCase())) return value;
  }
  return undefined;
}

/** `true`, `"true"` (some services log booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'TRUE';
}

export function isFalse(value: unknown): boolean {
  return value === false || value === 'false' || value === 'FALSE';
}

/**
 * Whose history a call belongs to: a long-term key (`AKIA…`) by itself; a role session by its role (session
 * keys rotate every hour, the role is what an attacker keeps using); any other session by its principal.
 * Null for calls without a key (AWS services, anonymous).
 */
export function callerOf(accessKey: string | undefined, issuer: string | undefined, principal: string): string | null {
  if (!accessKey) return null;
  if (accessKey.startsWith('AKIA')) return accessKey;
  return issuer ?? principal;
}
