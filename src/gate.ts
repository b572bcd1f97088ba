// Whether a run passes its gate (SPEC §4 exit codes), decided from its results alone: the command line, the
// GitHub Action and library callers ask the same question the same way.
import { SEVERITIES, SEVERITY_RANK, type Severity } from './engine/types.js';
import type { Results } from './results.js';

/** The lowest severity that fails a run, or `none`. */
export type FailOn = Severity | 'none';
/** What `--fail-on` and the Action's `fail-on` accept. */
export const FAIL_ON: readonly FailOn[] = [...SEVERITIES, 'none'];

/**
 * 2 when the result cannot be trusted (an input could not be read, the run was incomplete), 1 when an open
 * finding new against the baseline is at or above `failOn` or the score is below `minScore`, else 0.
 */
export function exitCodeFor(results: Results, failOn: FailOn, minScore: number | null): 0 | 1 | 2 {
  if (results.errors.length > 0 || results.incomplete) return 2;
  if (failOn !== 'none') {
    const gate = SEVERITY_RANK[failOn];
    const failing = results.findings.some(
      (f) => !f.suppressed && SEVERITY_RANK[f.severity] <= gate && (f.baselineState === undefined || f.baselineState === 'new'),
    );
    if (failing) return 1;
  }
  if (minScore !== null && results.score.overall !== null && results.score.overall < minScore) return 1;
  return 0;
}
