// SESG-DET-008: monitoring tampered with. Bounce/complaint feedback, reputation alarms and CloudTrail
// are how abuse gets noticed (seeds 000, 001 item 6, 002); an attacker turns them off first — CloudTrail
// included: a trail stopped, deleted, narrowed (event selectors, UpdateTrail settings) or a CloudTrail Lake
// event data store stopped, deleted or narrowed. A refused call changed nothing: it is reported apart, as an
// attempt, never as tampering.
import { CLOUDTRAIL, CLOUDWATCH, SES, isFalse, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { asArray, eventsByOutcome, failedWith, principalScope, shortPrincipal, str } from './util.js';
import { selectorLoss } from './event-selectors.js';
import { type Change, TrailHistory, trailChange } from './trail-changes.js';

const SES_EVENTS = [
  'DeleteConfigurationSetEventDestination',
  'UpdateConfigurationSetEventDestination',
  'DeleteConfigurationSet',
  'SetIdentityNotificationTopic',
  'SetIdentityFeedbackForwardingEnabled',
  'PutEmailIdentityFeedbackAttributes',
];
const ALARM_EVENTS = ['DeleteAlarms', 'DisableAlarmActions', 'PutMetricAlarm'];
const TRAIL_EVENTS = [
  'StopLogging',
  'DeleteTrail',
  'PutEventSelectors',
  'UpdateTrail',
  'StopEventDataStoreIngestion',
  'DeleteEventDataStore',
  'UpdateEventDataStore',
];
/** Read for what they configured, so an update that only re-sends a setting is not taken for a change. */
const TRAIL_CREATION = ['CreateTrail', 'CreateEventDataStore'];

/** An alarm is an SES alarm when its name says so or the logs show it was created on AWS/SES. */
const SES_ALARM_NAME = /(^|[^a-z])ses([^a-z]|$)|bounce|complaint|reputation/i;

function sesAlarmNames(events: TrailEvent[]): Set<string> {
  const names = new Set<string>();
  for (const event of events) {
    // A refused PutMetricAlarm created no alarm.
    if (event.name !== 'PutMetricAlarm' || event.errorCode) continue;
    const name = str(param(event.params, 'alarmName'));
    if (name && param(event.params, 'namespace') === 'AWS/SES') names.add(name);
  }
  return names;
}

function change(done: string, tried: string): Change {
  return { done, tried };
}

/** What the call switched off (or tried to), or null when it does not weaken monitoring. */
function tampering(event: TrailEvent, sesAlarms: Set<string>, history: TrailHistory, undecided: (reason: string) => void): Change | null {
  const p = event.params;
  const name = (key: string) => str(param(p, key)) ?? '?';
  switch (event.name) {
    case 'DeleteConfigurationSetEventDestination': {
      const what = `event destination ${name('eventDestinationName')} of configuration set ${name('configurationSetName')}`;
      return change(`deleted ${what}`, `delete ${what}`);
    }
    case 'UpdateConfigurationSetEventDestination': {
      const destination = (param(p, 'eventDestination') ?? p) as Record<string, unknown>;
      if (!isFalse(param(destination, 'enabled'))) return null;
      const what = `event destination ${str(param(destination, 'name')) ?? name('eventDestinationName')} of configuration set ${name('configurationSetName')}`;
      return change(`disabled ${what}`, `disable ${what}`);
    }
    case 'DeleteConfigurationSet':
      return change(`deleted configuration set ${name('configurationSetName')} with its event destinations`, `delete configuration set ${name('configurationSetName')} with its event destinations`);
    case 'SetIdentityNotificationTopic': {
      const type = str(param(p, 'notificationType')) ?? '';
      // Clearing the Bounce or Complaint topic silences the feedback; Delivery is informational.
      if (str(param(p, 'snsTopic')) || !/bounce|complaint/i.test(type)) return null;
      return change(`cleared the ${type} notification topic of ${name('identity')}`, `clear the ${type} notification topic of ${name('identity')}`);
    }
    case 'SetIdentityFeedbackForwardingEnabled':
      return isFalse(param(p, 'forwardingEnabled'))
        ? change(`disabled feedback forwarding for ${name('identity')}`, `disable feedback forwarding for ${name('identity')}`)
        : null;
    case 'PutEmailIdentityFeedbackAttributes':
      return isFalse(param(p, 'emailForwardingEnabled'))
        ? change(`disabled feedback forwarding for ${name('emailIdentity')}`, `disable feedback forwarding for ${name('emailIdentity')}`)
        : null;
    case 'DeleteAlarms':
    case 'DisableAlarmActions': {
      const names = asArray(param(p, 'alarmNames')).map(str).filter((n): n is string => n !== undefined);
      const ses = names.filter((n) => sesAlarms.has(n) || SES_ALARM_NAME.test(n));
      if (ses.length === 0) return null;
      const what = `SES alarm${ses.length > 1 ? 's' : ''} ${ses.join(', ')}`;
      return event.name === 'DeleteAlarms' ? change(`deleted ${what}`, `delete ${what}`) : change(`disabled the actions of ${what}`, `disable the actions of ${what}`);
    }
    case 'StopLogging':
      return change(`stopped CloudTrail logging of ${name('name')}`, `stop CloudTrail logging of ${name('name')}`);
    case 'DeleteTrail':
      return change(`deleted trail ${name('name')}`, `delete trail ${name('name')}`);
    case 'PutEventSelectors': {
      // Judged against the selectors an earlier PutEventSelectors in the logs set, else against "everything".
      const trail = str(param(p, 'trailName'));
      const loss = selectorLoss(p, trail ? history.trail(event, trail) : undefined);
      if (!loss) return null;
      const what = `the event selectors of trail ${name('trailName')} so that it ${loss}`;
      return change(`changed ${what}`, `change ${what}`);
    }
    default:
      return trailChange(event, history, undecided);
  }
}

export const detector: Detector = {
  id: 'SESG-DET-008',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const sesAlarms = sesAlarmNames(context.named('PutMetricAlarm'));
    const sources: Record<string, string> = {};
    for (const name of SES_EVENTS) sources[name] = SES;
    for (const name of ALARM_EVENTS) sources[name] = CLOUDWATCH;
    for (const name of [...TRAIL_EVENTS, ...TRAIL_CREATION]) sources[name] = CLOUDTRAIL;
    const history = new TrailHistory();
    const actions = new Map<TrailEvent, Change>();
    // In time order: each configuration call is judged against what the logs show before it.
    for (const event of context.named(...SES_EVENTS, ...ALARM_EVENTS, ...TRAIL_EVENTS, ...TRAIL_CREATION)) {
      if (sources[event.name] !== event.source) continue;
      const what = TRAIL_CREATION.includes(event.name) ? null : tampering(event, sesAlarms, history, (reason) => context.undecided(reason));
      history.learn(event);
      if (what) actions.set(event, what);
    }
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(actions.keys(), (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const cluster of gapClusters(items, windowMs)) {
          const what = distinct(cluster.map((e) => `${(actions.get(e) as Change)[attempt ? 'tried' : 'done']} (${e.region})`));
          hits.push({
            attempt,
            ...principalScope(principal, cluster),
            message: attempt
              ? `${shortPrincipal(principal)} tried to ${what.join(' and to ')}; ${failedWith(cluster)}. ` +
                `${cluster.length === 1 ? 'The call' : 'These calls'} changed nothing; find out who holds this credential.`
              : `${shortPrincipal(principal)} weakened monitoring: ${what.join('; ')}. ` +
                `Restore it now; activity after this point may be missing from the logs.`,
            events: cluster,
            details: { actions: what },
          });
        }
      }
    }
    return hits;
  },
};
