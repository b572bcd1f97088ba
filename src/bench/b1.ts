// Benchmark B1 (SPEC §10): `sesguard iac` on a generated 10,000-resource CloudFormation template,
// as a ratio to merely parsing the file with `yaml`, plus resources evaluated per second.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { defaultConfig } from '../config/types.js';
import { PACKAGE_ROOT } from '../paths.js';
import { checksFor, checksForSources } from '../checks.js';
import { runIac } from '../run.js';
import { collectIac } from '../sources/iac.js';
import { evaluateAll } from '../engine/evaluate.js';
import { celConfig } from '../config/types.js';
import { generateTemplate } from './generate-template.js';
import { median, timed, timedAsync } from './measure.js';

export async function benchB1(runs = 3): Promise<Record<string, number | string>> {
  const dir = path.join(PACKAGE_ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'b1-template.yaml');
  const text = generateTemplate(10_000);
  writeFileSync(file, text);

  const parse = median(Array.from({ length: runs }, () => timed(() => YAML.parse(text, { logLevel: 'silent' }))));
  const cli = median(
    Array.from({ length: runs }, () =>
      timed(() => {
        const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'sesguard.js'), 'iac', file, '--quiet', '--fail-on', 'none'], {
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(`sesguard iac exited ${r.status}: ${r.stderr.split('\n')[0]}`);
      }),
    ),
  );
  let resources = 0;
  const inProcessRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    inProcessRuns.push(
      await timedAsync(async () => {
        const results = await runIac([file], { config: defaultConfig(), cwd: dir });
        resources = results.inputs.resourceCount ?? 0;
      }),
    );
  }
  const inProcess = median(inProcessRuns);
  // Evaluation alone (the engine's share): every C check on the already-parsed inventory.
  const config = defaultConfig();
  const inventory = { resources: (await collectIac([file], dir)).resources, organizationAccounts: [] };
  const checks = checksForSources(checksFor(config), ['C']);
  let pairs = 0;
  const evaluation = median(
    Array.from({ length: runs }, () =>
      timed(() => {
        pairs = evaluateAll(checks, inventory, { config: celConfig(config, new Date()), org: [] }).length;
      }),
    ),
  );
  return {
    bytes: text.length,
    'yaml parse ms': Math.round(parse),
    'sesguard iac (CLI) ms': Math.round(cli),
    'ratio CLI / parse (target ≤ 3)': Number((cli / parse).toFixed(2)),
    'in-process iac ms': Math.round(inProcess),
    'resources/s end to end (in-process)': Math.round(resources / (inProcess / 1000)),
    'evaluation only ms': Math.round(evaluation),
    'resources/s evaluated (target ≥ 25,000)': Math.round(inventory.resources.length / (evaluation / 1000)),
    '(check, resource) pairs/s evaluated': Math.round(pairs / (evaluation / 1000)),
  };
}
