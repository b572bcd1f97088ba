// Acceptance (issue 8): `sesguard iac` over a folder of templates in the shapes real projects write — a CDK
// two-stack app with a nested stack and weak cross-stack references (Fn::GetStackOutput), Fn::ImportValue
// between hand-written stacks, Fn::ForEach (Language Extensions), Rain directives and a Rain module — exits
// 0 or 1, never 2; prints what it could not evaluate as notices in every output; and reports the mistakes
// planted in the nested template, without the false SESG-IAM-006 on a role trusted by its own account.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { cli } from './helpers.js';

const FOLDER = 'fixtures/iac/real-shapes';
const NESTED = `${FOLDER}/cdk.out/MailAppMailerNestedStackMailerNestedStackResource7F3A2B1C.nested.template.json`;

interface Finding {
  checkId: string;
  resource: { file: string; logicalId: string; line: number; account?: string };
}

describe('sesguard iac on real-shaped templates', () => {
  let code: number;
  let results: {
    findings: Finding[];
    notAssessed: { checkId: string; file?: string; line?: number; logicalId?: string; reason: string }[];
    notices: string[];
    errors: unknown[];
    inputs: { files: { file: string }[] };
  };
  let stderr: string;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'sesguard-real-shapes-'));
    const r = await cli(
      ['iac', FOLDER, '--format', 'json', '--sarif', path.join(out, 'r.sarif'), '--markdown', path.join(out, 'r.md'), '--fail-on', 'high'],
      PACKAGE_ROOT,
    );
    code = r.code;
    stderr = r.stderr;
    results = JSON.parse(r.stdout);
  });

  it('exits 1 for its findings, never 2: nothing in these files is an error', () => {
    expect(results.errors).toEqual([]);
    expect(code).toBe(1);
    expect(results.inputs.files.map((f) => f.file.slice(FOLDER.length + 1)).sort()).toEqual([
      'cdk.out/MailApp.template.json',
      'cdk.out/MailAppMailerNestedStackMailerNestedStackResource7F3A2B1C.nested.template.json',
      'cdk.out/MailNetwork.template.json',
      'language-extensions/mail-senders.yaml',
      'rain/mail-stack.yaml',
      'rain/modules/relay.yaml',
      'shared/mail-relay.yaml',
      'shared/network-exports.yaml',
    ]);
  });

  it('reports the two mistakes planted in the nested stack, in the stack’s account', () => {
    const nested = results.findings.filter((f) => f.resource.file === NESTED);
    expect(nested.map((f) => [f.checkId, f.resource.logicalId]).sort()).toEqual([
      ['SESG-IAM-001', 'MailerRole2D3E4F5A'],
      ['SESG-IAM-002', 'MailerRole2D3E4F5A'],
      ['SESG-IAM-003', 'MailerRole2D3E4F5A'],
      // Its egress CIDR is read from the network stack's output by Fn::GetStackOutput.
      ['SESG-NET-001', 'MailerSmtpSg8E9F0A1B'],
    ]);
    expect(nested.every((f) => f.resource.account === '111122223333')).toBe(true);
  });

  it('a role trusted by its own account (known from the CDK manifest) is not "assumable from outside"', () => {
    expect(results.findings.filter((f) => f.checkId === 'SESG-IAM-006')).toEqual([]);
  });

  it('Fn::ImportValue resolves between hand-written stacks: the smarthost rule is a /32, not a finding', () => {
    expect(results.findings.filter((f) => f.resource.file === `${FOLDER}/shared/mail-relay.yaml`)).toEqual([]);
  });

  it('Fn::ForEach: the generated senders are checked (and pass); the loop over an unknown list is not assessed', () => {
    expect(results.findings.filter((f) => f.resource.file === `${FOLDER}/language-extensions/mail-senders.yaml`)).toEqual([]);
    const loop = results.notAssessed.filter((n) => n.logicalId === 'Fn::ForEach::TenantRelays');
    expect(loop.map((n) => n.checkId).sort()).toEqual(['SESG-NET-001', 'SESG-NET-002', 'SESG-NET-004']);
    expect(loop.every((n) => n.line === 85 && /parameter Tenants has no default/.test(n.reason))).toBe(true);
  });

  it('the Rain template is evaluated around its directives: its over-broad role is reported', () => {
    const rain = results.findings.filter((f) => f.resource.file === `${FOLDER}/rain/mail-stack.yaml`);
    expect(rain.filter((f) => f.checkId === 'SESG-IAM-001').map((f) => f.resource.logicalId)).toEqual(['NotifierRole']);
  });

  it('what could not be evaluated is a notice naming the construct, file and line — in every output', () => {
    const expected = [
      `${FOLDER}/language-extensions/mail-senders.yaml:85: Fn::ForEach::TenantRelays is not expanded (parameter Tenants has no default): the resources it generates are not assessed`,
      `${FOLDER}/rain/mail-stack.yaml:14: resource Relay is skipped: its Type is not a plain string (!Rain::Module ./modules/relay.yaml, e.g. a pre-processor's module)`,
      `${FOLDER}/rain/mail-stack.yaml:26: !Rain::Env is not evaluated (a YAML tag sesguard does not know, such as a pre-processor's directive): the value there is Unknown`,
      `${FOLDER}/rain/mail-stack.yaml:49: !Rain::S3 is not evaluated (a YAML tag sesguard does not know, such as a pre-processor's directive): the value there is Unknown`,
      `${FOLDER}/rain/mail-stack.yaml:55: !Rain::Embed is not evaluated (a YAML tag sesguard does not know, such as a pre-processor's directive): the value there is Unknown`,
      `${FOLDER}/shared/mail-relay.yaml:15: Fn::ImportValue shared-network-MailVpcId: no scanned template exports it; the value is Unknown`,
    ];
    expect(results.notices).toEqual(expected);
    // JSON on stdout, so the notices also go to stderr, one line each.
    for (const notice of expected) expect(stderr).toContain(`sesguard: note: ${notice}\n`);
    const sarif = JSON.parse(readFileSync(path.join(out, 'r.sarif'), 'utf8'));
    const notifications = sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    for (const notice of expected) expect(notifications).toContain(notice);
    const markdown = readFileSync(path.join(out, 'r.md'), 'utf8');
    expect(markdown).toContain('## Notices');
    expect(markdown).toContain('Fn::ForEach::TenantRelays is not expanded');
  });

  it('the text report lists the notices after the findings', async () => {
    const r = await cli(['iac', FOLDER, '--fail-on', 'none'], PACKAGE_ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Notice: fixtures\/iac\/real-shapes\/rain\/mail-stack\.yaml:14: resource Relay is skipped/);
  });
});
