// Licence guard: what sesguard ships (Apache-2.0) pulls in no GPL-family code. The AGPL IAM simulator
// (@cloud-copilot/iam-simulate) only cross-checks the test reference: a devDependency, never imported by src/.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';

const GPL_FAMILY = /\b(A|L)?GPL/i;
const lock = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean; license?: string }>;
};
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  files?: string[];
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('licences', () => {
  it('no runtime dependency (direct or transitive) is GPL-family', () => {
    const runtime = Object.entries(lock.packages).filter(([name, p]) => name !== '' && !p.dev && !p.devOptional);
    expect(runtime.length).toBeGreaterThan(0);
    const offending = runtime.filter(([, p]) => GPL_FAMILY.test(p.license ?? '')).map(([name, p]) => `${name} (${p.license})`);
    expect(offending).toEqual([]);
    const unlicensed = runtime.filter(([, p]) => !p.license).map(([name]) => name);
    expect(unlicensed).toEqual([]);
  });

  it('the AGPL IAM simulator is a devDependency only', () => {
    expect(manifest.dependencies).not.toHaveProperty('@cloud-copilot/iam-simulate');
    expect(manifest.devDependencies).toHaveProperty('@cloud-copilot/iam-simulate');
    expect(lock.packages['node_modules/@cloud-copilot/iam-simulate']).toMatchObject({ dev: true, license: 'AGPL-3.0-or-later' });
  });

  it('no shipped code imports it', () => {
    const shipped = ['src', 'bin'].flatMap((dir) => sourceFiles(path.join(PACKAGE_ROOT, dir)));
    expect(shipped.length).toBeGreaterThan(0);
    const importing = shipped.filter((f) => readFileSync(f, 'utf8').includes('iam-simulate')).map((f) => path.relative(PACKAGE_ROOT, f));
    expect(importing).toEqual([]);
    expect(manifest.files ?? []).not.toContain('test');
  });
});
