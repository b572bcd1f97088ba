// The GitHub Action entry (src/action) under a simulated runner: INPUT_* variables, temporary files for
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, a workspace holding the IaC fixtures. Checks outputs, the summary,
// exit codes, and that hostile inputs stay data: never run by a shell, never forging outputs or commands.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/action/index.js';
import { boundSummary, formatOutput, STEP_SUMMARY_LIMIT } from '../src/action/github.js';
import { buildArgv, readInputs } from '../src/action/inputs.js';
import { verifyEvidenceBundle } from '../src/evidence/index.js';
import { tempDir } from './helpers.js';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'iac', 'cloudformation');
const NOW = new Date('2026-11-23T12:00:00Z');

interface Runner {
  workspace: string;
  outputFile: string;
  summaryFile: string;
  env: Record<string, string>;
}

/** A workspace with a bad and a good stack, and the files the runner hands to a step. */
function runner(inputs: Record<string, string>): Runner {
  const workspace = tempDir({
    'infra/bad-mail-stack.yaml': readFileSync(path.join(FIXTURES, 'bad-mail-stack.yaml')),
    'infra/good-mail-stack.yaml': readFileSync(path.join(FIXTURES, 'good-mail-stack.yaml')),
    'runner/output': '',
    'runner/summary': '',
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(workspace, 'runner/output'),
    GITHUB_STEP_SUMMARY: path.join(workspace, 'runner/summary'),
    RUNNER_TEMP: path.join(workspace, 'runner'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  return { workspace, outputFile: env.GITHUB_OUTPUT, summaryFile: env.GITHUB_STEP_SUMMARY, env };
}

/** Parses `$GITHUB_OUTPUT` the way the runner does: `name=value` lines and `name<<DELIM … DELIM` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      if (i >= lines.length) throw new Error(`unterminated output ${heredoc[1]}`);
      out[heredoc[1]] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

async function act(r: Runner): Promise<{ code: number; stdout: string; stderr: string; outputs: Record<string, string>; summary: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAction(r.env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), now: () => NOW });
  return { code, stdout, stderr, outputs: parseOutputs(readFileSync(r.outputFile, 'utf8')), summary: readFileSync(r.summaryFile, 'utf8') };
}

describe('action: iac mode on the fixtures', () => {
  it('a stack with high findings: exit 1, outputs, SARIF and a job summary', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'json-file': 'out/results.json' });
    const { code, outputs, summary, stdout } = await act(r);
    expect(code).toBe(1);
    const results = JSON.parse(readFileSync(path.join(r.workspace, 'out/results.json'), 'utf8'));
    const open = results.findings.filter((f: { suppressed: unknown }) => !f.suppressed).length;
    expect(open).toBeGreaterThan(0);
    expect(outputs).toEqual({
      score: String(results.score.overall),
      findings: String(open),
      'new-findings': String(open),
      'sarif-file': 'sesguard.sarif',
      'json-file': 'out/results.json',
      'exit-code': '1',
    });
    const sarif = JSON.parse(readFileSync(path.join(r.workspace, 'sesguard.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(results.findings.length);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('infra/bad-mail-stack.yaml');
    expect(summary).toMatch(/^#/);
    expect(summary).toContain('SESG-');
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    // The CLI's text report goes to the log; the failure is annotated once the commands are resumed.
    expect(stdout).toContain('bad-mail-stack.yaml');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^::error title=sesguard iac::the run found findings at or above high$/);
  });

  it('a hardened stack: exit 0, no findings, score 100', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/good-mail-stack.yaml' });
    const { code, outputs, summary, stdout } = await act(r);
    expect(code).toBe(0);
    expect(outputs).toMatchObject({ score: '100', findings: '0', 'sarif-file': 'sesguard.sarif', 'exit-code': '0' });
    expect(outputs['json-file']).toMatch(/sesguard-results-.*\.json$/);
    expect(existsSync(outputs['json-file'])).toBe(true);
    expect(summary).toContain('100');
    expect(stdout).not.toContain('::error');
  });

  it('fail-on none passes the same bad stack; min-score fails it again', async () => {
    expect((await act(runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'fail-on': 'none' }))).code).toBe(0);
    expect((await act(runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'fail-on': 'none', 'min-score': '99' }))).code).toBe(1);
  });

  it('several paths, one per line, and the extra report files', async () => {
    const r = runner({
      mode: 'iac',
      paths: 'infra/bad-mail-stack.yaml\n  infra/good-mail-stack.yaml  \n\n',
      'markdown-file': 'reports/summary.md',
      'html-file': 'reports/report.html',
      'sarif-file': 'reports/iac.sarif',
    });
    const { outputs } = await act(r);
    expect(outputs['sarif-file']).toBe('reports/iac.sarif');
    const results = JSON.parse(readFileSync(outputs['json-file'], 'utf8'));
    expect(results.inputs.files.map((f: { file: string }) => f.file).sort()).toEqual(['infra/bad-mail-stack.yaml', 'infra/good-mail-stack.yaml']);
    expect(existsSync(path.join(r.workspace, 'reports/iac.sarif'))).toBe(true);
    expect(readFileSync(path.join(r.workspace, 'reports/summary.md'), 'utf8')).toContain('SESG-');
    expect(readFileSync(path.join(r.workspace, 'reports/report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('upload-summary false leaves the job summary alone', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/good-mail-stack.yaml', 'upload-summary': 'false' });
    expect((await act(r)).summary).toBe('');
  });

  it('a results file left by an earlier step is not reported as this run', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/nowhere.yaml', 'json-file': 'stale.json' });
    writeFileSync(path.join(r.workspace, 'stale.json'), readFileSync(path.resolve(__dirname, '..', 'fixtures/results/iac-results.json')));
    const { code, outputs } = await act(r);
    expect(code).toBe(2);
    // The stale file holds 10 findings; this run, on a missing file, has none.
    expect(outputs.findings === '' || outputs.findings === '0').toBe(true);
    expect(outputs['exit-code']).toBe('2');
    const written = existsSync(path.join(r.workspace, 'stale.json')) ? readFileSync(path.join(r.workspace, 'stale.json'), 'utf8') : '';
    expect(written).not.toContain('infra/plan.json');
  });
});

describe('action: baseline and evidence', () => {
  it('against its own earlier results nothing is new: the gate passes, SARIF says unchanged', async () => {
    const first = runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'json-file': 'base.json' });
    expect((await act(first)).code).toBe(1);
    const again = { ...first, env: { ...first.env, INPUT_BASELINE: 'base.json', INPUT_JSON_FILE: 'now.json' } };
    writeFileSync(again.outputFile, '');
    writeFileSync(again.summaryFile, '');
    const { code, outputs, summary } = await act(again);
    expect(code).toBe(0);
    expect(Number(outputs.findings)).toBeGreaterThan(0);
    expect(outputs['new-findings']).toBe('0');
    const sarif = JSON.parse(readFileSync(path.join(first.workspace, 'sesguard.sarif'), 'utf8'));
    expect(new Set(sarif.runs[0].results.map((x: { baselineState?: string }) => x.baselineState))).toEqual(new Set(['unchanged']));
    expect(summary).toMatch(/Trend against the baseline[\s\S]*\| 0 \| \d+ \| 0 \|/);
  });

  it('against a cleaner baseline every open finding is new and the gate fails', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/good-mail-stack.yaml', 'json-file': 'base.json' });
    expect((await act(r)).code).toBe(0);
    // The same file name now holds the bad stack: its findings are new against the clean baseline.
    writeFileSync(path.join(r.workspace, 'infra/good-mail-stack.yaml'), readFileSync(path.join(r.workspace, 'infra/bad-mail-stack.yaml')));
    writeFileSync(r.outputFile, '');
    const { code, outputs } = await act({ ...r, env: { ...r.env, INPUT_BASELINE: 'base.json', INPUT_JSON_FILE: 'now.json' } });
    expect(code).toBe(1);
    expect(outputs['new-findings']).toBe(outputs.findings);
    expect(Number(outputs.findings)).toBeGreaterThan(0);
  });

  it('a baseline that is not a results JSON: exit 2', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/good-mail-stack.yaml', baseline: 'infra/bad-mail-stack.yaml' });
    const { code, stderr } = await act(r);
    expect(code).toBe(2);
    expect(stderr).toMatch(/infra\/bad-mail-stack\.yaml: baseline is not valid JSON/);
  });

  it('evidence-dir writes a bundle that verifies', async () => {
    const r = runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'evidence-dir': 'evidence' });
    await act(r);
    const dir = path.join(r.workspace, 'evidence');
    expect(verifyEvidenceBundle(dir)).toEqual({ ok: true, problems: [] });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.command).toEqual(expect.arrayContaining(['iac', '--evidence', 'evidence']));
  });
});

describe('action: merge mode joins scan shards and gates on the whole', () => {
  it('two shard results → one SARIF, outputs over both', async () => {
    const shard = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'fixtures/results/scan-results.json'), 'utf8'));
    const accounts = Object.keys(shard.score.byAccount);
    expect(accounts.length).toBeGreaterThan(1);
    // Split the fixture by account, as two matrix jobs would have written it.
    // (The fixture records an account it could not enter; these two shards entered theirs.)
    const part = (keep: readonly string[]) => ({
      ...shard,
      errors: [],
      incomplete: false,
      findings: shard.findings.filter((f: { resource: { account?: string } }) => keep.includes(f.resource.account ?? '')),
      score: { ...shard.score, byAccount: Object.fromEntries(Object.entries(shard.score.byAccount).filter(([a]) => keep.includes(a))) },
    });
    const r = runner({ mode: 'merge', paths: 'shards/1.json\nshards/2.json', 'fail-on': 'none' });
    const [first, ...rest] = accounts;
    for (const [name, keep] of [['1', [first]], ['2', rest]] as const) {
      const file = path.join(r.workspace, 'shards', `${name}.json`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(part(keep)));
    }
    const { code, outputs } = await act(r);
    expect(code).toBe(0);
    const inAccounts = shard.findings.filter((f: { suppressed: unknown; resource: { account?: string } }) => !f.suppressed && accounts.includes(f.resource.account ?? ''));
    expect(outputs.findings).toBe(String(inAccounts.length));
    const merged = JSON.parse(readFileSync(outputs['json-file'], 'utf8'));
    expect(Object.keys(merged.score.byAccount).sort()).toEqual([...accounts].sort());
  });
});

describe('action: bad inputs end the step with exit 2 and one clear message', () => {
  const cases: { name: string; inputs: Record<string, string>; message: RegExp }[] = [
    { name: 'no mode', inputs: { paths: 'infra' }, message: /input mode is required/ },
    { name: 'an unknown mode', inputs: { mode: 'audit' }, message: /input mode must be one of iac, scan, trail, merge \(got "audit"\)/ },
    { name: 'iac without paths', inputs: { mode: 'iac' }, message: /mode iac needs paths/ },
    { name: 'scan with paths', inputs: { mode: 'scan', paths: 'infra' }, message: /leave paths empty/ },
    { name: 'org in iac mode', inputs: { mode: 'iac', paths: 'infra', org: 'true' }, message: /apply to mode scan only/ },
    { name: 'a boolean that is not one', inputs: { mode: 'scan', org: 'yes' }, message: /input org must be true or false/ },
    { name: 'a bad fail-on', inputs: { mode: 'iac', paths: 'infra', 'fail-on': 'severe' }, message: /input fail-on must be one of/ },
    { name: 'trail with neither paths nor lookup', inputs: { mode: 'trail' }, message: /mode trail needs paths/ },
    { name: 'merge without paths', inputs: { mode: 'merge' }, message: /mode merge needs paths/ },
    { name: 'shard outside scan', inputs: { mode: 'merge', paths: 'a.json', shard: '1/2' }, message: /apply to mode scan only/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = runner(c.inputs);
      const { code, stderr, outputs, stdout } = await act(r);
      expect(code).toBe(2);
      expect(stderr).toMatch(c.message);
      expect(outputs['exit-code']).toBe('2');
      expect(stdout).toMatch(/::error title=sesguard::/);
    });
  }
  it('a bad value the CLI rejects (min-score) is exit 2 too', async () => {
    const { code, stderr } = await act(runner({ mode: 'iac', paths: 'infra', 'min-score': 'lots' }));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--min-score must be a number/);
  });
});

describe('action: hostile inputs are data', () => {
  const HOSTILE = ['"; touch pwned-quote #', '$(touch pwned-subst)', '`touch pwned-backtick`', "'; touch pwned-single; '", '--config=/etc/passwd'];

  it('shell syntax in paths is passed to sesguard as file names, never executed', async () => {
    const r = runner({ mode: 'iac', paths: HOSTILE.join('\n') });
    const { code, stderr } = await act(r);
    expect(code).toBe(2); // none of these files exists
    for (const name of ['pwned-quote', 'pwned-subst', 'pwned-backtick', 'pwned-single']) expect(existsSync(path.join(r.workspace, name))).toBe(false);
    // Each one reached sesguard verbatim, as a path (after `--`, so not even an option).
    for (const p of HOSTILE) expect(stderr).toContain(`sesguard: ${p}: `);
  });

  it('buildArgv keeps each path one argv element after --', () => {
    const inputs = readInputs({ INPUT_MODE: 'iac', INPUT_PATHS: HOSTILE.join('\n') });
    const argv = buildArgv(inputs, '/tmp/r.json');
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual(HOSTILE);
    expect(argv).not.toContain('--config');
  });

  it('a value with newlines cannot forge another output', async () => {
    const sarif = 'evil.sarif\nscore=100\nfindings=0';
    const r = runner({ mode: 'iac', paths: 'infra/bad-mail-stack.yaml', 'sarif-file': sarif });
    const { outputs } = await act(r);
    expect(outputs['sarif-file']).toBe(sarif);
    expect(outputs.findings).not.toBe('0');
    expect(outputs.score).not.toBe('100');
  });

  it('workflow commands in file names are not read by the runner: commands are stopped while sesguard runs', async () => {
    const r = runner({ mode: 'iac', paths: 'x\n::add-mask::secret\n::set-env name=NODE_OPTIONS::--require=/tmp/evil.js' });
    const { stdout, stderr } = await act(r);
    const token = /^::stop-commands::([0-9a-f-]{36})$/m.exec(stdout)?.[1];
    expect(stdout.startsWith(`::stop-commands::${token}\n`)).toBe(true);
    const resumeAt = stdout.indexOf(`::${token}::`);
    expect(resumeAt).toBeGreaterThan(0);
    // Everything echoing the hostile input comes before the resume line (stderr is written during the run).
    expect(stdout.slice(resumeAt)).not.toContain('add-mask');
    expect(stderr).toContain('::add-mask::secret');
  });

  it('the external id is redacted from the logged command line', async () => {
    const r = runner({ mode: 'trail', paths: 'logs', 'external-id': 'Sup3rSecret' });
    const { stdout, stderr } = await act(r);
    expect(stderr).toMatch(/apply to mode scan only/);
    expect(stdout).not.toContain('Sup3rSecret');
    const argv = buildArgv(readInputs({ INPUT_MODE: 'scan', INPUT_EXTERNAL_ID: 'Sup3rSecret', INPUT_ORG: 'true' }), 'r.json');
    expect(argv).toEqual(expect.arrayContaining(['--org', '--external-id', 'Sup3rSecret']));
  });
});

describe('action: argv for each mode', () => {
  const cases: { name: string; env: Record<string, string>; argv: string[] }[] = [
    {
      name: 'iac with a baseline',
      env: { INPUT_MODE: 'iac', INPUT_PATHS: 'cdk.out', INPUT_BASELINE: 'base.json' },
      argv: ['iac', '--fail-on', 'high', '--baseline', 'base.json', '--sarif', 'sesguard.sarif', '--json', 'r.json', '--no-progress', '--', 'cdk.out'],
    },
    {
      name: 'scan of the Organization',
      env: { INPUT_MODE: 'scan', INPUT_ORG: 'true', 'INPUT_ROLE-NAME': 'Audit', INPUT_REGIONS: 'eu-west-1,us-east-1', INPUT_FAIL_ON: 'critical' },
      argv: ['scan', '--org', '--role-name', 'Audit', '--regions', 'eu-west-1,us-east-1', '--fail-on', 'critical', '--sarif', 'sesguard.sarif', '--json', 'r.json', '--no-progress'],
    },
    {
      name: 'one shard of an Organization scan',
      env: { INPUT_MODE: 'scan', INPUT_ORG: 'true', INPUT_SHARD: '2/4', INPUT_EXTERNAL_ID: 'x-1', 'INPUT_FAIL-ON': 'none', INPUT_UPLOAD_SUMMARY: 'false' },
      argv: ['scan', '--org', '--external-id', 'x-1', '--shard', '2/4', '--fail-on', 'none', '--sarif', 'sesguard.sarif', '--json', 'r.json', '--no-progress'],
    },
    {
      name: 'merge of shard results',
      env: { INPUT_MODE: 'merge', INPUT_PATHS: 'shards/1.json\nshards/2.json', INPUT_BASELINE: 'previous.json' },
      argv: ['merge', '--fail-on', 'high', '--baseline', 'previous.json', '--sarif', 'sesguard.sarif', '--json', 'r.json', '--no-progress', '--', 'shards/1.json', 'shards/2.json'],
    },
    {
      name: 'trail lookup',
      env: { INPUT_MODE: 'trail', INPUT_LOOKUP: 'TRUE', INPUT_SINCE: '48h', INPUT_REGIONS: 'all' },
      argv: ['trail', '--regions', 'all', '--lookup', '--since', '48h', '--fail-on', 'high', '--sarif', 'sesguard.sarif', '--json', 'r.json', '--no-progress'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => expect(buildArgv(readInputs(c.env), 'r.json')).toEqual(c.argv));
  }
});

describe('runner file protocols', () => {
  it('an output value holding the delimiter is refused', () => {
    expect(() => formatOutput('x', 'a\nDELIM\nb', 'DELIM')).toThrow(/delimiter/);
    expect(formatOutput('x', 'a\nb', 'DELIM')).toBe('x<<DELIM\na\nb\nDELIM\n');
  });
  it('a summary over the limit is cut on a character boundary and says so', () => {
    const text = `# big\n${'é'.repeat(600_000)}`;
    const bounded = boundSummary(text);
    expect(Buffer.byteLength(bounded)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    expect(bounded).not.toContain('\uFFFD');
    expect(bounded).toMatch(/Summary cut at the 1 MiB/);
    expect(boundSummary('small')).toBe('small');
  });
});
