// Benchmark B5 (SPEC §10): `sesguard iac` on a generated Terraform source repository of 200 modules × 25
// resources, as a ratio to merely parsing the same files with the HCL parser, plus resources per second and
// the CLI's peak RSS. Both sides are whole processes (node start-up, loading tree-sitter's WebAssembly,
// reading the files, parsing them cold), so the ratio is what sesguard adds to the parser; the in-process
// parse of warm code is printed beside it. On a machine with more than two cores the CLI parses a repository
// this large on worker threads as well as its main thread (src/sources/terraform/hcl/parse-pool.ts); the parse
// process uses one thread. So B5 prints how many threads parse and, when workers are used, measures the CLI a
// second time with every file parsed on the main thread (SESGUARD_PARSE_WORKERS=0): both ratios, by wall and by
// CPU time. The CLI runs with its V8 tuning (src/cli/v8-tuning.ts), as shipped; the parse process with Node's
// defaults (the same tuning does not make it faster: docs/architecture.md).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { parseWorkers } from '../sources/terraform/hcl/parse-pool.js';
import { loadHclParser } from '../sources/terraform/hcl/syntax.js';
import { generateTerraform } from './generate-terraform.js';
import { median, timed } from './measure.js';

const MODULES = 200;
const PER_MODULE = 25;

/** What a measured process reports about itself: its CPU time (all threads) and peak RSS. */
const USAGE = 'const u=process.resourceUsage();process.stdout.write(JSON.stringify({code,cpu:(u.userCPUTime+u.systemCPUTime)/1000,rss:u.maxRSS}));';

function cliRun(dir: string, workers?: number): { ms: number; cpuMs: number; rssMiB: number; resources: number } {
  // The CLI as shipped (the bundle bin/sesguard.js runs), as B4 measures it.
  const script = `const {main}=await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js'))});const code=await main(['iac',${JSON.stringify(dir)},'--quiet','--fail-on','none','--json',${JSON.stringify(path.join(dir, '..', 'b5-results.json'))}]);${USAGE}`;
  let out: { code: number; cpu: number; rss: number } = { code: -1, cpu: 0, rss: 0 };
  const ms = timed(() => {
    const env = workers === undefined ? process.env : { ...process.env, SESGUARD_PARSE_WORKERS: String(workers) };
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 24, env });
    if (r.status !== 0) throw new Error(`sesguard iac failed: ${r.stderr.split('\n')[0]}`);
    out = JSON.parse(r.stdout) as typeof out;
  });
  if (out.code !== 0) throw new Error(`sesguard iac exited ${out.code}`);
  const results = JSON.parse(readFileSync(path.join(dir, '..', 'b5-results.json'), 'utf8')) as { inputs: { resourceCount: number } };
  return { ms, cpuMs: out.cpu, rssMiB: Math.round(out.rss / 1024), resources: results.inputs.resourceCount };
}

/** A process that only parses: loads the parser, reads and parses every file. */
function parseRun(files: string[]): { ms: number; cpuMs: number } {
  const script = `import {readFileSync} from 'node:fs';const {loadHclParser}=await import(${JSON.stringify(path.join(PACKAGE_ROOT, 'dist', 'sources', 'terraform', 'hcl', 'syntax.js'))});const p=await loadHclParser();for (const f of ${JSON.stringify(files)}) p.parse(readFileSync(f,'utf8'))?.delete();const code=0;${USAGE}`;
  let cpuMs = 0;
  const ms = timed(() => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`parse run failed: ${r.stderr.split('\n')[0]}`);
    cpuMs = (JSON.parse(r.stdout) as { cpu: number }).cpu;
  });
  return { ms, cpuMs };
}

export async function benchB5(runs = 5): Promise<Record<string, number | string>> {
  const dir = path.join(PACKAGE_ROOT, '.bench', 'b5-terraform');
  const files = generateTerraform(dir, MODULES, PER_MODULE);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const parser = await loadHclParser();
  const warm = median(Array.from({ length: runs }, () => timed(() => texts.forEach((t) => parser.parse(t)?.delete()))));
  // Interleaved, so a busy machine slows both sides alike.
  const loadBefore = loadavg()[0]!;
  const workers = parseWorkers(texts.reduce((n, t) => n + t.length, 0));
  const parses: ReturnType<typeof parseRun>[] = [];
  const cli: ReturnType<typeof cliRun>[] = [];
  const single: ReturnType<typeof cliRun>[] = [];
  for (let i = 0; i < runs; i++) {
    parses.push(parseRun(files));
    cli.push(cliRun(dir));
    if (workers > 0) single.push(cliRun(dir, 0));
  }
  const parse = median(parses.map((p) => p.ms));
  const ms = median(cli.map((c) => c.ms));
  const parseCpu = median(parses.map((p) => p.cpuMs));
  const cliCpu = median(cli.map((c) => c.cpuMs));
  const resources = cli[0]!.resources;
  const oneThread: Record<string, number> = {};
  if (workers > 0) {
    const singleMs = median(single.map((c) => c.ms));
    const singleCpu = median(single.map((c) => c.cpuMs));
    oneThread['CLI parsing on the main thread only ms'] = Math.round(singleMs);
    oneThread['  its ratio CLI / parse'] = Number((singleMs / parse).toFixed(2));
    oneThread['  its CPU ms'] = Math.round(singleCpu);
    oneThread['  its ratio by CPU time'] = Number((singleCpu / parseCpu).toFixed(2));
  }
  return {
    files: files.length,
    bytes: texts.reduce((n, t) => n + t.length, 0),
    'threads parsing in the CLI (main + workers)': `1 + ${workers}`,
    'threads parsing in the parse process': 1,
    'parse in-process, warm ms': Math.round(warm),
    'parse process ms': Math.round(parse),
    'sesguard iac (CLI) ms': Math.round(ms),
    'ratio CLI / parse (target ≤ 3)': Number((ms / parse).toFixed(2)),
    // CPU time (all threads) as well: on a shared machine, wall time also counts other processes.
    'parse process CPU ms': Math.round(parseCpu),
    'sesguard iac (CLI) CPU ms': Math.round(cliCpu),
    'ratio by CPU time': Number((cliCpu / parseCpu).toFixed(2)),
    ...oneThread,
    'normalized resources': resources,
    'resources/s': Math.round((resources / ms) * 1000),
    'peak RSS MiB': Math.max(...cli.map((c) => c.rssMiB)),
    // Other processes on the machine: wall-time ratios are to be read with it (CPU ratios move less).
    'load average (1 min) before → after': `${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  };
}
