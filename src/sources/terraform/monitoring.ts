// CloudWatch alarms and CloudTrail trails from a Terraform plan, with the provider defaults
// (`actions_enabled` true, `enable_logging` true, `is_multi_region_trail` false, management events on).
// Composite alarms are read for the metric alarms they alert for (linkComposites), not judged themselves.
import { linkComposites, parseAlarmRule, type AlarmRule, type CompositeAlarmInput, type MetricAlarmInput } from '../../inventory/composite-alarms.js';
import { isUnknown, partialString, unknown, type CloudTrailTrailProps, type CloudWatchAlarmProps, type Maybe, type Resource } from '../../inventory/types.js';
import type { Context } from './context.js';
import type { TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, block, blocks, bool, field, num, str, strList, strListFlat } from './values.js';

const METRIC_ALARM = 'aws_cloudwatch_metric_alarm';
const COMPOSITE_ALARM = 'aws_cloudwatch_composite_alarm';

/** The Terraform resource types this adapter reads (a composite alarm only to complete the metric alarms it combines). */
export const MONITORING_RESOURCE_TYPES = [METRIC_ALARM, COMPOSITE_ALARM, 'aws_cloudtrail'];

/** The attributes of an alarm resource whose value names it in an AlarmRule (`id` is the alarm name). */
const NAMING_ATTRIBUTES = new Set(['alarm_name', 'arn', 'id']);

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

/** Each alarm resource's reference key: a text no alarm name holds (names have no control characters). */
type ReferenceKeys = Map<TfResource, string>;

/** The texts an AlarmRule may name an alarm resource by: its reference key, and its name and ARN when known. */
function alarmKeys(resource: TfResource, keys: ReferenceKeys): string[] {
  const out = [keys.get(resource)!];
  for (const attribute of ['alarm_name', 'arn']) {
    const value = resource.values[attribute];
    if (typeof value === 'string' && value !== '') out.push(value);
  }
  return out;
}

/**
 * A composite alarm's rule. A hole the reader knows to be exactly an alarm's name or ARN (`${aws_cloudwatch_metric_alarm
 * .bounce.arn}` in .tf source) becomes that alarm's reference key; any other hole may be any alarm's name.
 */
function alarmRule(ctx: Context, resource: TfResource, keys: ReferenceKeys): Maybe<string> {
  const raw = resource.values.alarm_rule;
  if (!isUnknown(raw)) return str(raw) ?? unknown(`alarm_rule of ${resource.address} is not set`);
  // A plan prints a rule built from values learnt while applying as wholly unknown: say what would make it known.
  if (raw.$unknown === KNOWN_AFTER_APPLY) return unknown(`${KNOWN_AFTER_APPLY} (it refers to values such as an alarm's arn; alarm_name is known when planning)`);
  if (!raw.parts) return raw;
  return partialString(
    raw.parts.map((part) => {
      if (typeof part === 'string') return part;
      const exact = ctx.model.standsFor?.(part);
      return (exact && NAMING_ATTRIBUTES.has(exact.attribute) && keys.get(exact.resource)) || part;
    }),
  );
}

function composite(ctx: Context, resource: TfResource, keys: ReferenceKeys): CompositeAlarmInput {
  const v = resource.values;
  const name = str(v.alarm_name) ?? unknown('not set');
  return {
    // When the name is unknown, the address says which composite a reason is about.
    name: isUnknown(name) ? unknown(`alarm_name of ${resource.address}: ${name.$unknown}`) : name,
    keys: alarmKeys(resource, keys),
    rule: alarmRule(ctx, resource, keys),
    actionsEnabled: bool(v.actions_enabled, true),
    // As for metric alarms: a set known only after apply (a topic being created) is one unknown action.
    alarmActions: strListFlat(v.alarm_actions),
  };
}

/** The names a rule writes out (its unknown parts left out); undefined when it cannot be read. */
function namesIn(rule: Maybe<string>): string[] | undefined {
  let text: string;
  if (typeof rule === 'string') text = rule;
  else if (rule.parts) text = rule.parts.map((part) => (typeof part === 'string' ? part : '\u0000')).join('');
  else return undefined;
  let parsed: AlarmRule;
  try {
    parsed = parseAlarmRule(text);
  } catch {
    return undefined;
  }
  const names: string[] = [];
  const walk = (r: AlarmRule): void => {
    if (r.kind === 'state') names.push(r.name);
    else if (r.kind === 'atLeast') names.push(...r.names);
    else if (r.kind === 'not') walk(r.rule);
    else if (r.kind === 'and' || r.kind === 'or') r.rules.forEach(walk);
  };
  walk(parsed);
  return names.filter((name) => !name.includes('\u0000'));
}

/** With composite alarms in the model, sets each metric alarm's `notifiedThrough` (inventory/composite-alarms.ts). */
function linkCompositeAlarms(ctx: Context, metricAlarms: { resource: TfResource; props: CloudWatchAlarmProps }[]): void {
  const composites = ctx.ofType(COMPOSITE_ALARM);
  if (composites.length === 0) return;
  const keys: ReferenceKeys = new Map([...metricAlarms.map((m) => m.resource), ...composites].map((r, i) => [r, `\u0001${i}\u0001`]));
  const inputs: MetricAlarmInput[] = metricAlarms.map(({ resource, props }) => ({ keys: alarmKeys(resource, keys), props }));
  const composed = composites.map((resource) => composite(ctx, resource, keys));
  linkComposites(inputs, composed);
  // An alarm whose own name is not known (a variable without value) may be what a rule names by a text that names no
  // alarm of the configuration: then a composite that may alert leaves the answer open, never a "no".
  const known = new Set([...inputs, ...composed].flatMap((alarm) => alarm.keys));
  const naming = composed.filter(
    (c) => c.actionsEnabled !== false && !(Array.isArray(c.alarmActions) && c.alarmActions.length === 0) && (namesIn(c.rule) ?? ['']).some((n) => !known.has(n)),
  );
  for (const { resource, props } of metricAlarms) {
    const through = props.notifiedThrough;
    if (!isUnknown(props.alarmName) || !Array.isArray(through) || through.length > 0 || naming.length === 0) continue;
    const label = typeof naming[0]!.name === 'string' ? naming[0]!.name : naming[0]!.name.$unknown;
    props.notifiedThrough = unknown(`alarm_name of ${resource.address} is not known (${props.alarmName.$unknown}), and composite alarm ${label} names alarms not in ${ctx.model.scope}`);
  }
}

export function adaptMonitoring(ctx: Context): Resource[] {
  const metricAlarms = ctx.ofType(METRIC_ALARM).map((resource) => ({ resource, props: alarm(resource.values) }));
  linkCompositeAlarms(ctx, metricAlarms);
  const out: Resource[] = metricAlarms.map(({ resource, props }) => ctx.emit('aws.cloudwatch.alarm', resource, props.alarmName, props));
  for (const resource of ctx.ofType('aws_cloudtrail')) {
    const props = trail(resource.values);
    out.push(ctx.emit('aws.cloudtrail.trail', resource, props.trailName, props));
  }
  return out;
}
