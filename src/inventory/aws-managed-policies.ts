// AWS managed policies, which templates, plans and CloudTrail records name by ARN but never contain.
// Their documents are public and versioned; a generated, dated data file shipped with sesguard holds what
// each one grants that the checks read (issue #8, SPEC §8). Sources call this wherever they meet an AWS
// managed policy ARN instead of leaving the document Unknown.
//
// Interface only for now: the data file and its generator land with issue #8; until then every ARN is
// "not in the data file" and callers keep the document Unknown, as before.
import type { PolicyDocument } from './types.js';

/** `arn:<partition>:iam::aws:policy/<path/name>` → the path and name after `policy/`, or null. */
export function awsManagedPolicyName(arn: string): string | null {
  const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn);
  return match ? match[1] : null;
}

/** The document (reduced to what the checks read) of an AWS managed policy, or undefined when not in the data file. */
export function awsManagedPolicyDocument(arn: string): PolicyDocument | undefined {
  if (awsManagedPolicyName(arn) === null) return undefined;
  return undefined;
}
