// Types of the engine stage: a loaded check, and the outcome of evaluating it on one resource.
import type { Provenance, ResourceType } from '../inventory/types.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
/** The severities, most severe first: the one ranking every sort, gate and report uses. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
/** Each severity's place in SEVERITIES (critical 0 … low 3): compare and sort with it. */
export const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 1 };

/** L = live scan, C = CloudFormation, T = Terraform plan, D = CloudTrail detection. */
export type SourceCode = 'L' | 'C' | 'T' | 'D' | 'F';

/** A check as written in `policies/<area>/<id>.yaml` (see schemas/check.schema.json). */
export interface CheckDefinition {
  id: string;
  title: string;
  severity: Severity;
  sources: SourceCode[];
  resourceTypes: ResourceType[];
  rationale: string;
  remediation: { console?: string; cli?: string; cloudformation?: string; terraform?: string };
  references: string[];
  /** Property names (dotted, under `props`) the check reads: documentation, and context for error reasons. */
  reads: string[];
  /** CEL → bool. False → not applicable. Default: applicable. */
  applies?: string;
  /** Reason shown when not applicable because of config (e.g. approvedRegions unset). */
  notApplicableHint?: string;
  /** CEL → bool. True = compliant. */
  assert: string;
  /** CEL → map, evaluated on failure: evidence; `line` (number) points the finding at a property. */
  details?: string;
  /** Finding message; `{key}` is replaced by the value of `key` in details. */
  message: string;
  fixtures: CheckFixtures;
}

export interface FixtureCase {
  name: string;
  /** Resource type; defaults to the check's first resource type. */
  type?: ResourceType;
  props: Record<string, unknown>;
  /** Config overrides for this case (approvedRegions, trustedAccounts, thresholds, …). */
  config?: Record<string, unknown>;
  organizationAccounts?: string[];
}

export interface CheckFixtures {
  pass: FixtureCase[];
  fail: FixtureCase[];
  notApplicable: FixtureCase[];
  notAssessed?: FixtureCase[];
}

export interface LoadedCheck extends CheckDefinition {
  /** The file it was loaded from. */
  file: string;
  /** Effective severity after config overrides. */
  effectiveSeverity: Severity;
}

/** The outcome of one (check, resource) pair. */
export type Outcome =
  | { kind: 'pass' }
  | { kind: 'fail'; message: string; evidence: Record<string, unknown>; line?: number; column?: number }
  | { kind: 'not-applicable'; reason?: string }
  | { kind: 'not-assessed'; reason: string };

export interface Evaluation {
  checkId: string;
  resourceId: string;
  outcome: Outcome;
}

export interface Suppression {
  source: 'config' | 'inline';
  reason: string;
  expires?: string;
}

/** A failed (check, resource) pair, ready for the reporters. */
export interface Finding {
  checkId: string;
  severity: Severity;
  title: string;
  message: string;
  resource: {
    /**
     * A resource type, or `aws.iam.principal` for CloudTrail detections (a user, role or access key), or
     * `aws.ec2.network-interface` for VPC Flow Logs detections (the interface the flows went through).
     */
    type: ResourceType | 'aws.iam.principal' | 'aws.ec2.network-interface';
    id: string;
    name: string;
    arn?: string;
    account?: string;
    region?: string;
    file?: string;
    line?: number;
    column?: number;
    logicalId?: string;
    cdkPath?: string;
  };
  evidence: Record<string, unknown>;
  suppressed: Suppression | null;
  fingerprint: string;
  /** Set when a baseline is given: new / unchanged (SARIF baselineState). */
  baselineState?: 'new' | 'unchanged';
}

export interface NotAssessed {
  checkId: string;
  resourceId?: string;
  resourceType?: ResourceType;
  file?: string;
  line?: number;
  logicalId?: string;
  account?: string;
  region?: string;
  reason: string;
}

export type ResourceRef = Pick<Provenance, 'file' | 'line' | 'logicalId' | 'arn' | 'account' | 'region'>;
