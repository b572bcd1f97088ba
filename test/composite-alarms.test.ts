// Composite alarms (src/inventory/composite-alarms.ts): AlarmRule parsing, which composites alert when a metric
// alarm fires (nested composites, AT_LEAST, cycles), three-valued when a composite cannot be read — and how the
// monitoring checks' functions read it (an alarm with its actions off, alerting through a composite, counts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotAssessedError } from '../src/errors.js';
import { alarmCoverage, alarmProblems } from '../src/functions/alarms.js';
import { type AlarmRule, type CompositeAlarmInput, linkComposites, parseAlarmRule } from '../src/inventory/composite-alarms.js';
import type { CloudWatchAlarmProps } from '../src/inventory/types.js';

const U = (reason: string) => ({ $unknown: reason }) as never;
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ops';

function metricAlarm(name: string, a: Partial<CloudWatchAlarmProps> = {}): CloudWatchAlarmProps {
  return {
    alarmName: name,
    namespace: 'AWS/SES',
    metricName: 'Reputation.BounceRate',
    metrics: [],
    threshold: 0.05,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    actionsEnabled: false,
    alarmActions: [],
    ...a,
  };
}

function composite(name: string, rule: string | ReturnType<typeof U>, a: Partial<CompositeAlarmInput> = {}): CompositeAlarmInput {
  return { name, keys: [name, `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${name}`], rule, actionsEnabled: true, alarmActions: [TOPIC], ...a };
}

/** notifiedThrough of the alarm `bounce` among `others`, given the composites. */
function through(composites: CompositeAlarmInput[], keys = ['bounce', 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:bounce']) {
  const bounce = metricAlarm('bounce');
  linkComposites([{ keys, props: bounce }, { keys: ['latency'], props: metricAlarm('latency') }], composites);
  return bounce.notifiedThrough;
}

describe('parseAlarmRule', () => {
  it.each<[string, AlarmRule]>([
    ['ALARM(bounce)', { kind: 'state', state: 'ALARM', name: 'bounce' }],
    ['ALARM("ses bounce (prod)")', { kind: 'state', state: 'ALARM', name: 'ses bounce (prod)' }],
    ['  ALARM( ses bounce )  ', { kind: 'state', state: 'ALARM', name: 'ses bounce' }],
    ['TRUE', { kind: 'const', value: true }],
    [
      'ALARM(a) AND NOT ALARM(b) OR OK(c)',
      {
        kind: 'or',
        rules: [
          { kind: 'and', rules: [{ kind: 'state', state: 'ALARM', name: 'a' }, { kind: 'not', rule: { kind: 'state', state: 'ALARM', name: 'b' } }] },
          { kind: 'state', state: 'OK', name: 'c' },
        ],
      },
    ],
    ['(ALARM(a) OR ALARM(b)) AND INSUFFICIENT_DATA(c)', { kind: 'and', rules: [{ kind: 'or', rules: [{ kind: 'state', state: 'ALARM', name: 'a' }, { kind: 'state', state: 'ALARM', name: 'b' }] }, { kind: 'state', state: 'INSUFFICIENT_DATA', name: 'c' }] }],
    ['AT_LEAST(2, ALARM, ("a", b, c))', { kind: 'atLeast', count: 2, percent: false, condition: 'ALARM', names: ['a', 'b', 'c'] }],
    ['AT_LEAST(50%, NOT_OK, (a, b))', { kind: 'atLeast', count: 50, percent: true, condition: 'NOT_OK', names: ['a', 'b'] }],
  ])('%s', (text, rule) => {
    expect(parseAlarmRule(text)).toEqual(rule);
  });

  it.each([
    ['ALARM(a', /expected "\)"/],
    ['ALARM(a) XOR ALARM(b)', /unexpected text at character 10/],
    ['ANOMALY(a)', /unknown function or operator ANOMALY/],
    ['ALARM("a) OR ALARM(b)', /unterminated quoted name/],
    ['AT_LEAST(x, ALARM, (a))', /expected a count/],
    ['', /expected a rule/],
  ])('refuses %j, saying where', (text, message) => {
    expect(() => parseAlarmRule(text)).toThrow(message);
  });
});

describe('linkComposites', () => {
  it.each<[string, CompositeAlarmInput[], unknown]>([
    ['a composite that alerts when either alarm fires', [composite('ses-any', 'ALARM(bounce) OR ALARM(latency)')], ['ses-any']],
    ['named by its ARN, in quotes', [composite('ses-any', 'ALARM("arn:aws:cloudwatch:us-east-1:111122223333:alarm:bounce")')], ['ses-any']],
    ['one that needs another alarm too', [composite('both', 'ALARM(bounce) AND ALARM(latency)')], []],
    ['one held back by another alarm', [composite('unless', 'ALARM(bounce) AND NOT ALARM(latency)')], []],
    ['one on another alarm only', [composite('other', 'ALARM(latency)')], []],
    ['NOT OK(bounce): true while it is in ALARM', [composite('not-ok', 'NOT OK(bounce)')], ['not-ok']],
    ['OK(bounce) OR FALSE', [composite('ok', 'OK(bounce) OR FALSE')], []],
    ['AT_LEAST(1, ALARM, …)', [composite('one-of', 'AT_LEAST(1, ALARM, (bounce, latency))')], ['one-of']],
    ['AT_LEAST(2, ALARM, …) of two', [composite('two-of', 'AT_LEAST(2, ALARM, (bounce, latency))')], []],
    ['AT_LEAST(50%, ALARM, …) of two', [composite('half', 'AT_LEAST(50%, ALARM, (bounce, latency))')], ['half']],
    ['AT_LEAST(1, NOT_ALARM, …): the other alarm decides', [composite('not', 'AT_LEAST(1, NOT_ALARM, (bounce, latency))')], []],
    ['a composite with its actions disabled', [composite('off', 'ALARM(bounce)', { actionsEnabled: false })], []],
    ['a composite without actions', [composite('none', 'ALARM(bounce)', { alarmActions: [] })], []],
    [
      'nested: a composite without actions inside one with actions',
      [composite('inner', 'ALARM(bounce) OR ALARM(latency)', { alarmActions: [] }), composite('outer', 'ALARM(inner)')],
      ['outer'],
    ],
    [
      'a cycle of composites',
      [composite('c1', 'ALARM(c2)'), composite('c2', 'ALARM(c1) OR ALARM(bounce)', { alarmActions: [] })],
      ['c1'],
    ],
    ['a cycle that never reaches the alarm', [composite('c1', 'ALARM(c2)'), composite('c2', 'ALARM(c1)')], []],
    ['no composite at all', [], undefined],
  ])('%s', (_, composites, expected) => {
    expect(through(composites)).toEqual(expected);
  });

  it('is Unknown when a composite that could alert cannot be read, unless another surely alerts', () => {
    expect(through([composite('c', U('Fn::Sub over a parameter'))])).toEqual(U('composite alarm c: AlarmRule: Fn::Sub over a parameter'));
    expect(through([composite('c', 'ANOMALY(bounce)')])).toEqual(U('composite alarm c: AlarmRule is not understood: unknown function or operator ANOMALY at character 8 of the alarm rule'));
    expect(through([composite('c', 'ALARM(bounce)', { actionsEnabled: U('a parameter') })])).toEqual(U('composite alarm c: ActionsEnabled: a parameter'));
    expect(through([composite('c', 'ALARM(bounce)', { alarmActions: U('a condition') })])).toEqual(U('composite alarm c: AlarmActions: a condition'));
    // Known "no" wins over an Unknown that could not alert anyway, and a sure "yes" wins over both.
    expect(through([composite('c', U('unresolved'), { actionsEnabled: false })])).toEqual([]);
    expect(through([composite('c', U('unresolved')), composite('sure', 'ALARM(bounce)')])).toEqual(['sure']);
    expect(through([composite(U('CloudFormation generates the name') as never, 'ALARM(bounce)')])).toEqual([
      '(a composite alarm whose name is not known: CloudFormation generates the name)',
    ]);
  });

  it('reads a rule with unknown names (references resolved at deployment) as far as its known text decides', () => {
    const hole = { $unknown: 'known after apply' };
    const partial = (...parts: (string | typeof hole)[]) => ({ $unknown: 'known after apply', parts }) as never;
    // Fires on `bounce` whatever the unknown name is.
    expect(through([composite('c', partial('ALARM(bounce) OR ALARM("', hole, '")'))])).toEqual(['c']);
    // Could fire on `bounce` if the unknown name were it: not known.
    expect(through([composite('c', partial('ALARM("', hole, '") OR ALARM(latency)'))])).toEqual(
      U('composite alarm c: AlarmRule names alarms not known before deployment (known after apply)'),
    );
    expect(through([composite('c', partial('ALARM("arn:aws:cloudwatch:us-east-1:111122223333:alarm:', hole, '")'))])).toEqual(
      U('composite alarm c: AlarmRule names alarms not known before deployment (known after apply)'),
    );
    // Cannot fire on `bounce` alone whatever the unknown name is.
    expect(through([composite('c', partial('ALARM("', hole, '") AND ALARM(latency)'))])).toEqual([]);
    expect(through([composite('c', partial('ALARM("', hole, '") AND FALSE'))])).toEqual([]);
    // Unknown text that breaks the syntax: the rule cannot be read.
    expect(through([composite('c', partial('ALARM(bounce) ', hole, ' ALARM(latency)'))])).toEqual(U('composite alarm c: AlarmRule: known after apply'));
  });

  it('is sound: what it calls sure holds in every state of the other alarms, and what it rules out holds in none', () => {
    const names = ['bounce', 'a', 'b'];
    const state = fc.constantFrom('ALARM', 'OK', 'INSUFFICIENT_DATA');
    const atom = fc.record({ s: state, n: fc.constantFrom(...names) }).map(({ s, n }) => `${s}(${n})`);
    const rule: fc.Arbitrary<string> = fc.letrec<{ r: string }>((tie) => ({
      r: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.constantFrom('TRUE', 'FALSE'),
        tie('r').map((r) => `NOT (${r})`),
        fc.tuple(tie('r'), tie('r'), fc.constantFrom('AND', 'OR')).map(([x, y, op]) => `(${x}) ${op} (${y})`),
        fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('ALARM', 'NOT_ALARM', 'OK', 'NOT_OK'), fc.subarray(names, { minLength: 1 })).map(([m, c, ns]) => `AT_LEAST(${m}, ${c}, (${ns.join(', ')}))`),
      ),
    })).r;
    // The rule's value for given states (a brute-force reference).
    const value = (r: AlarmRule, states: Record<string, string>): boolean => {
      switch (r.kind) {
        case 'const':
          return r.value;
        case 'state':
          return states[r.name] === r.state;
        case 'not':
          return !value(r.rule, states);
        case 'and':
          return r.rules.every((x) => value(x, states));
        case 'or':
          return r.rules.some((x) => value(x, states));
        case 'atLeast': {
          const hits = r.names.filter((n) => (r.condition.startsWith('NOT_') ? states[n] !== r.condition.slice(4) : states[n] === r.condition)).length;
          return hits >= (r.percent ? Math.ceil((r.count * r.names.length) / 100) : r.count);
        }
      }
    };
    const all = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
    fc.assert(
      fc.property(rule, (text) => {
        const parsed = parseAlarmRule(text);
        const outcomes = all.flatMap((a) => all.map((b) => value(parsed, { bounce: 'ALARM', a, b })));
        const linked = through([composite('c', text)], ['bounce']);
        if (Array.isArray(linked) && linked.length === 1) expect(outcomes.every(Boolean)).toBe(true);
        if (!outcomes.every(Boolean)) expect(linked).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the monitoring functions read notifiedThrough', () => {
  const quiet = metricAlarm('bounce');
  it('an alarm with its actions off, alerting through a composite, is wired right and covers its metric', () => {
    const wired = { ...quiet, notifiedThrough: ['ses-any'] };
    expect(alarmProblems(wired)).toEqual([]);
    expect(alarmCoverage([wired], 'bounce', 0.05)).toEqual({ covered: true, rejected: [] });
  });

  it('with no composite alerting, its own actions are judged as before — saying so when there are composites', () => {
    expect(alarmProblems(quiet)).toEqual(['alarm actions are disabled', 'the alarm has no alarm action']);
    expect(alarmCoverage([quiet], 'bounce', 0.05)).toEqual({ covered: false, rejected: [{ alarm: 'bounce', reasons: ['actions disabled', 'no alarm action'] }] });
    const none = { ...quiet, notifiedThrough: [] };
    expect(alarmProblems(none)).toEqual(['alarm actions are disabled', 'the alarm has no alarm action', 'no composite alarm with actions goes to ALARM whenever it does']);
    expect(alarmCoverage([none], 'bounce', 0.05).rejected).toEqual([{ alarm: 'bounce', reasons: ['actions disabled', 'no alarm action', 'no composite alarm alerts on it alone'] }]);
    // Its own actions alert: composites do not matter.
    expect(alarmProblems({ ...none, actionsEnabled: true, alarmActions: [TOPIC] })).toEqual([]);
  });

  it('is not assessed when the composite that may alert cannot be read — unless something else decides', () => {
    const open = { ...quiet, notifiedThrough: U('composite alarm c: AlarmRule: a parameter') };
    expect(() => alarmProblems(open)).toThrow(NotAssessedError);
    expect(() => alarmProblems(open)).toThrow('composite alarm c: AlarmRule: a parameter');
    expect(() => alarmCoverage([open], 'bounce', 0.05)).toThrow(NotAssessedError);
    // A threshold written as a percentage is wrong whoever is told.
    expect(alarmProblems({ ...open, threshold: 5 })).toEqual([expect.stringMatching(/^threshold 5 is above 0.1/)]);
    // Another alarm covers the metric: covered whatever the composite does.
    expect(alarmCoverage([open, metricAlarm('b2', { actionsEnabled: true, alarmActions: [TOPIC] })], 'bounce', 0.05).covered).toBe(true);
    // An alarm with its own actions does not need a composite.
    expect(alarmProblems({ ...open, actionsEnabled: true, alarmActions: [TOPIC] })).toEqual([]);
  });
});
