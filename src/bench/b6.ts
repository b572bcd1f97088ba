// Benchmark B6 (SPEC §10): start-up as users feel it — whole processes, the median of interleaved runs (so
// a noisy neighbour slows every workload alike), as ratios to `node -e 0`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { median, timed } from './measure.js';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'sesguard.js');
const TEMPLATE = path.join(PACKAGE_ROOT, 'fixtures', 'iac', 'cloudformation', 'good-mail-stack.yaml');

interface Workload {
  name: string;
  args: string[];
  /** Target: at most this many times `node -e 0`. */
  target?: number;
}

const WORKLOADS: Workload[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'sesguard --version', args: [BIN, '--version'], target: 2 },
  { name: 'sesguard iac (one small template)', args: [BIN, 'iac', TEMPLATE, '--quiet', '--fail-on', 'none'], target: 4 },
  { name: 'sesguard checks', args: [BIN, 'checks'], target: 4 },
];

function once(w: Workload): number {
  return timed(() => {
    const r = spawnSync(process.execPath, w.args, { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${w.name} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  });
}

export function benchB6(runs = 11): Record<string, number | string> {
  for (const w of WORKLOADS) once(w); // warm the file cache; not counted
  const times = new Map<Workload, number[]>(WORKLOADS.map((w) => [w, []]));
  for (let i = 0; i < runs; i++) for (const w of WORKLOADS) times.get(w)?.push(once(w));
  const base = median(times.get(WORKLOADS[0]) ?? []);
  const out: Record<string, number | string> = { runs, [WORKLOADS[0].name]: `${Math.round(base)} ms` };
  for (const w of WORKLOADS.slice(1)) {
    const ms = median(times.get(w) ?? []);
    const ratio = ms / base;
    out[w.name] = `${Math.round(ms)} ms = ${ratio.toFixed(2)} × node (target ≤ ${w.target})${ratio <= (w.target ?? Infinity) ? '' : '  OVER TARGET'}`;
  }
  return out;
}
