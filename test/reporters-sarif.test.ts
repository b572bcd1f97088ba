// SARIF reporter: valid against the SARIF 2.1.0 JSON Schema, and what GitHub code scanning needs
// (security-severity, one location, startLine ≥ 1, line-independent fingerprints, upload limits).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import type { Finding, Severity } from '../src/engine/types.js';
import { chunkedReporters, reporters } from '../src/reporters/index.js';
import { MAX_SARIF_GZIP_BYTES, MAX_SARIF_RESULTS, pascalCase } from '../src/reporters/sarif.js';
import type { Results } from '../src/results.js';
import { runIac } from '../src/run.js';

const root = path.resolve(import.meta.dirname, '..');
const load = (name: string) => JSON.parse(readFileSync(path.join(root, 'fixtures/results', name), 'utf8')) as Results;
const iac = load('iac-results.json');
const scan = load('scan-results.json');

// The vendored schema is the rtm.5 text in draft-04 dress (`id`); ajv speaks draft-07, where the only
// difference that matters for this schema is the spelling of the id keyword.
const schemaText = readFileSync(path.join(root, 'test/schemas/sarif-2.1.0-rtm.5.json'), 'utf8');
const schema = JSON.parse(schemaText) as Record<string, unknown>;
schema.$schema = 'http://json-schema.org/draft-07/schema#';
schema.$id = schema.id;
delete schema.id;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// unicodeRegExp off: the official schema's `language` pattern has a stray `]` that the u flag rejects.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function sarif(results: Results, anchor?: string): Sarif.Log {
  return JSON.parse(reporters.sarif(results, anchor ? { sarifAnchor: anchor } : {})) as Sarif.Log;
}

function expectValid(log: Sarif.Log): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
}

function finding(i: number, severity: Severity, over: Partial<Finding['resource']> = {}): Finding {
  return {
    checkId: 'SESG-NET-001',
    severity,
    title: 'Security group allows outbound SMTP',
    message: `group sg-${i} allows TCP 25 to 0.0.0.0/0`,
    resource: { type: 'aws.ec2.security-group', id: `templates/big.yaml#Sg${i}`, name: `Sg${i}`, file: 'templates/big.yaml', line: i + 1, ...over },
    evidence: { i },
    suppressed: null,
    fingerprint: `fp-${i}`,
  };
}

describe('schema validity', () => {
  it.each([
    ['iac', iac],
    ['scan', scan],
  ])('%s results validate against SARIF 2.1.0', (_name, results) => {
    expectValid(sarif(results));
  });

  it('an empty run validates too', () => {
    expectValid(sarif({ ...iac, findings: [], notAssessed: [], errors: [], notices: [], checks: [] }));
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = sarif(iac);
    delete ((log.runs[0].results as Sarif.Result[])[0] as Partial<Sarif.Result>).message;
    expect(validate(log)).toBe(false);
  });
});

describe('GitHub code scanning specifics', () => {
  const log = sarif(iac);
  const run = log.runs[0];
  const rules = run.tool.driver.rules as Sarif.ReportingDescriptor[];
  const results = run.results as Sarif.Result[];

  it('header: $schema, version 2.1.0, one run, driver identity', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'sesguard', version: '0.1.0', informationUri: 'https://github.com/sesguard/sesguard' });
  });

  it('one rule per check that ran, with security-severity and the severity level', () => {
    expect(rules.map((r) => r.id)).toEqual(iac.checks.map((c) => c.id));
    const expected: Record<Severity, [string, string]> = {
      critical: ['9.5', 'error'],
      high: ['8.0', 'error'],
      medium: ['5.5', 'warning'],
      low: ['3.0', 'note'],
    };
    for (const check of iac.checks) {
      const r = rules.find((x) => x.id === check.id) as Sarif.ReportingDescriptor;
      expect(r.properties?.['security-severity']).toBe(expected[check.severity][0]);
      expect(r.defaultConfiguration?.level).toBe(expected[check.severity][1]);
      expect(r.properties?.tags).toContain('security');
      expect(r.shortDescription?.text).toBe(check.title);
      expect(r.fullDescription?.text).toBe(check.rationale);
      expect(r.helpUri).toBe(check.helpUri);
      expect(r.help?.text).toContain(check.rationale);
    }
  });

  it('help.markdown fences the remediation snippets', () => {
    const r = rules.find((x) => x.id === 'SESG-NET-001') as Sarif.ReportingDescriptor;
    expect(r.help?.markdown).toContain('```sh\naws ec2 revoke-security-group-egress');
    expect(r.help?.markdown).toContain('```yaml\nSecurityGroupEgress:');
    expect(r.help?.markdown).toContain('```hcl\negress {');
  });

  it.each([
    ['Send permission on every SES identity', 'SendPermissionOnEverySESIdentity'],
    ['security group: TCP 25/465', 'SecurityGroupTCP25465'],
    ['25 is open', 'Check25IsOpen'],
    ['—', 'SESG-X-001'],
  ])('rule name PascalCase(%j) = %j', (title, name) => {
    expect(pascalCase(title, 'SESG-X-001')).toBe(name);
  });

  it('each result: ruleId/ruleIndex agree, level by severity, exactly one location, startLine ≥ 1', () => {
    expect(results).toHaveLength(iac.findings.length);
    for (const [i, r] of results.entries()) {
      const f = iac.findings[i];
      expect(rules[r.ruleIndex as number].id).toBe(r.ruleId);
      expect(r.ruleId).toBe(f.checkId);
      expect(r.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'note' }[f.severity]);
      expect(r.locations).toHaveLength(1);
      const physical = r.locations?.[0].physicalLocation as Sarif.PhysicalLocation;
      expect(physical.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      expect(physical.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(r.partialFingerprints?.primaryLocationLineHash).toBe(f.fingerprint);
    }
  });

  it('IaC results point at the file, line and column of the finding', () => {
    const r = results.find((x) => x.ruleId === 'SESG-IAM-001') as Sarif.Result;
    expect(r.locations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'templates/mail.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 31, startColumn: 13 },
    });
    expect(r.locations?.[0].logicalLocations?.[0].name).toBe('AppSenderRole');
  });

  it('suppressed findings carry suppressions with kind and justification', () => {
    const r = results.find((x) => x.ruleId === 'SESG-MON-005') as Sarif.Result;
    expect(r.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'Single-region sandbox stack; the organization trail covers it (SEC-311)' },
    ]);
    expect(results.filter((x) => x.suppressions).length).toBe(1);
  });

  it('automationDetails.id separates iac and scan categories', () => {
    expect(run.automationDetails?.id).toBe('sesguard/iac/');
    expect(sarif(scan).runs[0].automationDetails?.id).toBe('sesguard/scan/');
  });

  it('originalUriBaseIds declares %SRCROOT%', () => {
    expect(Object.keys(run.originalUriBaseIds ?? {})).toEqual(['%SRCROOT%']);
  });

  it('errors and not-assessed entries become notifications; execution is not successful with errors', () => {
    const invocation = run.invocations?.[0] as Sarif.Invocation;
    expect(invocation.executionSuccessful).toBe(false);
    const notes = invocation.toolExecutionNotifications as Sarif.Notification[];
    const errors = notes.filter((n) => n.level === 'error');
    expect(errors.map((n) => n.message.text)).toEqual(['templates/broken.yaml:3:7: YAML parse error: bad indentation of a mapping entry']);
    const notAssessed = notes.filter((n) => n.descriptor?.id);
    expect(notAssessed.map((n) => [n.descriptor?.id, n.level])).toEqual([
      ['SESG-SES-004', 'note'],
      ['SESG-SES-004', 'note'],
      ['SESG-IAM-001', 'note'],
    ]);
    expect(notAssessed[0].message.text).toBe(
      'SESG-SES-004 not assessed for OrdersIdentity, in templates/mail.yaml:61: configuration set "orders-prod" is referenced by name but not defined in the scanned files',
    );
    expect(notes.some((n) => (n.message.text ?? '').includes('expired on 2026-06-30'))).toBe(true);
  });

  it('a clean run is an executionSuccessful run', () => {
    const log2 = sarif({ ...iac, errors: [], incomplete: false });
    expect(log2.runs[0].invocations?.[0].executionSuccessful).toBe(true);
  });
});

describe('live findings', () => {
  const run = sarif(scan, 'config/sesguard.yaml').runs[0];
  const results = run.results as Sarif.Result[];

  it('point at the anchor, line 1, and carry the ARN in logicalLocations and properties', () => {
    const r = results.find((x) => x.ruleId === 'SESG-IAM-005') as Sarif.Result;
    const arn = 'arn:aws:iam::111122223333:user/ses-smtp-user.20190412';
    expect(r.locations).toHaveLength(1);
    expect(r.locations?.[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'config/sesguard.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(r.locations?.[0].logicalLocations?.[0].fullyQualifiedName).toBe(arn);
    expect(r.properties).toMatchObject({ arn, account: '111122223333', region: 'us-east-1', resourceType: 'aws.iam.user', severity: 'high' });
    expect(r.message.text).toContain(arn);
  });

  it('default anchor is sesguard.yaml', () => {
    const r = (sarif(scan).runs[0].results as Sarif.Result[])[0];
    expect(r.locations?.[0].physicalLocation?.artifactLocation?.uri).toBe('sesguard.yaml');
  });

  it('baselineState, config suppressions and incompleteness are carried over', () => {
    expect(results.map((r) => r.baselineState)).toEqual(['new', 'unchanged', 'new', 'unchanged']);
    expect(results[3].suppressions?.[0]).toMatchObject({ kind: 'external', justification: 'Alarm moved to the central observability account, OPS-77' });
    const invocation = run.invocations?.[0] as Sarif.Invocation;
    expect(invocation.executionSuccessful).toBe(false);
    const warnings = (invocation.toolExecutionNotifications ?? []).filter((n) => n.descriptor?.id);
    expect(warnings.every((n) => n.level === 'warning')).toBe(true);
    expect(warnings[0].message.text).toContain('account 444455556666, region me-central-1');
    expect(warnings[0].message.text).toContain('AccessDenied');
  });
});

describe('fingerprints and locations', () => {
  const base = { ...iac, checks: [], notAssessed: [], errors: [], notices: [] };

  it('the fingerprint does not change when the finding moves to another line', () => {
    const before = sarif({ ...base, findings: [finding(1, 'medium', { line: 10 })] }).runs[0].results?.[0];
    const after = sarif({ ...base, findings: [finding(1, 'medium', { line: 42 })] }).runs[0].results?.[0];
    expect(after?.locations?.[0].physicalLocation?.region?.startLine).toBe(42);
    expect(after?.partialFingerprints).toEqual(before?.partialFingerprints);
  });

  it.each([
    ['templates\\win\\mail.yaml', 'templates/win/mail.yaml'],
    ['./templates/mail.yaml', 'templates/mail.yaml'],
    ['my stacks/mail#1.yaml', 'my%20stacks/mail%231.yaml'],
  ])('file %j becomes the repo-relative uri %j', (file, uri) => {
    const r = sarif({ ...base, findings: [finding(1, 'low', { file })] }).runs[0].results?.[0];
    expect(r?.locations?.[0].physicalLocation?.artifactLocation).toEqual({ uri, uriBaseId: '%SRCROOT%' });
  });

  it.each([
    [undefined, 1],
    [0, 1],
    [7, 7],
  ])('line %j becomes startLine %j', (line, startLine) => {
    const r = sarif({ ...base, findings: [finding(1, 'low', { line, column: 4 })] }).runs[0].results?.[0];
    expect(r?.locations?.[0].physicalLocation?.region?.startLine).toBe(startLine);
  });

  it('a finding whose check is not listed still gets a rule and a valid index', () => {
    const log = sarif({ ...base, findings: [finding(1, 'high')] });
    expectValid(log);
    const run = log.runs[0];
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(['SESG-NET-001']);
    expect(run.results?.[0].ruleIndex).toBe(0);
  });
});

describe('streamed', () => {
  it('is JSON.stringify(log, null, 2) byte for byte, one chunk per result and notification', () => {
    for (const results of [iac, scan, { ...scan, findings: [], notAssessed: [] }]) {
      const chunks = [...chunkedReporters.sarif(results)];
      const text = chunks.join('');
      expect(text).toBe(reporters.sarif(results));
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(chunks.length).toBeGreaterThanOrEqual(results.findings.length + results.notAssessed.length);
    }
  });

  it('takes no text of the scanned inputs for its own markers', () => {
    const tricky = structuredClone(iac);
    tricky.findings[0].message = '"sesguard-results-x" and "sesguard-notifications-"';
    tricky.notAssessed[0].reason = 'sesguard-results-';
    const log = JSON.parse(reporters.sarif(tricky)) as Sarif.Log;
    expect(log.runs[0].results).toHaveLength(tricky.findings.length);
    expect(log.runs[0].results?.[0].message.text).toContain('"sesguard-results-x"');
  });
});

describe('limits', () => {
  const base = { ...iac, checks: [], notAssessed: [], errors: [], notices: [] };

  it(`keeps at most ${MAX_SARIF_RESULTS} results, the most severe, and says how many were dropped`, () => {
    const findings: Finding[] = [];
    for (let i = 0; i < MAX_SARIF_RESULTS; i++) findings.push(finding(i, 'low'));
    for (let i = 0; i < 10; i++) findings.push(finding(MAX_SARIF_RESULTS + i, 'critical'));
    const run = sarif({ ...base, findings }).runs[0];
    expect(run.results).toHaveLength(MAX_SARIF_RESULTS);
    expect(run.results?.filter((r) => r.properties?.severity === 'critical')).toHaveLength(10);
    const notes = run.invocations?.[0].toolExecutionNotifications ?? [];
    expect(notes.some((n) => (n.message.text ?? '').startsWith(`10 of ${MAX_SARIF_RESULTS + 10} results were dropped`))).toBe(true);
  });

  it('drops evidence first when the gzipped log would exceed 10 MB', () => {
    // Random base64 barely compresses: 300 × 48 KiB of it is well over 10 MB gzipped.
    const findings = Array.from({ length: 300 }, (_, i) => ({ ...finding(i, 'medium'), evidence: { blob: randomBytes(36 * 1024).toString('base64') } }));
    const text = reporters.sarif({ ...base, findings });
    expect(gzipSync(text).length).toBeLessThanOrEqual(MAX_SARIF_GZIP_BYTES);
    const run = (JSON.parse(text) as Sarif.Log).runs[0];
    expect(run.results).toHaveLength(300);
    expect(run.results?.every((r) => r.properties?.evidence === undefined)).toBe(true);
    expect(run.invocations?.[0].toolExecutionNotifications?.some((n) => (n.message.text ?? '').startsWith('Evidence was left out'))).toBe(true);
  });

  it('then folds not-assessed notifications into one per check', () => {
    const notAssessed = Array.from({ length: 300 }, (_, i) => ({
      checkId: i % 2 ? 'SESG-MON-001' : 'SESG-MON-002',
      account: '111122223333',
      region: `r-${i}`,
      reason: randomBytes(36 * 1024).toString('base64'),
    }));
    const text = reporters.sarif({ ...base, findings: [finding(1, 'high')], notAssessed });
    expect(gzipSync(text).length).toBeLessThanOrEqual(MAX_SARIF_GZIP_BYTES);
    const run = (JSON.parse(text) as Sarif.Log).runs[0];
    expect(run.results).toHaveLength(1);
    const folded = (run.invocations?.[0].toolExecutionNotifications ?? []).filter((n) => n.descriptor?.id);
    expect(folded.map((n) => n.message.text)).toEqual([
      'SESG-MON-002 not assessed for 150 resources (details in the JSON results)',
      'SESG-MON-001 not assessed for 150 resources (details in the JSON results)',
    ]);
  });

  it('as a last resort keeps the most severe results that fit, and says so', () => {
    const findings = Array.from({ length: 300 }, (_, i) => ({ ...finding(i, i < 20 ? 'critical' : 'low'), message: randomBytes(36 * 1024).toString('base64') }));
    const text = reporters.sarif({ ...base, findings });
    expect(gzipSync(text).length).toBeLessThanOrEqual(MAX_SARIF_GZIP_BYTES);
    const run = (JSON.parse(text) as Sarif.Log).runs[0];
    const kept = run.results?.length ?? 0;
    expect(kept).toBeGreaterThanOrEqual(20);
    expect(kept).toBeLessThan(300);
    expect(run.results?.filter((r) => r.properties?.severity === 'critical')).toHaveLength(20);
    const notes = run.invocations?.[0].toolExecutionNotifications ?? [];
    expect(notes.filter((n) => (n.message.text ?? '').startsWith(`Only ${kept} of 300 results fit`))).toHaveLength(1);
  });

  it('keeps evidence when the log is small', () => {
    const run = sarif(iac).runs[0];
    expect(run.results?.[0].properties?.evidence).toEqual(iac.findings[0].evidence);
  });
});

describe('a real run', () => {
  it('the demo IaC through the whole pipeline yields valid SARIF, one location per result, markdown within bounds', async () => {
    const config = loadConfig(path.join(root, 'fixtures/demo/sesguard.yaml'), root);
    const inputs = ['cloudformation/bad-mail-stack.yaml', 'cdk/cdk.out', 'terraform/bad'].map((p) => `fixtures/iac/${p}`);
    const results = await runIac(inputs, { config, cwd: root, now: () => new Date('2026-11-23T12:00:00Z') });
    expect(results.findings.length).toBeGreaterThan(0);
    const log = sarif(results);
    expectValid(log);
    for (const r of log.runs[0].results ?? []) {
      expect(r.locations).toHaveLength(1);
      expect(r.locations?.[0].physicalLocation?.region?.startLine).toBeGreaterThanOrEqual(1);
      expect(r.locations?.[0].physicalLocation?.artifactLocation?.uri).toMatch(/^fixtures\/iac\//);
    }
    expect(JSON.parse(reporters.json(results))).toEqual(JSON.parse(JSON.stringify(results)));
  });
});
