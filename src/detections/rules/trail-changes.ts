// What a change to CloudTrail's own configuration switches off, for SESG-DET-008, beside StopLogging,
// DeleteTrail and event selectors: UpdateTrail settings that make a trail record less (its home region
// only, no global service events, not the Organization's accounts) or prove less (no digest files, no
// CloudWatch Logs delivery), and CloudTrail Lake event data stores stopped, deleted or narrowed the same
// ways. A setting counts as a change only: when the logs show the trail or store already had it (its
// CreateTrail / CreateEventDataStore, or an earlier update or PutEventSelectors), sending it again weakens
// nothing — what CloudFormation and Terraform do when they re-apply a whole configuration.
import { isFalse, param } from '../event.js';
import type { TrailEvent } from '../types.js';
import { hasSelectors, selectorLoss } from './event-selectors.js';
import { str } from './util.js';

/** A monitoring change in the two forms messages need: done ("deleted trail x") and tried ("delete trail x"). */
export interface Change {
  done: string;
  tried: string;
}

type Params = Record<string, unknown>;

/** One setting: its request parameter, its name in the configuration CloudTrail returns, and what turning it off does. */
interface Setting {
  request: string;
  state: string;
  /** The request turns it off. */
  weakens: (value: unknown) => boolean;
  /** The configuration already had it off. */
  wasOff: (value: unknown) => boolean;
  effect: string;
}

const off = (key: string, state: string, effect: string): Setting => ({ request: key, state, weakens: isFalse, wasOff: isFalse, effect });

const TRAIL_SETTINGS: Setting[] = [
  off('isMultiRegionTrail', 'isMultiRegionTrail', 'records only its home region'),
  off('includeGlobalServiceEvents', 'includeGlobalServiceEvents', 'no longer records global service events (IAM and STS calls such as CreateAccessKey)'),
  off('isOrganizationTrail', 'isOrganizationTrail', "no longer records the Organization's member accounts"),
  off('enableLogFileValidation', 'logFileValidationEnabled', 'no longer writes digest files (log file validation off)'),
  {
    // UpdateTrail removes CloudWatch Logs delivery when given an empty log group.
    request: 'cloudWatchLogsLogGroupArn',
    state: 'cloudWatchLogsLogGroupArn',
    weakens: (value) => value === '',
    wasOff: (value) => str(value) === undefined,
    effect: 'no longer delivers its events to CloudWatch Logs (metric filters and alarms on them go quiet)',
  },
];

const STORE_SETTINGS: Setting[] = [
  off('multiRegionEnabled', 'multiRegionEnabled', 'records only its home region'),
  off('organizationEnabled', 'organizationEnabled', "no longer records the Organization's member accounts"),
  off('terminationProtectionEnabled', 'terminationProtectionEnabled', 'can be deleted (termination protection off)'),
];

/** The last path segment of an ARN (`…:trail/org-trail` → `org-trail`), or the name itself. */
function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

/**
 * The configurations of trails and event data stores as the logs show them so far, fed in time order.
 * Keys: account and region (trail names are unique per region) or account (store ids are unique).
 */
export class TrailHistory {
  private readonly trails = new Map<string, Params>();
  private readonly stores = new Map<string, Params>();

  private trailKey(event: TrailEvent, name: string): string {
    return `${event.account}/${event.region}/${lastSegment(name)}`;
  }

  private storeKey(event: TrailEvent, store: string): string {
    return `${event.account}/${lastSegment(store)}`;
  }

  /** Records what a successful CreateTrail / UpdateTrail / PutEventSelectors / CreateEventDataStore / UpdateEventDataStore configured. */
  learn(event: TrailEvent): void {
    if (event.errorCode) return;
    const response = event.response ?? {};
    if (event.name === 'PutEventSelectors') {
      const name = str(param(event.params, 'trailName')) ?? str(param(response, 'trailARN'));
      if (!name) return;
      const key = this.trailKey(event, name);
      // The new selectors replace the old ones, basic and advanced alike.
      const { eventSelectors: _basic, advancedEventSelectors: _advanced, ...rest } = this.trails.get(key) ?? {};
      const selectors = hasSelectors(response) ? response : event.params;
      const kept: Params = {};
      for (const field of ['eventSelectors', 'advancedEventSelectors']) {
        const value = param(selectors, field);
        if (value !== undefined && value !== null) kept[field] = value;
      }
      this.trails.set(key, { ...rest, ...kept });
    } else if (event.name === 'CreateTrail' || event.name === 'UpdateTrail') {
      const name = str(param(response, 'name')) ?? str(param(event.params, 'name'));
      if (!name) return;
      const key = this.trailKey(event, name);
      this.trails.set(key, { ...this.trails.get(key), ...asState(event.params, TRAIL_SETTINGS), ...response });
    } else if (event.name === 'CreateEventDataStore' || event.name === 'UpdateEventDataStore') {
      const store = str(param(response, 'eventDataStoreArn')) ?? str(param(event.params, 'eventDataStore'));
      if (!store) return;
      const key = this.storeKey(event, store);
      const requested = { ...asState(event.params, STORE_SETTINGS), ...selectorsOf(event.params) };
      this.stores.set(key, { ...this.stores.get(key), ...requested, ...response });
    }
  }

  trail(event: TrailEvent, name: string): Params | undefined {
    return this.trails.get(this.trailKey(event, name));
  }

  store(event: TrailEvent, store: string): Params | undefined {
    return this.stores.get(this.storeKey(event, store));
  }
}

/** A request's settings under the names CloudTrail's configuration uses (for logs whose responses were dropped). */
function asState(params: Params | null, settings: Setting[]): Params {
  const out: Params = {};
  for (const setting of settings) {
    const value = param(params, setting.request);
    if (value !== undefined) out[setting.state] = value;
  }
  return out;
}

function selectorsOf(params: Params | null): Params {
  const selectors = param(params, 'advancedEventSelectors');
  return selectors === undefined ? {} : { advancedEventSelectors: selectors };
}

/** What the request turns off that `before` (when the logs show it) did not already have off. */
function weakened(params: Params | null, settings: Setting[], before: Params | undefined): string[] {
  return settings
    .filter((setting) => {
      if (!setting.weakens(param(params, setting.request))) return false;
      const previous = param(before, setting.state);
      return previous === undefined || !setting.wasOff(previous);
    })
    .map((setting) => setting.effect);
}

/**
 * What a CloudTrail configuration call switched off (or tried to), or null when it weakens nothing.
 * `undecided` receives what the logs cannot decide: narrowed selectors of an event data store whose
 * earlier configuration is not in them (a store may have been made for data events only).
 */
export function trailChange(event: TrailEvent, history: TrailHistory, undecided: (reason: string) => void): Change | null {
  const p = event.params;
  switch (event.name) {
    case 'UpdateTrail': {
      const name = str(param(p, 'name'));
      const effects = weakened(p, TRAIL_SETTINGS, name ? history.trail(event, name) : undefined);
      if (effects.length === 0) return null;
      const what = `trail ${name ? lastSegment(name) : '?'} so that it ${effects.join(' and ')}`;
      return { done: `changed ${what}`, tried: `change ${what}` };
    }
    case 'StopEventDataStoreIngestion':
    case 'DeleteEventDataStore': {
      const store = str(param(p, 'eventDataStore'));
      const what = `CloudTrail Lake event data store ${storeName(event, history, store)}`;
      return event.name === 'DeleteEventDataStore'
        ? { done: `deleted ${what}`, tried: `delete ${what}` }
        : { done: `stopped the ingestion of ${what}`, tried: `stop the ingestion of ${what}` };
    }
    case 'UpdateEventDataStore': {
      const store = str(param(p, 'eventDataStore'));
      const before = store ? history.store(event, store) : undefined;
      const effects = weakened(p, STORE_SETTINGS, before);
      const name = storeName(event, history, store);
      if (hasSelectors(before)) {
        const loss = selectorLoss(p, before);
        if (loss) effects.push(loss);
      } else if (selectorLoss(p)) {
        undecided(`whether UpdateEventDataStore of ${name} (event ${event.id}) stopped it recording management events: the logs do not show what it recorded before`);
      }
      if (effects.length === 0) return null;
      const what = `CloudTrail Lake event data store ${name} so that it ${effects.join(' and ')}`;
      return { done: `changed ${what}`, tried: `change ${what}` };
    }
    default:
      return null;
  }
}

function storeName(event: TrailEvent, history: TrailHistory, store: string | undefined): string {
  if (!store) return '?';
  return str(param(history.store(event, store), 'name')) ?? lastSegment(store);
}
