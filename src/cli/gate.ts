// What every command that produces results shares: the output and gate options (declared once, parsed
// once by the option parser), writing the outputs atomically, the evidence bundle, the baseline, and the
// exit code (SPEC §4: 0 ok, 1 the gate failed, 2 the result cannot be trusted). Reporters, the baseline and
// the evidence bundle are imported only by the runs that use them.
import path from 'node:path';
import type { Config } from '../config/types.js';
import { ConfigError, PolicyError, SourceError } from '../errors.js';
import type { BundleFile } from '../evidence/bundle.js';
import { FAIL_ON, exitCodeFor } from '../gate.js';
import { errorWhere } from '../reporters/common.js';
import type { ReportOptions } from '../reporters/index.js';
import { loadChunkedReporter } from '../reporters/load.js';
import { batched, writeFileAtomic, type OutputContent } from '../output-file.js';
import type { Results } from '../results.js';
import { VERSION } from '../version.js';
import type { Io } from './io.js';
import { readBaselineFile } from './read.js';
import { choice, flag, text, type Options, type Values } from './options.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

export const CONFIG = {
  config: text('FILE', 'config file (default: sesguard.yaml or .sesguard.yaml in the working directory)'),
} satisfies Options;

export const OUTPUTS = {
  format: choice(FORMATS, undefined, 'what goes to stdout (default text, a readable summary)'),
  sarif: text('FILE', 'write SARIF 2.1.0 (code scanning)'),
  json: text('FILE', 'write the results JSON (input of report, merge and --baseline)'),
  markdown: text('FILE', 'write the Markdown summary (pull requests, job summaries)'),
  html: text('FILE', 'write the self-contained HTML report'),
  'sarif-anchor': text('FILE', 'SARIF location for findings without a file (default: the config file)'),
  evidence: text('DIR', 'also write an evidence bundle: every output and the inputs, SHA-256 of each in a manifest'),
  quiet: flag('print nothing on stdout unless --format asks for it'),
  'no-progress': flag('no progress line (it is shown only when stderr is a terminal)'),
} satisfies Options;

function minScore(raw: string, flag: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new ConfigError(`${flag} must be a number from 0 to 100 (got "${raw}")`);
  return n;
}

/** The severity gate: what fails the run, and what it is compared with. */
export const SEVERITY_GATE = {
  'fail-on': choice(FAIL_ON, 'high', 'lowest severity that fails the run'),
  baseline: text('FILE', 'a previous results JSON: findings are new or unchanged, only new ones fail the run'),
} satisfies Options;

/** The severity gate and the posture score gate (commands whose results carry a score). */
export const GATE = {
  ...SEVERITY_GATE,
  'min-score': text('N', 'fail when the overall posture score is below N (0 to 100)', minScore),
} satisfies Options;

export type OutputValues = Values<typeof OUTPUTS> & Values<typeof SEVERITY_GATE> & Partial<Values<typeof GATE>>;

/** What a failed write means to the user (the path is named beside it). */
const WRITE_FAILURES: Record<string, string> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** One line naming the output that could not be written and why (an OS error, not a bug of sesguard). */
export function cannotWrite(shown: string, error: unknown): string {
  if (error instanceof ConfigError || error instanceof SourceError || error instanceof PolicyError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why = (code && WRITE_FAILURES[code]) ?? code ?? String((error as Error)?.message ?? error).split('\n')[0];
  return `${shown}: cannot write (${why})`;
}

/** Atomic write: a reader never sees half a file, an interrupted run never leaves one. A failure names the file. */
export function writeAtomic(file: string, content: string, shown = file): void {
  try {
    writeFileAtomic(file, { content });
  } catch (error) {
    throw new ConfigError(cannotWrite(shown, error));
  }
}

/**
 * Writes one output; a failure is returned as one line naming it, so that the other outputs (and the summary)
 * are still written and the run ends with exit 2 (SPEC §11: nothing else lost).
 */
export function tryWrite(io: Io, shown: string, content: OutputContent): string | null {
  try {
    writeFileAtomic(path.resolve(io.cwd, shown), content);
    return null;
  } catch (error) {
    return cannotWrite(shown, error);
  }
}

/** The output as a stream of chunks, rendered as it is read: large results are never held as one text. */
async function render(results: Results, format: Format, io: Io, config: Config | null, anchor: string | undefined, baselineFixed?: number): Promise<Iterable<string>> {
  const sarifAnchor = anchor ?? (config?.file ? path.relative(io.cwd, config.file).split(path.sep).join('/') : 'sesguard.yaml');
  const reporter = await loadChunkedReporter(format);
  return reporter(results, { color: io.color && format === 'text', sarifAnchor, ...(baselineFixed !== undefined ? { baselineFixed } : {}) } as ReportOptions);
}

async function writeOutputs(results: Results, values: OutputValues, io: Io, config: Config | null, baselineFixed?: number): Promise<string[]> {
  const targets: [Format, string | undefined][] = [
    ['sarif', values.sarif],
    ['json', values.json],
    ['markdown', values.markdown],
    ['html', values.html],
  ];
  const failed: string[] = [];
  for (const [format, file] of targets) {
    if (!file) continue;
    const failure = tryWrite(io, file, { chunks: await render(results, format, io, config, values['sarif-anchor'], baselineFixed) });
    if (failure) failed.push(failure);
  }
  return failed;
}

export function printErrors(results: Results, io: Io, noticesShown = false): void {
  for (const e of results.errors) {
    // The file (and line), or the account, region and call of a live read (SPEC §11), as the text report shows it.
    const where = errorWhere(e);
    io.stderr(`sesguard: ${where ? `${where}: ` : ''}${e.message}\n`);
  }
  if (!noticesShown) for (const notice of results.notices) io.stderr(`sesguard: note: ${notice}\n`);
}

/** `--evidence DIR`: every output plus the raw inputs, hashed in a manifest (see docs/report.md). */
async function writeEvidence(results: Results, values: OutputValues, io: Io, config: Config | null, fixed: number | undefined, extra: BundleFile[]): Promise<string[]> {
  if (!values.evidence) return [];
  const { writeEvidenceBundle } = await import('../evidence/bundle.js');
  const files: BundleFile[] = [
    { name: 'results.json', chunks: await render(results, 'json', io, config, values['sarif-anchor'], fixed) },
    { name: 'results.sarif', chunks: await render(results, 'sarif', io, config, values['sarif-anchor'], fixed) },
    { name: 'report.html', chunks: await render(results, 'html', io, config, values['sarif-anchor'], fixed) },
    { name: 'summary.md', chunks: await render(results, 'markdown', io, config, values['sarif-anchor'], fixed) },
    ...extra,
  ];
  if (config?.file) files.push({ name: 'sesguard.yaml', copyOf: config.file });
  let written;
  try {
    written = writeEvidenceBundle(path.resolve(io.cwd, values.evidence), files, {
      version: VERSION,
      command: ['sesguard', ...(io.argv ?? [])],
      startedAt: results.startedAt,
      finishedAt: results.finishedAt,
    });
  } catch (error) {
    return [cannotWrite(values.evidence, error)];
  }
  io.stderr(`sesguard: evidence bundle written to ${values.evidence} (${written.manifest.files.length} files; manifest sha256 ${written.manifestSha256})\n`);
  return [];
}

/** `--baseline FILE`: marks findings new / unchanged; only new ones fail the run. */
async function withBaseline(results: Results, values: OutputValues, io: Io): Promise<{ results: Results; fixed?: number }> {
  if (!values.baseline) return { results };
  const { applyBaseline } = await import('../engine/baseline.js');
  const baseline = await readBaselineFile(values.baseline, io, results);
  const comparison = applyBaseline(results, baseline, { file: values.baseline });
  const { summary } = comparison;
  const notice = `baseline ${values.baseline}: ${summary.new} new, ${summary.unchanged} unchanged, ${summary.fixed} fixed finding(s); only new ones fail the run`;
  return { results: { ...comparison.results, notices: [...comparison.results.notices, notice] }, fixed: summary.fixed };
}

/**
 * The end of every run: baseline, outputs, evidence, the summary on stdout, errors on stderr, the exit code.
 * `unwritten`: outputs the command itself could not write (a scan's snapshot), one line each.
 */
export async function finish(
  current: Results,
  values: OutputValues,
  io: Io,
  config: Config | null,
  evidenceExtra: BundleFile[] = [],
  unwritten: string[] = [],
): Promise<number> {
  const format = values.format ?? 'text';
  const { results, fixed } = await withBaseline(current, values, io);
  const failed = [...unwritten, ...(await writeOutputs(results, values, io, config, fixed))];
  failed.push(...(await writeEvidence(results, values, io, config, fixed, evidenceExtra)));
  const printed = !values.quiet || values.format !== undefined;
  if (printed) for (const text of batched(await render(results, format, io, config, values['sarif-anchor'], fixed))) io.stdout(text);
  // The text summary already lists the notices; other formats and --quiet get them on stderr.
  printErrors(results, io, printed && format === 'text');
  for (const line of failed) io.stderr(`sesguard: ${line}\n`);
  // An output the user asked for is missing: the run cannot be relied on, whatever it found.
  return failed.length > 0 ? 2 : exitCodeFor(results, values['fail-on'], values['min-score'] ?? null);
}
