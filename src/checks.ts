// The checks a run uses: the built-in ones plus the config's policyDirs, with the config's overrides applied,
// and the subset that can run on given sources. Kept apart from the runs (run.ts) so that listing the checks
// loads neither the IaC readers nor the evaluator.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/types.js';
import { loadChecks, type CompiledCheck } from './engine/load.js';
import type { SourceCode } from './engine/types.js';
import { BUILTIN_POLICY_DIR } from './paths.js';

/** Built-in checks plus the config's policyDirs, with the config's overrides applied. */
export function checksFor(config: Config): CompiledCheck[] {
  return loadChecks({ policyDirs: config.policyDirs, overrides: config.checks });
}

/** Only the checks that can run on the given sources (IaC: C and T). */
export function checksForSources(checks: CompiledCheck[], sources: SourceCode[]): CompiledCheck[] {
  return checks.filter((c) => c.sources.some((s) => sources.includes(s)));
}

/** The ids of every check and detection a policy directory holds (file names, as loadChecks names them). */
function idsIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((entry) => path.basename(entry))
      .filter((name) => /\.ya?ml$/i.test(name))
      .map((name) => name.replace(/\.ya?ml$/i, ''));
  } catch {
    return []; // an unreadable policyDirs entry is loadChecks' error to report
  }
}

/**
 * One notice per entry under the config's `checks:` that names no built-in check or detection and none of its
 * policyDirs: a misspelt id (`SESG-IAM-01`) would otherwise change nothing without a word, as an unmatched
 * suppression would.
 */
export function unknownCheckNotices(config: Config): string[] {
  const names = Object.keys(config.checks);
  if (names.length === 0) return [];
  const known = new Set([BUILTIN_POLICY_DIR, ...config.policyDirs].flatMap(idsIn));
  const file = config.file ? path.basename(config.file) : 'the config';
  return names
    .filter((id) => !known.has(id))
    .map((id) => `${file}: checks.${id} names no check or detection (built-in or in policyDirs): it changes nothing`);
}
