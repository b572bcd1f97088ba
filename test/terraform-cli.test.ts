// `sesguard iac` on the Terraform fixtures end to end: the bad plan fails the checks it was written
// for, at the .tf lines (module resources in the module's file); the good plan passes; data known only
// after apply is not assessed; an unsupported format version is one error line and exit 2; plans saved as
// UTF-16 or with a BOM are read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIR = 'fixtures/iac/terraform';

async function iac(args: string[]) {
  const r = await cli(['iac', ...args, '--format', 'json', '--fail-on', 'none'], ROOT);
  return { code: r.code, stderr: r.stderr, out: JSON.parse(r.stdout) };
}

describe('sesguard iac on the bad Terraform plan', async () => {
  const { code, out } = await iac([`${DIR}/bad/plan.json`]);
  const findings = out.findings.map((f: any) => [f.checkId, f.resource.logicalId, f.resource.file, f.resource.line]);

  it.each([
    ['SESG-IAM-001', 'aws_iam_role.sender', `${DIR}/bad/main.tf`, 21],
    ['SESG-IAM-004', 'aws_iam_role.sender', `${DIR}/bad/main.tf`, 21],
    ['SESG-SES-001', 'aws_sesv2_email_identity.domain', `${DIR}/bad/main.tf`, 54],
    ['SESG-SES-002', 'module.mail.aws_sesv2_email_identity.noreply', `${DIR}/bad/modules/mail/main.tf`, 27],
    ['SESG-SES-004', 'aws_sesv2_email_identity.domain', `${DIR}/bad/main.tf`, 49],
    ['SESG-SES-009', 'aws_sesv2_configuration_set.main', `${DIR}/bad/main.tf`, 68],
    ['SESG-NET-001', 'aws_security_group.relay', `${DIR}/bad/main.tf`, 82],
    ['SESG-MON-004', 'aws_cloudwatch_metric_alarm.bounce', `${DIR}/bad/main.tf`, 95],
    ['SESG-MON-005', 'aws_cloudtrail.main', `${DIR}/bad/main.tf`, 107],
    ['SESG-NET-003', 'aws_network_acl.mail', `${DIR}/bad/main.tf`, 116],
  ])('%s on %s at %s:%i', (checkId, logicalId, file, line) => {
    expect(findings).toContainEqual([checkId, logicalId, file, line]);
  });

  it('honours the inline suppression with its reason; no errors', () => {
    const suppressed = out.findings.filter((f: any) => f.suppressed);
    expect(suppressed.map((f: any) => [f.checkId, f.resource.logicalId, f.suppressed.reason])).toEqual([
      ['SESG-SES-003', 'aws_ses_domain_identity.marketing', 'marketing.example.com is approved in SEC-42'],
    ]);
    expect(out.errors).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('sesguard iac on other Terraform plans', () => {
  it('the good plan has no finding', async () => {
    const { code, out } = await iac([`${DIR}/good/plan.json`, '--config', `${DIR}/good/sesguard.yaml`]);
    expect(out.findings).toEqual([]);
    expect(out.errors).toEqual([]);
    expect(out.inputs.files).toEqual([{ file: `${DIR}/good/plan.json`, kind: 'terraform-plan' }]);
    expect(code).toBe(0);
  });

  it('a check whose only data is known after apply is not assessed, never passed or failed', async () => {
    const { out } = await iac([`${DIR}/unknown/plan.json`]);
    expect(out.findings).toEqual([]);
    expect(out.notAssessed.map((n: any) => [n.checkId, n.logicalId, n.reason])).toEqual([
      ['SESG-NET-001', 'aws_security_group.relay', 'egress rule 1: cidrIpv4: known after apply'],
    ]);
  });

  it('format versions: 0.1 and 1.2 are scanned, 2.0 is one error line naming the file and line, exit 2', async () => {
    const { code, stderr, out } = await iac([`${DIR}/versions`]);
    expect(out.inputs.files.map((f: any) => f.file)).toEqual([`${DIR}/versions/plan-0.1.json`, `${DIR}/versions/plan-1.2.json`]);
    expect(out.errors).toEqual([
      { file: `${DIR}/versions/plan-2.0.json`, line: 2, message: 'unsupported Terraform plan format_version "2.0" (supported 0.x and 1.x)' },
    ]);
    expect(stderr.trim().split('\n')).toEqual([
      `sesguard: ${DIR}/versions/plan-2.0.json:2: unsupported Terraform plan format_version "2.0" (supported 0.x and 1.x)`,
    ]);
    expect(code).toBe(2);
  });
});

describe('plans saved by Windows tools (issue #8 item 2)', () => {
  const original = readFileSync(path.join(ROOT, DIR, 'bad/plan.json'), 'utf8');
  const utf16be = (text: string) => {
    const le = Buffer.from(text, 'utf16le');
    for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
    return le;
  };
  const encodings: [string, Buffer][] = [
    ['UTF-16 LE with a BOM (PowerShell 5 `>`)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original, 'utf16le')])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(original)])],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(original, 'utf8')])],
  ];

  it.each(encodings)('%s is decoded and scanned like the UTF-8 plan', async (_, bytes) => {
    const dir = tempDir({ 'plan.json': bytes });
    const plain = tempDir({ 'plan.json': original });
    const [decoded, reference] = await Promise.all([iacIn(dir), iacIn(plain)]);
    expect(decoded.out.errors).toEqual([]);
    expect(decoded.out.inputs.files).toEqual([{ file: 'plan.json', kind: 'terraform-plan' }]);
    const ids = (r: typeof decoded) => r.out.findings.map((f: any) => [f.checkId, f.resource.logicalId, f.resource.line]);
    expect(ids(decoded).length).toBeGreaterThan(5);
    expect(ids(decoded)).toEqual(ids(reference));
  });

  it('UTF-16 that is not valid UTF-16 is one error line, exit 2', async () => {
    const dir = tempDir({ 'plan.json': Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x00, 0xd8, 0x41, 0x00]) });
    const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], dir);
    expect(JSON.parse(r.stdout).errors).toEqual([
      { file: 'plan.json', message: 'not a text file (bytes that are not valid in the encoding its byte-order mark announces)' },
    ]);
    expect(r.code).toBe(2);
  });
});

async function iacIn(cwd: string) {
  const r = await cli(['iac', '.', '--format', 'json', '--fail-on', 'none'], cwd);
  return { code: r.code, stderr: r.stderr, out: JSON.parse(r.stdout) };
}

describe('the demo (npm start)', () => {
  it('gates Terraform source with no plan beside CloudFormation, CDK and a plan', async () => {
    const dir = tempDir();
    const r = await cli(['demo', '--quiet'], dir);
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'sesguard-report', 'iac-results.json'), 'utf8'));
    const kinds = new Set(results.inputs.files.map((f: any) => f.kind));
    expect([...kinds].sort()).toEqual(['cloudformation', 'terraform-plan', 'terraform-source']);
    const source = results.findings.filter((f: any) => f.resource.file.includes('fixtures/iac/terraform/source/'));
    expect(source.map((f: any) => f.checkId).sort()).toEqual(['SESG-IAM-002', 'SESG-MON-005', 'SESG-NET-001', 'SESG-SES-001', 'SESG-SES-004', 'SESG-SES-004']);
    // The demo's own config suppression is used (a stale one would greet every new user with a notice).
    expect(r.stderr).toBe('');
    const suppressed = results.findings.filter((f: any) => f.suppressed?.source === 'config');
    expect(suppressed.map((f: any) => [f.checkId, path.basename(f.resource.file), f.resource.logicalId])).toEqual([['SESG-SES-007', 'bad-mail-stack.yaml', 'DomainIdentity']]);
  });
});
