// The pre-commit hook (.pre-commit-hooks.yaml): its declaration, and what its command does in a repository
// that mixes templates with files that are not IaC.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { tempDir } from './helpers.js';

interface Hook {
  id: string;
  entry: string;
  args?: string[];
  language: string;
  pass_filenames?: boolean;
  files: string;
  exclude?: string;
}

const hooks = YAML.parse(readFileSync(path.join(PACKAGE_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const hook = hooks.find((h) => h.id === 'sesguard-iac') as Hook;
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

const BAD = readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'iac', 'cloudformation', 'bad-mail-stack.yaml'), 'utf8');
const GOOD = readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'iac', 'cloudformation', 'good-mail-stack.yaml'), 'utf8');
const NOT_IAC = {
  'package.json': '{ "name": "app", "version": "1.0.0" }\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
  'docs/openapi.json': '{ "openapi": "3.1.0", "info": { "title": "x", "version": "1" }, "paths": {} }\n',
};

/** The hook's command as pre-commit runs it: entry, then args, in the repository root (the bin from this package). */
function runHook(cwd: string) {
  const [command, ...entryArgs] = hook.entry.split(' ');
  const bin = path.join(PACKAGE_ROOT, pkg.bin[command]);
  return spawnSync(process.execPath, [bin, ...entryArgs, ...(hook.args ?? [])], { cwd, encoding: 'utf8' });
}

describe('pre-commit hook sesguard-iac', () => {
  it('is a node hook running this package’s command over the repository, not over the changed files', () => {
    expect(hook).toMatchObject({ language: 'node', pass_filenames: false, args: ['.'] });
    expect(Object.keys(pkg.bin)).toContain(hook.entry.split(' ')[0]);
    const files = new RegExp(hook.files);
    for (const f of ['stack.yaml', 'stack.yml', 'stack.json', 'stack.template', 'main.tf', 'prod.tfvars']) expect(f).toMatch(files);
    for (const f of ['app.ts', 'README.md']) expect(f).not.toMatch(files);
    expect('node_modules/x/stack.yaml').toMatch(new RegExp(hook.exclude as string));
  });
  it('fails the commit on a finding at or above high, naming the template; files that are not IaC are skipped', () => {
    const r = runHook(tempDir({ ...NOT_IAC, 'infra/mail.yaml': BAD }));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/infra\/mail\.yaml/);
    expect(r.stderr).toBe('');
  });
  it('passes a repository whose templates are clean', () => {
    const r = runHook(tempDir({ ...NOT_IAC, 'infra/mail.yaml': GOOD }));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
