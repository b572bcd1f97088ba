// Monitoring resources of a template → aws.cloudwatch.alarm and aws.cloudtrail.trail, with the
// defaults CloudWatch and CloudTrail apply to properties left out. The template's composite alarms say whether
// an alarm with its actions off still alerts (notifiedThrough); a rule names an alarm of the template by its
// name or through `Ref` / `Fn::GetAtt …Arn`, which the intrinsics render as `${Logical}` / `${Logical.Arn}`.
import { linkComposites, type CompositeAlarmInput, type MetricAlarmInput } from '../../inventory/composite-alarms.js';
import { type CloudWatchAlarmProps, type Maybe, type Resource, isUnknown, unknown } from '../../inventory/types.js';
import type { TemplateContext } from './context.js';
import { physicalName } from './iam.js';
import { bool, isObj, list, num, obj, str, strings } from './values.js';

const ALARM = 'AWS::CloudWatch::Alarm';
const COMPOSITE = 'AWS::CloudWatch::CompositeAlarm';
const TRAIL = 'AWS::CloudTrail::Trail';

/**
 * The CloudFormation resource types this adapter reads. None refers to anything a check needs: an alarm's
 * actions are judged as written (an SNS topic ARN from elsewhere is still an action), a trail's bucket is not read.
 */
export const MONITORING_RESOURCE_TYPES: readonly string[] = [ALARM, COMPOSITE, TRAIL];

/** The texts by which a rule of this template may name the resource: its name, and its Ref / GetAtt Arn text. */
function ruleKeys(logicalId: string, name: Maybe<string>): string[] {
  return [`\${${logicalId}}`, `\${${logicalId}.Arn}`, ...(typeof name === 'string' ? [name] : [])];
}

function displayName(value: unknown, fallback: string): string {
  const name = str(value);
  return typeof name === 'string' ? name : fallback;
}

/**
 * Whether a trail records management events: classic selectors default to including them; advanced
 * selectors include them only through an `eventCategory = Management` selector; no selectors → all.
 */
function includesManagementEvents(properties: Record<string, unknown>): Maybe<boolean> {
  const advanced = list(properties.AdvancedEventSelectors);
  if (isUnknown(advanced)) return advanced;
  if (advanced.length > 0) {
    let undecided: Maybe<boolean> | undefined;
    for (const selector of advanced) {
      const fields = list(obj(selector).FieldSelectors);
      if (isUnknown(fields)) {
        undecided ??= fields;
        continue;
      }
      for (const field of fields) {
        const f = obj(field);
        if (f.Field !== 'eventCategory') continue;
        const equals = strings(f.Equals);
        if (isUnknown(equals)) undecided ??= equals;
        else if (equals.includes('Management')) return true;
      }
    }
    return undecided ?? false;
  }
  const selectors = list(properties.EventSelectors);
  if (isUnknown(selectors)) return selectors;
  if (selectors.length === 0) return true;
  let undecided: Maybe<boolean> | undefined;
  for (const selector of selectors) {
    const s = obj(selector);
    const included = bool(s.IncludeManagementEvents, true);
    if (isUnknown(included)) undecided ??= included;
    else if (included && s.ReadWriteType !== 'None') return true;
  }
  return undecided ?? false;
}

export function adaptMonitoring(context: TemplateContext): Resource[] {
  const out: Resource[] = [];
  const metricAlarms: MetricAlarmInput[] = [];
  for (const resource of context.ofType(ALARM)) {
    const p = resource.properties;
    const metrics = list(p.Metrics);
    const actions = strings(p.AlarmActions);
    const props: CloudWatchAlarmProps = {
      alarmName: physicalName(p.AlarmName, 'AlarmName'),
      // A metric-math alarm has no top-level metric: empty text says "none", not "unknown".
      namespace: str(p.Namespace) ?? '',
      metricName: str(p.MetricName) ?? '',
      metrics: isUnknown(metrics)
        ? [{ namespace: metrics, metricName: metrics }]
        : metrics
            .filter((m) => isObj(obj(m).MetricStat))
            .map((m) => {
              const metric = obj(obj(obj(m).MetricStat).Metric);
              return {
                namespace: str(metric.Namespace) ?? unknown('metric without Namespace'),
                metricName: str(metric.MetricName) ?? unknown('metric without MetricName'),
              };
            }),
      threshold: num(p.Threshold) ?? unknown('Threshold is not set'),
      comparisonOperator: str(p.ComparisonOperator) ?? unknown('ComparisonOperator is not set'),
      actionsEnabled: bool(p.ActionsEnabled, true),
      alarmActions: isUnknown(actions) ? [actions] : actions,
    };
    metricAlarms.push({ keys: ruleKeys(resource.logicalId, props.alarmName), props });
    out.push({
      type: 'aws.cloudwatch.alarm',
      id: context.id(resource),
      name: displayName(p.AlarmName, resource.logicalId),
      provenance: context.provenance(resource),
      props,
    });
  }
  const composites: CompositeAlarmInput[] = context.ofType(COMPOSITE).map((resource) => {
    const p = resource.properties;
    const name = physicalName(p.AlarmName, 'AlarmName');
    const actions = strings(p.AlarmActions);
    return {
      name: isUnknown(name) ? resource.logicalId : name,
      keys: ruleKeys(resource.logicalId, name),
      rule: str(p.AlarmRule) ?? unknown('AlarmRule is not set'),
      actionsEnabled: bool(p.ActionsEnabled, true),
      alarmActions: actions,
    };
  });
  linkComposites(metricAlarms, composites);
  for (const resource of context.ofType(TRAIL)) {
    const p = resource.properties;
    out.push({
      type: 'aws.cloudtrail.trail',
      id: context.id(resource),
      name: displayName(p.TrailName, resource.logicalId),
      provenance: context.provenance(resource),
      props: {
        trailName: physicalName(p.TrailName, 'TrailName'),
        isMultiRegionTrail: bool(p.IsMultiRegionTrail, false),
        isLogging: p.IsLogging === undefined ? unknown('IsLogging is not set') : bool(p.IsLogging, false),
        includesManagementEvents: includesManagementEvents(p),
      },
    });
  }
  return out;
}
