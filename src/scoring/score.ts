// Posture score (SPEC §6, docs/scoring.md): severity-weighted share of passing (check, resource) pairs
// per group (a file for IaC, an account for live scans), capped while critical/high findings are open,
// then the mean over groups with the worst group beside it. Pure: a list of pairs in, a Score out.
import { SEVERITY_WEIGHT, type Severity } from '../engine/types.js';
import type { Score } from '../results.js';

export type PairOutcome = 'pass' | 'fail' | 'suppressed' | 'not-assessed';

/** One evaluated (check, resource) pair, reduced to what the score needs. Not-applicable pairs are never passed in. */
export interface ScoredPair {
  checkId: string;
  severity: Severity;
  /** The file (IaC) or account (live) the resource belongs to. */
  group: string;
  groupKind: 'file' | 'account';
  outcome: PairOutcome;
}

/** Upper bound of a group's score while an unsuppressed finding of that severity is open. */
export const SCORE_CAPS: Partial<Record<Severity, number>> = { critical: 40, high: 70 };

interface GroupTally {
  kind: 'file' | 'account';
  evaluatedWeight: number;
  failedWeight: number;
  openCritical: boolean;
  openHigh: boolean;
}

/**
 * A group's score in tenths of a point (an integer), or null when nothing in it was evaluated.
 * Integer tenths keep the one-decimal rounding exact: the weights are integers, so
 * 1000 × passed / evaluated is the nearest double to the true ratio and ties round up.
 */
function groupTenths(tally: GroupTally): number | null {
  if (tally.evaluatedWeight === 0) return null;
  let tenths = Math.round((1000 * (tally.evaluatedWeight - tally.failedWeight)) / tally.evaluatedWeight);
  if (tally.openCritical) tenths = Math.min(tenths, (SCORE_CAPS.critical ?? 100) * 10);
  if (tally.openHigh) tenths = Math.min(tenths, (SCORE_CAPS.high ?? 100) * 10);
  return tenths;
}

export function score(pairs: readonly ScoredPair[]): Score {
  const groups = new Map<string, GroupTally>();
  let assessed = 0;
  let notAssessed = 0;

  for (const pair of pairs) {
    // A file path and an account id never collide in practice, but keying by kind keeps them apart anyway.
    const key = `${pair.groupKind}\u0000${pair.group}`;
    let tally = groups.get(key);
    if (!tally) {
      tally = { kind: pair.groupKind, evaluatedWeight: 0, failedWeight: 0, openCritical: false, openHigh: false };
      groups.set(key, tally);
    }
    if (pair.outcome === 'not-assessed') {
      notAssessed++;
      continue;
    }
    assessed++;
    const weight = SEVERITY_WEIGHT[pair.severity];
    tally.evaluatedWeight += weight;
    if (pair.outcome === 'fail') {
      tally.failedWeight += weight;
      if (pair.severity === 'critical') tally.openCritical = true;
      if (pair.severity === 'high') tally.openHigh = true;
    }
  }

  const byFile: Record<string, number> = {};
  const byAccount: Record<string, number> = {};
  const scored: { group: string; tenths: number }[] = [];
  // Sorted so that byFile/byAccount key order and the tie-break for `worst` do not depend on input order.
  const keys = [...groups.keys()].sort();
  for (const key of keys) {
    const tally = groups.get(key) as GroupTally;
    const tenths = groupTenths(tally);
    if (tenths === null) continue;
    const group = key.slice(key.indexOf('\u0000') + 1);
    scored.push({ group, tenths });
    (tally.kind === 'file' ? byFile : byAccount)[group] = tenths / 10;
  }

  let overall: number | null = null;
  let worst: Score['worst'] = null;
  if (scored.length > 0) {
    const sum = scored.reduce((acc, g) => acc + g.tenths, 0);
    overall = Math.round(sum / scored.length) / 10;
    const lowest = scored.reduce((min, g) => (g.tenths < min.tenths ? g : min));
    worst = { group: lowest.group, score: lowest.tenths / 10 };
  }

  const total = assessed + notAssessed;
  // Four decimals is enough to show 99.99 % and keeps the JSON readable.
  const coverage = total === 0 ? 1 : Math.round((assessed / total) * 10000) / 10000;

  return { overall, coverage, worst, byAccount, byFile };
}
