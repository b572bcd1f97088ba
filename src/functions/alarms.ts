// Monitoring semantics for SESG-MON-*: which SES metric an alarm watches, how an SES reputation
// alarm is miswired, whether a region's alarms cover a metric, and whether a trail records the account.
// An alarm whose own actions are off still alerts through a composite alarm that alerts whenever it fires.
//
// SES publishes the reputation rates as fractions (0.05 = 5 %), so a threshold of `5` never fires.
// Unknown values are three-valued as in network.ts: NotAssessedError only when the answer depends on them.
import { NotAssessedError } from '../errors.js';
import { isUnknown, type CloudTrailTrailProps, type CloudWatchAlarmProps } from '../inventory/types.js';

export type SesMetricKind = 'bounce' | 'complaint' | 'send';

const SES_NAMESPACE = 'AWS/SES';
const METRIC_KIND: Record<string, SesMetricKind> = {
  'Reputation.BounceRate': 'bounce',
  'Reputation.ComplaintRate': 'complaint',
  Send: 'send',
};

/** Thresholds above which a reputation alarm is surely miswired (SESG-MON-004): 10 % and 0.5 %. */
export const MISWIRED_THRESHOLD: Record<'bounce' | 'complaint', number> = { bounce: 0.1, complaint: 0.005 };

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

const ALL_KINDS: readonly SesMetricKind[] = ['bounce', 'complaint', 'send'];

/** The SES metric kinds one (namespace, metric name) can be: one when both are known, several when not. */
function kindsOfMetric(namespace: unknown, metricName: unknown): readonly SesMetricKind[] {
  if (!isUnknown(namespace) && namespace !== SES_NAMESPACE) return [];
  if (isUnknown(metricName)) return ALL_KINDS;
  const kind = METRIC_KIND[String(metricName)];
  return kind ? [kind] : [];
}

/** Kinds an alarm surely reads, and kinds it may read (a namespace or metric name is Unknown). */
function alarmKinds(alarm: CloudWatchAlarmProps): { certain: Set<SesMetricKind>; possible: Set<SesMetricKind> } {
  const certain = new Set<SesMetricKind>();
  const possible = new Set<SesMetricKind>();
  if (isUnknown(alarm)) return { certain, possible: new Set(ALL_KINDS) };
  const metrics = isUnknown(alarm.metrics) ? null : (alarm.metrics ?? []);
  if (metrics === null) ALL_KINDS.forEach((k) => possible.add(k));
  for (const metric of [{ namespace: alarm.namespace, metricName: alarm.metricName }, ...(metrics ?? [])]) {
    const kinds = isUnknown(metric) ? ALL_KINDS : kindsOfMetric(metric.namespace, metric.metricName);
    const sure = !isUnknown(metric) && !isUnknown(metric.namespace) && !isUnknown(metric.metricName);
    for (const kind of kinds) {
      possible.add(kind);
      if (sure) certain.add(kind);
    }
  }
  return { certain, possible };
}

function alarmName(alarm: CloudWatchAlarmProps): string {
  return isUnknown(alarm) || isUnknown(alarm.alarmName) || alarm.alarmName === undefined ? '(unnamed alarm)' : String(alarm.alarmName);
}

/** True when the alarm evaluates a metric-math expression over `metrics[]` rather than one metric. */
export function isMetricMath(alarm: CloudWatchAlarmProps): boolean {
  return Array.isArray(alarm.metrics) && alarm.metrics.length > 0;
}

/**
 * The SES metrics (bounce, complaint, send) an alarm reads, directly or through metric math, in that
 * order. Throws NotAssessedError when a namespace or metric name that could be an SES metric is unknown.
 */
export function sesAlarmKinds(alarm: CloudWatchAlarmProps): SesMetricKind[] {
  const { certain, possible } = alarmKinds(alarm);
  if (certain.size === 0 && possible.size > 0) {
    throw new NotAssessedError(`alarm ${alarmName(alarm)}: the metric it watches is not known`);
  }
  return ALL_KINDS.filter((k) => certain.has(k));
}

/**
 * The reputation metric an alarm watches (bounce before complaint), or '' when it watches neither.
 * NotAssessedError only when an Unknown could change the answer (an unknown namespace on a `Send` alarm
 * cannot make it a reputation alarm).
 */
export function reputationAlarmKind(alarm: CloudWatchAlarmProps): 'bounce' | 'complaint' | '' {
  const { certain, possible } = alarmKinds(alarm);
  for (const kind of ['bounce', 'complaint'] as const) {
    if (certain.has(kind)) return kind;
    if (possible.has(kind)) throw new NotAssessedError(`alarm ${alarmName(alarm)}: the metric it watches is not known`);
  }
  return '';
}

/** True for operators that fire when the value rises (a rate getting worse). */
function firesOnRise(operator: string): boolean {
  return /^GreaterThan/i.test(operator);
}

/**
 * Why nobody is told when the alarm fires ([] when someone is): its own actions are disabled or empty, and no
 * composite alarm alerts whenever it is in ALARM (`notifiedThrough`, see inventory/composite-alarms.ts). `pending`
 * names the Unknown the answer depends on.
 */
function actionGaps(alarm: CloudWatchAlarmProps, say: { disabled: string; none: string; noComposite: string }): { reasons: string[]; pending: string | null } {
  const reasons: string[] = [];
  let pending: string | null = null;
  if (isUnknown(alarm.actionsEnabled)) pending ??= `actionsEnabled: ${alarm.actionsEnabled.$unknown}`;
  else if (alarm.actionsEnabled !== true) reasons.push(say.disabled);
  if (isUnknown(alarm.alarmActions)) pending ??= `alarmActions: ${alarm.alarmActions.$unknown}`;
  else if (!Array.isArray(alarm.alarmActions) || alarm.alarmActions.length === 0) reasons.push(say.none);
  if (reasons.length === 0 && pending === null) return { reasons, pending };
  const through = alarm.notifiedThrough;
  if (Array.isArray(through) && through.length > 0) return { reasons: [], pending: null };
  // Its own actions do not alert, but a composite alarm may: open until that composite can be read.
  if (isUnknown(through)) return { reasons: [], pending: through.$unknown };
  // There are composite alarms, and none alerts on this one alone: say so, or the author looks for one.
  if (Array.isArray(through) && reasons.length > 0) reasons.push(say.noComposite);
  return { reasons, pending };
}

/**
 * What is wrong with an alarm on an SES reputation metric (SESG-MON-004), as sentences; [] when it is
 * wired right. The threshold test is skipped for metric-math alarms: their expression may scale the
 * rate (e.g. `m1 * 100`), so the threshold's unit is not known.
 */
export function alarmProblems(alarm: CloudWatchAlarmProps): string[] {
  const kind = reputationAlarmKind(alarm);
  if (kind === '') return [];
  const problems: string[] = [];
  let undecided: string | null = null;
  if (!isMetricMath(alarm)) {
    if (isUnknown(alarm.threshold)) undecided ??= `threshold: ${alarm.threshold.$unknown}`;
    else {
      const threshold = num(alarm.threshold);
      const max = MISWIRED_THRESHOLD[kind];
      if (threshold !== undefined && threshold > max) {
        problems.push(
          `threshold ${threshold} is above ${max}: SES reports the ${kind} rate as a fraction (0.05 = 5 %), so it will never fire`,
        );
      }
    }
  }
  if (isUnknown(alarm.comparisonOperator)) undecided ??= `comparisonOperator: ${alarm.comparisonOperator.$unknown}`;
  else if (typeof alarm.comparisonOperator === 'string' && !firesOnRise(alarm.comparisonOperator)) {
    problems.push(`comparison operator ${alarm.comparisonOperator} does not fire when the rate rises`);
  }
  const actions = actionGaps(alarm, {
    disabled: 'alarm actions are disabled',
    none: 'the alarm has no alarm action',
    noComposite: 'no composite alarm with actions goes to ALARM whenever it does',
  });
  problems.push(...actions.reasons);
  if (actions.pending !== null) undecided ??= actions.pending;
  if (problems.length === 0 && undecided !== null) throw new NotAssessedError(`alarm ${alarmName(alarm)}: ${undecided}`);
  return problems;
}

/** How a region's alarms cover one SES metric (SESG-MON-001…003). */
export interface AlarmCoverage {
  covered: boolean;
  /** Alarms on the metric that do not count, each with why. */
  rejected: { alarm: string; reasons: string[] }[];
}

/**
 * Whether an enabled alarm with at least one action watches `kind` with threshold ≤ `max` and an
 * operator that fires on a rise. `max` is ignored for `send` (any volume alarm counts). A metric-math
 * alarm whose threshold exceeds `max` cannot be judged (unknown scale): with no other covering alarm,
 * that is not assessed.
 */
export function alarmCoverage(alarms: unknown, kind: SesMetricKind, max?: number): AlarmCoverage {
  if (isUnknown(alarms)) throw new NotAssessedError(`alarms: ${alarms.$unknown}`);
  const list = Array.isArray(alarms) ? (alarms as CloudWatchAlarmProps[]) : [];
  const rejected: AlarmCoverage['rejected'] = [];
  let undecided: string | null = null;
  for (const alarm of list) {
    const { certain, possible } = alarmKinds(alarm);
    if (!possible.has(kind)) continue;
    if (isUnknown(alarm)) {
      undecided ??= `an alarm: ${alarm.$unknown}`;
      continue;
    }
    // On the metric for sure, or maybe (an Unknown namespace or metric name): a maybe-alarm that a known
    // reason rejects cannot cover it either way, one that could cover it leaves the answer open.
    const sure = certain.has(kind);
    const reasons: string[] = [];
    let pending: string | null = null;
    const actions = actionGaps(alarm, { disabled: 'actions disabled', none: 'no alarm action', noComposite: 'no composite alarm alerts on it alone' });
    reasons.push(...actions.reasons);
    if (actions.pending !== null) pending ??= actions.pending;
    if (isUnknown(alarm.comparisonOperator)) pending ??= `comparisonOperator: ${alarm.comparisonOperator.$unknown}`;
    else if (typeof alarm.comparisonOperator === 'string' && !firesOnRise(alarm.comparisonOperator)) {
      reasons.push(`operator ${alarm.comparisonOperator}`);
    }
    if (kind !== 'send' && max !== undefined) {
      if (isUnknown(alarm.threshold)) pending ??= `threshold: ${alarm.threshold.$unknown}`;
      else {
        const threshold = num(alarm.threshold);
        if (threshold === undefined) reasons.push('no threshold');
        else if (threshold > max) {
          if (isMetricMath(alarm)) pending ??= `metric-math threshold ${threshold} cannot be compared with ${max}`;
          else reasons.push(`threshold ${threshold} above ${max}`);
        }
      }
    }
    if (reasons.length > 0) {
      if (sure) rejected.push({ alarm: alarmName(alarm), reasons });
    } else if (!sure) undecided ??= `alarm ${alarmName(alarm)}: the metric it watches is not known`;
    else if (pending !== null) undecided ??= `alarm ${alarmName(alarm)}: ${pending}`;
    else return { covered: true, rejected: [] };
  }
  if (undecided !== null) throw new NotAssessedError(undecided);
  return { covered: false, rejected };
}

/** What keeps a trail from recording the account's management events everywhere; [] when nothing. */
export function trailGaps(trail: CloudTrailTrailProps): string[] {
  const gaps: string[] = [];
  let undecided: string | null = null;
  const need: [keyof CloudTrailTrailProps, string][] = [
    ['isMultiRegionTrail', 'not multi-region'],
    ['isLogging', 'not logging'],
    ['includesManagementEvents', 'not recording management events'],
  ];
  for (const [key, gap] of need) {
    const value = trail[key];
    if (isUnknown(value)) undecided ??= `${key}: ${value.$unknown}`;
    else if (value !== true) gaps.push(gap);
  }
  if (gaps.length === 0 && undecided !== null) throw new NotAssessedError(undecided);
  return gaps;
}

/** True when some trail is multi-region, logging and recording management events. */
export function anyTrailCovers(trails: unknown): boolean {
  if (isUnknown(trails)) throw new NotAssessedError(`trails: ${trails.$unknown}`);
  let undecided: string | null = null;
  for (const trail of Array.isArray(trails) ? (trails as CloudTrailTrailProps[]) : []) {
    try {
      if (trailGaps(trail).length === 0) return true;
    } catch (error) {
      undecided ??= (error as Error).message;
    }
  }
  if (undecided !== null) throw new NotAssessedError(undecided);
  return false;
}
