// Benchmark B4 (SPEC §10): `sesguard trail` on gzipped CloudTrail logs, as a ratio to gunzip + JSON.parse of
// the same files, and peak RSS at two input sizes (memory must stay flat as the input grows). The logs are
// generated into .bench/ (never committed) in the shape a real account delivers: a file per region every
// five minutes, two busy regions and fifteen quiet ones, records with session credentials, TLS details,
// resources and data events. SPEC's workload is 1 GiB of gzip; the default here is smaller so the
// benchmark fits a shared machine: set SESGUARD_B4_MB=1024 for the full size. Baseline and trail runs are
// interleaved (SESGUARD_B4_RUNS times, default 3) and the ratio is taken of the medians, so a burst of load
// from another process does not land on one side only.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { writeDay } from '../detections/generate.js';
import { PACKAGE_ROOT } from '../paths.js';
import { cliRun, median, timed } from './measure.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

const DAY_SHAPE = { noisePerFile: 60, fileMinutes: 5, busyRegions: 2 };

/**
 * Writes generated days until the gzip total reaches `mb`; returns bytes written. A folder generated
 * with the same parameters is reused (its `.params` file says so): generating is slower than the benchmark.
 */
function generate(dir: string, mb: number): number {
  // The generator's own code is part of the key: a changed generator regenerates.
  const generator = createHash('sha256').update(readFileSync(fileURLToPath(new URL('../detections/generate.js', import.meta.url)))).digest('hex');
  const params = JSON.stringify({ mb, ...DAY_SHAPE, generator });
  const marker = path.join(dir, '.params');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === params) return filesUnder(dir).filter((f) => f.endsWith('.gz')).reduce((n, f) => n + statSync(f).size, 0);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let day = 1; bytes < mb * 1024 * 1024 && day <= 28; day++) {
    const date = `2026-11-${String(day).padStart(2, '0')}`;
    for (const file of writeDay(path.join(dir, date), { date, seed: day, ...DAY_SHAPE, attack: day === 1 })) bytes += statSync(file).size;
  }
  writeFileSync(marker, params);
  return bytes;
}

/** One `sesguard trail` process as shipped, timed from spawn to exit, with its CPU time. */
function trailRun(dir: string): { ms: number; cpuMs: number; rssMiB: number } {
  return cliRun(['trail', dir, '--quiet', '--fail-on', 'none']);
}

export function benchB4(): Record<string, number | string> {
  const mb = Number(process.env.SESGUARD_B4_MB ?? 96);
  const small = path.join(PACKAGE_ROOT, '.bench', 'b4-small');
  const large = path.join(PACKAGE_ROOT, '.bench', 'b4-large');
  const smallBytes = generate(small, Math.max(4, mb / 8));
  const largeBytes = generate(large, mb);
  const runs = Math.max(1, Number(process.env.SESGUARD_B4_RUNS ?? 3));
  let records = 0;
  const baselines: number[] = [];
  const baselineCpu: number[] = [];
  const trails: { ms: number; cpuMs: number; rssMiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    // The file list is part of the work on both sides (sesguard walks the folder itself).
    const before = process.cpuUsage();
    baselines.push(
      timed(() => {
        records = 0;
        for (const f of filesUnder(large).filter((name) => name.endsWith('.gz'))) records += (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
      }),
    );
    const used = process.cpuUsage(before);
    baselineCpu.push((used.user + used.system) / 1000);
    trails.push(trailRun(large));
  }
  const baseline = median(baselines);
  const big = median(trails.map((t) => t.ms));
  // CPU time is what wall time would be on an idle machine (both sides run on one thread); on a shared
  // machine it is the steadier measure, so it is printed beside the wall-clock ratio.
  const cpuRatio = median(trails.map((t, i) => t.cpuMs / baselineCpu[i]));
  const little = trailRun(small);
  return {
    'gzip input MiB (large / small)': `${(largeBytes / 1048576).toFixed(1)} / ${(smallBytes / 1048576).toFixed(1)}`,
    files: filesUnder(large).filter((f) => f.endsWith('.gz')).length,
    records,
    runs,
    'gunzip + JSON.parse ms (median)': Math.round(baseline),
    'sesguard trail ms (whole CLI process, median)': Math.round(big),
    'ratio trail / (gunzip + parse) (target ≤ 1.5)': Number((big / baseline).toFixed(2)),
    'ratios per run': baselines.map((b, i) => (trails[i].ms / b).toFixed(2)).join(', '),
    'CPU-time ratio (median of runs)': Number(cpuRatio.toFixed(2)),
    'peak RSS MiB large / small (flat = similar)': `${Math.max(...trails.map((t) => t.rssMiB))} / ${little.rssMiB}`,
  };
}
