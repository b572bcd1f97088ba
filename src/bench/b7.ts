// Benchmark B7 (SPEC §10): `sesguard trail` on gzipped VPC Flow Logs, as a ratio to gunzip + splitting the same
// files into lines, and peak RSS at two input sizes (memory must stay flat as the input grows). The logs are the
// generated flow day (default and custom format, S3 layout) with a busy web interface, repeated over days, in
// .bench/ (never committed). SPEC's workload is at least 1 GiB of gzip: set SESGUARD_B7_MB=1024 for it; the
// default is smaller so `npm run bench` fits a shared machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateFlowDay } from '../detections/generate-flows.js';
import { PACKAGE_ROOT } from '../paths.js';
import { median, timed } from './measure.js';

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

function trailRun(dir: string): { ms: number; rssMiB: number; findings: number } {
  const script =
    `const t=performance.now();const {run}=await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))});let out='';` +
    `await run(['trail',${JSON.stringify(dir)},'--format','json','--fail-on','none'],{cwd:process.cwd(),stdout:(s)=>{out+=s},stderr:()=>{},color:false});` +
    `process.stdout.write(JSON.stringify({ms:performance.now()-t,rss:process.resourceUsage().maxRSS,findings:JSON.parse(out).findings.length}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`trail run failed: ${r.stderr.split('\n')[0]}`);
  const out = JSON.parse(r.stdout) as { ms: number; rss: number; findings: number };
  return { ms: out.ms, rssMiB: Math.round(out.rss / 1024), findings: out.findings };
}

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
  const trails: { ms: number; rssMiB: number; findings: number }[] = [];
  for (let i = 0; i < runs; i++) {
    // Baseline: list, read, gunzip and split every file into lines (what any reader of these logs must do).
    baselines.push(
      timed(() => {
        lines = 0;
        text = 0;
        for (const f of filesUnder(large)) {
          const plain = gunzipSync(readFileSync(f));
          text += plain.length;
          for (let at = plain.indexOf(10); at >= 0; at = plain.indexOf(10, at + 1)) lines++;
        }
      }),
    );
    trails.push(trailRun(large));
  }
  const baseline = median(baselines);
  const big = median(trails.map((t) => t.ms));
  const little = trailRun(small);
  return {
    'gzip input MiB (large / small)': `${(largeBytes / 1048576).toFixed(1)} / ${(smallBytes / 1048576).toFixed(1)}`,
    'text MiB (large)': (text / 1048576).toFixed(0),
    files: filesUnder(large).length,
    lines,
    runs,
    'gunzip + line split ms (median)': Math.round(baseline),
    'sesguard trail ms (median, whole CLI)': Math.round(big),
    'ratio trail / (gunzip + split) (target ≤ 1.5)': Number((big / baseline).toFixed(2)),
    'peak RSS MiB large / small (flat = similar)': `${Math.max(...trails.map((t) => t.rssMiB))} / ${little.rssMiB}`,
    'findings (large)': trails[0].findings,
  };
}
