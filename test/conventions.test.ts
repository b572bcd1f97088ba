// Conventions enforced by tests, not reviewers: one name everywhere, complete fixtures, fresh generated docs.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChecks } from '../src/engine/load.js';
import { BUILTIN_POLICY_DIR, PACKAGE_ROOT } from '../src/paths.js';
import { renderChecksDoc } from '../src/tools/checks-doc.js';
import { loadDetections } from '../src/detections/load.js';

const checks = loadChecks();
const AREAS: Record<string, string> = { IAM: 'iam', SES: 'ses', ACC: 'acc', MON: 'mon', NET: 'net', ORG: 'org' };

describe('check conventions', () => {
  it.each(checks.map((c) => [c.id, c] as const))('%s lives in policies/<area>/<id>.yaml', (id, check) => {
    const area = AREAS[id.split('-')[1]];
    expect(path.relative(BUILTIN_POLICY_DIR, check.file)).toBe(`${area}/${id}.yaml`);
  });
  it.each(checks.map((c) => [c.id, c] as const))('%s has pass, fail and not-applicable fixtures', (_id, check) => {
    expect(check.fixtures.pass.length).toBeGreaterThan(0);
    expect(check.fixtures.fail.length).toBeGreaterThan(0);
    expect(check.fixtures.notApplicable.length).toBeGreaterThan(0);
  });
  it.each(checks.map((c) => [c.id, c] as const))('%s has remediation for every source it supports', (_id, check) => {
    if (check.sources.includes('C')) expect(check.remediation.cloudformation).toBeTruthy();
    if (check.sources.includes('T')) expect(check.remediation.terraform).toBeTruthy();
    expect(check.remediation.console ?? check.remediation.cli).toBeTruthy();
  });
  it('every YAML file under policies/ is a loaded check', () => {
    const files = readdirSync(BUILTIN_POLICY_DIR, { recursive: true }).filter((f) => String(f).endsWith('.yaml') && !String(f).startsWith('det'));
    expect(files.length).toBe(checks.length);
  });
  it('docs/checks.md is fresh (run `npm run docs`)', () => {
    const onDisk = readFileSync(path.join(PACKAGE_ROOT, 'docs', 'checks.md'), 'utf8');
    expect(onDisk).toBe(renderChecksDoc(checks, loadDetections()));
  });
});
