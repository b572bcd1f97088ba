// The results document (SPEC §5): what `--json` writes, what `report` and `merge` read,
// and the single value every reporter renders.
import type { InputError } from './inventory/types.js';
import type { Finding, NotAssessed, Severity, SourceCode } from './engine/types.js';
import type { Coverage, PrincipalTimeline } from './detections/types.js';
import type { ResponseAction } from './detections/respond.js';

export interface Score {
  /** Mean over groups (files or accounts); null when nothing could be assessed. */
  overall: number | null;
  /**
   * assessed / (assessed + not assessed) over all (check, resource) pairs; 1 when there were none. For trail
   * runs: supported / enabled detections (what the logs could show).
   */
  coverage: number;
  /** The lowest-scoring group, shown beside the mean. */
  worst: { group: string; score: number } | null;
  byAccount: Record<string, number>;
  byFile: Record<string, number>;
}

/** What reporters need to know about each check that ran (SARIF rules, docs links). */
export interface CheckSummary {
  id: string;
  title: string;
  severity: Severity;
  sources: SourceCode[];
  rationale: string;
  remediation: { console?: string; cli?: string; cloudformation?: string; terraform?: string };
  references: string[];
  helpUri: string;
}

export interface Counts {
  evaluated: number;
  passed: number;
  failed: number;
  suppressed: number;
  notAssessed: number;
  notApplicable: number;
}

export interface Results {
  schemaVersion: 1;
  tool: { name: 'sesguard'; version: string; informationUri: string };
  /** `iac`, `scan`, `evaluate`, `trail`, `demo`. Used for SARIF automationDetails.id. */
  kind: string;
  startedAt: string;
  finishedAt: string;
  score: Score;
  /** Failed pairs, suppressed ones included (with `suppressed` set). */
  findings: Finding[];
  notAssessed: NotAssessed[];
  errors: InputError[];
  counts: Counts;
  checks: CheckSummary[];
  /** Inputs looked at: files recognised by kind, files skipped as neither. */
  inputs: {
    /** `sha256` and `bytes`: of the object as read (trail runs; as delivered, compressed), so evidence can cite it. */
    files: { file: string; kind: string; sha256?: string; bytes?: number }[];
    skipped: string[];
    resourceCount?: number;
    /** Live scans: the accounts in scope and what became of them. */
    accounts?: { accountId: string; name: string; status: 'scanned' | 'failed' | 'skipped'; regions: string[] }[];
    /** Live scans: API operations made. */
    apiCalls?: number;
    /** Live scans run with --shard: `K/N`. */
    shard?: string;
  };
  /** Warnings the user must see (expired suppressions, truncated outputs, …). */
  notices: string[];
  /** True when the run was interrupted or could not cover its whole scope. */
  incomplete: boolean;
  /** CloudTrail runs: what the logs could show, and a per-principal timeline. */
  /** `actions`: what to do now (src/detections/respond.ts); absent in results written before it existed. */
  trail?: { coverage: Coverage; timeline: PrincipalTimeline[]; actions?: ResponseAction[] };
}
