// The live scan reads composite alarms from the same DescribeAlarms pages as the metric alarms (pages of two, so
// that one page holds some of each) and links them: an SES alarm with its actions off that alerts through a
// composite is wired right (SESG-MON-004) and covers its metric (SESG-MON-001); one behind an AND is not.
import { beforeAll, describe, expect, it } from 'vitest';
import { celConfig, defaultConfig } from '../src/config/types.js';
import { evaluateAll } from '../src/engine/evaluate.js';
import { loadChecks } from '../src/engine/load.js';
import type { CloudWatchAlarmProps } from '../src/inventory/types.js';
import { collectCloudWatch, collectSes } from '../src/sources/aws/collectors/index.js';
import { staticScope } from '../src/sources/aws/collectors/static-scope.js';
import { startFakeAws, type FakeAws, type MetricAlarmScenario, type Scenario } from '../src/testing/fake-aws/index.js';

const MAIL = '333333333333';
const TOPIC = `arn:aws:sns:us-east-1:${MAIL}:ses-alerts`;
const quiet = (AlarmName: string, MetricName: string): MetricAlarmScenario => ({
  AlarmName,
  Namespace: 'AWS/SES',
  MetricName,
  Statistic: 'Maximum',
  Period: 3600,
  EvaluationPeriods: 1,
  Threshold: MetricName === 'Reputation.BounceRate' ? 0.05 : 0.001,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  ActionsEnabled: false,
});

function scenario(compositeAlarms: NonNullable<NonNullable<NonNullable<Scenario['accounts'][0]['regions']>[string]['cloudwatch']>['compositeAlarms']>): Scenario {
  return {
    organization: { Id: 'o-composite01', MasterAccountId: MAIL, roots: [{ Id: 'r-root' }] },
    accounts: [
      {
        Id: MAIL,
        Name: 'mail',
        parentId: 'r-root',
        enabledRegions: ['us-east-1'],
        regions: {
          'us-east-1': {
            ses: { account: { ProductionAccessEnabled: true } },
            cloudwatch: {
              alarms: [
                quiet('ses-bounce', 'Reputation.BounceRate'),
                quiet('ses-complaint', 'Reputation.ComplaintRate'),
                { AlarmName: 'deploying', Namespace: 'Custom/Deploy', MetricName: 'InProgress', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' },
              ],
              compositeAlarms,
            },
          },
        },
      },
    ],
  };
}

async function collect(s: Scenario) {
  const fake: FakeAws = await startFakeAws(s, { pageSize: 2 });
  try {
    const scope = staticScope({ endpoint: fake.endpoint, accountId: MAIL, credentials: { accessKeyId: `ASIA${MAIL}TEST`, secretAccessKey: 's', sessionToken: 't' } });
    const cw = await collectCloudWatch(scope, 'us-east-1');
    const ses = await collectSes(scope, { region: 'us-east-1', alarms: cw.alarms, notificationIntervalMs: 0 });
    expect([...cw.errors, ...ses.errors]).toEqual([]);
    const resources = [...cw.resources, ...ses.resources];
    const evaluations = evaluateAll(loadChecks(), { resources, organizationAccounts: [MAIL] }, { config: celConfig(defaultConfig(), new Date('2026-12-01T00:00:00Z'), 'o-composite01'), org: [MAIL] });
    const status = (checkId: string, type: string, name?: string) => {
      const resource = resources.find((r) => r.type === type && (name === undefined || r.name === name));
      return evaluations.find((e) => e.checkId === checkId && e.resourceId === resource?.id)?.outcome.kind ?? 'missing';
    };
    return { cw, status, describeCalls: fake.calls.filter((c) => c.operation === 'DescribeAlarms').length };
  } finally {
    await fake.close();
  }
}

let both: Awaited<ReturnType<typeof collect>>;
beforeAll(async () => {
  both = await collect(
    scenario([
      // The reputation alarms alert through this one (its rule names them by name and by ARN).
      { AlarmName: 'ses-health', AlarmRule: `ALARM(ses-bounce) OR ALARM("arn:aws:cloudwatch:us-east-1:${MAIL}:alarm:ses-complaint")`, AlarmActions: [TOPIC] },
      // Held back while a deployment runs: not on the bounce alarm alone.
      { AlarmName: 'ses-bounce-outside-deploys', AlarmRule: 'ALARM(ses-bounce) AND NOT ALARM(deploying)', AlarmActions: [TOPIC] },
    ]),
  );
});

describe('composite alarms in the live scan', () => {
  it('are read from the same paginated DescribeAlarms call and linked to the SES alarms', () => {
    // 3 metric + 2 composite alarms in pages of two: three pages of one call.
    expect(both.describeCalls).toBe(3);
    const byName = Object.fromEntries(both.cw.resources.map((r) => [r.name, (r.props as CloudWatchAlarmProps).notifiedThrough]));
    expect(byName).toEqual({ 'ses-bounce': ['ses-health'], 'ses-complaint': ['ses-health'] });
  });

  it('make an SES alarm with its actions off that alerts through a composite pass SESG-MON-001, 002 and 004', () => {
    expect(both.status('SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-bounce')).toBe('pass');
    expect(both.status('SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-complaint')).toBe('pass');
    expect(both.status('SESG-MON-001', 'aws.ses.account')).toBe('pass');
    expect(both.status('SESG-MON-002', 'aws.ses.account')).toBe('pass');
  });

  it('do not count when the rule needs another alarm too', async () => {
    const held = await collect(scenario([{ AlarmName: 'ses-bounce-outside-deploys', AlarmRule: 'ALARM(ses-bounce) AND NOT ALARM(deploying)', AlarmActions: [TOPIC] }]));
    expect(held.cw.resources.map((r) => [r.name, (r.props as CloudWatchAlarmProps).notifiedThrough])).toEqual([
      ['ses-bounce', []],
      ['ses-complaint', []],
    ]);
    expect(held.status('SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-bounce')).toBe('fail');
    expect(held.status('SESG-MON-001', 'aws.ses.account')).toBe('fail');
  });

  it('leave the alarm not assessed when a composite that could alert has a rule sesguard cannot read', async () => {
    const odd = await collect(scenario([{ AlarmName: 'future', AlarmRule: 'ANOMALY_OF(ses-bounce)', AlarmActions: [TOPIC] }]));
    expect(odd.status('SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-bounce')).toBe('not-assessed');
    expect(odd.status('SESG-MON-001', 'aws.ses.account')).toBe('not-assessed');
    // The complaint alarm is not named by it, but an unreadable rule could name any alarm.
    expect(odd.status('SESG-MON-004', 'aws.cloudwatch.alarm', 'ses-complaint')).toBe('not-assessed');
  });
});
