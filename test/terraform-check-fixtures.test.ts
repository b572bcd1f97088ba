// Every check with source T has a passing and a failing Terraform source fixture
// (fixtures/iac/terraform/checks/<ID>/{pass,fail}/main.tf), next to the plan fixtures: read as .tf, the
// failing one fails the check, the passing one passes it (and fails nothing of it), with no error or notice.
// A fixture that needs configuration has its sesguard.yaml beside it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { celConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import { collectIac } from '../src/sources/iac.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIR = 'fixtures/iac/terraform/checks';
const CHECKS = loadChecks().filter((c) => c.sources.includes('T'));

async function outcomes(checkId: string, kind: 'pass' | 'fail'): Promise<{ kinds: string[]; errors: unknown[]; notices: string[] }> {
  const collection = await collectIac([`${DIR}/${checkId}/${kind}`], ROOT);
  const check = CHECKS.filter((c) => c.id === checkId);
  const evaluations = evaluateAll(check, { resources: collection.resources, organizationAccounts: [] }, {
    // A fixture that needs configuration (approvedDomainIdentities) carries its sesguard.yaml.
    config: celConfig(loadConfig(undefined, path.join(ROOT, DIR, checkId, kind)), new Date('2026-11-23T00:00:00Z')),
    org: [],
  });
  return { kinds: evaluations.map((e) => e.outcome.kind), errors: collection.errors, notices: collection.notices };
}

describe.each(CHECKS.map((c) => c.id))('%s', (checkId) => {
  it('has both fixtures', () => {
    expect(existsSync(path.join(ROOT, DIR, checkId, 'pass', 'main.tf'))).toBe(true);
    expect(existsSync(path.join(ROOT, DIR, checkId, 'fail', 'main.tf'))).toBe(true);
  });

  it('the failing configuration fails it', async () => {
    const { kinds, errors, notices } = await outcomes(checkId, 'fail');
    expect(errors).toEqual([]);
    expect(notices).toEqual([]);
    expect(kinds).toContain('fail');
  });

  it('the passing configuration passes it', async () => {
    const { kinds, errors, notices } = await outcomes(checkId, 'pass');
    expect(errors).toEqual([]);
    expect(notices).toEqual([]);
    expect(kinds).toContain('pass');
    expect(kinds).not.toContain('fail');
    expect(kinds).not.toContain('not-assessed');
  });
});
