// Three-valued evaluation (SPEC §8, issue #8 item 3): the outcome is decided whenever the known data decides
// it (Kleene logic through cel-js's commutative || and &&, exists/all, domain functions), an Unknown raises
// when an expression touches it — never compares silently unequal — and a pair is not assessed only when its
// outcome depends on an Unknown, with a reason naming it.
import { describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { compile } from '../src/engine/cel.js';
import { evaluateCheck } from '../src/engine/evaluate.js';
import type { CompiledCheck } from '../src/engine/load.js';
import type { Outcome } from '../src/engine/types.js';
import { partialString, type Resource } from '../src/inventory/types.js';

const U = (reason: string) => ({ $unknown: reason });

function check(assert: string, extra: { applies?: string; details?: string; reads?: string[] } = {}): CompiledCheck {
  return {
    id: 'TEST-ACC-001',
    title: 'test',
    severity: 'medium',
    sources: ['L'],
    resourceTypes: ['aws.ses.account'],
    rationale: 'test',
    remediation: {},
    references: [],
    reads: extra.reads ?? [],
    assert,
    message: 'failed: {what}',
    fixtures: { pass: [], fail: [], notApplicable: [] },
    file: 'test.yaml',
    effectiveSeverity: 'medium',
    compiled: {
      assert: compile(assert),
      ...(extra.applies ? { applies: compile(extra.applies) } : {}),
      ...(extra.details ? { details: compile(extra.details) } : {}),
    },
  } as CompiledCheck;
}

function account(props: Record<string, unknown>): Resource {
  return { type: 'aws.ses.account', id: 'acct', name: 'acct', provenance: { source: 'aws', account: '111122223333', region: 'eu-west-1' }, props: props as never };
}

const ctx = { config: celConfig({ ...defaultConfig(), approvedRegions: ['eu-west-1'], approvedRegionsSet: true }), org: [] };

function run(assert: string, props: Record<string, unknown>, extra?: Parameters<typeof check>[1]): Outcome {
  return evaluateCheck(check(assert, extra), account(props), ctx);
}

function kind(outcome: Outcome): string {
  return outcome.kind === 'not-assessed' ? `not-assessed (${outcome.reason})` : outcome.kind;
}

describe('Kleene logic over Unknowns', () => {
  const u = U('GetAccount failed: AccessDenied');
  it.each([
    ['unknown || true', 'r.u == true || r.n > 0', { u, n: 2 }, 'pass'],
    ['true || unknown', 'r.n > 0 || r.u == true', { u, n: 2 }, 'pass'],
    ['unknown || false', 'r.u == true || r.n > 5', { u, n: 2 }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['unknown && false', 'r.u == true && r.n > 5', { u, n: 2 }, 'fail'],
    ['false && unknown', 'r.n > 5 && r.u == true', { u, n: 2 }, 'fail'],
    ['unknown && true', 'r.u == true && r.n > 0', { u, n: 2 }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['!unknown', '!(r.u == true)', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['unknown != true does not silently pass', 'r.u != true', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['unknown == "x" does not silently fail', 'r.u == "HEALTHY"', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['unknown compared as a number', 'r.u > 0', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['unknown passed to a method', 'r.u.upperAscii() == "X"', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['field of an unknown', 'r.u.enabled == true', { u }, 'not-assessed (u: GetAccount failed: AccessDenied)'],
    ['an Unknown the expression never reads', 'r.n > 0', { u, n: 2 }, 'pass'],
    ['both sides unknown: both named', 'r.u == true || r.w == true', { u, w: U('timeout') }, 'not-assessed (w: timeout; u: GetAccount failed: AccessDenied)'],
    ['partly known string', 'r.arn.startsWith("arn:aws:ses:")', { arn: partialString(['arn:aws:ses:', U('imported'), ':identity/x']) }, 'not-assessed (arn: imported)'],
  ])('%s', (_name, assert, props, expected) => {
    expect(kind(run(assert.replace(/\br\./g, 'resource.props.'), props))).toBe(expected);
  });
});

describe('lists: exists, all, in, size, equality', () => {
  const x = U('parameter X has no default');
  it.each([
    ['exists with a known-true element', 'r.l.exists(e, e.v == 1)', { l: [{ v: x }, { v: 1 }] }, 'pass'],
    ['exists with only false and unknown', 'r.l.exists(e, e.v == 1)', { l: [{ v: x }, { v: 2 }] }, 'not-assessed (l.v: parameter X has no default)'],
    ['all with a known-false element', 'r.l.all(e, e.v == 1)', { l: [{ v: x }, { v: 2 }] }, 'fail'],
    ['all with only true and unknown', 'r.l.all(e, e.v == 1)', { l: [{ v: 1 }, { v: x }] }, 'not-assessed (l.v: parameter X has no default)'],
    ['exists over unknown elements', 'r.t.exists(e, e == "b")', { t: [x, 'b'] }, 'pass'],
    ['all over unknown elements', 'r.t.all(e, e == "b")', { t: ['a', x] }, 'fail'],
    ['in: a known element matches', '"b" in r.t', { t: [x, 'b'] }, 'pass'],
    ['in: a known element matches first', '"b" in r.t', { t: ['b', x] }, 'pass'],
    ['in: no known match', '"c" in r.t', { t: ['b', x] }, 'not-assessed (t: parameter X has no default)'],
    ['in: only unknown elements', '"c" in r.t', { t: [x] }, 'not-assessed (t: parameter X has no default)'],
    ['the size of a list with unknown elements is known', 'size(r.t) == 2', { t: [x, 'b'] }, 'pass'],
    ['list equality does not silently differ', 'r.t == ["a", "b"]', { t: ['a', x] }, 'not-assessed (t: parameter X has no default)'],
    ['list equality, the other way round', '["a", "b"] == r.t', { t: ['a', x] }, 'not-assessed (t: parameter X has no default)'],
    ['list equality, unknown first', 'r.t == ["a", "b"]', { t: [x, 'b'] }, 'not-assessed (t: parameter X has no default)'],
    ['map equality does not silently differ', 'r.m == {"a": "b"}', { m: { a: x } }, 'not-assessed (m.a: parameter X has no default)'],
    ['concatenation', '"c" in r.t + ["d"]', { t: ['b', x] }, 'not-assessed (t: parameter X has no default)'],
    ['a whole unknown list', 'r.t.exists(e, e == "b")', { t: x }, 'not-assessed (t: parameter X has no default)'],
    ['filter then size', 'r.l.filter(e, e.v == 1).size() == 0', { l: [{ v: x }, { v: 2 }] }, 'not-assessed (l.v: parameter X has no default)'],
  ])('%s', (_name, assert, props, expected) => {
    expect(kind(run(assert.replace(/\br\./g, 'resource.props.'), props))).toBe(expected);
  });

  it('has() on an Unknown-valued property: conservative (not assessed), never a guess', () => {
    expect(run('has(resource.props.u)', { u: x }).kind).toBe('not-assessed');
    expect(run('has(resource.props.u) && resource.props.u == "x"', { u: x }).kind).toBe('not-assessed');
    expect(run('!has(resource.props.v)', { u: x }).kind).toBe('pass');
  });
});

describe('applies and assert', () => {
  it('an unknown that decides whether the check applies makes it not assessed', () => {
    expect(kind(run('true', { p: U('GetAccount failed') }, { applies: 'resource.props.p == true' }))).toBe('not-assessed (p: GetAccount failed)');
  });
  it('the issue #8 case: known identities prove it applies although production access is unknown', () => {
    const applies = 'resource.props.productionAccessEnabled == true || resource.props.verifiedIdentityCount > 0';
    const props = { productionAccessEnabled: U('ses:GetAccount failed: UnknownOperation'), verifiedIdentityCount: 2, alarms: [] };
    expect(run('alarmCoverage(resource.props.alarms, "bounce", 0.05).covered', props, { applies }).kind).toBe('fail');
    expect(run('alarmCoverage(resource.props.alarms, "bounce", 0.05).covered', { ...props, verifiedIdentityCount: 0 }, { applies }).kind).toBe('not-assessed');
  });
});

describe('domain functions', () => {
  it('receive raw values (Unknown markers) and their results are viewed again', () => {
    const subs = [{ endpoint: 'ops@example.com', confirmed: U('ListSubscriptionsByTopic failed') }, { endpoint: 'x@example.com', confirmed: true }];
    expect(run('known(resource.props.s).exists(x, x.confirmed == true)', { s: subs }).kind).toBe('pass');
    expect(kind(run('known(resource.props.s).exists(x, x.confirmed == true)', { s: [subs[0]] }))).toBe(
      'not-assessed (s.confirmed: ListSubscriptionsByTopic failed)',
    );
  });
  it('a NotAssessedError is absorbed by || when the other side decides', () => {
    const props = { alarms: U('DescribeAlarms failed'), n: 1 };
    expect(run('alarmCoverage(resource.props.alarms, "send").covered || resource.props.n > 0', props).kind).toBe('pass');
    const alarm = { alarmName: 'volume', namespace: 'AWS/SES', metricName: U('param'), metrics: [], comparisonOperator: 'GreaterThanThreshold', actionsEnabled: true, alarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops'] };
    expect(kind(run('alarmCoverage(resource.props.a, "send").covered', { a: [alarm] }))).toBe('not-assessed (alarm volume: the metric it watches is not known)');
    // The same alarm with its actions disabled cannot cover the metric whatever it watches: decided.
    expect(kind(run('alarmCoverage(resource.props.a, "send").covered', { a: [{ ...alarm, actionsEnabled: false }] }))).toBe('fail');
  });
});

describe('failing pairs', () => {
  it('keep their finding when the evidence expression runs into an Unknown', () => {
    const outcome = run('resource.props.n > 5', { n: 1, u: U('timeout') }, { details: '{"what": resource.props.u}' });
    expect(outcome).toMatchObject({ kind: 'fail', evidence: { evidenceNotComputed: 'u: timeout' } });
  });
  it('evidence shows Unknown parts of what it returns as markers', () => {
    const outcome = run('resource.props.n > 5', { n: 1, l: [{ v: U('timeout') }] }, { details: '{"what": resource.props.l}' });
    expect(outcome).toMatchObject({ kind: 'fail', evidence: { what: [{ v: { $unknown: 'timeout' } }] }, message: 'failed: {"v":{"$unknown":"timeout"}}' });
  });
});
