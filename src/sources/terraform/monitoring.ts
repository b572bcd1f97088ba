// CloudWatch alarms and CloudTrail trails from a Terraform plan, with the provider defaults
// (`actions_enabled` true, `enable_logging` true, `is_multi_region_trail` false, management events on).
import { isUnknown, unknown, type CloudTrailTrailProps, type CloudWatchAlarmProps, type Maybe, type Resource } from '../../inventory/types.js';
import type { Context } from './context.js';
import { KNOWN_AFTER_APPLY, block, blocks, bool, field, num, str, strList, strListFlat } from './values.js';

/** The Terraform resource types this adapter reads. */
export const MONITORING_RESOURCE_TYPES = ['aws_cloudwatch_metric_alarm', 'aws_cloudtrail'];

function alarm(v: Record<string, unknown>): CloudWatchAlarmProps {
  const metrics: CloudWatchAlarmProps['metrics'] = [];
  for (const query of blocks(v.metric_query)) {
    if (isUnknown(query)) {
      metrics.push({ namespace: query, metricName: query });
      continue;
    }
    const metric = block(query.metric);
    if (metric === undefined) continue;
    metrics.push({
      namespace: str(field(metric, 'namespace')) ?? '',
      metricName: str(field(metric, 'metric_name')) ?? '',
    });
  }
  // A set holding a value known only after apply (a topic being created) is unknown as a whole: keep it
  // as one unknown action, so "has an action" is not decided on a guess.
  const alarmActions = strListFlat(v.alarm_actions);
  const threshold = num(v.threshold);
  return {
    alarmName: str(v.alarm_name) ?? unknown(KNOWN_AFTER_APPLY),
    namespace: str(v.namespace) ?? '',
    metricName: str(v.metric_name) ?? '',
    metrics,
    threshold:
      threshold ?? (v.threshold_metric_id ? unknown('the threshold is an anomaly detection band') : unknown('threshold is not set')),
    comparisonOperator: str(v.comparison_operator) ?? unknown('comparison_operator is not set'),
    actionsEnabled: bool(v.actions_enabled, true),
    alarmActions,
  };
}

/** True when the trail records management events (basic or advanced selectors; none means all). */
function managementEvents(v: Record<string, unknown>): Maybe<boolean> {
  const advanced = blocks(v.advanced_event_selector);
  if (advanced.length > 0) {
    let pending: Maybe<boolean> = false;
    for (const selector of advanced) {
      if (isUnknown(selector)) {
        pending = selector;
        continue;
      }
      for (const fieldSelector of blocks(selector.field_selector)) {
        if (isUnknown(fieldSelector)) {
          pending = fieldSelector;
          continue;
        }
        if (fieldSelector.field !== 'eventCategory') continue;
        const equals = strList(fieldSelector.equals);
        if (isUnknown(equals)) pending = equals;
        else if (equals.includes('Management')) return true;
      }
    }
    return pending;
  }
  const basic = blocks(v.event_selector);
  if (basic.length === 0) return true;
  let pending: Maybe<boolean> = false;
  for (const selector of basic) {
    const include = bool(field(selector, 'include_management_events'), true);
    const readWrite = str(field(selector, 'read_write_type'));
    if (include === true && readWrite !== 'None') return true;
    if (isUnknown(include)) pending = include;
  }
  return pending;
}

function trail(v: Record<string, unknown>): CloudTrailTrailProps {
  return {
    trailName: str(v.name) ?? unknown(KNOWN_AFTER_APPLY),
    isMultiRegionTrail: bool(v.is_multi_region_trail, false),
    isLogging: bool(v.enable_logging, true),
    includesManagementEvents: managementEvents(v),
  };
}

export function adaptMonitoring(ctx: Context): Resource[] {
  const out: Resource[] = [];
  for (const resource of ctx.ofType('aws_cloudwatch_metric_alarm')) {
    const props = alarm(resource.values);
    out.push(ctx.emit('aws.cloudwatch.alarm', resource, props.alarmName, props));
  }
  for (const resource of ctx.ofType('aws_cloudtrail')) {
    const props = trail(resource.values);
    out.push(ctx.emit('aws.cloudtrail.trail', resource, props.trailName, props));
  }
  return out;
}
