// CloudWatch collector (one account, one region): the metric alarms that read an AWS/SES metric, directly or
// through metric math, as `aws.cloudwatch.alarm` resources (SESG-MON-004) and as the region's alarm list that
// the SES collector links into `aws.ses.account` (SESG-MON-001..003). The same DescribeAlarms pages list the
// composite alarms, which say whether an alarm with its actions off still alerts (notifiedThrough).
import { CloudWatchClient, paginateDescribeAlarms, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { linkComposites, type CompositeAlarmInput } from '../../../inventory/composite-alarms.js';
import type { CloudWatchAlarmProps, Maybe, Resource } from '../../../inventory/types.js';
import { unknown } from '../../../inventory/types.js';
import type { AccountScope, Collected } from '../types.js';
import { arn, attemptPages, callError, clientOf, failed, provenance } from './util.js';

const SES_NAMESPACE = 'AWS/SES';

export interface CloudWatchCollected extends Collected {
  /** The region's SES alarms for `aws.ses.account.alarms`; Unknown when DescribeAlarms failed. */
  alarms: Maybe<CloudWatchAlarmProps[]>;
}

export function alarmProps(a: MetricAlarm): CloudWatchAlarmProps {
  const metrics = (a.Metrics ?? [])
    .filter((m) => m.MetricStat?.Metric)
    .map((m) => ({ namespace: m.MetricStat?.Metric?.Namespace ?? '', metricName: m.MetricStat?.Metric?.MetricName ?? '' }));
  return {
    alarmName: a.AlarmName ?? '',
    namespace: a.Namespace ?? '',
    metricName: a.MetricName ?? '',
    metrics,
    // Anomaly-detection alarms compare with a band (ThresholdMetricId), not a number.
    threshold: a.Threshold ?? unknown(`alarm ${a.AlarmName} has no static threshold`),
    comparisonOperator: a.ComparisonOperator ?? '',
    actionsEnabled: a.ActionsEnabled !== false,
    alarmActions: a.AlarmActions ?? [],
  };
}

function compositeInput(a: CompositeAlarm): CompositeAlarmInput {
  return {
    name: a.AlarmName ?? '',
    keys: [a.AlarmName, a.AlarmArn].filter((k): k is string => typeof k === 'string'),
    rule: a.AlarmRule ?? unknown(`composite alarm ${a.AlarmName} was listed without its AlarmRule`),
    actionsEnabled: a.ActionsEnabled !== false,
    alarmActions: a.AlarmActions ?? [],
  };
}

function readsSes(props: CloudWatchAlarmProps): boolean {
  return props.namespace === SES_NAMESPACE || props.metrics.some((m) => m.namespace === SES_NAMESPACE);
}

export async function collectCloudWatch(scope: AccountScope, region: string): Promise<CloudWatchCollected> {
  const client = clientOf(scope, CloudWatchClient, region);
  const listed = await attemptPages(scope, 'cloudwatch', 'cloudwatch:DescribeAlarms', paginateDescribeAlarms({ client }, { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  if (!listed.ok) {
    return {
      resources: [],
      errors: [callError(scope, region, 'cloudwatch:DescribeAlarms', listed.error, ['aws.cloudwatch.alarm'])],
      alarms: failed(listed),
    };
  }
  const resources: Resource<'aws.cloudwatch.alarm'>[] = [];
  for (const a of listed.value.flatMap((p) => p.MetricAlarms ?? [])) {
    const props = alarmProps(a);
    if (!readsSes(props)) continue;
    const id = a.AlarmArn ?? arn(scope, 'cloudwatch', region, `alarm:${a.AlarmName}`);
    resources.push({ type: 'aws.cloudwatch.alarm', id, name: a.AlarmName ?? id, provenance: provenance(scope, id, region), props });
  }
  linkComposites(
    resources.map((r) => ({ keys: [r.id, r.name], props: r.props })),
    listed.value.flatMap((p) => p.CompositeAlarms ?? []).map(compositeInput),
  );
  return { resources, errors: [], alarms: resources.map((r) => r.props) };
}
