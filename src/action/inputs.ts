// GitHub Action inputs → the sesguard argv. Pure: the inputs arrive as environment variables (action.yml
// maps each `inputs.x` to `INPUT_X` through `env:`, never into a shell script), and every value becomes one
// argv element, so nothing a workflow passes in is ever parsed by a shell.
import { ConfigError } from '../errors.js';
import { FAIL_ON, type FailOn } from '../gate.js';

/** iac, scan and trail run a check; merge joins the results JSON of `scan` shards (a CI matrix) and gates on them. */
export const MODES = ['iac', 'scan', 'trail', 'merge'] as const;
export type Mode = (typeof MODES)[number];

export interface ActionInputs {
  mode: Mode;
  /** One path per line (iac: templates, cdk.out, plan JSON; trail: log files, folders, s3:// prefixes; merge: shard results). */
  paths: string[];
  org: boolean;
  accounts?: string;
  roleName?: string;
  externalId?: string;
  regions?: string;
  /** scan: `K/N`, the K-th of N deterministic slices of the accounts. */
  shard?: string;
  config?: string;
  failOn: FailOn;
  minScore?: string;
  baseline?: string;
  sarifFile: string;
  /** Where the results JSON goes; when unset, a temporary file (the action needs it for outputs and summary). */
  jsonFile?: string;
  markdownFile?: string;
  htmlFile?: string;
  /** Also write an evidence bundle (every output, hashed in manifest.json) into this directory. */
  evidenceDir?: string;
  sarifAnchor?: string;
  uploadSummary: boolean;
  /** trail: LookupEvents instead of log files, between since and until. */
  lookup: boolean;
  since?: string;
  until?: string;
}

export type Env = Record<string, string | undefined>;

/**
 * An input as the runner provides it: `INPUT_ROLE_NAME` (what action.yml sets) or `INPUT_ROLE-NAME` (what the
 * runner itself sets for JavaScript actions), trimmed; undefined when empty.
 */
export function input(env: Env, name: string): string | undefined {
  const upper = name.toUpperCase();
  const value = env[`INPUT_${upper.replace(/[- ]/g, '_')}`] ?? env[`INPUT_${upper.replace(/ /g, '_')}`];
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** YAML 1.2 core booleans, as `core.getBooleanInput` accepts them. */
export function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === undefined) return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new ConfigError(`input ${name} must be true or false (got "${value}")`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback?: T): T {
  const value = input(env, name) ?? fallback;
  if (value === undefined) throw new ConfigError(`input ${name} is required: one of ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`input ${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** Reads and checks the inputs. Throws ConfigError naming the input on a bad value or combination. */
export function readInputs(env: Env): ActionInputs {
  const mode = oneOf(env, 'mode', MODES);
  const paths = (env.INPUT_PATHS ?? '')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const inputs: ActionInputs = {
    mode,
    paths,
    org: booleanInput(env, 'org', false),
    accounts: input(env, 'accounts'),
    roleName: input(env, 'role-name'),
    externalId: input(env, 'external-id'),
    regions: input(env, 'regions'),
    shard: input(env, 'shard'),
    config: input(env, 'config'),
    failOn: oneOf(env, 'fail-on', FAIL_ON, 'high'),
    minScore: input(env, 'min-score'),
    baseline: input(env, 'baseline'),
    sarifFile: input(env, 'sarif-file') ?? 'sesguard.sarif',
    jsonFile: input(env, 'json-file'),
    markdownFile: input(env, 'markdown-file'),
    htmlFile: input(env, 'html-file'),
    evidenceDir: input(env, 'evidence-dir'),
    sarifAnchor: input(env, 'sarif-anchor'),
    uploadSummary: booleanInput(env, 'upload-summary', true),
    lookup: booleanInput(env, 'lookup', false),
    since: input(env, 'since'),
    until: input(env, 'until'),
  };
  const scanOnly = (['org', 'accounts', 'roleName', 'externalId', 'shard'] as const).filter((k) => (k === 'org' ? inputs.org : inputs[k] !== undefined));
  if (mode !== 'scan' && scanOnly.length > 0) {
    throw new ConfigError(`inputs org, accounts, role-name, external-id and shard apply to mode scan only (mode is ${mode})`);
  }
  if (mode === 'iac' && paths.length === 0) throw new ConfigError('mode iac needs paths: templates, cdk.out folders or Terraform plan JSON, one per line');
  if (mode === 'scan' && paths.length > 0) throw new ConfigError('mode scan reads AWS, not files: leave paths empty');
  if (mode === 'trail' && inputs.lookup && paths.length > 0) throw new ConfigError('mode trail: give paths (log files) or lookup: true, not both');
  if (mode === 'trail' && !inputs.lookup && paths.length === 0) throw new ConfigError('mode trail needs paths (log files, folders, s3:// prefixes) or lookup: true');
  if (mode !== 'trail' && (inputs.lookup || inputs.since || inputs.until)) throw new ConfigError('inputs lookup, since and until apply to mode trail only');
  if (mode === 'merge' && paths.length === 0) throw new ConfigError('mode merge needs paths: the results JSON files of the shards, one per line');
  if ((mode === 'iac' || mode === 'merge') && inputs.regions) throw new ConfigError(`input regions does not apply to mode ${mode}`);
  return inputs;
}

/**
 * The sesguard argv for these inputs, writing the results JSON to `jsonFile`. Paths follow `--` so that a
 * path starting with a dash is a path, not an option.
 */
export function buildArgv(inputs: ActionInputs, jsonFile: string): string[] {
  const argv: string[] = [inputs.mode];
  const opt = (flag: string, value: string | undefined) => {
    if (value !== undefined) argv.push(flag, value);
  };
  if (inputs.org) argv.push('--org');
  opt('--accounts', inputs.accounts);
  opt('--role-name', inputs.roleName);
  opt('--external-id', inputs.externalId);
  opt('--regions', inputs.regions);
  opt('--shard', inputs.shard);
  if (inputs.lookup) argv.push('--lookup');
  opt('--since', inputs.since);
  opt('--until', inputs.until);
  opt('--config', inputs.config);
  argv.push('--fail-on', inputs.failOn);
  opt('--min-score', inputs.minScore);
  opt('--baseline', inputs.baseline);
  argv.push('--sarif', inputs.sarifFile, '--json', jsonFile);
  opt('--markdown', inputs.markdownFile);
  opt('--html', inputs.htmlFile);
  opt('--evidence', inputs.evidenceDir);
  opt('--sarif-anchor', inputs.sarifAnchor);
  argv.push('--no-progress');
  if (inputs.paths.length > 0) argv.push('--', ...inputs.paths);
  return argv;
}
