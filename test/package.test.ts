// The published shape, not the repository's (issue 11): publint over package.json and the files it ships; then
// `npm pack` the package as built by `npm run build`,
// install the tarball into an empty project (dependencies from the npm cache, the registry when missing), then
// run `npx sesguard` there, import the library from a script, and type-check a TypeScript consumer against the
// shipped declarations.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { VERSION } from '../src/version.js';
import { tempDir } from './helpers.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

// Egress to the world on TCP 25: SESG-NET-001 (medium) and nothing above it.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Relay:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: mail relay
      VpcId: vpc-0123456789abcdef0
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 25
          ToPort: 25
          CidrIp: 0.0.0.0/0
`;

// The same egress in Terraform source: read through tree-sitter's WebAssembly, which must resolve from the
// installed package.
const TERRAFORM = `resource "aws_security_group" "relay" {
  name        = "mail-relay"
  description = "mail relay"
  vpc_id      = "vpc-0123456789abcdef0"

  egress {
    from_port   = 25
    to_port     = 25
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const SCRIPT = `import { runIac, render, defaultConfig, exitCodeFor, loadChecks, VERSION, ConfigError } from 'sesguard';
const results = await runIac(['template.yaml'], { config: defaultConfig(), cwd: process.cwd() });
const sarif = JSON.parse(render(results, 'sarif'));
process.stdout.write(JSON.stringify({
  version: VERSION,
  findings: results.findings.map((f) => f.checkId),
  sarifResults: sarif.runs[0].results.length,
  gate: exitCodeFor(results, 'medium', null),
  checks: loadChecks().length,
  errors: typeof ConfigError,
}));
`;

const CONSUMER = `import { runIac, render, defaultConfig, exitCodeFor, type Results, type Finding, type Severity } from 'sesguard';
const results: Results = await runIac(['template.yaml'], { config: defaultConfig(), cwd: process.cwd() });
const worst: Severity | undefined = results.findings.map((f: Finding) => f.severity)[0];
const code: 0 | 1 | 2 = exitCodeFor(results, 'high', null);
console.log(render(results, 'markdown').length, worst, code);
`;

let project = '';

function run(command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('package.json', () => {
  it('publint finds nothing, suggestions included', async () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    const { messages } = await publint({ pkgDir: PACKAGE_ROOT, level: 'suggestion' });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`)).toEqual([]);
  }, 60_000);
});

describe('the packed package, installed in an empty project', { timeout: 60_000 }, () => {
  beforeAll(() => {
    project = tempDir({ 'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }), 'template.yaml': TEMPLATE, 'tf/main.tf': TERRAFORM });
    const packs = tempDir();
    execFileSync(NPM, ['pack', '--ignore-scripts', '--pack-destination', packs], { cwd: PACKAGE_ROOT, stdio: 'pipe' });
    const tarball = path.join(packs, readdirSync(packs).find((f) => f.endsWith('.tgz')) as string);
    execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: project, stdio: 'pipe' });
  }, 600_000);

  it('npx sesguard --version', () => {
    expect(run(NPX, ['--no', '--', 'sesguard', '--version'])).toMatchObject({ code: 0, stdout: `sesguard ${VERSION}\n` });
  });
  it('npx sesguard iac gates a template', () => {
    const r = run(NPX, ['--no', '--', 'sesguard', 'iac', 'template.yaml', '--format', 'json', '--fail-on', 'medium']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { checkId: string }) => f.checkId)).toContain('SESG-NET-001');
  });
  it('npx sesguard iac reads Terraform source', () => {
    const r = run(NPX, ['--no', '--', 'sesguard', 'iac', 'tf', '--format', 'json', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results.errors).toEqual([]);
    expect(results.findings.map((f: { checkId: string }) => f.checkId)).toEqual(['SESG-NET-001']);
  });
  it('a script imports the library API', () => {
    writeFileSync(path.join(project, 'script.mjs'), SCRIPT);
    const r = run(process.execPath, ['script.mjs']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ version: VERSION, gate: 1, errors: 'function' });
    expect(out.findings).toContain('SESG-NET-001');
    expect(out.sarifResults).toBe(out.findings.length);
    expect(out.checks).toBeGreaterThan(20);
  });
  it('a TypeScript consumer type-checks against the shipped declarations (no skipLibCheck)', () => {
    writeFileSync(path.join(project, 'consumer.ts'), CONSUMER);
    const tsc = path.join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const types = path.join(PACKAGE_ROOT, 'node_modules', '@types');
    const r = run(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--typeRoots', types, '--types', 'node', 'consumer.ts']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);
  it('only the published files: no tests, sources, source maps or build tools', () => {
    const files = readdirSync(path.join(project, 'node_modules', 'sesguard'), { recursive: true }) as string[];
    expect(files.filter((f) => /(^|[/\\])(src|test)[/\\]|\.map$|dist[/\\](tools|bench|testing)[/\\]/.test(f))).toEqual([]);
    for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/bundle/main.js', 'dist/policy-catalog.json', 'dist/validators/config.schema.cjs', 'policies', 'schemas']) {
      expect(files.map((f) => f.split(path.sep).join('/'))).toContain(needed);
    }
  });
});
