// B2's measured process: read and validate a snapshot, evaluate it, report time and peak RSS as JSON.
import { readFileSync } from 'node:fs';
import { defaultConfig, celConfig } from '../config/types.js';
import { evaluateAll } from '../engine/evaluate.js';
import { checksFor, checksForSources } from '../checks.js';
import { parseSnapshot } from '../run.js';

const started = performance.now();
const file = process.argv[2];
const snapshot = parseSnapshot(readFileSync(file, 'utf8'), file);
const config = defaultConfig();
const checks = checksForSources(checksFor(config), ['L']);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const evaluations = evaluateAll(
  checks,
  { resources: snapshot.resources, organizationAccounts: snapshot.organizationAccounts },
  // As `sesguard evaluate` does (run.ts): the snapshot's Organization id judges aws:PrincipalOrgID conditions.
  { config: celConfig(config, new Date(snapshot.capturedAt), snapshot.scope.organizationId), org: snapshot.organizationAccounts },
);
const evaluateMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    resources: snapshot.resources.length,
    pairs: evaluations.length,
    evaluateMs,
    evaluateCpuMs: (cpu.user + cpu.system) / 1000,
    totalMs: performance.now() - started,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
