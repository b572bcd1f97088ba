// The command table (SPEC §4): name → arguments, one-line summary, and the module that implements it,
// imported only when that command runs, so each command loads its own dependencies and no one else's
// (`sesguard iac` never loads the AWS SDK; `--version` loads nothing).
import type { Command } from './command.js';

export interface CommandEntry {
  args: string;
  summary: string;
  /** What its exit codes mean, for a command that is not a gate (default: the gate's 0 / 1 / 2 of SPEC §4). */
  exits?: string;
  load: () => Promise<{ default: Command }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  iac: {
    args: '<path...>',
    summary: 'CloudFormation (YAML/JSON, CDK cdk.out), Terraform source (.tf) and plan JSON; directories are walked',
    load: () => import('./iac.js'),
  },
  scan: { args: '', summary: 'live AWS: the caller’s account, or --org for every active account', load: () => import('./scan.js') },
  evaluate: {
    args: '<snapshot>',
    summary: 'evaluate a saved inventory snapshot (same results as the scan that wrote it)',
    load: () => import('./evaluate.js'),
  },
  trail: {
    args: '<path|s3://...> | --lookup | --flow-log-group NAME',
    summary: 'runbook detections over CloudTrail (files, folders, S3 prefixes, or LookupEvents) and VPC Flow Logs (files, S3, CloudWatch Logs)',
    load: () => import('./trail.js'),
  },
  report: { args: '<results.json>', summary: 're-render saved results (any output format)', load: () => import('./report.js') },
  merge: { args: '<results.json...>', summary: 'combine the results of scan shards into one', load: () => import('./merge.js') },
  checks: {
    args: '',
    summary: 'list the checks and detections (id, severity, sources, title)',
    exits: '0 the list was printed; 2 usage or config error (a config file or a check in policyDirs that cannot be read).',
    load: () => import('./checks.js'),
  },
  policies: {
    args: 'test [dir]',
    summary: 'run the fixtures of the built-in checks, or of the checks in dir',
    exits: '0 every fixture gives its expected outcome; 1 a fixture does not; 2 usage error, or a check file that cannot be\nread, fails its schema or does not compile.',
    load: () => import('./policies.js'),
  },
  'verify-bundle': {
    args: '<dir>',
    summary: 'check an evidence bundle against its manifest',
    exits: '0 every file matches the manifest; 1 it does not (a file changed, missing or not listed; no bundle in that directory);\n2 usage error.',
    load: () => import('./verify-bundle.js'),
  },
  demo: {
    args: '',
    summary: 'the whole pipeline on bundled examples; writes sesguard-report/',
    exits: '0 the reports were written (the demo\u2019s findings do not fail it); 2 a bundled input or a report that cannot be read or written.',
    load: () => import('./demo.js'),
  },
};
