// SESG-DET-008: monitoring tampered with. Bounce/complaint feedback, reputation alarms and CloudTrail
// are how abuse gets noticed (seeds 000, 001 item 6, 002); an attacker turns them off first.
import { CLOUDTRAIL, CLOUDWATCH, SES, isFalse, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { asArray, failures, principalScope, shortPrincipal, str } from './util.js';

const SES_EVENTS = [
  'DeleteConfigurationSetEventDestination',
  'UpdateConfigurationSetEventDestination',
  'DeleteConfigurationSet',
  'SetIdentityNotificationTopic',
  'SetIdentityFeedbackForwardingEnabled',
  'PutEmailIdentityFeedbackAttributes',
];
const ALARM_EVENTS = ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm'];
const TRAIL_EVENTS = ['StopLogging', 'DeleteTrail'];

/** An alarm is an SES alarm when its name says so or the logs show it was created on AWS/SES. */
const SES_ALARM_NAME = /(^|[^a-z])ses([^a-z]|$)|bounce|complaint|reputation/i;

function sesAlarmNames(events: TrailEvent[]): Set<string> {
  const names = new Set<string>();
  for (const event of events) {
    if (event.name !== 'PutMetricAlarm') continue;
    const name = str(param(event.params, 'alarmName'));
    if (name && param(event.params, 'namespace') === 'AWS/SES') names.add(name);
  }
  return names;
}

/** What the call switched off, or null when it did not weaken monitoring. */
function tampering(event: TrailEvent, sesAlarms: Set<string>): string | null {
  const p = event.params;
  switch (event.name) {
    case 'DeleteConfigurationSetEventDestination':
      return `deleted event destination ${str(param(p, 'eventDestinationName')) ?? '?'} of configuration set ${str(param(p, 'configurationSetName')) ?? '?'}`;
    case 'UpdateConfigurationSetEventDestination': {
      const destination = (param(p, 'eventDestination') ?? p) as Record<string, unknown>;
      return isFalse(param(destination, 'enabled'))
        ? `disabled event destination ${str(param(destination, 'name')) ?? str(param(p, 'eventDestinationName')) ?? '?'} of configuration set ${str(param(p, 'configurationSetName')) ?? '?'}`
        : null;
    }
    case 'DeleteConfigurationSet':
      return `deleted configuration set ${str(param(p, 'configurationSetName')) ?? '?'} with its event destinations`;
    case 'SetIdentityNotificationTopic': {
      const type = str(param(p, 'notificationType')) ?? '';
      // Clearing the Bounce or Complaint topic silences the feedback; Delivery is informational.
      if (str(param(p, 'snsTopic')) || !/bounce|complaint/i.test(type)) return null;
      return `cleared the ${type} notification topic of ${str(param(p, 'identity')) ?? '?'}`;
    }
    case 'SetIdentityFeedbackForwardingEnabled':
      return isFalse(param(p, 'forwardingEnabled')) ? `disabled feedback forwarding for ${str(param(p, 'identity')) ?? '?'}` : null;
    case 'PutEmailIdentityFeedbackAttributes':
      return isFalse(param(p, 'emailForwardingEnabled')) ? `disabled feedback forwarding for ${str(param(p, 'emailIdentity')) ?? '?'}` : null;
    case 'DeleteAlarms':
    case 'DisableAlarmActions': {
      const names = asArray(param(p, 'alarmNames')).map(str).filter((n): n is string => n !== undefined);
      const ses = names.filter((n) => sesAlarms.has(n) || SES_ALARM_NAME.test(n));
      if (ses.length === 0) return null;
      return `${event.name === 'DeleteAlarms' ? 'deleted' : 'disabled the actions of'} SES alarm${ses.length > 1 ? 's' : ''} ${ses.join(', ')}`;
    }
    case 'StopLogging':
      return `stopped CloudTrail logging of ${str(param(p, 'name')) ?? '?'}`;
    case 'DeleteTrail':
      return `deleted trail ${str(param(p, 'name')) ?? '?'}`;
    default:
      return null;
  }
}

export const detector: Detector = {
  id: 'SESG-DET-008',
  events: [
    { source: SES, names: SES_EVENTS },
    { source: CLOUDWATCH, names: ALARM_EVENTS },
    { source: CLOUDTRAIL, names: TRAIL_EVENTS },
  ],
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const sesAlarms = sesAlarmNames(context.named('PutMetricAlarm'));
    const sources: Record<string, string> = {};
    for (const name of SES_EVENTS) sources[name] = SES;
    for (const name of ALARM_EVENTS) sources[name] = CLOUDWATCH;
    for (const name of TRAIL_EVENTS) sources[name] = CLOUDTRAIL;
    const actions = new Map<TrailEvent, string>();
    for (const event of context.named(...SES_EVENTS, ...ALARM_EVENTS, ...TRAIL_EVENTS)) {
      if (sources[event.name] !== event.source) continue;
      const what = tampering(event, sesAlarms);
      if (what) actions.set(event, what);
    }
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(actions.keys(), (e) => e.principal)) {
      for (const cluster of gapClusters(events, windowMs)) {
        const what = distinct(cluster.map((e) => `${actions.get(e)} (${e.region})`));
        hits.push({
          ...principalScope(principal, cluster),
          message:
            `${shortPrincipal(principal)} weakened monitoring: ${what.join('; ')}${failures(cluster)}. ` +
            `Restore it now; activity after this point may be missing from the logs.`,
          events: cluster,
          details: { actions: what },
        });
      }
    }
    return hits;
  },
};
