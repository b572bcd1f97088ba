// action.yml itself: inputs reach the program only through `env:` (no `${{ }}` in any `run:` script), every
// input is mapped and documented, the outputs are the ones the entry writes, and the step scripts run under
// bash as the runner runs them — with hostile input values that must arrive verbatim and execute nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { runAction } from '../src/action/index.js';
import { tempDir } from './helpers.js';

const ROOT = path.resolve(__dirname, '..');
/** bash by absolute path: one test runs it with a PATH where nothing else can be found. */
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

interface Step {
  id?: string;
  name?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = YAML.parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const envName = (input: string) => `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;

describe('action.yml', () => {
  it('is a composite action: nothing built has to be committed', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.at(-1)?.run).toBe('node "$GITHUB_ACTION_PATH/dist/action/index.js"');
  });

  it('has the inputs the documentation promises', () => {
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['mode', 'paths', 'org', 'accounts', 'role-name', 'external-id', 'regions', 'config', 'fail-on', 'min-score', 'baseline', 'sarif-file', 'json-file', 'markdown-file', 'html-file', 'upload-summary']),
    );
    expect(action.inputs['fail-on'].default).toBe('high');
    for (const [name, spec] of Object.entries(action.inputs)) expect(spec.description, name).toBeTruthy();
  });

  it('no run: script contains an expression (inputs would be pasted into the shell)', () => {
    for (const step of action.runs.steps) {
      if (step.run !== undefined) expect(step.run, step.name).not.toContain('${{');
    }
  });

  it('every input reaches the program as INPUT_<NAME> through env:, and only as exactly its own value', () => {
    const step = action.runs.steps.find((s) => s.id === 'sesguard') as Step;
    const expected = Object.fromEntries(Object.keys(action.inputs).map((name) => [envName(name), `\${{ inputs.${name} }}`]));
    expect(step.env).toEqual(expected);
  });

  it('every output is read from the step that writes it, under the same name', async () => {
    for (const [name, spec] of Object.entries(action.outputs)) expect(spec.value).toBe(`\${{ steps.sesguard.outputs.${name} }}`);
    const workspace = tempDir({ 'ok.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n', out: '' });
    const env = { GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: path.join(workspace, 'out'), INPUT_MODE: 'iac', INPUT_PATHS: 'ok.yaml' };
    await runAction(env, { stdout: () => undefined, stderr: () => undefined });
    const written = [...readFileSync(env.GITHUB_OUTPUT, 'utf8').matchAll(/^([a-z-]+)<</gm)].map((m) => m[1]);
    expect(written.sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('every input and output is described in docs/github-action.md', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'github-action.md'), 'utf8');
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(doc, name).toContain(`\`${name}\``);
  });
});

describe('action.yml steps under bash, as the runner runs them', () => {
  const HOSTILE: Record<string, string> = {
    mode: 'iac',
    paths: '"; touch pwned-1 #\n$(touch pwned-2)\n`touch pwned-3`',
    'external-id': "x'; touch pwned-4; echo '",
    config: '$(touch pwned-5).yaml',
    'sarif-file': 'a.sarif; touch pwned-6',
  };

  it('hostile values arrive verbatim in the program and nothing is executed', () => {
    const workspace = tempDir();
    // A stand-in for the built entry: records the INPUT_* variables it was started with.
    const actionPath = tempDir({
      'dist/action/index.js': `require('node:fs').writeFileSync(process.env.SHIM_OUT, JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('INPUT_')))));\n`,
    });
    const shimOut = path.join(workspace, '..', `${path.basename(workspace)}-inputs.json`);
    for (const step of action.runs.steps) {
      if (step.run === undefined) continue;
      expect(step.shell).toBe('bash');
      // The runner evaluates `${{ inputs.x }}` in env: values, then hands them over as environment variables.
      const stepEnv = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => {
          const name = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(v)?.[1] as string;
          return [k, HOSTILE[name] ?? action.inputs[name].default ?? ''];
        }),
      );
      const script = path.join(workspace, '..', `${path.basename(workspace)}-step.sh`);
      writeFileSync(script, step.run);
      const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: workspace,
        env: { PATH: process.env.PATH, GITHUB_ACTION_PATH: actionPath, GITHUB_WORKSPACE: workspace, SHIM_OUT: shimOut, ...stepEnv },
        encoding: 'utf8',
      });
      expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
    }
    const seen = JSON.parse(readFileSync(shimOut, 'utf8'));
    for (const [name, value] of Object.entries(HOSTILE)) expect(seen[envName(name)]).toBe(value);
    for (let i = 1; i <= 6; i++) {
      expect(existsSync(path.join(workspace, `pwned-${i}`))).toBe(false);
      expect(existsSync(path.join(actionPath, `pwned-${i}`))).toBe(false);
    }
  });

  it('the install step builds only when the entry is missing', () => {
    const step = action.runs.steps.find((s) => s.name === 'Install sesguard') as Step;
    const actionPath = tempDir();
    mkdirSync(path.join(actionPath, 'dist', 'action'), { recursive: true });
    writeFileSync(path.join(actionPath, 'dist', 'action', 'index.js'), '');
    // With the entry present, npm is never called (a PATH without npm would fail the step otherwise).
    const r = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string], {
      env: { PATH: '/nonexistent', GITHUB_ACTION_PATH: actionPath },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const missing = spawnSync(BASH, ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string], {
      env: { PATH: '/nonexistent', GITHUB_ACTION_PATH: tempDir() },
      encoding: 'utf8',
    });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/npm: (command )?not found/);
  });
});

describe('docs/workflows', () => {
  interface Job {
    permissions?: Record<string, string>;
    needs?: string | string[];
    strategy?: { matrix: Record<string, unknown[]> };
    steps: (Step & { with?: Record<string, unknown>; if?: string })[];
  }
  interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
  }
  const read = (name: string) => YAML.parse(readFileSync(path.join(ROOT, 'docs', 'workflows', name), 'utf8')) as Workflow;
  const files = ['org-scan.yml', 'pr-iac-gate.yml'];

  for (const file of files) {
    describe(file, () => {
      const wf = read(file);
      it('grants nothing at the top and least privilege per job; no expression inside run:', () => {
        expect(wf.permissions).toEqual({});
        for (const [name, job] of Object.entries(wf.jobs)) {
          expect(job.permissions, name).toBeDefined();
          for (const value of Object.values(job.permissions ?? {})) expect(['read', 'write']).toContain(value);
          for (const step of job.steps) if (step.run) expect(step.run, `${name}: ${step.name}`).not.toContain('${{');
        }
      });
      it('passes the sesguard action only inputs it has', () => {
        const uses = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('sesguard/sesguard@'));
        expect(uses.length).toBeGreaterThan(0);
        for (const step of uses) for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
      });
      it('uploads SARIF with its own category, whatever the gate decided', () => {
        const upload = Object.values(wf.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
        expect(upload?.with?.category).toBe(file === 'org-scan.yml' ? 'sesguard-org-scan' : 'sesguard-iac');
        expect(upload?.if).toMatch(/always\(\)/);
      });
    });
  }

  it('org-scan: OIDC in the scan jobs, a shard matrix joined by a merge job that gates', () => {
    const wf = read('org-scan.yml');
    expect(Object.keys(wf.on)).toContain('schedule');
    const scan = wf.jobs.scan;
    expect(scan.permissions).toMatchObject({ 'id-token': 'write' });
    expect(scan.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with).toHaveProperty('role-to-assume');
    const shards = scan.strategy?.matrix.shard as number[];
    const step = scan.steps.find((s) => s.uses?.startsWith('sesguard/sesguard@'));
    expect(step?.with).toMatchObject({ mode: 'scan', org: true, shard: '${{ matrix.shard }}/4', 'fail-on': 'none' });
    expect(shards).toEqual([1, 2, 3, 4]);
    const merge = wf.jobs.merge;
    expect(merge.needs).toBe('scan');
    expect(merge.permissions).toMatchObject({ 'security-events': 'write' });
    expect(merge.permissions).not.toHaveProperty('id-token');
    const gate = merge.steps.find((s) => s.uses?.startsWith('sesguard/sesguard@'));
    expect(gate?.with).toMatchObject({ mode: 'merge', 'fail-on': 'high' });
    expect(String(gate?.with?.paths).trim().split('\n')).toHaveLength(shards.length);
    expect(gate?.with?.baseline).toBeTruthy();
  });

  it('pr-iac-gate: on pull requests, iac mode with a baseline from the default branch, fail on new high', () => {
    const wf = read('pr-iac-gate.yml');
    expect(Object.keys(wf.on)).toContain('pull_request');
    const steps = wf.jobs.iac.steps;
    expect(steps.some((s) => /cdk synth/.test(s.run ?? ''))).toBe(true);
    // Terraform source is gated as it is: no plan step, no cloud credentials.
    expect(steps.some((s) => /terraform/.test(s.run ?? '') || /setup-terraform|configure-aws-credentials/.test(s.uses ?? ''))).toBe(false);
    expect(wf.jobs.iac.permissions).not.toHaveProperty('id-token');
    const gate = steps.find((s) => s.uses?.startsWith('sesguard/sesguard@'));
    expect(gate?.with).toMatchObject({ mode: 'iac', 'fail-on': 'high' });
    expect(String(gate?.with?.paths).trim().split('\n')).toEqual(['cdk.out', 'infra']);
    expect(gate?.with?.baseline).toMatch(/steps\.baseline\.outputs\.file/);
    const keep = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(keep?.if).toMatch(/github\.event_name == 'push'/);
  });
});
