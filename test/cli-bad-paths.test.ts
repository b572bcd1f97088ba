// Paths a user gets wrong (SPEC §11): a directory that holds nothing to scan, an output that cannot be written.
// Each is one line on stderr naming the path, exit 2, no stack trace — and nothing else is lost: the other
// inputs are still scanned and the other outputs still written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

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

function stderrLines(stderr: string): string[] {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/internal error/);
  return stderr.trim().split('\n');
}

describe('iac on a directory with nothing to scan', () => {
  it.each([
    ['an empty directory', {}, 'infra', /^sesguard: infra: nothing to scan: no CloudFormation template, CDK output, Terraform source or plan in this directory$/],
    ['only files that are not IaC', { 'infra/package.json': '{"name":"x"}', 'infra/.github/workflows/ci.yml': 'on: push\n', 'infra/README.md': '# x' }, 'infra', /^sesguard: infra: nothing to scan: .* \(2 YAML\/JSON files skipped as neither\)$/],
    ['the working directory itself', { 'notes.txt': 'x' }, '.', /^sesguard: \.: nothing to scan/],
  ])('%s: exit 2, one line naming it', async (_name, files, given, line) => {
    const dir = tempDir(files);
    mkdirSync(path.join(dir, 'infra'), { recursive: true });
    const r = await cli(['iac', given, '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([expect.stringMatching(line)]);
  });

  it('the other paths are still scanned and reported', async () => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN, 'cdk.out/manifest.txt': 'not synthesized yet' });
    const r = await cli(['iac', 'stack.yaml', 'cdk.out', '--format', 'json'], dir);
    expect(r.code).toBe(2);
    const results = JSON.parse(r.stdout);
    expect(results.findings.map((f: { checkId: string }) => f.checkId)).toEqual(['SESG-NET-001']);
    expect(results.errors).toEqual([{ file: 'cdk.out', message: expect.stringMatching(/^nothing to scan/) }]);
  });

  it('a directory whose IaC files are all broken is not "nothing": the parse error is reported, once', async () => {
    const dir = tempDir({ 'infra/broken.yaml': 'Resources:\n  A: [\n' });
    const r = await cli(['iac', 'infra', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([expect.stringMatching(/^sesguard: infra\/broken\.yaml:\d+(:\d+)?: /)]);
  });

  it('a directory named twice, or inside another one named, is judged by what it holds', async () => {
    const dir = tempDir({ 'infra/stack.yaml': BAD_CFN });
    const r = await cli(['iac', '.', 'infra', '--quiet', '--fail-on', 'none'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('an output that cannot be written', () => {
  it.each([
    ['under a path that is a file', 'blocker/out.sarif', /^sesguard: blocker\/out\.sarif: cannot write \(a part of the path is a file, not a directory\)$/],
    ['onto a directory', 'adir', /^sesguard: adir: cannot write \(it is a directory\)$/],
  ])('%s: exit 2, one line naming it; the other outputs are still written', async (_name, target, line) => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN, blocker: 'a file' });
    mkdirSync(path.join(dir, 'adir'));
    const r = await cli(['iac', 'stack.yaml', '--sarif', target, '--json', 'ok.json', '--fail-on', 'none', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([expect.stringMatching(line)]);
    expect(JSON.parse(readFileSync(path.join(dir, 'ok.json'), 'utf8')).findings).toHaveLength(1);
    expect(readFileSync(path.join(dir, 'blocker'), 'utf8')).toBe('a file');
  });

  it('an evidence bundle that cannot be written', async () => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN, blocker: 'a file' });
    const r = await cli(['iac', 'stack.yaml', '--evidence', 'blocker/bundle', '--json', 'ok.json', '--fail-on', 'none', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual(['sesguard: blocker/bundle: cannot write (a part of the path is a file, not a directory)']);
    expect(existsSync(path.join(dir, 'ok.json'))).toBe(true);
  });

  it('the demo, when sesguard-report/ cannot be made', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'sesguard-report'), 'a file');
    const r = await cli(['demo', '--quiet'], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([expect.stringMatching(/^sesguard: .*sesguard-report\/iac\.sarif: cannot write \(a part of the path is a file, not a directory\)$/)]);
  });
});

describe('a config path that is not a config file', () => {
  it.each([
    ['missing', 'nope.yaml', 'sesguard: nope.yaml: config file not found'],
    ['a directory', 'conf', 'sesguard: conf: cannot read config (it is a directory)'],
  ])('%s: exit 2, one line naming it', async (_name, given, line) => {
    const dir = tempDir({ 'stack.yaml': BAD_CFN });
    mkdirSync(path.join(dir, 'conf'));
    const r = await cli(['iac', 'stack.yaml', '--config', given], dir);
    expect(r.code).toBe(2);
    expect(stderrLines(r.stderr)).toEqual([line]);
  });
});
