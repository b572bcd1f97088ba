// The library API behind the commands: each run goes sources → inventory → engine → results.
import type { Config } from './config/types.js';
import { celConfig } from './config/types.js';
import { evaluateAll, evaluateEach } from './engine/evaluate.js';
import { checksFor, checksForSources, unknownCheckNotices } from './checks.js';
import type { CompiledCheck } from './engine/load.js';
import { buildResults } from './engine/results.js';
import type { Inventory } from './inventory/types.js';
import type { Snapshot } from './inventory/snapshot.js';
import { SEVERITY_RANK, type NotAssessed } from './engine/types.js';
import { ConfigError, SourceError } from './errors.js';
import { validateAgainst } from './schemas.js';
import { SuppressionUse, decideSuppression, isUnmatchedConfigNotice, unmatchedConfigNotices } from './engine/suppress.js';
import type { TrailRunResult } from './detections/run.js';
import { responseActions } from './detections/respond.js';
import type { Resource, UnreadFragment } from './inventory/types.js';
import type { Results } from './results.js';
import { collectIac, type IacOptions } from './sources/iac.js';
import { failedCallsNotice } from './failed-calls.js';
import { VERSION } from './version.js';

// Part of the run API as well (callers filter the checks of a run); defined apart so that listing checks stays light.
export { checksFor, checksForSources } from './checks.js';

export interface IacRunOptions extends IacOptions {
  config: Config;
  cwd: string;
  now?: () => Date;
  checks?: CompiledCheck[];
}

/** `sesguard iac <paths>`: CloudFormation, CDK output, Terraform source and Terraform plans. */
export async function runIac(paths: string[], options: IacRunOptions): Promise<Results> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const all = options.checks ?? checksFor(options.config);
  const collection = await collectIac(paths, options.cwd, {
    ...(options.tfVarFiles ? { tfVarFiles: options.tfVarFiles } : {}),
    ...(options.tfVars ? { tfVars: options.tfVars } : {}),
  });
  const inventory: Inventory = { resources: collection.resources, organizationAccounts: [] };
  // A check that only one of the two formats supports must not be listed as run for the other:
  // filtering per resource provenance keeps "C" checks off Terraform resources and vice versa.
  const cfn = checksForSources(all, ['C']);
  const tf = checksForSources(all, ['T']);
  const ctx = { config: celConfig(options.config, startedAt), org: [] as string[] };
  const evaluations = [
    ...evaluateAll(cfn, { ...inventory, resources: inventory.resources.filter((r) => r.provenance.source === 'cloudformation') }, ctx),
    ...evaluateAll(tf, { ...inventory, resources: inventory.resources.filter((r) => r.provenance.source === 'terraform') }, ctx),
  ];
  const ran = checksForSources(all, ['C', 'T']);
  return buildResults(inventory, evaluations, {
    kind: 'iac',
    version: VERSION,
    config: options.config,
    checks: ran,
    startedAt,
    finishedAt: now(),
    errors: collection.errors,
    inputs: { files: collection.files, skipped: collection.skipped, resourceCount: collection.resources.length },
    notices: [...collection.notices, ...unknownCheckNotices(options.config)],
    scopeNotAssessed: fragmentsNotAssessed(collection.fragments, cfn),
  });
}

/** Parts of templates not turned into resources (Fn::ForEach over an unknown collection): their checks are not assessed there. */
export function fragmentsNotAssessed(fragments: UnreadFragment[], checks: CompiledCheck[]): NotAssessed[] {
  return fragments.flatMap((fragment) =>
    checks
      .filter((check) => check.resourceTypes.some((type) => fragment.resourceTypes.includes(type)))
      .map((check) => ({
        checkId: check.id,
        file: fragment.file,
        ...(fragment.line ? { line: fragment.line } : {}),
        logicalId: fragment.name,
        reason: fragment.reason,
      })),
  );
}

// ---------------------------------------------------------------------------------------------
// Live scan: snapshot → results

/** Checks whose resources a failed listing left out, as not-assessed entries for that account/region. */
export function scopeNotAssessed(snapshot: Snapshot, checks: CompiledCheck[]): NotAssessed[] {
  const out: NotAssessed[] = [];
  if (!snapshot.scope.org) {
    // Without --org there are no Organization account resources: say so instead of leaving the checks out.
    const orgChecks = checks.filter((c) => c.resourceTypes.includes('aws.organizations.account'));
    for (const account of snapshot.scope.accounts.filter((a) => a.status === 'scanned')) {
      for (const check of orgChecks) {
        out.push({ checkId: check.id, account: account.accountId, reason: 'the Organization was not read: scan with --org from the management account' });
      }
    }
  }
  for (const e of snapshot.callErrors) {
    if (e.affects.length === 0) continue;
    for (const check of checks) {
      if (!check.resourceTypes.some((t) => e.affects.includes(t))) continue;
      out.push({ checkId: check.id, account: e.account, ...(e.region !== 'global' ? { region: e.region } : {}), reason: `${e.call}: ${e.error}` });
    }
  }
  for (const account of snapshot.scope.accounts) {
    if (account.status === 'scanned') continue;
    for (const check of checks) {
      out.push({ checkId: check.id, account: account.accountId, reason: account.reason ?? `account ${account.status}` });
    }
  }
  return out;
}

export interface EvaluateOptions {
  config: Config;
  checks?: CompiledCheck[];
  kind?: string;
  now?: () => Date;
}

/** `sesguard evaluate`: the same results as the scan that wrote the snapshot. */
export function evaluateSnapshot(snapshot: Snapshot, options: EvaluateOptions): Results {
  const checks = checksForSources(options.checks ?? checksFor(options.config), ['L']);
  const capturedAt = new Date(snapshot.capturedAt);
  const inventory: Inventory = { resources: snapshot.resources, organizationAccounts: snapshot.organizationAccounts };
  // Folded into the results as they come: an Organization's outcomes are never all held at once.
  const evaluations = evaluateEach(checks, inventory, {
    config: celConfig(options.config, capturedAt, snapshot.scope.organizationId),
    org: snapshot.organizationAccounts,
  });
  const notices: string[] = [];
  if (snapshot.incomplete) notices.push('the scan was interrupted: accounts not reached are listed as not assessed');
  for (const account of snapshot.scope.accounts) {
    if (account.status === 'failed') notices.push(`account ${account.accountId} (${account.name}) not assessed: ${account.reason ?? 'failed'}`);
  }
  notices.push(...(snapshot.notices ?? []), ...unknownCheckNotices(options.config));
  if (!snapshot.scope.org) {
    notices.push('the Organization was not read (no --org): its SCP checks are not assessed, and "outside" accounts are those not in trustedAccounts');
  }
  const results = buildResults(inventory, evaluations, {
    kind: options.kind ?? 'scan',
    version: VERSION,
    config: options.config,
    checks,
    startedAt: capturedAt,
    // The results describe the data: the scan's own times, whenever the snapshot is evaluated.
    finishedAt: new Date(snapshot.finishedAt),
    errors: [],
    inputs: {
      files: [],
      skipped: [],
      resourceCount: snapshot.resources.length,
      accounts: snapshot.scope.accounts.map((a) => ({ accountId: a.accountId, name: a.name, status: a.status, regions: a.regions })),
      apiCalls: snapshot.apiCalls,
      ...(snapshot.scope.shard ? { shard: snapshot.scope.shard } : {}),
    },
    notices,
    incomplete: snapshot.incomplete,
    scopeNotAssessed: scopeNotAssessed(snapshot, checks),
  });
  // Accounts that could not be entered have their own notice above.
  const failedAccounts = new Set(snapshot.scope.accounts.filter((a) => a.status === 'failed').map((a) => a.accountId));
  const failed = failedCallsNotice(results.notAssessed, failedAccounts);
  if (failed) results.notices.push(failed);
  return results;
}

/** Reads and validates a snapshot file's text. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SourceError(SNAPSHOT_NOT_JSON, file);
  }
  return validSnapshot(value, file);
}

export const SNAPSHOT_NOT_JSON = 'not valid JSON (expected a sesguard snapshot)';

/** Validates a parsed snapshot (a large one is parsed in chunks by the caller, not from one text). */
export function validSnapshot(value: unknown, file: string): Snapshot {
  const problem = validateAgainst('snapshot.schema.json', value);
  if (problem) throw new SourceError(`not a sesguard snapshot: ${problem}`, file);
  return value as Snapshot;
}

/** `sesguard merge`: shard results of one Organization scan → one results document. */
/** Refuses merges that would double-count or mix runs; notes shards that are missing. */
function checkMergeable(parts: Results[], names: string[]): string[] {
  const kinds = new Set(parts.map((p) => (p.kind === 'evaluate' ? 'scan' : p.kind)));
  if (kinds.size > 1) throw new ConfigError(`merge joins results of one kind of run (got ${[...kinds].join(' and ')})`);
  const owner = new Map<string, string>();
  parts.forEach((part, i) => {
    const groups = [...(part.inputs.accounts ?? []).map((a) => a.accountId), ...part.inputs.files.map((f) => f.file)];
    for (const group of groups) {
      const previous = owner.get(group);
      if (previous !== undefined) throw new ConfigError(`${group} is in both ${previous} and ${names[i]}: each shard must be merged once`);
      owner.set(group, names[i]);
    }
  });
  const shards = parts.map((p) => p.inputs.shard).filter((s): s is string => Boolean(s));
  if (shards.length === 0) return [];
  const counts = new Set(shards.map((s) => s.split('/')[1]));
  if (counts.size > 1 || shards.length !== parts.length) throw new ConfigError(`merge joins shards of one --shard K/N split (got ${shards.join(', ')})`);
  const n = Number([...counts][0]);
  const present = new Set(shards.map((s) => Number(s.split('/')[0])));
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !present.has(k));
  return missing.length ? [`shards ${missing.map((k) => `${k}/${n}`).join(', ')} are missing from this merge: their accounts are not covered`] : [];
}

/**
 * Every part's notices once; a config suppression that matched nothing is reported only when it matched
 * nothing in any part (the shard holding its resource may have used it).
 */
function mergedNotices(parts: Results[], extra: string[]): string[] {
  const all = [...new Set([...parts.flatMap((p) => p.notices), ...extra])];
  return all.filter((n) => !isUnmatchedConfigNotice(n) || parts.every((p) => p.notices.includes(n)));
}

export function mergeResults(parts: Results[], names: string[] = parts.map((_, i) => `part ${i + 1}`)): Results {
  if (parts.length === 0) throw new ConfigError('merge needs at least one results file');
  const missingShards = checkMergeable(parts, names);
  const [first] = parts;
  const byAccount: Record<string, number> = {};
  const byFile: Record<string, number> = {};
  const checks = new Map<string, Results['checks'][number]>();
  const counts = { evaluated: 0, passed: 0, failed: 0, suppressed: 0, notAssessed: 0, notApplicable: 0 };
  for (const part of parts) {
    Object.assign(byAccount, part.score.byAccount);
    Object.assign(byFile, part.score.byFile);
    for (const c of part.checks) checks.set(c.id, c);
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += part.counts[k] ?? 0;
  }
  const groups = [...Object.entries(byAccount), ...Object.entries(byFile)];
  const overall = groups.length ? Math.round((groups.reduce((s, [, v]) => s + v, 0) / groups.length) * 10) / 10 : null;
  const worst = groups.length ? groups.reduce((w, g) => (g[1] < w[1] ? g : w)) : null;
  const assessed = counts.evaluated;
  const coverage = assessed + counts.notAssessed === 0 ? 1 : Math.round((assessed / (assessed + counts.notAssessed)) * 10000) / 10000;
  return {
    ...first,
    startedAt: parts.map((p) => p.startedAt).sort()[0],
    finishedAt: parts.map((p) => p.finishedAt).sort().at(-1) as string,
    score: { overall, coverage, worst: worst ? { group: worst[0], score: worst[1] } : null, byAccount, byFile },
    findings: parts.flatMap((p) => p.findings).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.checkId.localeCompare(b.checkId)),
    notAssessed: parts.flatMap((p) => p.notAssessed),
    errors: parts.flatMap((p) => p.errors),
    counts,
    checks: [...checks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    inputs: {
      files: parts.flatMap((p) => p.inputs.files),
      skipped: parts.flatMap((p) => p.inputs.skipped),
      resourceCount: parts.reduce((s, p) => s + (p.inputs.resourceCount ?? 0), 0),
      accounts: parts.flatMap((p) => p.inputs.accounts ?? []),
      apiCalls: parts.reduce((s, p) => s + (p.inputs.apiCalls ?? 0), 0),
    },
    notices: mergedNotices(parts, missingShards),
    incomplete: parts.some((p) => p.incomplete) || missingShards.length > 0,
  };
}

// ---------------------------------------------------------------------------------------------
// CloudTrail: detections → results

/**
 * Wraps a trail run into the results document; config suppressions apply to findings by principal ARN
 * or access key. A (detection, subject) pair with a finding is a failed pair; an enabled detection the
 * logs support that found nothing is one passed pair (it ran and saw nothing); an enabled detection the
 * logs cannot support is one not-assessed pair. Disabled detections are none of these.
 */
export function trailResults(run: TrailRunResult, config: Config): Results {
  const today = run.startedAt.slice(0, 10);
  const notices = [...run.coverage.notes, ...unknownCheckNotices(config)];
  const expired = new Set<string>();
  const use = new SuppressionUse();
  let suppressed = 0;
  const findings = run.findings.map((finding) => {
    const subject: Resource = {
      type: 'aws.iam.user',
      id: finding.resource.id,
      name: finding.resource.name,
      provenance: { source: 'aws', ...(finding.resource.arn ? { arn: finding.resource.arn } : {}), ...(finding.resource.account ? { account: finding.resource.account } : {}) },
      props: {} as never,
    };
    const decision = decideSuppression(finding.checkId, subject, config.suppressions, today);
    use.record(finding.checkId, subject, decision);
    if (decision.expired && !expired.has(decision.expired.check + decision.expired.resource)) {
      expired.add(decision.expired.check + decision.expired.resource);
      notices.push(`suppression of ${decision.expired.check} for ${decision.expired.resource} expired on ${decision.expired.expires}: it no longer suppresses`);
    }
    if (decision.suppression) suppressed++;
    return { ...finding, suppressed: decision.suppression };
  });
  notices.push(...unmatchedConfigNotices(use, { config: config.suppressions, checksRun: run.detections.map((d) => d.id), scope: 'live' }));
  const enabled = new Set(run.detections.map((d) => d.id));
  const support = run.coverage.detectionsSupported.filter((d) => enabled.has(d.id));
  const unsupported = support.filter((d) => !d.supported);
  const withFindings = new Set(findings.map((f) => f.checkId));
  const passed = support.filter((d) => d.supported && !withFindings.has(d.id)).length;
  // Coverage of a trail run: the share of enabled detections these logs let work (1 when none is enabled).
  const coverage = support.length === 0 ? 1 : Math.round(((support.length - unsupported.length) / support.length) * 10000) / 10000;
  return {
    schemaVersion: 1,
    tool: { name: 'sesguard', version: VERSION, informationUri: 'https://github.com/sesguard/sesguard' },
    kind: 'trail',
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    // No posture score: detections report what happened in a time span, not the state of resources,
    // so there is nothing to weigh into a 0-100 score (overall and worst stay null).
    score: { overall: null, coverage, worst: null, byAccount: {}, byFile: {} },
    findings,
    notAssessed: unsupported.map((d) => ({ checkId: d.id, reason: d.why })),
    errors: run.errors,
    counts: {
      evaluated: findings.length + passed,
      passed,
      failed: findings.length - suppressed,
      suppressed,
      notAssessed: unsupported.length,
      notApplicable: 0,
    },
    checks: run.checks,
    inputs: {
      files: run.inputs.files.map((f) => ({ file: f.file, kind: f.kind, ...(f.sha256 ? { sha256: f.sha256, bytes: f.bytes } : {}) })),
      skipped: run.inputs.skipped,
    },
    notices,
    incomplete: false,
    // What to do now, from the open findings (suppressions applied above), sessions revoked as of the run's end.
    trail: { coverage: run.coverage, timeline: run.timeline, actions: responseActions(findings, run.finishedAt) },
  };
}
