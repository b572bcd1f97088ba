// Turns evaluations into the Results document: findings (with suppressions and fingerprints),
// not-assessed records, counts, score. Pure: the clock and the run metadata are passed in.
import { createHash } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { InlineSuppression, Inventory, Resource, InputError } from '../inventory/types.js';
import type { CheckSummary, Counts, Results } from '../results.js';
import { score, type ScoredPair } from '../scoring/score.js';
import type { CompiledCheck } from './load.js';
import { SuppressionUse, decideSuppression, unmatchedConfigNotices } from './suppress.js';
import { SEVERITY_RANK, type Evaluation, type Finding, type NotAssessed, type Outcome, type SourceCode } from './types.js';

export const TOOL = {
  name: 'sesguard' as const,
  informationUri: 'https://github.com/sesguard/sesguard',
};

export function helpUri(checkId: string): string {
  return `${TOOL.informationUri}/blob/main/docs/checks.md#${checkId.toLowerCase()}`;
}

/** Stable across runs and line moves: check id + resource identity. */
export function fingerprint(checkId: string, resourceId: string): string {
  return createHash('sha256').update(`${checkId}\u0000${resourceId}`).digest('hex').slice(0, 32);
}

export function checkSummary(check: CompiledCheck): CheckSummary {
  return {
    id: check.id,
    title: check.title,
    severity: check.effectiveSeverity,
    sources: check.sources as SourceCode[],
    rationale: check.rationale,
    remediation: check.remediation,
    references: check.references,
    helpUri: helpUri(check.id),
  };
}

export interface BuildOptions {
  kind: string;
  version: string;
  config: Config;
  checks: CompiledCheck[];
  startedAt: Date;
  finishedAt: Date;
  errors: InputError[];
  inputs: Results['inputs'];
  notices?: string[];
  incomplete?: boolean;
  /**
   * Pairs that could not even be formed: a failed listing call or an account that could not be entered
   * (live scan). Each names a check and an account/region; they count as not assessed for that account.
   */
  scopeNotAssessed?: NotAssessed[];
}

function groupOf(resource: Resource): { group: string; groupKind: 'file' | 'account' } {
  const p = resource.provenance;
  if (p.source === 'aws') return { group: p.account ?? '(unknown account)', groupKind: 'account' };
  return { group: p.file ?? '(unknown file)', groupKind: 'file' };
}

/** Why an inline suppression met no finding: the outcome of its pair, or why there was none. */
function unmatchedWhy(checkId: string, resource: Resource, outcome: Outcome | undefined, checks: CompiledCheck[]): string {
  if (outcome?.kind === 'pass') return 'the check passes';
  if (outcome?.kind === 'not-applicable') return 'the check does not apply to it';
  if (outcome?.kind === 'not-assessed') return `the check is not assessed (${outcome.reason})`;
  const check = checks.find((c) => c.id === checkId);
  if (!check) return `${checkId} is not among the checks of this run (not one for this input, disabled, or no such check)`;
  if (!check.resourceTypes.includes(resource.type)) return `${checkId} does not judge ${resource.type} resources`;
  return `${checkId} does not run on this input`;
}

/**
 * Inline suppressions (CloudFormation Metadata, Terraform comments) that suppressed no finding; `outcomes`
 * holds the outcome of every pair of a resource that carries inline suppressions, by `resourceId\0checkId`.
 * One written on a resource folded into others (a Terraform `aws_iam_role_policy` into its role) is one
 * suppression however many resources carry it: unmatched only when it matched on none of them.
 */
function unmatchedInlineNotices(inventory: Inventory, outcomes: Map<string, Outcome>, checks: CompiledCheck[], use: SuppressionUse): string[] {
  const withInline = inventory.resources.filter((r) => r.suppressions?.length);
  if (withInline.length === 0) return [];
  const out: string[] = [];
  const folded = new Map<string, { s: InlineSuppression; carriers: Resource[] }>();
  for (const resource of withInline) {
    for (const s of resource.suppressions ?? []) {
      if (s.foldedFrom) {
        const key = `${s.foldedFrom.file ?? ''}\u0000${s.line ?? ''}\u0000${s.foldedFrom.logicalId}\u0000${s.check}`;
        const entry = folded.get(key) ?? { s, carriers: [] };
        if (!entry.carriers.includes(resource)) entry.carriers.push(resource);
        folded.set(key, entry);
        continue;
      }
      if (use.usedInline(resource, s.check)) continue;
      const p = resource.provenance;
      const place = p.file ? `${p.file}${s.line ?? p.line ? `:${s.line ?? p.line}` : ''}` : resource.id;
      const why = unmatchedWhy(s.check, resource, outcomes.get(`${resource.id}\u0000${s.check}`), checks);
      out.push(`${place}: inline suppression of ${s.check} on ${p.logicalId ?? resource.name} matches no finding: ${why}`);
    }
  }
  for (const { s, carriers } of folded.values()) {
    if (carriers.some((r) => use.usedInline(r, s.check))) continue;
    const from = s.foldedFrom!;
    const place = from.file ? `${from.file}${s.line ? `:${s.line}` : ''}` : from.logicalId;
    const name = (r: Resource) => r.provenance.logicalId ?? r.name;
    const why = carriers.map((r) => `on ${name(r)}, ${unmatchedWhy(s.check, r, outcomes.get(`${r.id}\u0000${s.check}`), checks)}`).join('; ');
    out.push(`${place}: inline suppression of ${s.check} on ${from.logicalId} (folded into ${carriers.map(name).join(', ')}) matches no finding: ${why}`);
  }
  return out;
}

/** `evaluations` may be a stream (evaluateEach): each is folded in as it comes. */
export function buildResults(inventory: Inventory, evaluations: Iterable<Evaluation>, options: BuildOptions): Results {
  const checks = new Map(options.checks.map((c) => [c.id, c]));
  const resources = new Map(inventory.resources.map((r) => [r.id, r]));
  const today = options.startedAt.toISOString().slice(0, 10);
  const findings: Finding[] = [];
  const notAssessed: NotAssessed[] = [];
  const pairs: ScoredPair[] = [];
  const notices = [...(options.notices ?? [])];
  const expiredSeen = new Set<string>();
  const use = new SuppressionUse();
  const inlineOutcomes = new Map<string, Outcome>();
  const counts: Counts = { evaluated: 0, passed: 0, failed: 0, suppressed: 0, notAssessed: 0, notApplicable: 0 };

  for (const evaluation of evaluations) {
    const check = checks.get(evaluation.checkId);
    const resource = resources.get(evaluation.resourceId);
    if (!check || !resource) continue;
    const { outcome } = evaluation;
    if (resource.suppressions?.length) inlineOutcomes.set(`${resource.id}\u0000${check.id}`, outcome);
    const severity = check.effectiveSeverity;
    const where = groupOf(resource);
    const p = resource.provenance;
    switch (outcome.kind) {
      case 'not-applicable':
        counts.notApplicable++;
        break;
      case 'pass':
        counts.evaluated++;
        counts.passed++;
        pairs.push({ checkId: check.id, severity, ...where, outcome: 'pass' });
        break;
      case 'not-assessed':
        counts.notAssessed++;
        pairs.push({ checkId: check.id, severity, ...where, outcome: 'not-assessed' });
        notAssessed.push({
          checkId: check.id,
          resourceId: resource.id,
          resourceType: resource.type,
          ...(p.file ? { file: p.file } : {}),
          ...(p.line ? { line: p.line } : {}),
          ...(p.logicalId ? { logicalId: p.logicalId } : {}),
          ...(p.account ? { account: p.account } : {}),
          ...(p.region ? { region: p.region } : {}),
          reason: outcome.reason,
        });
        break;
      case 'fail': {
        counts.evaluated++;
        const decision = decideSuppression(check.id, resource, options.config.suppressions, today);
        use.record(check.id, resource, decision);
        if (decision.expired) {
          const key = `${decision.expired.check}|${decision.expired.resource}`;
          if (!expiredSeen.has(key)) {
            expiredSeen.add(key);
            notices.push(
              `suppression of ${decision.expired.check} for ${decision.expired.resource} expired on ${decision.expired.expires}: it no longer suppresses (reason was: ${decision.expired.reason})`,
            );
          }
        }
        if (decision.suppression) counts.suppressed++;
        else counts.failed++;
        pairs.push({ checkId: check.id, severity, ...where, outcome: decision.suppression ? 'suppressed' : 'fail' });
        findings.push({
          checkId: check.id,
          severity,
          title: check.title,
          message: outcome.message,
          resource: {
            type: resource.type,
            id: resource.id,
            name: resource.name,
            ...(p.arn ? { arn: p.arn } : {}),
            ...(p.account ? { account: p.account } : {}),
            ...(p.region ? { region: p.region } : {}),
            ...(p.file ? { file: p.file } : {}),
            ...(outcome.line ?? p.line ? { line: outcome.line ?? p.line } : {}),
            ...(outcome.line ? (outcome.column ? { column: outcome.column } : {}) : p.column ? { column: p.column } : {}),
            ...(p.logicalId ? { logicalId: p.logicalId } : {}),
            ...(p.cdkPath ? { cdkPath: p.cdkPath } : {}),
          },
          evidence: outcome.evidence,
          suppressed: decision.suppression,
          fingerprint: fingerprint(check.id, resource.id),
        });
        break;
      }
    }
  }

  notices.push(...unmatchedInlineNotices(inventory, inlineOutcomes, options.checks, use));
  notices.push(
    ...unmatchedConfigNotices(use, { config: options.config.suppressions, checksRun: options.checks.map((c) => c.id), scope: options.kind === 'iac' ? 'iac' : 'live' }),
  );

  for (const entry of options.scopeNotAssessed ?? []) {
    const check = checks.get(entry.checkId);
    if (!check) continue;
    counts.notAssessed++;
    notAssessed.push(entry);
    pairs.push({
      checkId: check.id,
      severity: check.effectiveSeverity,
      group: entry.account ?? entry.file ?? '(unknown)',
      groupKind: entry.account ? 'account' : 'file',
      outcome: 'not-assessed',
    });
  }

  findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.checkId.localeCompare(b.checkId) ||
      (a.resource.file ?? a.resource.account ?? '').localeCompare(b.resource.file ?? b.resource.account ?? '') ||
      (a.resource.line ?? 0) - (b.resource.line ?? 0) ||
      a.resource.id.localeCompare(b.resource.id),
  );

  return {
    schemaVersion: 1,
    tool: { ...TOOL, version: options.version },
    kind: options.kind,
    startedAt: options.startedAt.toISOString(),
    finishedAt: options.finishedAt.toISOString(),
    score: score(pairs),
    findings,
    notAssessed,
    errors: options.errors,
    counts,
    checks: options.checks.map(checkSummary),
    inputs: options.inputs,
    notices,
    incomplete: options.incomplete ?? false,
  };
}
