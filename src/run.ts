// The library API behind the commands: each run goes sources → inventory → engine → results.
import type { Config } from './config/types.js';
import { celConfig } from './config/types.js';
import { evaluateAll } from './engine/evaluate.js';
import { loadChecks, type CompiledCheck } from './engine/load.js';
import { buildResults } from './engine/results.js';
import type { SourceCode } from './engine/types.js';
import type { Inventory } from './inventory/types.js';
import type { Results } from './results.js';
import { collectIac } from './sources/iac.js';
import { VERSION } from './version.js';

/** Built-in checks plus the config's policyDirs, with the config's overrides applied. */
export function checksFor(config: Config): CompiledCheck[] {
  return loadChecks({ policyDirs: config.policyDirs, overrides: config.checks });
}

/** Only the checks that can run on the given sources (IaC: C and T). */
export function checksForSources(checks: CompiledCheck[], sources: SourceCode[]): CompiledCheck[] {
  return checks.filter((c) => c.sources.some((s) => sources.includes(s)));
}

export interface IacRunOptions {
  config: Config;
  cwd: string;
  now?: () => Date;
  checks?: CompiledCheck[];
}

/** `sesguard iac <paths>`: CloudFormation, CDK output and Terraform plans. */
export function runIac(paths: string[], options: IacRunOptions): Results {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const all = options.checks ?? checksFor(options.config);
  const collection = collectIac(paths, options.cwd);
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
  });
}
