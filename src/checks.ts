// The checks a run uses: the built-in ones plus the config's policyDirs, with the config's overrides applied,
// and the subset that can run on given sources. Kept apart from the runs (run.ts) so that listing the checks
// loads neither the IaC readers nor the evaluator.
import type { Config } from './config/types.js';
import { loadChecks, type CompiledCheck } from './engine/load.js';
import type { SourceCode } from './engine/types.js';

/** Built-in checks plus the config's policyDirs, with the config's overrides applied. */
export function checksFor(config: Config): CompiledCheck[] {
  return loadChecks({ policyDirs: config.policyDirs, overrides: config.checks });
}

/** Only the checks that can run on the given sources (IaC: C and T). */
export function checksForSources(checks: CompiledCheck[], sources: SourceCode[]): CompiledCheck[] {
  return checks.filter((c) => c.sources.some((s) => sources.includes(s)));
}
