// Benchmark B7 (SPEC §10): `sesguard trail` on gzipped VPC Flow Logs, as a ratio to gunzip + splitting the same
// files into lines, and peak RSS at two input sizes (memory must stay flat as the input grows). The logs are the
// generated flow day (default and custom format, S3 layout) with a busy web interface, repeated over days, in
// .bench/ (never committed). SPEC's workload is at least 1 GiB of gzip: set SESGUARD_B7_MB=1024 for it; the
// default is smaller so `npm run bench` fits a shared machine.
//
// Keeping the comparison honest: the baseline gunzips with the output chunk size the reader uses (1 MiB; zlib's
// default 16 KiB makes gunzip itself about 1.5 times slower, which would flatter the ratio), on one thread. The
// trail reads on worker threads, so besides the wall-clock ratio (SPEC's measure) the CPU-time ratio is printed:
// CPU time of the whole trail process (every thread) over that of the baseline, the work done whatever the number
// of free cores. Baseline and trail runs are interleaved and the ratios taken of the medians, as in B4.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateFlowDay } from '../detections/generate-flows.js';
import { PACKAGE_ROOT } from '../paths.js';
import { flowWorkerCount } from '../sources/flowlogs/pool.js';
import { cliRun, median, timed } from './measure.js';

const SHAPE = { webPerHour: 20_000, version: 1 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.gz'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Writes flow days until the gzip total reaches `mb`; a folder made with the same parameters is reused. */
function generate(dir: string, mb: number): number {
  const params = JSON.stringify({ mb, ...SHAPE });
  const marker = path.join(dir, '.params');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === params) return filesUnder(dir).reduce((n, f) => n + statSync(f).size, 0);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let day = 0; bytes < mb * 1024 * 1024; day++) {
    const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    for (const file of generateFlowDay({ date, seed: day + 1, webPerHour: SHAPE.webPerHour })) {
      const target = path.join(dir, file.key);
      mkdirSync(path.dirname(target), { recursive: true });
      const gz = gzipSync(file.text);
      writeFileSync(target, gz);
      bytes += gz.length;
    }
  }
  writeFileSync(marker, params);
  return bytes;
}

interface TrailRun {
  ms: number;
  cpuMs: number;
  rssMiB: number;
  findings: number;
  records: number;
}

/** One `sesguard trail` process as shipped (the bundled CLI), timed from spawn to exit, with its CPU time (all threads). */
function trailRun(dir: string): TrailRun {
  const json = path.join(PACKAGE_ROOT, '.bench', 'b7-results.json');
  const run = cliRun(['trail', dir, '--quiet', '--json', json, '--fail-on', 'none']);
  const results = JSON.parse(readFileSync(json, 'utf8')) as { findings: unknown[]; errors: { file?: string; message: string }[]; trail: { coverage: { flows: { records: number } } } };
  // A run that lost files is not a measurement (the first B7 figures were taken while every worker failed to start).
  if (results.errors.length > 0) throw new Error(`trail run had errors: ${results.errors[0].file ?? ''} ${results.errors[0].message}`);
  return { ...run, findings: results.findings.length, records: results.trail.coverage.flows.records };
}

/** The reader's gunzip output chunk (src/sources/flowlogs/read.ts): the baseline decompresses alike. */
const GUNZIP_CHUNK = 1024 * 1024;

export function benchB7(): Record<string, number | string> {
  const mb = Number(process.env.SESGUARD_B7_MB ?? 128);
  const small = path.join(PACKAGE_ROOT, '.bench', 'b7-small');
  const large = path.join(PACKAGE_ROOT, '.bench', 'b7-large');
  const smallBytes = generate(small, Math.max(8, mb / 8));
  const largeBytes = generate(large, mb);
  const runs = Math.max(1, Number(process.env.SESGUARD_B7_RUNS ?? 3));
  let lines = 0;
  let text = 0;
  const baselines: number[] = [];
  const baselineCpu: number[] = [];
  const trails: TrailRun[] = [];
  const load: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Baseline: list, read, gunzip and split every file into lines (what any reader of these logs must do).
    const before = process.cpuUsage();
    baselines.push(
      timed(() => {
        lines = 0;
        text = 0;
        for (const f of filesUnder(large)) {
          const plain = gunzipSync(readFileSync(f), { chunkSize: GUNZIP_CHUNK });
          text += plain.length;
          for (let at = plain.indexOf(10); at >= 0; at = plain.indexOf(10, at + 1)) lines++;
        }
      }),
    );
    const used = process.cpuUsage(before);
    baselineCpu.push((used.user + used.system) / 1000);
    load.push(loadavg()[0]);
    trails.push(trailRun(large));
  }
  const baseline = median(baselines);
  const big = median(trails.map((t) => t.ms));
  const cpuRatio = median(trails.map((t, i) => t.cpuMs / baselineCpu[i]));
  const little = trailRun(small);
  return {
    'gzip input MiB (large / small)': `${(largeBytes / 1048576).toFixed(1)} / ${(smallBytes / 1048576).toFixed(1)}`,
    'text MiB (large)': (text / 1048576).toFixed(0),
    files: filesUnder(large).length,
    lines,
    'flow records read (trail coverage)': trails[0].records,
    runs,
    'threads: baseline / trail readers (cores)': `1 / ${flowWorkerCount()} worker threads (${availableParallelism()} cores)`,
    'load average (1 min) during runs': load.map((l) => l.toFixed(1)).join(', '),
    'gunzip + line split ms (median; CPU ms)': `${Math.round(baseline)}; ${Math.round(median(baselineCpu))}`,
    'sesguard trail ms (whole CLI process, median; CPU ms)': `${Math.round(big)}; ${Math.round(median(trails.map((t) => t.cpuMs)))}`,
    'ratio trail / (gunzip + split), wall (target ≤ 1.5)': Number((big / baseline).toFixed(2)),
    'ratios per run, wall': baselines.map((b, i) => (trails[i].ms / b).toFixed(2)).join(', '),
    'ratio of CPU time (all threads; median of runs)': Number(cpuRatio.toFixed(2)),
    'peak RSS MiB large / small (flat = similar)': `${Math.max(...trails.map((t) => t.rssMiB))} / ${little.rssMiB}`,
    'findings (large)': trails[0].findings,
  };
}
