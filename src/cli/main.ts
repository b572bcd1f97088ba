// The command line (SPEC §4): parses argv, runs the library, writes outputs, returns the exit code.
// The only module that talks to the terminal. Known errors become one line and exit code 2.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { loadChecks } from '../engine/load.js';
import { runFixtures } from '../engine/fixtures.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { ConfigError, PolicyError, SourceError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { reporters, type ReportOptions } from '../reporters/index.js';
import { applyBaseline, readBaseline } from '../engine/baseline.js';
import { verifyEvidenceBundle, writeEvidenceBundle, type BundleFile } from '../evidence/bundle.js';
import type { Results } from '../results.js';
import { checksFor, evaluateSnapshot, mergeResults, parseSnapshot, runIac, trailResults } from '../run.js';
import { runTrail, DEFAULT_REGIONS, DETECTION_DIR, describeFixtureResult, loadDetections, runDetectionFixtures } from '../detections/index.js';
import { writeDay } from '../detections/generate.js';
import { scanLive, type ScanProgress } from '../sources/aws/scan.js';
import { SES_REGIONS } from '../sources/aws/regions.js';
import { VERSION } from '../version.js';

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  now?: () => Date;
  /** True when stderr is a terminal: progress is shown only then. */
  stderrIsTty?: boolean;
  /** Environment for the live scan (AWS SDK reads its own variables as usual). */
  env?: NodeJS.ProcessEnv;
  /** Aborts a running scan (Ctrl-C); outputs are still written, marked incomplete. */
  signal?: AbortSignal;
  /** The command line, for the evidence bundle's manifest (set by run()). */
  argv?: string[];
}

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = [...SEVERITIES, 'none'] as const;

const USAGE = `Usage: sesguard <command> [options]

Commands:
  iac <path...>            CloudFormation (YAML/JSON, CDK cdk.out) and Terraform plan JSON; directories are walked
  checks                   list the checks (id, severity, sources, title)
  policies test [dir]      run the fixtures of the built-in checks, or of the checks in dir
  report <results.json>    re-render saved results (--format, --sarif, --markdown, --json)
  demo                     the whole pipeline on bundled examples; writes sesguard-report/
  scan                     live AWS: the caller's account, or --org for every active account
  evaluate <snapshot>      evaluate a saved inventory snapshot (same results as the scan that wrote it)
  merge <results.json...>  combine shard results into one
  verify-bundle <dir>      check an evidence bundle against its manifest (--manifest-sha256 X to pin it)
  trail <path|s3://...>    CloudTrail detections over log files (.json, .json.gz, folders, S3 prefixes),
                           or --lookup for LookupEvents over --regions and --since/--until

Options:
  --sarif FILE --json FILE --markdown FILE --html FILE   write that output (any combination)
  --format text|json|sarif|markdown|html     what goes to stdout (default text)
  --config FILE                              config (default: sesguard.yaml or .sesguard.yaml here)
  --fail-on critical|high|medium|low|none    lowest severity that fails the run (default high)
  --min-score N                              fail when the overall score is below N
  --sarif-anchor FILE                        SARIF location for findings without a file (default: the config file)
  --baseline FILE                            a previous results JSON: findings are new or unchanged, only new ones fail
  --evidence DIR                             also write an evidence bundle: results, SARIF, HTML, Markdown, snapshot,
                                             config and a manifest with the SHA-256 of every file
  --quiet                                    print nothing on stdout unless --format asks for it

Live scan (scan):
  --org | --accounts ID,.. | --exclude-accounts ID,..   scope (default: the caller's account)
  --role-name NAME (default SesguardAudit) --external-id X --profile P
  --regions R,..|all     default: every SES region the account has enabled
  --endpoint-url URL     one endpoint for all services (emulators); AWS_ENDPOINT_URL* are honoured too
  --concurrency N        API requests in flight at most (default 16)
  --snapshot FILE        also write the inventory snapshot
  --shard K/N            the K-th of N deterministic slices of the accounts (merge joins them)
  --no-progress          no progress line (it is shown only when stderr is a terminal)

CloudTrail (trail):
  --since T --until T    ISO time, date, or back from now: 30m, 48h, 7d (lookup default: the last 48 h)
  --lookup               LookupEvents (management events only) in --regions instead of log files
  --version, --help

Exit codes: 0 ok; 1 findings at or above --fail-on, or score below --min-score; 2 the result cannot be trusted
(usage/config error, an input that cannot be parsed).`;

const OPTIONS = {
  sarif: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  html: { type: 'string' },
  format: { type: 'string' },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  'min-score': { type: 'string' },
  'sarif-anchor': { type: 'string' },
  baseline: { type: 'string' },
  quiet: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  org: { type: 'boolean' },
  accounts: { type: 'string' },
  'exclude-accounts': { type: 'string' },
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  profile: { type: 'string' },
  regions: { type: 'string' },
  'endpoint-url': { type: 'string' },
  concurrency: { type: 'string' },
  snapshot: { type: 'string' },
  shard: { type: 'string' },
  lookup: { type: 'boolean' },
  evidence: { type: 'string' },
  'manifest-sha256': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };

function parse(argv: string[]): { positionals: string[]; values: Values } {
  try {
    const { positionals, values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    return { positionals, values: values as Values };
  } catch (error) {
    throw new ConfigError(((error as Error).message ?? 'bad arguments').split('\n')[0]);
  }
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function minScoreOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new ConfigError(`--min-score must be a number from 0 to 100 (got "${value}")`);
  return n;
}

/** Atomic write: a reader never sees half a file, an interrupted run never leaves one. */
export function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function render(results: Results, format: Format, io: Io, config: Config | null, anchor?: string, baselineFixed?: number): string {
  const sarifAnchor = anchor ?? (config?.file ? path.relative(io.cwd, config.file).split(path.sep).join('/') : 'sesguard.yaml');
  return reporters[format](results, { color: io.color && format === 'text', sarifAnchor, ...(baselineFixed !== undefined ? { baselineFixed } : {}) } as ReportOptions);
}

function writeOutputs(results: Results, values: Values, io: Io, config: Config | null, baselineFixed?: number): void {
  const targets: [Format, string | undefined][] = [
    ['sarif', values.sarif],
    ['json', values.json],
    ['markdown', values.markdown],
    ['html', values.html],
  ];
  for (const [format, file] of targets) {
    if (file) writeAtomic(path.resolve(io.cwd, file), render(results, format, io, config, values['sarif-anchor'], baselineFixed));
  }
}

/** 2 when the result cannot be trusted, 1 when it fails the gate, else 0. */
export function exitCodeFor(results: Results, failOn: Severity | 'none', minScore: number | null): number {
  if (results.errors.length > 0 || results.incomplete) return 2;
  const rank = { critical: 0, high: 1, medium: 2, low: 3 };
  if (failOn !== 'none') {
    const gate = rank[failOn];
    const failing = results.findings.some(
      (f) => !f.suppressed && rank[f.severity] <= gate && (f.baselineState === undefined || f.baselineState === 'new'),
    );
    if (failing) return 1;
  }
  if (minScore !== null && results.score.overall !== null && results.score.overall < minScore) return 1;
  return 0;
}

function printErrors(results: Results, io: Io, noticesShown = false): void {
  for (const e of results.errors) {
    const where = [e.file, e.line, e.line && e.column ? e.column : undefined].filter((x) => x !== undefined).join(':');
    io.stderr(`sesguard: ${where ? `${where}: ` : ''}${e.message}\n`);
  }
  if (!noticesShown) for (const notice of results.notices) io.stderr(`sesguard: note: ${notice}\n`);
}

/** `--evidence DIR`: every output plus the raw inputs, hashed in a manifest (see docs/report.md). */
function writeEvidence(results: Results, values: Values, io: Io, config: Config | null, fixed: number | undefined, extra: BundleFile[]): void {
  if (!values.evidence) return;
  const files: BundleFile[] = [
    { name: 'results.json', content: render(results, 'json', io, config, values['sarif-anchor'], fixed) },
    { name: 'results.sarif', content: render(results, 'sarif', io, config, values['sarif-anchor'], fixed) },
    { name: 'report.html', content: render(results, 'html', io, config, values['sarif-anchor'], fixed) },
    { name: 'summary.md', content: render(results, 'markdown', io, config, values['sarif-anchor'], fixed) },
    ...extra,
  ];
  if (config?.file) files.push({ name: 'sesguard.yaml', content: readFileSync(config.file) });
  const written = writeEvidenceBundle(path.resolve(io.cwd, values.evidence), files, {
    version: VERSION,
    command: ['sesguard', ...(io.argv ?? [])],
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
  });
  io.stderr(`sesguard: evidence bundle written to ${values.evidence} (${written.manifest.files.length} files; manifest sha256 ${written.manifestSha256})\n`);
}

function finish(current: Results, values: Values, io: Io, config: Config | null, evidenceExtra: BundleFile[] = []): number {
  const format = oneOf(values.format, FORMATS, '--format', 'text');
  const failOn = oneOf(values['fail-on'], FAIL_ON, '--fail-on', 'high');
  const minScore = minScoreOf(values['min-score']);
  const { results, fixed } = withBaseline(current, values, io);
  writeOutputs(results, values, io, config, fixed);
  writeEvidence(results, values, io, config, fixed, evidenceExtra);
  const printed = !values.quiet || Boolean(values.format);
  if (printed) io.stdout(render(results, format, io, config, values['sarif-anchor'], fixed));
  // The text summary already lists the notices; other formats and --quiet get them on stderr.
  printErrors(results, io, printed && format === 'text');
  return exitCodeFor(results, failOn, minScore);
}

function unsupported(_values: Values): void {
  // Every option is available; kept as the one place to refuse an option a command cannot honour.
}

/** `--baseline FILE`: marks findings new / unchanged; only new ones fail the run. */
function withBaseline(results: Results, values: Values, io: Io): { results: Results; fixed?: number } {
  if (!values.baseline) return { results };
  let text: string;
  try {
    text = readFileSync(path.resolve(io.cwd, values.baseline), 'utf8');
  } catch (error) {
    throw new SourceError(`cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? 'error'})`, values.baseline);
  }
  const comparison = applyBaseline(results, readBaseline(text, values.baseline), { file: values.baseline });
  const { summary } = comparison;
  const notice = `baseline ${values.baseline}: ${summary.new} new, ${summary.unchanged} unchanged, ${summary.fixed} fixed finding(s); only new ones fail the run`;
  return { results: { ...comparison.results, notices: [...comparison.results.notices, notice] }, fixed: summary.fixed };
}

function cmdIac(args: string[], values: Values, io: Io): number {
  if (args.length === 0) throw new ConfigError('iac needs at least one path (a file or a directory)');
  unsupported(values);
  // Validate flags before doing any work.
  oneOf(values.format, FORMATS, '--format', 'text');
  oneOf(values['fail-on'], FAIL_ON, '--fail-on', 'high');
  minScoreOf(values['min-score']);
  const config = loadConfig(values.config, io.cwd);
  const results = runIac(args, { config, cwd: io.cwd, now: io.now });
  return finish(results, values, io, config);
}

const ACCOUNT_ID = /^[0-9]{12}$/;

function accountList(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined || ids.length === 0) throw new ConfigError(`${flag} takes 12-digit account ids separated by commas (got "${bad ?? value}")`);
  return ids;
}

function regionList(value: string | undefined): string[] | 'all' | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return 'all';
  const regions = value.split(',').map((s) => s.trim()).filter(Boolean);
  const known = new Set(Object.values(SES_REGIONS).flat());
  const bad = regions.find((r) => !known.has(r));
  if (bad !== undefined || regions.length === 0) {
    throw new ConfigError(`--regions takes SES region names separated by commas, or all (got "${bad ?? value}"; SES regions: ${[...known].join(', ')})`);
  }
  return regions;
}

function shardOf(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^([0-9]+)\/([0-9]+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new ConfigError(`--shard takes K/N with 1 ≤ K ≤ N (got "${value}")`);
  return { index, count };
}

function concurrencyOf(value: string | undefined): number {
  if (value === undefined) return 16;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`--concurrency must be a whole number from 1 to 256 (got "${value}")`);
  return n;
}

function progressLine(io: Io, values: Values): ((p: ScanProgress) => void) | undefined {
  if (values['no-progress'] || values.quiet || !io.stderrIsTty) return undefined;
  return (p) => io.stderr(`\rsesguard: accounts ${p.done}/${p.total}, ${p.current}, ${p.errors} call errors\x1b[K`);
}

async function cmdScan(values: Values, io: Io): Promise<number> {
  unsupported(values);
  oneOf(values.format, FORMATS, '--format', 'text');
  oneOf(values['fail-on'], FAIL_ON, '--fail-on', 'high');
  minScoreOf(values['min-score']);
  const config = loadConfig(values.config, io.cwd);
  const env = io.env ?? process.env;
  const snapshot = await scanLive({
    org: Boolean(values.org),
    accounts: accountList(values.accounts, '--accounts'),
    excludeAccounts: accountList(values['exclude-accounts'], '--exclude-accounts'),
    roleName: values['role-name'] ?? 'SesguardAudit',
    externalId: values['external-id'],
    profile: values.profile,
    regions: regionList(values.regions),
    endpoint: values['endpoint-url'],
    concurrency: concurrencyOf(values.concurrency),
    shard: shardOf(values.shard),
    homeRegion: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    version: VERSION,
    now: io.now,
    signal: io.signal,
    onProgress: progressLine(io, values),
  });
  if (progressLine(io, values)) io.stderr('\n');
  const snapshotText = `${JSON.stringify(snapshot)}\n`;
  if (values.snapshot) writeAtomic(path.resolve(io.cwd, values.snapshot), snapshotText);
  const results = evaluateSnapshot(snapshot, { config, now: io.now });
  return finish(results, values, io, config, [{ name: 'snapshot.json', content: snapshotText }]);
}

/** `2026-11-23T10:00:00Z`, `2026-11-23`, or relative to now: `30m`, `48h`, `7d`. */
export function timeOf(value: string | undefined, flag: string, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const relative = /^([0-9]+)([mhd])$/.exec(value);
  if (relative) {
    const ms = Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - ms);
  }
  const t = Date.parse(value);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value) || Number.isNaN(t)) {
    throw new ConfigError(`${flag} takes an ISO time (2026-11-23T10:00:00Z), a date, or a duration back from now (30m, 48h, 7d); got "${value}"`);
  }
  return new Date(t);
}

async function cmdTrail(args: string[], values: Values, io: Io): Promise<number> {
  unsupported(values);
  oneOf(values.format, FORMATS, '--format', 'text');
  oneOf(values['fail-on'], FAIL_ON, '--fail-on', 'high');
  const config = loadConfig(values.config, io.cwd);
  const now = (io.now ?? (() => new Date()))();
  const since = timeOf(values.since, '--since', now);
  const until = timeOf(values.until, '--until', now);
  if (since && until && since > until) throw new ConfigError('--since is after --until');
  let inputs: Parameters<typeof runTrail>[0];
  if (values.lookup) {
    if (args.length > 0) throw new ConfigError('--lookup reads CloudTrail LookupEvents: give no paths with it');
    const regions = regionList(values.regions);
    inputs = {
      lookup: {
        regions: !regions || regions === 'all' ? [...DEFAULT_REGIONS] : regions,
        since: since ?? new Date(now.getTime() - 48 * 3_600_000),
        until: until ?? now,
      },
    };
  } else {
    if (args.length === 0) throw new ConfigError('trail needs CloudTrail log files, folders or s3:// prefixes, or --lookup');
    inputs = args;
  }
  const env = io.env ?? process.env;
  const run = await runTrail(inputs, {
    thresholds: { reconRegions: config.thresholds.reconRegions, reconWindowMinutes: config.thresholds.reconWindowMinutes },
    checks: config.checks,
    since,
    until,
    now: () => now,
    cwd: io.cwd,
    endpoint: values['endpoint-url'],
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  });
  // SARIF needs a file for each result: without a config file to anchor on, use the first log read.
  const firstLog = run.inputs.files.find((f) => !/^s3:|^lookup/.test(f.file))?.file;
  const anchored = values['sarif-anchor'] || config.file || !firstLog ? values : { ...values, 'sarif-anchor': firstLog };
  return finish(trailResults(run, config), anchored, io, config);
}

function cmdEvaluate(args: string[], values: Values, io: Io): number {
  if (args.length !== 1) throw new ConfigError('evaluate needs exactly one snapshot file');
  unsupported(values);
  oneOf(values.format, FORMATS, '--format', 'text');
  oneOf(values['fail-on'], FAIL_ON, '--fail-on', 'high');
  minScoreOf(values['min-score']);
  const config = loadConfig(values.config, io.cwd);
  let text: string;
  try {
    text = readFileSync(path.resolve(io.cwd, args[0]), 'utf8');
  } catch (error) {
    throw new SourceError(`cannot read snapshot (${(error as NodeJS.ErrnoException).code ?? 'error'})`, args[0]);
  }
  const results = evaluateSnapshot(parseSnapshot(text, args[0]), { config, kind: 'scan', now: io.now });
  return finish(results, values, io, config, [{ name: 'snapshot.json', content: text }]);
}

function readResults(file: string, io: Io): Results {
  let results: Results;
  try {
    results = JSON.parse(readFileSync(path.resolve(io.cwd, file), 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(code ? `cannot read results (${code})` : 'not a valid results JSON file', file);
  }
  if (!results || results.schemaVersion !== 1 || !Array.isArray(results.findings)) {
    throw new SourceError('not a sesguard results file (schemaVersion 1 expected)', file);
  }
  return results;
}

function cmdMerge(args: string[], values: Values, io: Io): number {
  if (args.length === 0) throw new ConfigError('merge needs the results JSON files of the shards');
  unsupported(values);
  const merged = mergeResults(args.map((file) => readResults(file, io)), args);
  return finish(merged, values, io, null);
}

function cmdVerifyBundle(args: string[], values: Values, io: Io): number {
  if (args.length !== 1) throw new ConfigError('verify-bundle needs exactly one evidence bundle directory');
  const result = verifyEvidenceBundle(path.resolve(io.cwd, args[0]), values['manifest-sha256'] ? { manifestSha256: values['manifest-sha256'] } : {});
  if (result.ok) {
    io.stdout(`${args[0]}: evidence bundle intact (every file matches manifest.json)\n`);
    return 0;
  }
  for (const problem of result.problems) io.stdout(`${args[0]}: ${problem}\n`);
  return 1;
}

function cmdChecks(values: Values, io: Io): number {
  const config = loadConfig(values.config, io.cwd);
  const rows = [
    ...checksFor(config).map((c) => ({ id: c.id, severity: c.effectiveSeverity, sources: c.sources, title: c.title })),
    ...loadDetections()
      .filter((d) => config.checks[d.id]?.enabled !== false)
      .map((d) => ({ id: d.id, severity: config.checks[d.id]?.severity ?? d.severity, sources: d.sources as string[], title: d.title })),
  ].sort((a, b) => a.id.localeCompare(b.id));
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const lines = rows.map((c) => `${c.id.padEnd(14)} ${c.severity.padEnd(8)} ${c.sources.join('').padEnd(4)} ${c.title}`);
  io.stdout(`${'ID'.padEnd(14)} ${'SEVERITY'.padEnd(8)} SRC  TITLE\n${lines.join('\n')}\n${rows.length} checks (L live scan, C CloudFormation, T Terraform plan, D CloudTrail)\n`);
  return 0;
}

function cmdPoliciesTest(args: string[], io: Io): number {
  const dir = args[0] ? path.resolve(io.cwd, args[0]) : undefined;
  const detectionsOnly = dir !== undefined && dir === DETECTION_DIR;
  const checks = detectionsOnly ? [] : dir ? loadChecks({ policyDirs: [dir], onlyDirs: true }) : loadChecks();
  const detections = detectionsOnly || !dir ? loadDetections() : [];
  const rows = [
    ...runFixtures(checks).map((r) => ({
      ok: r.ok,
      text: `${r.checkId} "${r.caseName}": expected ${r.expected}, got ${r.actual.kind}${'reason' in r.actual && r.actual.reason ? ` (${r.actual.reason})` : ''}`,
    })),
    ...runDetectionFixtures(detections).map((r) => ({ ok: r.ok, text: describeFixtureResult(r) })),
  ];
  const failed = rows.filter((r) => !r.ok);
  for (const r of failed) io.stdout(`FAIL ${r.text}\n`);
  io.stdout(`${checks.length + detections.length} checks, ${rows.length} fixtures: ${rows.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length > 0 ? 1 : 0;
}

function cmdReport(args: string[], values: Values, io: Io): number {
  if (args.length !== 1) throw new ConfigError('report needs exactly one results JSON file');
  unsupported(values);
  return finish(readResults(args[0], io), values, io, null);
}

function oneLineSummary(title: string, results: Results): string {
  const open = results.findings.filter((f) => !f.suppressed);
  const bySeverity = (['critical', 'high', 'medium', 'low'] as const)
    .map((sev) => [sev, open.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`)
    .join(', ');
  const score = results.score.overall === null ? '' : `, score ${results.score.overall} (worst ${results.score.worst?.group}: ${results.score.worst?.score})`;
  return `${title}: ${open.length} open findings${bySeverity ? ` (${bySeverity})` : ''}${score}, coverage ${(results.score.coverage * 100).toFixed(1)} %`;
}

function writeReportSet(outDir: string, base: string, results: Results): string[] {
  const files: [string, string][] = [
    [`${base}.sarif`, reporters.sarif(results, { sarifAnchor: 'sesguard.yaml' })],
    [`${base}-results.json`, reporters.json(results)],
    [`${base}-summary.md`, reporters.markdown(results)],
    [`${base}-report.html`, reporters.html(results)],
  ];
  for (const [name, content] of files) writeAtomic(path.join(outDir, name), content);
  return files.map(([name]) => name);
}

/**
 * `sesguard demo` (what `npm start` runs): the three pipelines on bundled data, no AWS credentials needed —
 * the IaC gate on example templates and a plan, a live-scan report from a synthetic Organization snapshot,
 * and the CloudTrail runbook on a generated day of logs holding an attack.
 */
async function cmdDemo(values: Values, io: Io): Promise<number> {
  const demoDir = path.join(PACKAGE_ROOT, 'fixtures', 'demo');
  const outDir = path.resolve(io.cwd, 'sesguard-report');
  const config = loadConfig(path.join(demoDir, 'sesguard.yaml'), io.cwd);
  const shown = path.relative(io.cwd, outDir) || outDir;

  // The IaC examples are the test fixtures themselves: a misconfigured and a hardened stack, CDK output and a
  // Terraform plan with its sources.
  const iacInputs = ['cloudformation/bad-mail-stack.yaml', 'cloudformation/good-mail-stack.yaml', 'cdk/cdk.out', 'terraform/bad'].map(
    (p) => path.relative(io.cwd, path.join(PACKAGE_ROOT, 'fixtures', 'iac', p)) || '.',
  );
  const iac = runIac(iacInputs, { config, cwd: io.cwd, now: io.now });
  const iacFiles = writeReportSet(outDir, 'iac', iac);

  const snapshotFile = path.join(demoDir, 'org-snapshot.json');
  const org = evaluateSnapshot(parseSnapshot(readFileSync(snapshotFile, 'utf8'), snapshotFile), { config, now: io.now });
  const orgFiles = writeReportSet(outDir, 'org-scan', org);

  const logs = mkdtempSync(path.join(os.tmpdir(), 'sesguard-demo-logs-'));
  let trail: Results;
  try {
    writeDay(logs, {});
    const now = (io.now ?? (() => new Date()))();
    trail = trailResults(await runTrail([logs], { cwd: logs, now: () => now }), config);
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
  const trailFiles = writeReportSet(outDir, 'trail', trail);

  if (!values.quiet) {
    io.stdout(reporters.text(iac, { color: io.color }));
    io.stdout('\n');
    io.stdout(`${oneLineSummary('IaC gate (fixtures/iac: CloudFormation, CDK, Terraform)', iac)}\n`);
    io.stdout(`${oneLineSummary('Organization scan (fixtures/demo/org-snapshot.json, 4 accounts)', org)}\n`);
    io.stdout(`${oneLineSummary('CloudTrail runbook (a generated day with an attack)', trail)}\n`);
    io.stdout(`\nReports written to ${shown}/: ${[...iacFiles, ...orgFiles, ...trailFiles].join(', ')}\n`);
    io.stdout('Try: npx sesguard iac <your templates>    npx sesguard evaluate fixtures/demo/org-snapshot.json --html org.html    npx sesguard checks\n');
  }
  printErrors(iac, io, false);
  return iac.errors.length + org.errors.length + trail.errors.length > 0 ? 2 : 0;
}

function shownPath(file: string | undefined, cwd: string): string | undefined {
  if (!file || !path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel.split(path.sep).join('/') : file;
}

function describeError(error: unknown, cwd: string): string {
  if (error instanceof SourceError || error instanceof PolicyError) {
    const file = shownPath(error.file, cwd);
    const where = [file, error instanceof SourceError ? error.line : undefined].filter((x) => x !== undefined).join(':');
    return where ? `${where}: ${error.message}` : error.message;
  }
  if (error instanceof ConfigError) return error.message;
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
  return `internal error: ${message} (this is a bug; rerun with SESGUARD_DEBUG=1 for details)`;
}

export async function run(argv: string[], ioIn: Io): Promise<number> {
  const io: Io = { ...ioIn, argv };
  try {
    const { positionals, values } = parse(argv);
    if (values.version) {
      io.stdout(`sesguard ${VERSION}\n`);
      return 0;
    }
    const [command, ...args] = positionals;
    if (values.help || !command) {
      io.stdout(`${USAGE}\n`);
      return command || values.help ? 0 : 2;
    }
    switch (command) {
      case 'iac':
        return cmdIac(args, values, io);
      case 'checks':
        return cmdChecks(values, io);
      case 'policies':
        if (args[0] !== 'test') throw new ConfigError('usage: sesguard policies test [dir]');
        return cmdPoliciesTest(args.slice(1), io);
      case 'report':
        return cmdReport(args, values, io);
      case 'demo':
        return await cmdDemo(values, io);
      case 'scan':
        return await cmdScan(values, io);
      case 'evaluate':
        return cmdEvaluate(args, values, io);
      case 'merge':
        return cmdMerge(args, values, io);
      case 'verify-bundle':
        return cmdVerifyBundle(args, values, io);
      case 'trail':
        return await cmdTrail(args, values, io);
      default:
        throw new ConfigError(`unknown command '${command}' (see sesguard --help)`);
    }
  } catch (error) {
    io.stderr(`sesguard: ${describeError(error, io.cwd)}\n`);
    if (process.env.SESGUARD_DEBUG === '1' && error instanceof Error) io.stderr(`${error.stack}\n`);
    return 2;
  }
}

/** Process entry (bin/sesguard.js). */
export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nsesguard: interrupted: writing what was collected, marked incomplete (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(argv, {
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      stderrIsTty: Boolean(process.stderr.isTTY),
      env: process.env,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}
