// Benchmark B2 (SPEC §10): `sesguard evaluate` on a synthetic snapshot of 1,000 accounts × 17 regions.
// The snapshot is built from the demo Organization snapshot (a misconfigured and a clean account, cloned with
// new ids and regions), written to .bench/, and evaluated in a child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../inventory/snapshot.js';
import type { Resource } from '../inventory/types.js';
import { PACKAGE_ROOT } from '../paths.js';
import { SES_REGIONS } from '../sources/aws/regions.js';

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

export function benchB2(accounts = 1000, regionCount = 17): Record<string, number | string> {
  const dir = path.join(PACKAGE_ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'b2-snapshot.json');
  const snapshot = generateSnapshot(accounts, regionCount);
  writeFileSync(file, JSON.stringify(snapshot));
  const child = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist', 'bench', 'b2-child.js'), file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`B2 child failed: ${child.stderr.split('\n')[0]}`);
  const out = JSON.parse(child.stdout) as { resources: number; pairs: number; evaluateMs: number; evaluateCpuMs: number; totalMs: number; maxRssMiB: number };
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
    'peak RSS MiB (target ≤ 1024)': out.maxRssMiB,
  };
}
