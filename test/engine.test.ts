// The engine on its own: loading check files (schema, CEL compile, ids), the four outcomes, messages,
// not-assessed on Unknown values and on throwing expressions, suppressions and their expiry.
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { defaultConfig, celConfig } from '../src/config/types.js';
import { parseConfig } from '../src/config/load.js';
import { evaluateCheck, formatMessage, unknownAt } from '../src/engine/evaluate.js';
import { loadCheckFile, loadChecks, type CompiledCheck } from '../src/engine/load.js';
import { decideSuppression } from '../src/engine/suppress.js';
import { PolicyError, ConfigError } from '../src/errors.js';
import type { Resource } from '../src/inventory/types.js';
import { tempDir } from './helpers.js';
import path from 'node:path';

const baseCheck = {
  id: 'TEST-NET-001',
  title: 'Test check on egress',
  severity: 'medium',
  sources: ['C', 'T'],
  resourceTypes: ['aws.ec2.security-group'],
  rationale: 'A test check used by the engine tests only.',
  remediation: { cli: 'none' },
  references: ['https://docs.aws.amazon.com/'],
  reads: ['egress'],
  applies: 'resource.props.attached == true',
  assert: '!resource.props.egress.exists(r, r.cidrIpv4 == "0.0.0.0/0")',
  details: '{"cidr": "0.0.0.0/0", "line": resource.props.egress.filter(r, r.cidrIpv4 == "0.0.0.0/0")[0].line, "ports": [25, 587]}',
  message: 'Group {name} opens {cidr} on {ports}; {missing} stays',
  fixtures: {
    pass: [{ name: 'no world', props: { attached: true, egress: [] } }],
    fail: [{ name: 'world', props: { attached: true, egress: [{ cidrIpv4: '0.0.0.0/0', line: 7 }] } }],
    notApplicable: [{ name: 'unattached', props: { attached: false, egress: [] } }],
  },
};

function writeCheck(overrides: Record<string, unknown>, name = 'TEST-NET-001.yaml'): string {
  const dir = tempDir({ [name]: YAML.stringify({ ...baseCheck, ...overrides }) });
  return path.join(dir, name);
}

function sg(props: Record<string, unknown>): Resource {
  return {
    type: 'aws.ec2.security-group',
    id: 't.yaml#Sg',
    name: 'Sg',
    provenance: { source: 'cloudformation', file: 't.yaml', line: 3, logicalId: 'Sg' },
    props: props as never,
  };
}

const ctx = { config: celConfig(defaultConfig()), org: [] };

describe('loading checks', () => {
  it('loads a valid check and compiles its CEL', () => {
    const check = loadCheckFile(writeCheck({}));
    expect(check.id).toBe('TEST-NET-001');
    expect(check.effectiveSeverity).toBe('medium');
  });
  it.each([
    ['an unknown key', { colour: 'red' }, /unknown key "colour"/],
    ['a bad severity', { severity: 'urgent' }, /severity: must be one of/],
    ['no fixtures of a kind', { fixtures: { ...baseCheck.fixtures, fail: [] } }, /fixtures\/fail/],
    ['CEL that does not compile', { assert: 'resource.props.egress.exists(r, ' }, /assert: CEL does not compile/],
    ['an id that differs from the file name', { id: 'TEST-NET-002' }, /does not match the file name/],
  ])('rejects %s with a PolicyError naming the file', (_name, overrides, message) => {
    const file = writeCheck(overrides);
    expect(() => loadCheckFile(file)).toThrow(PolicyError);
    try {
      loadCheckFile(file);
    } catch (error) {
      expect((error as PolicyError).file).toBe(file);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
  it('rejects a duplicate id across directories', () => {
    const a = path.dirname(writeCheck({}));
    const b = path.dirname(writeCheck({}));
    expect(() => loadChecks({ policyDirs: [a, b], onlyDirs: true })).toThrow(/duplicate check id TEST-NET-001/);
  });
  it('applies config overrides: disabled and severity', () => {
    const dir = path.dirname(writeCheck({}));
    expect(loadChecks({ policyDirs: [dir], onlyDirs: true, overrides: { 'TEST-NET-001': { enabled: false } } })).toHaveLength(0);
    const [check] = loadChecks({ policyDirs: [dir], onlyDirs: true, overrides: { 'TEST-NET-001': { severity: 'critical' } } });
    expect(check.effectiveSeverity).toBe('critical');
  });
});

describe('evaluating one pair', () => {
  const check: CompiledCheck = loadCheckFile(writeCheck({}));
  it.each([
    ['pass', { attached: true, egress: [{ cidrIpv4: '10.0.0.0/8' }] }, 'pass'],
    ['fail', { attached: true, egress: [{ cidrIpv4: '0.0.0.0/0', line: 9 }] }, 'fail'],
    ['not applicable', { attached: false, egress: [{ cidrIpv4: '0.0.0.0/0' }] }, 'not-applicable'],
    ['not assessed: Unknown list', { attached: true, egress: { $unknown: 'known after apply' } }, 'not-assessed'],
    ['not assessed: Unknown inside', { attached: true, egress: [{ cidrIpv4: { $unknown: 'parameter X has no default' } }] }, 'not-assessed'],
  ])('%s', (_name, props, kind) => {
    expect(evaluateCheck(check, sg(props), ctx).kind).toBe(kind);
  });
  it('a failing pair carries evidence, the line of the offending property and the formatted message', () => {
    const outcome = evaluateCheck(check, sg({ attached: true, egress: [{ cidrIpv4: '0.0.0.0/0', line: 9 }] }), ctx);
    expect(outcome).toMatchObject({ kind: 'fail', line: 9, evidence: { cidr: '0.0.0.0/0', ports: [25, 587] } });
    if (outcome.kind === 'fail') expect(outcome.message).toBe('Group {name} opens 0.0.0.0/0 on 25, 587; {missing} stays');
  });
  it('names the Unknown reason', () => {
    const outcome = evaluateCheck(check, sg({ attached: true, egress: { $unknown: 'known after apply' } }), ctx);
    expect(outcome).toEqual({ kind: 'not-assessed', reason: 'egress: known after apply' });
  });
  it('an expression that errors is not assessed, never a pass', () => {
    const broken = loadCheckFile(writeCheck({ reads: [], assert: 'resource.props.nothing.exists(r, r == 1)' }));
    const outcome = evaluateCheck(broken, sg({ attached: true, egress: [] }), ctx);
    expect(outcome.kind).toBe('not-assessed');
    if (outcome.kind === 'not-assessed') expect(outcome.reason).toMatch(/^check could not be evaluated: /);
  });
  it('a non-boolean assert is not assessed', () => {
    const odd = loadCheckFile(writeCheck({ assert: 'resource.props.egress' }));
    expect(evaluateCheck(odd, sg({ attached: true, egress: [] }), ctx).kind).toBe('not-assessed');
  });
  it('a resource of another type is not applicable', () => {
    const other: Resource = { ...sg({}), type: 'aws.iam.role' };
    expect(evaluateCheck(check, other, ctx).kind).toBe('not-applicable');
  });
});

describe('helpers', () => {
  it.each([
    [{ a: [{ b: 1 }, { b: { $unknown: 'x' } }] }, 'a.b', 'x'],
    [{ a: [{ b: 1 }] }, 'a.b', null],
    [{ a: { $unknown: 'y' } }, 'a.b.c', 'y'],
    [{ a: { b: [{ c: { $unknown: 'deep' } }] } }, 'a', 'deep'],
    [{}, 'missing.path', null],
  ])('unknownAt(%j, %s)', (props, p, reason) => {
    expect(unknownAt(props, p)?.$unknown ?? null).toBe(reason);
  });
  it('formats messages from details, lists joined', () => {
    expect(formatMessage('{a} on {b.c} and {d}', { a: 'x', b: { c: [1, 2] } })).toBe('x on 1, 2 and {d}');
  });

  it('names each item of a list once (two statements of one policy are one policy)', () => {
    expect(formatMessage('through policy {p}', { p: ['open', 'legacy', 'open'] })).toBe('through policy open, legacy');
  });
});

describe('suppressions', () => {
  const resource: Resource = {
    ...sg({}),
    provenance: { source: 'aws', arn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0relay1', account: '111122223333' },
  };
  const s = { check: 'SESG-NET-001', resource: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0relay*', reason: 'relay, SEC-123' };
  it.each([
    ['matches by ARN glob', [s], '2026-11-23', 'config'],
    ['wrong check', [{ ...s, check: 'SESG-NET-002' }], '2026-11-23', null],
    ['not yet expired (expiry day included)', [{ ...s, expires: '2026-11-23' }], '2026-11-23', 'config'],
    ['expired', [{ ...s, expires: '2026-11-22' }], '2026-11-23', null],
    ['check glob', [{ ...s, check: 'SESG-NET-*' }], '2026-11-23', 'config'],
  ])('%s', (_name, list, today, source) => {
    expect(decideSuppression('SESG-NET-001', resource, list, today).suppression?.source ?? null).toBe(source);
  });
  it('reports an expired suppression', () => {
    const d = decideSuppression('SESG-NET-001', resource, [{ ...s, expires: '2026-01-01' }], '2026-11-23');
    expect(d.expired?.expires).toBe('2026-01-01');
  });
  it('inline suppressions win', () => {
    const r = { ...resource, suppressions: [{ check: 'SESG-NET-001', reason: 'approved relay' }] };
    expect(decideSuppression('SESG-NET-001', r, [], '2026-11-23').suppression).toEqual({ source: 'inline', reason: 'approved relay' });
  });
});

describe('config', () => {
  it('fills defaults and keeps what is set', () => {
    const config = parseConfig('approvedRegions: [us-east-1]\nthresholds: { bounceAlarmMax: 0.02 }\n', '/x/sesguard.yaml');
    expect(config.approvedRegionsSet).toBe(true);
    expect(config.thresholds.bounceAlarmMax).toBe(0.02);
    expect(config.thresholds.complaintAlarmMax).toBe(0.001);
  });
  it('reads an unquoted expiry date', () => {
    const config = parseConfig('suppressions:\n  - { check: SESG-NET-001, resource: "x", reason: "r", expires: 2027-03-31 }\n', '/x/s.yaml');
    expect(config.suppressions[0].expires).toBe('2027-03-31');
  });
  it.each([
    ['an unknown key', 'approvedRegion: [us-east-1]\n', /unknown key "approvedRegion"/],
    ['a suppression without a reason', 'suppressions:\n  - { check: SESG-NET-001, resource: "x" }\n', /reason/],
    ['malformed YAML', 'thresholds:\n  bounceAlarmMax: 0.05\napprovedRegions: [us-east-1\n', /^sesguard\.yaml:\d+: not valid YAML/],
    ['a bad account id', 'trustedAccounts: ["12345"]\n', /trustedAccounts\/0/],
  ])('rejects %s in one line naming the file', (_name, text, message) => {
    expect(() => parseConfig(text, '/x/sesguard.yaml', 'sesguard.yaml')).toThrow(ConfigError);
    try {
      parseConfig(text, '/x/sesguard.yaml', 'sesguard.yaml');
    } catch (error) {
      expect((error as Error).message).toMatch(/^sesguard\.yaml/);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('checks that do not list what they read', () => {
  it('are decided by what they touch: an Unknown elsewhere does not matter, one they compare makes them not assessed', () => {
    const check = loadCheckFile(writeCheck({ reads: undefined, applies: undefined, assert: 'resource.props.groupName == "x"' }));
    expect(evaluateCheck(check, sg({ groupName: 'x', egress: [{ cidrIpv4: { $unknown: 'known after apply' } }] }), ctx).kind).toBe('pass');
    expect(evaluateCheck(check, sg({ groupName: { $unknown: 'parameter Name has no default' }, egress: [] }), ctx)).toEqual({
      kind: 'not-assessed',
      reason: 'groupName: parameter Name has no default',
    });
  });
  it('schema errors: up to three at once', () => {
    const file = writeCheck({ severity: 'urgent', colour: 'red', sources: ['Q'] });
    expect(() => loadCheckFile(file)).toThrow(/unknown key "colour"; .*severity.*; /);
  });
});
