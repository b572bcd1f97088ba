// `sesguard demo` (what `npm start` runs): the three pipelines on bundled data, no AWS credentials needed —
// the IaC gate on example templates and a plan, a live-scan report from a synthetic Organization snapshot,
// and the CloudTrail runbook on a generated day of logs holding an attack.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { SEVERITIES } from '../engine/types.js';
import { ConfigError } from '../errors.js';
import { runTrail } from '../detections/index.js';
import { writeDay } from '../detections/generate.js';
import { writeFlowDay } from '../detections/generate-flows.js';
import { PACKAGE_ROOT } from '../paths.js';
import { reporters } from '../reporters/index.js';
import type { Results } from '../results.js';
import { evaluateSnapshot, parseSnapshot, runIac, trailResults } from '../run.js';
import { command } from './command.js';
import { printErrors, writeAtomic } from './gate.js';
import { flag } from './options.js';

function oneLineSummary(title: string, results: Results): string {
  const open = results.findings.filter((f) => !f.suppressed);
  const bySeverity = SEVERITIES
    .map((sev) => [sev, open.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`)
    .join(', ');
  const score = results.score.overall === null ? '' : `, score ${results.score.overall} (worst ${results.score.worst?.group}: ${results.score.worst?.score})`;
  return `${title}: ${open.length} open findings${bySeverity ? ` (${bySeverity})` : ''}${score}, coverage ${(results.score.coverage * 100).toFixed(1)} %`;
}

function writeReportSet(outDir: string, base: string, results: Results): string[] {
  const files: [string, string][] = [
    [`${base}.sarif`, reporters.sarif(results, { sarifAnchor: 'sesguard.yaml' })],
    [`${base}-results.json`, reporters.json(results)],
    [`${base}-summary.md`, reporters.markdown(results)],
    [`${base}-report.html`, reporters.html(results)],
  ];
  for (const [name, content] of files) writeAtomic(path.join(outDir, name), content);
  return files.map(([name]) => name);
}

export default command({
  options: { quiet: flag('only write the reports; print nothing on stdout') },
  async run(args, values, io) {
    if (args.length > 0) throw new ConfigError(`demo takes no arguments (got "${args[0]}")`);
    const demoDir = path.join(PACKAGE_ROOT, 'fixtures', 'demo');
    const outDir = path.resolve(io.cwd, 'sesguard-report');
    const config = loadConfig(path.join(demoDir, 'sesguard.yaml'), io.cwd);
    const shown = path.relative(io.cwd, outDir) || outDir;

    // The IaC examples are the test fixtures themselves: a misconfigured and a hardened stack, CDK output, a
    // Terraform plan with its sources, and Terraform source with no plan (what a pull request holds).
    const iacInputs = ['cloudformation/bad-mail-stack.yaml', 'cloudformation/good-mail-stack.yaml', 'cdk/cdk.out', 'terraform/bad', 'terraform/source'].map(
      (p) => path.relative(io.cwd, path.join(PACKAGE_ROOT, 'fixtures', 'iac', p)) || '.',
    );
    const iac = await runIac(iacInputs, { config, cwd: io.cwd, now: io.now });
    const iacFiles = writeReportSet(outDir, 'iac', iac);

    const snapshotFile = path.join(demoDir, 'org-snapshot.json');
    const org = evaluateSnapshot(parseSnapshot(readFileSync(snapshotFile, 'utf8'), snapshotFile), { config, now: io.now });
    const orgFiles = writeReportSet(outDir, 'org-scan', org);

    const logs = mkdtempSync(path.join(os.tmpdir(), 'sesguard-demo-logs-'));
    let trail: Results;
    try {
      // One investigation from both logs: the CloudTrail day and the same day of VPC Flow Logs.
      writeDay(logs, {});
      writeFlowDay(logs, {});
      const now = (io.now ?? (() => new Date()))();
      trail = trailResults(await runTrail([logs], { cwd: logs, now: () => now, approvedMailRelays: config.approvedMailRelays }), config);
    } finally {
      rmSync(logs, { recursive: true, force: true });
    }
    const trailFiles = writeReportSet(outDir, 'trail', trail);

    if (!values.quiet) {
      io.stdout(reporters.text(iac, { color: io.color }));
      io.stdout('\n');
      io.stdout(`${oneLineSummary('IaC gate (fixtures/iac: CloudFormation, CDK, Terraform)', iac)}\n`);
      io.stdout(`${oneLineSummary('Organization scan (fixtures/demo/org-snapshot.json, 4 accounts)', org)}\n`);
      io.stdout(`${oneLineSummary('Incident runbook (a generated day of CloudTrail and VPC Flow Logs with an attack)', trail)}\n`);
      io.stdout(`\nReports written to ${shown}/: ${[...iacFiles, ...orgFiles, ...trailFiles].join(', ')}\n`);
      io.stdout('Try: npx sesguard iac <your templates>    npx sesguard evaluate fixtures/demo/org-snapshot.json --html org.html    npx sesguard checks\n');
    }
    printErrors(iac, io, false);
    return iac.errors.length + org.errors.length + trail.errors.length > 0 ? 2 : 0;
  },
});
