// Timing helpers for `npm run bench`: wall-clock milliseconds, medians, and whole CLI processes. Benchmarks only,
// never tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

export function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function timedAsync(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One `sesguard` process as shipped (the bundled CLI) with these arguments, timed from spawn to exit: wall time, CPU
 * time of all its threads, peak RSS. A run that exits non-zero is not a measurement.
 */
export function cliRun(args: string[]): { ms: number; cpuMs: number; rssMiB: number } {
  const script =
    `process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED='true';const {main}=await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js'))});` +
    `process.exitCode=await main(${JSON.stringify(args)});` +
    `const u=process.resourceUsage();process.stdout.write(JSON.stringify({rss:u.maxRSS,cpu:(u.userCPUTime+u.systemCPUTime)/1000}));`;
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`sesguard ${args[0]} run failed (exit ${r.status}): ${r.stderr.split('\n')[0]}`);
  const out = JSON.parse(r.stdout) as { rss: number; cpu: number };
  return { ms, cpuMs: out.cpu, rssMiB: Math.round(out.rss / 1024) };
}
