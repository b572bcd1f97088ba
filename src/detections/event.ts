// From a raw CloudTrail record to the compact TrailEvent the detections read, and the tests that
// decide what a record is: an SES send call, a call made by AWS itself.
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
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Null when the record lacks what every detection needs (a name, a source and a valid time). */
export function toEvent(record: CloudTrailRecord): TrailEvent | null {
  const time = typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : NaN;
  if (!Number.isFinite(time) || typeof record.eventName !== 'string' || typeof record.eventSource !== 'string') return null;
  const identity = record.userIdentity ?? {};
  const event: TrailEvent = {
    id: typeof record.eventID === 'string' ? record.eventID : `${record.eventName}@${record.eventTime}`,
    time,
    name: record.eventName,
    source: record.eventSource,
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
  return event;
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
