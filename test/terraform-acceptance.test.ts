// The shared acceptance scenario of issue #10: one configuration (a root module and a local module called
// twice, aws_iam_policy_document with source and override documents, for_each, count, a dynamic block) read
// as .tf source and as the plan Terraform makes of it gives the same findings, at the same .tf lines —
// except where only a plan knows a value (PLAN_ONLY, below). Beside its .tf files, a plan is what is judged.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCENARIO = 'fixtures/iac/terraform/acceptance/source';

interface Outcomes {
  findings: string[];
  notAssessed: string[];
  counts: Record<string, number>;
  files: { file: string; kind: string }[];
  errors: unknown[];
}

async function scan(cwd: string, target: string): Promise<Outcomes> {
  const r = await cli(['iac', target, '--format', 'json', '--fail-on', 'none'], cwd);
  const out = JSON.parse(r.stdout);
  const relative = (file: string) => path.posix.relative(target, file);
  return {
    findings: out.findings.map((f: any) => `${f.checkId} ${f.resource.logicalId} ${relative(f.resource.file)}:${f.resource.line}`).sort(),
    notAssessed: out.notAssessed.map((n: any) => `${n.checkId} ${n.logicalId}`).sort(),
    counts: out.counts,
    files: out.inputs.files,
    errors: out.errors,
  };
}

/** Values a plan resolves and source cannot: a data source that reads the cloud (an IAM role's ARN). */
const PLAN_ONLY = ['SESG-SES-001 aws_sesv2_email_identity.sender["billing"]', 'SESG-SES-002 aws_sesv2_email_identity.sender["billing"]'];

describe('one scenario, as .tf source and as its plan', async () => {
  const planned = await scan(ROOT, SCENARIO);
  const dir = tempDir();
  cpSync(path.join(ROOT, SCENARIO), dir, { recursive: true });
  rmSync(path.join(dir, 'plan.json'));
  const source = await scan(dir, '.');

  it('beside its .tf files, the plan is judged and the .tf files only give positions', () => {
    expect(planned.files).toEqual([{ file: `${SCENARIO}/plan.json`, kind: 'terraform-plan' }]);
    expect(planned.errors).toEqual([]);
  });

  it('without the plan, the .tf files are read: root and module', () => {
    expect(source.files).toEqual([
      { file: 'main.tf', kind: 'terraform-source' },
      { file: 'modules/sender/main.tf', kind: 'terraform-source' },
    ]);
    expect(source.errors).toEqual([]);
  });

  it('the same findings, in the same files', () => {
    const where = (finding: string) => finding.replace(/:\d+$/, '');
    expect(source.findings.map(where)).toEqual(planned.findings.map(where));
    expect(source.findings.length).toBe(10);
  });

  it('source findings point at what is wrong: the statement, the dynamic block; the plan at the resource', () => {
    const changed = source.findings.filter((f) => !planned.findings.includes(f));
    expect(changed).toEqual([
      'SESG-IAM-003 module.alerts.aws_iam_role.this modules/sender/main.tf:37', // plan: the role at :77
      'SESG-NET-001 module.alerts.aws_security_group.this modules/sender/main.tf:94', // plan: the group at :88
      'SESG-NET-002 module.alerts.aws_security_group.this modules/sender/main.tf:94',
      'SESG-SES-001 aws_sesv2_email_identity.domain main.tf:82', // plan: the policy resource at :94
    ]);
  });

  it('not assessed from source exactly where only the plan knows the value', () => {
    expect(planned.notAssessed).toEqual([]);
    expect(source.notAssessed).toEqual(PLAN_ONLY);
    expect(source.counts.evaluated + source.counts.notAssessed).toBe(planned.counts.evaluated);
    expect(source.counts.passed).toBe(planned.counts.passed - PLAN_ONLY.length);
    expect(source.counts.failed).toBe(planned.counts.failed);
  });
});
