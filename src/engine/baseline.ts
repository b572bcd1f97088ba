// Baseline comparison (SPEC §4 `--baseline`): marks each finding of this run new or unchanged against a
// previous results JSON, and lists what the baseline had open that is gone now. Pure; the caller reads files.
//
// Matching is by `fingerprint` (check id + resource identity, never the line), so moving a resource in its
// template keeps it unchanged, while renaming it (another logical id, another ARN) is one new and one fixed.
// Fingerprints are counted, not just looked up: two current findings sharing a fingerprint that the baseline
// held once are one unchanged and one new.
import { SEVERITIES, type Finding } from './types.js';
import { SourceError } from '../errors.js';
import type { Results } from '../results.js';

export interface BaselineSummary {
  /** Open (unsuppressed) findings of this run that the baseline did not have open. */
  new: number;
  /** Open findings of this run that the baseline had open too. */
  unchanged: number;
  /** Open findings of the baseline that this run does not report at all. */
  fixed: number;
}

export interface BaselineComparison {
  /** The current results, every finding with `baselineState` set. */
  results: Results;
  /** Baseline findings (open there) that are absent now, as the baseline recorded them. */
  fixed: Finding[];
  summary: BaselineSummary;
}

/** Which runs can be compared: an `evaluate` of a snapshot is the same kind of run as the `scan` that wrote it. */
function family(kind: string | undefined): string | undefined {
  return kind === 'evaluate' ? 'scan' : kind;
}

function countBy(findings: Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.fingerprint, (counts.get(f.fingerprint) ?? 0) + 1);
  return counts;
}

/** Takes one from the count of `key`; true when there was one to take. */
function take(counts: Map<string, number>, key: string): boolean {
  const n = counts.get(key) ?? 0;
  if (n === 0) return false;
  counts.set(key, n - 1);
  return true;
}

/**
 * Compares `current` with `baseline`.
 *
 * - An open finding is `unchanged` only when the baseline had it open: a finding that was suppressed in the
 *   baseline and is open now (its suppression expired or was removed) is `new`, so the gate sees it again.
 * - A suppressed finding is `unchanged` when the baseline had it in any state, else `new`; it never fails
 *   the run either way, and is left out of the summary counts.
 * - `fixed` holds the baseline's open findings whose fingerprint this run does not report at all; one that
 *   is merely suppressed now is not fixed.
 *
 * Throws `SourceError` when the baseline comes from another kind of run (an IaC baseline for a live scan):
 * nothing would match, and every finding would silently count as new.
 */
export function applyBaseline(current: Results, baseline: Results, options: { file?: string } = {}): BaselineComparison {
  const want = family(current.kind);
  const have = family(baseline.kind);
  if (want !== undefined && have !== undefined && want !== have) {
    throw new SourceError(`the baseline is the results of a "${baseline.kind}" run; this is a "${current.kind}" run, so nothing could match`, options.file);
  }
  const openBefore = countBy(baseline.findings.filter((f) => !f.suppressed));
  const anyBefore = countBy(baseline.findings);
  // Open findings claim the baseline's open entries first, so a suppressed duplicate cannot take one away.
  const states = new Map<Finding, 'new' | 'unchanged'>();
  for (const f of current.findings) {
    if (!f.suppressed) {
      const known = take(openBefore, f.fingerprint);
      if (known) take(anyBefore, f.fingerprint);
      states.set(f, known ? 'unchanged' : 'new');
    }
  }
  for (const f of current.findings) {
    if (f.suppressed) states.set(f, take(anyBefore, f.fingerprint) ? 'unchanged' : 'new');
  }
  const findings = current.findings.map((f) => ({ ...f, baselineState: states.get(f) as 'new' | 'unchanged' }));

  const now = new Set(current.findings.map((f) => f.fingerprint));
  const fixed = baseline.findings
    .filter((f) => !f.suppressed && !now.has(f.fingerprint))
    .map((f) => {
      const copy = { ...f };
      delete copy.baselineState;
      return copy;
    });

  const open = findings.filter((f) => !f.suppressed);
  return {
    results: { ...current, findings },
    fixed,
    summary: {
      new: open.filter((f) => f.baselineState === 'new').length,
      unchanged: open.filter((f) => f.baselineState === 'unchanged').length,
      fixed: fixed.length,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why one finding of the baseline cannot be used, or null when it can. */
function findingProblem(value: unknown): string | null {
  if (!isObject(value)) return 'is not an object';
  if (typeof value.fingerprint !== 'string' || value.fingerprint === '') return 'has no fingerprint';
  if (typeof value.checkId !== 'string') return 'has no checkId';
  if (!(SEVERITIES as readonly unknown[]).includes(value.severity)) return `has an unknown severity ${JSON.stringify(value.severity)}`;
  if (value.suppressed !== null && !isObject(value.suppressed)) return 'has a "suppressed" that is neither null nor an object';
  return null;
}

/**
 * Parses and checks a baseline: a sesguard results JSON (what `--json` writes), schemaVersion 1.
 * Throws `SourceError` naming `file` otherwise; a SARIF file or a snapshot given by mistake is named as such.
 */
export function readBaseline(text: string, file: string): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SourceError(baselineNotJson((error as Error).message), file);
  }
  return baselineFrom(value, file);
}

export function baselineNotJson(detail: string): string {
  return `baseline is not valid JSON (${detail.split('\n')[0]})`;
}

export const BASELINE_NOT_OBJECT = 'baseline is not a sesguard results JSON (an object expected)';

/** Checks a parsed baseline (a large one is parsed in chunks by the caller, not from one text). */
export function baselineFrom(value: unknown, file: string): Results {
  if (!isObject(value)) throw new SourceError(BASELINE_NOT_OBJECT, file);
  if (typeof value.version === 'string' && Array.isArray(value.runs)) {
    throw new SourceError('baseline is a SARIF file; give the results JSON that --json writes', file);
  }
  if (isObject(value.scope) && !('findings' in value)) {
    throw new SourceError('baseline is an inventory snapshot; give the results JSON that --json writes', file);
  }
  if (!isObject(value.tool) || value.tool.name !== 'sesguard') {
    throw new SourceError('baseline is not a sesguard results JSON (tool.name "sesguard" expected)', file);
  }
  if (value.schemaVersion !== 1) {
    throw new SourceError(`baseline has schemaVersion ${JSON.stringify(value.schemaVersion ?? null)}; this sesguard reads schemaVersion 1`, file);
  }
  if (!Array.isArray(value.findings)) throw new SourceError('baseline has no findings list', file);
  for (const [i, f] of value.findings.entries()) {
    const problem = findingProblem(f);
    if (problem) throw new SourceError(`baseline finding ${i} ${problem}`, file);
  }
  return value as unknown as Results;
}
