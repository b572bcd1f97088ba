// Benchmark B2 (SPEC §10): `sesguard evaluate` on a synthetic snapshot of 1,000 accounts × 17 regions.
// The snapshot is built from the demo Organization snapshot (a misconfigured and a clean account, cloned with
// new ids and regions), written to .bench/, and evaluated in a child process so its peak RSS is its own:
// first the engine alone (evaluations/s), then the whole command with every output (results JSON, SARIF,
// Markdown, HTML, evidence bundle, text on stdout), `report` of the HTML from that JSON, and `merge` of the
// results of four shards of the same Organization — each with its peak RSS (target ≤ 1 GiB) and output sizes —,
// `evaluate` again with the first run's JSON as --baseline, and the HTML report opened in Chromium.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../config/types.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { writeFileAtomic } from '../output-file.js';
import { jsonChunks } from '../reporters/json.js';
import { evaluateSnapshot } from '../run.js';
import type { Resource } from '../inventory/types.js';
import { PACKAGE_ROOT } from '../paths.js';
import { SES_REGIONS } from '../sources/aws/regions.js';
import { openInChromium } from './html-open.js';

const TEMPLATES = ['333333333333', '222222222222'];

function accountId(i: number): string {
  return String(500000000000 + i * 104729).padStart(12, '0').slice(0, 12);
}

export function generateSnapshot(accounts: number, regionCount: number): Snapshot {
  const demo = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'demo', 'org-snapshot.json'), 'utf8')) as Snapshot;
  const regions = SES_REGIONS.aws.slice(0, regionCount);
  const resources: Resource[] = [];
  const ids: string[] = [];
  const byTemplate = TEMPLATES.map((t) => ({
    global: demo.resources.filter((r) => r.provenance.account === t && (!r.provenance.region || r.provenance.region === 'global') && r.type !== 'aws.organizations.account'),
    regional: demo.resources.filter((r) => r.provenance.account === t && r.provenance.region === 'us-east-1'),
  }));
  const orgAccount = demo.resources.find((r) => r.type === 'aws.organizations.account' && r.provenance.account === TEMPLATES[0]);
  for (let i = 0; i < accounts; i++) {
    const id = accountId(i);
    ids.push(id);
    const t = TEMPLATES[i % 2];
    const template = byTemplate[i % 2];
    const globals = JSON.stringify(orgAccount ? [...template.global, orgAccount] : template.global).replaceAll(t, id).replaceAll(TEMPLATES[0], id);
    resources.push(...(JSON.parse(globals) as Resource[]));
    const regional = JSON.stringify(template.regional).replaceAll(t, id);
    for (const region of regions) resources.push(...(JSON.parse(regional.replaceAll('us-east-1', region)) as Resource[]));
  }
  return {
    ...demo,
    scope: {
      ...demo.scope,
      accounts: ids.map((accountId, i) => ({ accountId, name: `bench-${i}`, isManagementAccount: i === 0, status: 'scanned', regions })),
    },
    organizationAccounts: ids,
    resources,
    callErrors: [],
    incomplete: false,
  };
}

interface CliFigures {
  exitCode: number;
  ms: number;
  maxRssMiB: number;
}

/** One sesguard command line in a child process of its own; stdout (the text summary) is discarded. */
function runCli(dir: string, args: string[]): CliFigures {
  const figures = path.join(dir, 'cli-figures.json');
  const child = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist', 'bench', 'cli-rss.js'), figures, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`B2: sesguard ${args[0]} failed: ${child.stderr.split('\n')[0]}`);
  const out = JSON.parse(readFileSync(figures, 'utf8')) as CliFigures;
  // 0 or 1 (findings at or above --fail-on); 2 means the run could not be trusted.
  if (out.exitCode > 1) throw new Error(`B2: sesguard ${args.join(' ')} exited ${out.exitCode}: ${child.stderr.split('\n')[0]}`);
  return out;
}

/** Every output a command can write, into `dir` under `name`. */
function outputs(dir: string, name: string, evidence = false): { args: string[]; html: string; json: string; sarif: string } {
  const file = (ext: string) => path.join(dir, `${name}.${ext}`);
  const args = ['--json', file('json'), '--sarif', file('sarif'), '--markdown', file('md'), '--html', file('html')];
  if (evidence) args.push('--evidence', path.join(dir, `${name}-evidence`));
  return { args, html: file('html'), json: file('json'), sarif: file('sarif') };
}

const mib = (file: string) => `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`;

/** The results of `n` shards of the Organization (`--shard k/n`: every n-th account), as the scan of each would write them. */
function writeShards(snapshot: Snapshot, n: number, dir: string): string[] {
  const config = defaultConfig();
  return Array.from({ length: n }, (_, k) => {
    const accounts = snapshot.scope.accounts.filter((_, i) => i % n === k);
    const ids = new Set(accounts.map((a) => a.accountId));
    const shard: Snapshot = {
      ...snapshot,
      scope: { ...snapshot.scope, accounts, shard: `${k + 1}/${n}` },
      resources: snapshot.resources.filter((r) => r.provenance.account !== undefined && ids.has(r.provenance.account)),
    };
    const file = path.join(dir, `shard-${k + 1}.json`);
    writeFileAtomic(file, { chunks: jsonChunks(evaluateSnapshot(shard, { config })) });
    return file;
  });
}

export async function benchB2(accounts = 1000, regionCount = 17, shards = 4): Promise<Record<string, number | string>> {
  const dir = path.join(PACKAGE_ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'b2-snapshot.json');
  const snapshot = generateSnapshot(accounts, regionCount);
  writeFileSync(file, JSON.stringify(snapshot));
  const child = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist', 'bench', 'b2-child.js'), file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`B2 child failed: ${child.stderr.split('\n')[0]}`);
  const out = JSON.parse(child.stdout) as { resources: number; pairs: number; evaluateMs: number; evaluateCpuMs: number; totalMs: number; maxRssMiB: number };

  const work = path.join(dir, 'b2-outputs');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const all = outputs(work, 'org', true);
  const evaluate = runCli(work, ['evaluate', file, ...all.args]);
  const report = runCli(work, ['report', all.json, '--html', path.join(work, 'report.html'), '--quiet']);
  const again = outputs(work, 'again');
  const withBaseline = runCli(work, ['evaluate', file, ...again.args, '--baseline', all.json]);
  const shardFiles = writeShards(snapshot, shards, work);
  const merged = outputs(work, 'merged');
  const merge = runCli(work, ['merge', ...shardFiles, ...merged.args, '--quiet']);

  return {
    accounts,
    regions: regionCount,
    resources: out.resources,
    '(check, resource) pairs': out.pairs,
    'evaluate ms (engine only)': Math.round(out.evaluateMs),
    'evaluations/s (target ≥ 100,000)': Math.round(out.pairs / (out.evaluateMs / 1000)),
    // CPU time as well: on a shared machine, wall time also counts the time other processes hold the cores.
    'evaluate CPU ms': Math.round(out.evaluateCpuMs),
    'evaluations per CPU-second': Math.round(out.pairs / (out.evaluateCpuMs / 1000)),
    'read + validate + evaluate ms': Math.round(out.totalMs),
    'engine only: peak RSS MiB (target ≤ 1024)': out.maxRssMiB,
    'evaluate, every output: wall ms': Math.round(evaluate.ms),
    'evaluate, every output: peak RSS MiB (target ≤ 1024)': evaluate.maxRssMiB,
    'HTML report (target ≤ 20 MB)': mib(all.html),
    ...(await openInChromium(all.html, snapshot.scope.accounts[2].accountId)),
    'results JSON': mib(all.json),
    'SARIF': mib(all.sarif),
    'report --html from the JSON: peak RSS MiB': report.maxRssMiB,
    'evaluate, every output, --baseline (that JSON): peak RSS MiB': withBaseline.maxRssMiB,
    [`merge of ${shards} shards, every output: peak RSS MiB`]: merge.maxRssMiB,
  };
}
