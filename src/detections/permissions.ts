// Whether IAM policies seen in CloudTrail let a user send through SES, judged with the same IAM statement
// semantics as the posture checks (src/functions/iam.ts: wildcards, NotAction, explicit Deny, resource
// scope) and with AWS managed policies read from the shipped data file. This module is the one place the
// detections call the IAM semantics, so a change of that library's entry point is a one-line change here.
import { analyzeSendGrants } from '../functions/iam.js';
import { awsManagedPolicyDocument, awsManagedPolicyName } from '../inventory/aws-managed-policies.js';
import { normalizePolicyDocument } from '../inventory/policy-document.js';
import { isUnknown, unknown, type Maybe, type PolicyDocument } from '../inventory/types.js';

export type Verdict = 'yes' | 'no' | 'maybe';

/** A policy as the logs show it: a name for messages and its document (Unknown when not in the logs). */
export interface LoggedPolicy {
  name: string;
  document: Maybe<PolicyDocument>;
}

/**
 * Do these policies, together, grant an SES send action on some identity? `maybe` names what was not
 * known (a document not in the logs) in `why`; `yes` is certain whatever the unknown documents hold.
 */
export function maySend(policies: LoggedPolicy[]): { verdict: Verdict; why: string[] } {
  const { send } = analyzeSendGrants(policies.map((p) => ({ name: p.name, line: 0, document: p.document })));
  return { verdict: send.tri, why: send.reasons };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A policy document as CloudTrail logs it in requestParameters: JSON text, URL-encoded by some callers. */
export function loggedDocument(value: unknown): Maybe<PolicyDocument> {
  if (value === undefined || value === null) return unknown('the policy document is not in the record');
  if (typeof value === 'string' && !value.trimStart().startsWith('{')) return normalizePolicyDocument(safeDecode(value));
  return normalizePolicyDocument(value);
}

/** An AWS managed policy's document from the shipped data file, or Unknown saying why not. */
export function awsManagedDocument(arn: string): Maybe<PolicyDocument> {
  const document = awsManagedPolicyDocument(arn);
  if (document) return document;
  return unknown(`AWS managed policy ${awsManagedPolicyName(arn) ?? arn} is not in sesguard's AWS managed policy data file`);
}

/** True for `arn:<partition>:iam::aws:policy/…`. */
export function isAwsManaged(arn: string): boolean {
  return awsManagedPolicyName(arn) !== null;
}

export { isUnknown };
