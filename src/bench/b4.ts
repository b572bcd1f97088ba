// Benchmark B4 (SPEC §10): `sesguard trail` on gzipped CloudTrail logs, as a ratio to gunzip + JSON.parse of
// the same files, and peak RSS at two input sizes (memory must stay flat as the input grows). The logs are
// generated into .bench/ (never committed) in the shape a real account delivers: a file per region every
// five minutes, two busy regions and fifteen quiet ones, records with session credentials, TLS details,
// resources and data events. SPEC's workload is 1 GiB of gzip; the default here is smaller so the
// benchmark fits a shared machine: set SESGUARD_B4_MB=1024 for the full size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeDay } from '../detections/generate.js';
import { PACKAGE_ROOT } from '../paths.js';
import { timed } from './measure.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

/** Writes generated days until the gzip total reaches `mb`; returns bytes written. */
function generate(dir: string, mb: number): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let day = 1; bytes < mb * 1024 * 1024 && day <= 28; day++) {
    const date = `2026-11-${String(day).padStart(2, '0')}`;
    for (const file of writeDay(path.join(dir, date), { date, seed: day, noisePerFile: 60, fileMinutes: 5, busyRegions: 2, attack: day === 1 })) bytes += statSync(file).size;
  }
  return bytes;
}

function trailRun(dir: string): { ms: number; rssMiB: number } {
  const script = `const t=performance.now();process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED='true';const {main}=await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))});await main(['trail',${JSON.stringify(dir)},'--quiet','--fail-on','none']);process.stdout.write(JSON.stringify({ms:performance.now()-t,rss:process.resourceUsage().maxRSS}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`trail run failed: ${r.stderr.split('\n')[0]}`);
  const out = JSON.parse(r.stdout) as { ms: number; rss: number };
  return { ms: out.ms, rssMiB: Math.round(out.rss / 1024) };
}

export function benchB4(): Record<string, number | string> {
  const mb = Number(process.env.SESGUARD_B4_MB ?? 96);
  const small = path.join(PACKAGE_ROOT, '.bench', 'b4-small');
  const large = path.join(PACKAGE_ROOT, '.bench', 'b4-large');
  const smallBytes = generate(small, Math.max(4, mb / 8));
  const largeBytes = generate(large, mb);
  const files = filesUnder(large);
  let records = 0;
  const baseline = timed(() => {
    for (const f of files) records += (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
  });
  const big = trailRun(large);
  const little = trailRun(small);
  return {
    'gzip input MiB (large / small)': `${(largeBytes / 1048576).toFixed(1)} / ${(smallBytes / 1048576).toFixed(1)}`,
    files: files.length,
    records,
    'gunzip + JSON.parse ms': Math.round(baseline),
    'sesguard trail ms (whole CLI)': Math.round(big.ms),
    'ratio trail / (gunzip + parse) (target ≤ 1.5)': Number((big.ms / baseline).toFixed(2)),
    'peak RSS MiB large / small (flat = similar)': `${big.rssMiB} / ${little.rssMiB}`,
  };
}
