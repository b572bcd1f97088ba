// `sesguard iac` end to end through the CLI entry: walking, recognition by content, exit codes, outputs,
// and the bad inputs of SPEC §11 (IaC part): one line naming the file, exit 2, the other files still scanned.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDetections } from '../src/detections/index.js';
import { loadChecks } from '../src/engine/load.js';
import { MAX_TEMPLATE_BYTES } from '../src/sources/iac.js';
import { cli, tempDir } from './helpers.js';

const GOOD_CFN = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Egress443:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
`;

const BAD_CFN = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Relay:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: relay
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 25
          ToPort: 25
          CidrIp: 0.0.0.0/0
`;

function expectOneLineErrors(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^sesguard: /);
}

describe('sesguard iac: gate behaviour', () => {
  it('a well-configured template: exit 0, score 100', async () => {
    const dir = tempDir({ 'good.yaml': GOOD_CFN });
    const r = await cli(['iac', 'good.yaml', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.findings).toEqual([]);
    expect(results.score.overall).toBe(100);
  });
  it('a violation at or above --fail-on: exit 1, finding at the right file and line', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'medium'], dir);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout);
    const f = results.findings.find((x: { checkId: string }) => x.checkId === 'SESG-NET-001');
    expect(f.resource).toMatchObject({ file: 'bad.yaml', logicalId: 'Relay' });
    expect(f.resource.line).toBeGreaterThanOrEqual(3);
  });
  it('--fail-on none never fails on findings; --min-score does', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    expect((await cli(['iac', 'bad.yaml', '--fail-on', 'none', '--quiet'], dir)).code).toBe(0);
    expect((await cli(['iac', 'bad.yaml', '--fail-on', 'none', '--min-score', '99', '--quiet'], dir)).code).toBe(1);
  });
  it('writes SARIF, JSON and Markdown in one run', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    await cli(['iac', 'bad.yaml', '--sarif', 'out/r.sarif', '--json', 'out/r.json', '--markdown', 'out/r.md', '--quiet'], dir);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out/r.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(path.join(dir, 'out/r.json'), 'utf8')).schemaVersion).toBe(1);
    expect(readFileSync(path.join(dir, 'out/r.md'), 'utf8')).toMatch(/SESG-NET-001/);
  });
  it('config suppressions suppress; expired ones stop suppressing and say so', async () => {
    const config = (expires: string) =>
      `suppressions:\n  - check: SESG-NET-001\n    resource: "bad.yaml#Relay"\n    reason: "approved relay SEC-1"\n    expires: ${expires}\n`;
    const live = tempDir({ 'bad.yaml': BAD_CFN, 'sesguard.yaml': config('2099-01-01') });
    const ok = await cli(['iac', 'bad.yaml', '--format', 'json', '--fail-on', 'medium'], live);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).findings[0].suppressed).toMatchObject({ source: 'config', reason: 'approved relay SEC-1' });
    const old = tempDir({ 'bad.yaml': BAD_CFN, 'sesguard.yaml': config('2020-01-01') });
    const expired = await cli(['iac', 'bad.yaml', '--format', 'json', '--fail-on', 'medium'], old);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/suppression of SESG-NET-001 for bad\.yaml#Relay expired on 2020-01-01/);
  });
  it('walking a repository: non-IaC files are skipped and counted, node_modules and .git not entered', async () => {
    const dir = tempDir({
      'infra/stack.yaml': GOOD_CFN,
      'package.json': '{"name":"x","version":"1.0.0"}',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'node_modules/pkg/broken.yaml': 'a: [',
      '.git/config.json': '{',
      'README.md': '# readme',
    });
    const r = await cli(['iac', '.', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.inputs.files).toEqual([{ file: 'infra/stack.yaml', kind: 'cloudformation' }]);
    expect(results.inputs.skipped).toEqual(expect.arrayContaining(['package.json']));
    expect(results.errors).toEqual([]);
  });
  it('recognises a template by content whatever its extension when named', async () => {
    const dir = tempDir({ 'stack.cfn.txt': GOOD_CFN });
    const r = await cli(['iac', 'stack.cfn.txt', '--format', 'json'], dir);
    expect(JSON.parse(r.stdout).inputs.files).toEqual([{ file: 'stack.cfn.txt', kind: 'cloudformation' }]);
  });
});

describe('sesguard iac: bad input (SPEC §11)', () => {
  const cases: [string, Record<string, string | Buffer>, RegExp][] = [
    ['malformed YAML', { 'broken.yaml': 'Resources:\n  A:\n    Type: [unclosed\n' }, /broken\.yaml:\d+/],
    ['malformed JSON', { 'broken.json': '{"Resources": {"A": }' }, /broken\.json:1:\d+: not valid JSON/],
    ['a YAML alias bomb', { 'bomb.yaml': 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nResources: *h\n' }, /bomb\.yaml/],
    ['binary junk', { 'junk.json': Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x00, 0x01]) }, /junk\.json: not a text file/],
    ['Resources that is not a map', { 'list.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - a\n  - b\n' }, /list\.yaml:\d+.*Resources/],
    [
      'a Fn::ForEach CloudFormation would reject',
      { 'loop.yaml': 'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Groups: [G, [a, b]]\n' },
      /loop\.yaml:3:\d+: Fn::ForEach::Groups needs a list of \[identifier, collection, fragment\]/,
    ],
    ['a Terraform plan of an unknown format version', { 'plan.json': '{"format_version":"2.0","terraform_version":"2.0.0","planned_values":{}}' }, /plan\.json(:\d+)?: .*format_version "2\.0"/],
  ];
  it.each(cases)('%s: exit 2, one line naming the file, the good file still scanned', async (_name, files, message) => {
    const dir = tempDir({ ...files, 'bad-sg.yaml': BAD_CFN });
    const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expectOneLineErrors(r.stderr);
    const results = JSON.parse(r.stdout);
    expect(results.findings.some((f: { resource: { file: string } }) => f.resource.file === 'bad-sg.yaml')).toBe(true);
  });
  it('a 100 MB file is refused by its size, before any parsing, with a clear message', async () => {
    const dir = tempDir({ 'ok.yaml': GOOD_CFN });
    writeFileSync(path.join(dir, 'huge.yaml'), Buffer.alloc(100 * 1024 * 1024, 'a'));
    const r = await cli(['iac', '.', '--quiet'], dir);
    expect(r.code).toBe(2);
    // The size limit is what refused it (the YAML parser never saw it): no timing needed (npm run bench measures speed).
    expect(r.stderr.trim()).toBe(`sesguard: huge.yaml: file is too large for a CloudFormation template (${100 * 1024 * 1024} bytes; limit ${MAX_TEMPLATE_BYTES})`);
  });
  it('a file named explicitly that is neither template nor plan is an error', async () => {
    const dir = tempDir({ 'package.json': '{"name":"x"}' });
    const r = await cli(['iac', 'package.json', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sesguard: package\.json: neither a CloudFormation template, a Terraform plan \(terraform show -json\) nor Terraform source/);
  });
  it('a missing path is an error naming it', async () => {
    const r = await cli(['iac', 'nope.yaml', '--quiet'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml: no such file or directory/);
  });
  it('a config with an unknown key: exit 2 naming the config, nothing scanned', async () => {
    const dir = tempDir({ 'ok.yaml': GOOD_CFN, 'sesguard.yaml': 'aprovedRegions: [us-east-1]\n' });
    const r = await cli(['iac', 'ok.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('sesguard: sesguard.yaml: (top level): unknown key "aprovedRegions"');
  });
  it('a custom policy that fails its schema / whose CEL does not compile: exit 2 naming the policy file', async () => {
    const dir = tempDir({
      'ok.yaml': GOOD_CFN,
      'sesguard.yaml': 'policyDirs: [./local]\n',
      'local/X-Y-1.yaml': 'id: X-Y-1\ntitle: broken\n',
    });
    const r = await cli(['iac', 'ok.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/local\/X-Y-1\.yaml: fails the check schema/);
    expectOneLineErrors(r.stderr);
  });
  it('bad flags: exit 2 with one line', async () => {
    const dir = tempDir({ 'ok.yaml': GOOD_CFN });
    for (const argv of [['iac', 'ok.yaml', '--fail-on', 'urgent'], ['iac', 'ok.yaml', '--format', 'xml'], ['iac', 'ok.yaml', '--min-score', 'abc'], ['iac'], ['frobnicate'], ['iac', '--nope', 'ok.yaml']]) {
      const r = await cli(argv, dir);
      expect(r.code).toBe(2);
      expectOneLineErrors(r.stderr);
    }
  });
  it('outputs are never left half-written', async () => {
    const dir = tempDir({ 'ok.yaml': GOOD_CFN });
    await cli(['iac', 'ok.yaml', '--json', 'r.json', '--quiet'], dir);
    expect(existsSync(path.join(dir, 'r.json'))).toBe(true);
    expect(readFileSync(path.join(dir, 'r.json'), 'utf8').trim().endsWith('}')).toBe(true);
  });
});

describe('other commands', () => {
  it('checks lists every check', async () => {
    const r = await cli(['checks'], tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SESG-NET-001\s+medium/);
  });
  it('policies test runs the built-in fixtures of checks and detections', async () => {
    const r = await cli(['policies', 'test'], tempDir());
    // Every built-in check and detection, counted from the policy folders so a new one needs no edit here.
    const count = loadChecks().length + loadDetections().length;
    expect(r.stdout).toMatch(new RegExp(`^${count} checks, \\d+ fixtures: \\d+ passed, 0 failed$`, 'm'));
    expect(count).toBeGreaterThanOrEqual(41);
    expect(r.code).toBe(0);
  });
  it('policies test on a custom directory runs its checks and reports a failing case', async () => {
    const dir = tempDir();
    const own = path.join(dir, 'mine');
    mkdirSync(own);
    copyFileSync(path.join(__dirname, '..', 'policies', 'net', 'SESG-NET-001.yaml'), path.join(own, 'SESG-NET-001.yaml'));
    expect((await cli(['policies', 'test', 'mine'], dir)).stdout).toMatch(/^1 checks, \d+ fixtures: \d+ passed, 0 failed$/m);
    const text = readFileSync(path.join(own, 'SESG-NET-001.yaml'), 'utf8').replace(/FromPort: 25|fromPort: 25/g, 'fromPort: 26');
    writeFileSync(path.join(own, 'SESG-NET-001.yaml'), text);
    const broken = await cli(['policies', 'test', 'mine'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL SESG-NET-001 /m);
  });
  it.each([
    ['an empty directory', 'empty', /^sesguard: empty: no check file \(\*\.yaml, \*\.yml\) in this directory$/],
    ['a directory that does not exist', 'nope', /^sesguard: nope: cannot read policy directory \(no such directory\)$/],
    ['a file', 'x.yaml', /^sesguard: x\.yaml: cannot read policy directory \(not a directory\)$/],
  ])('policies test on %s: exit 2, one line naming it', async (_name, given, line) => {
    const dir = tempDir({ 'x.yaml': 'a: 1\n' });
    mkdirSync(path.join(dir, 'empty'));
    const r = await cli(['policies', 'test', given], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });
  it('the errors of a live run go to stderr with their account, region and call (SPEC §11), as the text report shows them', async () => {
    const dir = tempDir();
    copyFileSync(path.join(__dirname, '..', 'fixtures', 'results', 'scan-results.json'), path.join(dir, 'scan.json'));
    const r = await cli(['report', 'scan.json', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => !l.startsWith('sesguard: note: ') && l)).toEqual(['sesguard: 777788889999 sts:AssumeRole: could not assume role SesguardAudit: AccessDenied']);
  });
  it('report re-renders a saved results file', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    await cli(['iac', 'bad.yaml', '--json', 'r.json', '--quiet'], dir);
    const r = await cli(['report', 'r.json', '--format', 'sarif', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs[0].results.length).toBeGreaterThan(0);
  });
  it('report reads results however they are laid out (compact, byte order mark), and writes the same JSON back', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    await cli(['iac', 'bad.yaml', '--json', 'r.json', '--quiet', '--fail-on', 'none'], dir);
    const saved = readFileSync(path.join(dir, 'r.json'), 'utf8');
    writeFileSync(path.join(dir, 'compact.json'), `\ufeff${JSON.stringify(JSON.parse(saved))}`);
    const r = await cli(['report', 'compact.json', '--json', 'again.json', '--quiet', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'again.json'), 'utf8')).toBe(saved);
  });
  it.each([
    ['cut short', (t: string) => t.slice(0, Math.floor(t.length / 2)), 'not a valid results JSON file'],
    ['with a trailing comma', (t: string) => t.replace(/\n}\n$/, ',\n}\n'), 'not a valid results JSON file'],
    ['an array', () => '[]', 'not a sesguard results file (schemaVersion 1 expected)'],
    ['another JSON object', () => '{"runs": []}', 'not a sesguard results file (schemaVersion 1 expected)'],
    ['empty', () => '', 'not a valid results JSON file'],
    ['YAML', () => 'schemaVersion: 1\n', 'not a valid results JSON file'],
  ])('report on a results file %s: one line naming it, exit 2', async (_name, damage, message) => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    await cli(['iac', 'bad.yaml', '--json', 'r.json', '--quiet', '--fail-on', 'none'], dir);
    writeFileSync(path.join(dir, 'r.json'), damage(readFileSync(path.join(dir, 'r.json'), 'utf8')));
    const r = await cli(['report', 'r.json', '--html', 'r.html'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`sesguard: r.json: ${message}\n`);
  });
});

describe('HTML output', () => {
  it('--html writes one self-contained report', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    const r = await cli(['iac', 'bad.yaml', '--html', 'out/report.html', '--quiet', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    const page = readFileSync(path.join(dir, 'out/report.html'), 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('SESG-NET-001');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/i);
  });
  it('report re-renders saved results as HTML', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN });
    await cli(['iac', 'bad.yaml', '--json', 'r.json', '--quiet', '--fail-on', 'none'], dir);
    const r = await cli(['report', 'r.json', '--html', 'r.html', '--quiet', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'r.html'), 'utf8')).toContain('SESG-NET-001');
  });
});

describe('--baseline', () => {
  const NEW_ROLE = `  Sender:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - { Effect: Allow, Action: "ses:*", Resource: "*" }
`;
  it('only new findings fail; old ones are unchanged even when their lines move; SARIF carries baselineState', async () => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN });
    await cli(['iac', 'stack.yaml', '--json', 'base.json', '--quiet', '--fail-on', 'none'], dir);
    // Same medium finding, moved down by a comment block: unchanged, so a medium gate passes.
    writeFileSync(path.join(dir, 'stack.yaml'), BAD_CFN.replace('Resources:\n', 'Resources:\n  # moved\n  # down\n'));
    const same = await cli(['iac', 'stack.yaml', '--baseline', 'base.json', '--format', 'sarif', '--fail-on', 'medium'], dir);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toEqual(['unchanged']);
    // A new high finding fails the gate.
    writeFileSync(path.join(dir, 'stack.yaml'), `${BAD_CFN}${NEW_ROLE}`);
    const more = await cli(['iac', 'stack.yaml', '--baseline', 'base.json', '--format', 'json', '--fail-on', 'high'], dir);
    expect(more.code).toBe(1);
    const results = JSON.parse(more.stdout);
    const states = Object.fromEntries(results.findings.map((f: { checkId: string; baselineState: string }) => [f.checkId, f.baselineState]));
    expect(states['SESG-NET-001']).toBe('unchanged');
    expect(states['SESG-IAM-001']).toBe('new');
    expect(more.stderr).toMatch(/baseline base\.json: \d+ new, 1 unchanged, 0 fixed/);
    const md = await cli(['iac', 'stack.yaml', '--baseline', 'base.json', '--format', 'markdown', '--fail-on', 'none'], dir);
    expect(md.stdout).toMatch(/## Trend against the baseline\n\n\| new \| unchanged \| fixed \|\n[^\n]+\n\| [1-9]\d* \| 1 \| 0 \|/);
  });
  it('a baseline that is not a results file: exit 2 naming it', async () => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN, 'base.json': '{"hello": 1}' });
    const r = await cli(['iac', 'stack.yaml', '--baseline', 'base.json', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sesguard: base\.json/);
  });
});

describe('--evidence and verify-bundle', () => {
  it('writes a bundle whose manifest hashes every file; verify-bundle catches a changed file', async () => {
    const dir = tempDir({ 'bad.yaml': BAD_CFN, 'sesguard.yaml': 'approvedRegions: [us-east-1]\n' });
    const r = await cli(['iac', 'bad.yaml', '--evidence', 'bundle', '--quiet', '--fail-on', 'none'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/evidence bundle written to bundle \(5 files; manifest sha256 [0-9a-f]{64}\)/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'bundle', 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(['report.html', 'results.json', 'results.sarif', 'sesguard.yaml', 'summary.md']);
    expect(manifest.command).toEqual(['sesguard', 'iac', 'bad.yaml', '--evidence', 'bundle', '--quiet', '--fail-on', 'none']);
    expect((await cli(['verify-bundle', 'bundle'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'bundle', 'summary.md'), 'edited');
    const bad = await cli(['verify-bundle', 'bundle'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/changed: summary\.md/);
  });
});
