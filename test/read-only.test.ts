// "Read-only, provably" (SPEC §9): the SDK commands the live scan uses are derived from its source and must be
// Get/List/Describe/Lookup calls listed in READ_CALLS — with one documented exception, GenerateCredentialReport,
// which asks IAM to build the credential report and changes no configuration; the shipped IAM documents are
// generated from that table and fresh; and a whole scan against the fake AWS makes no other call.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_CALLS, TRAIL_CALLS } from '../src/sources/aws/collectors/read-calls.js';
import { iamDocs, SCANNER_CALLS } from '../src/tools/iam-docs.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { scanLive } from '../src/sources/aws/scan.js';
import { startFakeAws } from '../src/testing/fake-aws/index.js';

const AWS_SRC = path.join(PACKAGE_ROOT, 'src', 'sources', 'aws');
/** Where `sesguard trail` reads logs from AWS. */
const TRAIL_SRC = ['cloudtrail', 'flowlogs'].map((dir) => path.join(PACKAGE_ROOT, 'src', 'sources', dir));
const READ_ONLY = /^(Get|List|Describe|Lookup)[A-Z]/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Operations named by `new XCommand(` or `paginateX(` in the live-scan source (or the given folders). */
function operationsInSource(dirs = [AWS_SRC]): Set<string> {
  const ops = new Set<string>();
  for (const file of dirs.flatMap(sources)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new ([A-Z][A-Za-z0-9]+)Command\(/g)) ops.add(m[1]);
    for (const m of text.matchAll(/\bpaginate([A-Z][A-Za-z0-9]+)\(/g)) ops.add(m[1]);
  }
  return ops;
}

describe('the live scan only reads', () => {
  const scannerOps = new Set(SCANNER_CALLS.map((a) => a.split(':')[1]));
  const listed = new Set(READ_CALLS.map((c) => c.operation));

  it('finds the commands in the source (the scan is not empty)', () => {
    expect(operationsInSource().size).toBeGreaterThan(20);
  });
  it.each(READ_CALLS.filter((c) => !c.notReadOnlyBecause).map((c) => [c.operation, c.iamAction]))('%s (%s) is a read call', (operation, action) => {
    expect(operation).toMatch(READ_ONLY);
    expect(action.split(':')[1]).toMatch(READ_ONLY);
  });
  it('the one call that is not Get/List/Describe/Lookup is GenerateCredentialReport, and it says why', () => {
    const exceptions = READ_CALLS.filter((c) => c.notReadOnlyBecause !== undefined || !READ_ONLY.test(c.operation));
    expect(exceptions.map((c) => [c.iamAction, typeof c.notReadOnlyBecause])).toEqual([['iam:GenerateCredentialReport', 'string']]);
    expect(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'iam', 'README.md'), 'utf8')).toContain('iam:GenerateCredentialReport');
  });
  it('every command used in the source is listed in READ_CALLS (or is the scanner\'s own STS call)', () => {
    const unlisted = [...operationsInSource()].filter((op) => !listed.has(op) && !scannerOps.has(op));
    expect(unlisted).toEqual([]);
  });
  it('every READ_CALLS entry is used in the source', () => {
    const used = operationsInSource();
    expect(READ_CALLS.filter((c) => !used.has(c.operation)).map((c) => c.operation)).toEqual([]);
  });
  it('docs/iam/ is generated from READ_CALLS and fresh (run `npm run docs`)', () => {
    for (const [name, content] of Object.entries(iamDocs())) {
      expect(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'iam', name), 'utf8'), name).toBe(content);
    }
  });
  it('the audit role policy allows exactly the member-account read calls, and the exception in a statement of its own', () => {
    const policy = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'iam', 'audit-role-policy.json'), 'utf8'));
    const member = READ_CALLS.filter((c) => !c.iamAction.startsWith('organizations:'));
    const reads = [...new Set(member.filter((c) => !c.notReadOnlyBecause).map((c) => c.iamAction))].sort();
    expect(policy.Statement.map((s: { Sid: string; Action: string[] }) => [s.Sid, s.Action])).toEqual([
      ['SesguardReadOnlyAudit', reads],
      ['GenerateTheCredentialReport', ['iam:GenerateCredentialReport']],
    ]);
  });
  it('a whole Organization scan against the fake makes only listed read calls', async () => {
    const scenario = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'fixtures', 'scenarios', 'org-planted.json'), 'utf8'));
    const fake = await startFakeAws(scenario, { pageSize: 2 });
    try {
      await scanLive({
        org: true,
        roleName: 'SesguardAudit',
        externalId: 'sesguard-ext-1',
        endpoint: fake.endpoint,
        concurrency: 8,
        credentials: async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'x' }),
        version: 'test',
      });
      const made = new Set(fake.calls.map((c) => c.operation));
      expect([...made].filter((op) => !listed.has(op) && !scannerOps.has(op))).toEqual([]);
      expect(made.size).toBeGreaterThan(15);
      // No report existed: the one call that is not a read was made, once per account.
      expect(fake.calls.filter((c) => c.operation === 'GenerateCredentialReport').map((c) => c.account).sort()).toEqual(
        scenario.accounts.map((a: { Id: string }) => a.Id).sort(),
      );
    } finally {
      await fake.close();
    }
  });
});

describe('sesguard trail only reads logs', () => {
  const READS_LOGS = /^(Get|List|Describe|Lookup|Filter)[A-Z]/;
  it('every call the trail readers make is listed in TRAIL_CALLS, and every entry is used', () => {
    const used = operationsInSource(TRAIL_SRC);
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((op) => !TRAIL_CALLS.some((c) => c.operation === op))).toEqual([]);
    expect(TRAIL_CALLS.filter((c) => !used.has(c.operation)).map((c) => c.operation)).toEqual([]);
  });
  it.each(TRAIL_CALLS.map((c) => [c.operation, c.iamAction]))('%s (%s) reads', (operation, action) => {
    expect(operation).toMatch(READS_LOGS);
    expect(action).toMatch(/^(s3:(GetObject|ListBucket)|[a-z0-9-]+:(Get|List|Describe|Lookup|Filter)[A-Z]\w*)$/);
  });
  it('the responder policy in docs/iam/ lists exactly the trail calls, and the audit role none of the log reads', () => {
    const policy = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'iam', 'responder-policy.json'), 'utf8'));
    const granted = policy.Statement.flatMap((s: { Action: string[] }) => s.Action).sort();
    expect(granted).toEqual([...new Set(TRAIL_CALLS.map((c) => c.iamAction))].sort());
    const audit = JSON.stringify(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'docs', 'iam', 'audit-role-policy.json'), 'utf8')));
    for (const action of ['logs:FilterLogEvents', 's3:GetObject', 'cloudtrail:LookupEvents']) expect(audit).not.toContain(action);
  });
});
