// Monitoring domain functions (src/functions/alarms.ts) as tables, and their CEL bindings through cel-js.
import { Environment } from '@marcbachmann/cel-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotAssessedError } from '../src/errors.js';
import type { CloudTrailTrailProps, CloudWatchAlarmProps } from '../src/inventory/types.js';
import { alarmCoverage, alarmProblems, anyTrailCovers, reputationAlarmKind, sesAlarmKinds, trailGaps } from '../src/functions/alarms.js';
import { resourceFunctions } from '../src/functions/resource-cel.js';

const U = (reason: string) => ({ $unknown: reason }) as never;

function alarm(a: Partial<CloudWatchAlarmProps>): CloudWatchAlarmProps {
  return {
    alarmName: 'ses-bounce',
    namespace: 'AWS/SES',
    metricName: 'Reputation.BounceRate',
    metrics: [],
    threshold: 0.05,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    actionsEnabled: true,
    alarmActions: ['arn:aws:sns:us-east-1:111122223333:ops'],
    ...a,
  };
}

describe('sesAlarmKinds / reputationAlarmKind', () => {
  it.each([
    ['bounce rate', alarm({}), ['bounce'], 'bounce'],
    ['complaint rate', alarm({ metricName: 'Reputation.ComplaintRate' }), ['complaint'], 'complaint'],
    ['send volume', alarm({ metricName: 'Send' }), ['send'], ''],
    ['another namespace', alarm({ namespace: 'AWS/EC2', metricName: 'CPUUtilization' }), [], ''],
    ['SES but not a watched metric', alarm({ metricName: 'Delivery' }), [], ''],
    ['same name, other namespace', alarm({ namespace: 'Custom/App' }), [], ''],
    [
      'metric math over both rates',
      alarm({
        namespace: undefined as never,
        metricName: undefined as never,
        metrics: [
          { namespace: 'AWS/SES', metricName: 'Reputation.ComplaintRate' },
          { namespace: 'AWS/SES', metricName: 'Reputation.BounceRate' },
        ],
      }),
      ['bounce', 'complaint'],
      'bounce',
    ],
    ['unknown namespace, unrelated metric', alarm({ namespace: U('p'), metricName: 'CPUUtilization' }), [], ''],
  ])('%s', (_name, a, kinds, kind) => {
    expect(sesAlarmKinds(a)).toEqual(kinds);
    expect(reputationAlarmKind(a)).toBe(kind);
  });

  it('an unknown namespace on a Send alarm cannot make it a reputation alarm', () => {
    expect(reputationAlarmKind(alarm({ namespace: U('p'), metricName: 'Send' }))).toBe('');
    expect(() => reputationAlarmKind(alarm({ namespace: U('p') }))).toThrow(NotAssessedError);
  });

  it('an unknown metric name in AWS/SES is not assessed', () => {
    expect(() => sesAlarmKinds(alarm({ metricName: U('parameter MetricName') }))).toThrow(NotAssessedError);
  });
});

describe('alarmProblems (SESG-MON-004)', () => {
  it.each([
    ['well wired bounce alarm', alarm({}), []],
    ['bounce at exactly 10 %', alarm({ threshold: 0.1 }), []],
    ['complaint at 0.5 %', alarm({ metricName: 'Reputation.ComplaintRate', threshold: 0.005 }), []],
    ['not a reputation alarm', alarm({ metricName: 'Send', threshold: 50000, actionsEnabled: false }), []],
    ['bounce threshold 5 meant as 5 %', alarm({ threshold: 5 }), ['threshold 5 is above 0.1']],
    ['complaint threshold 0.1 meant as 0.1 %', alarm({ metricName: 'Reputation.ComplaintRate', threshold: 0.1 }), ['threshold 0.1 is above 0.005']],
    ['actions disabled', alarm({ actionsEnabled: false }), ['alarm actions are disabled']],
    ['no action', alarm({ alarmActions: [] }), ['no alarm action']],
    ['fires when the rate falls', alarm({ comparisonOperator: 'LessThanThreshold' }), ['LessThanThreshold does not fire']],
    ['everything wrong', alarm({ threshold: 10, actionsEnabled: false, alarmActions: [] }), ['threshold 10', 'disabled', 'no alarm action']],
    [
      'metric math: threshold scale unknown, not judged',
      alarm({ namespace: undefined as never, metricName: undefined as never, metrics: [{ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate' }], threshold: 5 }),
      [],
    ],
  ])('%s', (_name, a, fragments) => {
    const problems = alarmProblems(a);
    expect(problems).toHaveLength(fragments.length);
    fragments.forEach((fragment, i) => expect(problems[i]).toContain(fragment));
  });

  it('an unknown threshold is not assessed when nothing else is wrong', () => {
    expect(() => alarmProblems(alarm({ threshold: U('parameter Threshold') }))).toThrow(/parameter Threshold/);
  });

  it('a known problem decides despite an unknown threshold', () => {
    expect(alarmProblems(alarm({ threshold: U('p'), actionsEnabled: false }))).toEqual(['alarm actions are disabled']);
  });

  it('any bounce threshold above 0.10 is a problem, any at or below is not', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (threshold) => {
        expect(alarmProblems(alarm({ threshold })).length > 0).toBe(threshold > 0.1);
      }),
    );
  });
});

describe('alarmCoverage (SESG-MON-001…003)', () => {
  it.each([
    ['a good bounce alarm', [alarm({})], 'bounce', 0.05, true, []],
    ['no alarms', [], 'bounce', 0.05, false, []],
    ['threshold above the configured max', [alarm({ threshold: 0.08 })], 'bounce', 0.05, false, ['threshold 0.08 above 0.05']],
    ['disabled', [alarm({ actionsEnabled: false })], 'bounce', 0.05, false, ['actions disabled']],
    ['no action', [alarm({ alarmActions: [] })], 'bounce', 0.05, false, ['no alarm action']],
    ['only a complaint alarm', [alarm({ metricName: 'Reputation.ComplaintRate', threshold: 0.001 })], 'bounce', 0.05, false, []],
    ['a bad and a good alarm', [alarm({ actionsEnabled: false }), alarm({ alarmName: 'good' })], 'bounce', 0.05, true, []],
    ['complaint alarm at the max', [alarm({ metricName: 'Reputation.ComplaintRate', threshold: 0.001 })], 'complaint', 0.001, true, []],
    ['send alarm, any threshold', [alarm({ metricName: 'Send', threshold: 40000 })], 'send', undefined, true, []],
    ['an alarm of unknown metric whose actions are disabled cannot cover', [alarm({ metricName: U('p'), actionsEnabled: false })], 'bounce', 0.05, false, []],
  ] as const)('%s', (_name, alarms, kind, max, covered, reasons) => {
    const coverage = alarmCoverage(alarms, kind, max);
    expect(coverage.covered).toBe(covered);
    expect(coverage.rejected.flatMap((r) => r.reasons)).toEqual(reasons);
  });

  it.each([
    ['unknown alarm list', U('DescribeAlarms: AccessDenied')],
    ['unknown threshold of the only candidate', [alarm({ threshold: U('p') })]],
    ['metric-math threshold above max', [alarm({ metrics: [{ namespace: 'AWS/SES', metricName: 'Reputation.BounceRate' }], threshold: 5 })]],
    ['a well-wired alarm of unknown metric', [alarm({ metricName: U('p') })]],
    ['an unknown alarm in the list', [U('alarm defined by a parameter')]],
  ])('not assessed: %s', (_name, alarms) => {
    expect(() => alarmCoverage(alarms, 'bounce', 0.05)).toThrow(NotAssessedError);
  });
});

describe('trails (SESG-MON-005)', () => {
  const trail = (t: Partial<CloudTrailTrailProps>): CloudTrailTrailProps => ({
    trailName: 'org',
    isMultiRegionTrail: true,
    isLogging: true,
    includesManagementEvents: true,
    ...t,
  });
  it.each([
    ['covering trail', trail({}), []],
    ['single region', trail({ isMultiRegionTrail: false }), ['not multi-region']],
    ['stopped', trail({ isLogging: false }), ['not logging']],
    ['data events only', trail({ includesManagementEvents: false }), ['not recording management events']],
    ['single region with unknown logging', trail({ isMultiRegionTrail: false, isLogging: U('p') }), ['not multi-region']],
  ])('trailGaps: %s', (_name, t, gaps) => {
    expect(trailGaps(t)).toEqual(gaps);
  });

  it.each([
    ['one covering trail among others', [trail({ isLogging: false }), trail({})], true],
    ['no trail', [], false],
    ['only regional trails', [trail({ isMultiRegionTrail: false })], false],
  ])('anyTrailCovers: %s', (_name, trails, expected) => {
    expect(anyTrailCovers(trails)).toBe(expected);
  });

  it('a trail whose logging status is unknown leaves the account not assessed', () => {
    expect(() => anyTrailCovers([trail({ isLogging: U('GetTrailStatus: AccessDenied') })])).toThrow(/GetTrailStatus/);
  });
});

describe('CEL bindings', () => {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  for (const fn of resourceFunctions) env.registerFunction(fn.signature, fn.handler);
  const config = { thresholds: { bounceAlarmMax: 0.05, complaintAlarmMax: 0.001 } };
  const run = (expression: string, props: unknown) => env.evaluate(expression, { resource: { props }, config });

  it.each([
    ['reputationAlarmKind(resource.props)', alarm({}), 'bounce'],
    ['sesAlarmKinds(resource.props)', alarm({ metricName: 'Send' }), ['send']],
    ['alarmProblems(resource.props).size()', alarm({ threshold: 5 }), 1n],
    ['alarmCoverage(resource.props.alarms, "bounce", config.thresholds.bounceAlarmMax).covered', { alarms: [alarm({})] }, true],
    ['alarmCoverage(resource.props.alarms, "complaint", config.thresholds.complaintAlarmMax).covered', { alarms: [alarm({})] }, false],
    ['alarmCoverage(resource.props.alarms, "send").covered', { alarms: [alarm({ metricName: 'Send', threshold: 1 })] }, true],
    ['alarmCoverage(resource.props.alarms, "bounce", 1).covered', { alarms: [alarm({ threshold: 0.5 })] }, true],
    ['trailGaps(resource.props)', { isMultiRegionTrail: false, isLogging: true, includesManagementEvents: true }, ['not multi-region']],
    ['anyTrailCovers(resource.props.trails)', { trails: [] }, false],
    ['fraction(resource.props.sent, resource.props.max)', { sent: 40000, max: 50000 }, 0.8],
  ])('%s', (expression, props, expected) => {
    expect(run(expression, props)).toEqual(expected);
  });

  it('a misspelt metric kind is an error, never a pass', () => {
    expect(() => run('alarmCoverage(resource.props.alarms, "bounces").covered', { alarms: [] })).toThrow(/bounces/);
  });

  it('fraction of an unlimited quota (-1) is not assessed', () => {
    expect(() => run('fraction(resource.props.sent, resource.props.max)', { sent: 1, max: -1 })).toThrow(/divide/);
  });
});
