// What a new CloudTrail event-selector configuration (PutEventSelectors, basic or advanced selectors; the
// advanced selectors of a CloudTrail Lake event data store) stops recording, for SESG-DET-008. A trail that no longer records management events, or SES's, is as
// blind as a stopped one (the attacker's later steps vanish). Judged by asking the new configuration
// whether it would record a few representative management calls, the way CloudTrail matches selectors.
import { param } from '../event.js';
import { asArray, str } from './util.js';

/** A management call the detections depend on, as the selector fields see it. */
interface Sample {
  label: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
}

const SAMPLES: Sample[] = [
  { label: 'SES write management events (e.g. PutAccountDetails)', eventSource: 'ses.amazonaws.com', eventName: 'PutAccountDetails', readOnly: false },
  { label: 'SES read management events (e.g. GetSendQuota)', eventSource: 'ses.amazonaws.com', eventName: 'GetSendQuota', readOnly: true },
  { label: 'IAM write management events (e.g. CreateAccessKey)', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false },
];

type Selector = Record<string, unknown>;

/** Basic selectors: an event is recorded when any selector includes management events of its read/write kind. */
function basicRecords(selectors: Selector[], sample: Sample): boolean {
  return selectors.some((selector) => {
    // IncludeManagementEvents and ReadWriteType default to true and All.
    if (param(selector, 'includeManagementEvents') === false || param(selector, 'includeManagementEvents') === 'false') return false;
    const kind = String(param(selector, 'readWriteType') ?? 'All');
    if (kind === 'ReadOnly' && !sample.readOnly) return false;
    if (kind === 'WriteOnly' && sample.readOnly) return false;
    return !asArray(param(selector, 'excludeManagementEventSources')).includes(sample.eventSource);
  });
}

function strings(value: unknown): string[] {
  return asArray(value).map(str).filter((v): v is string => v !== undefined);
}

/** One field condition of an advanced selector against the sample's value (undefined when the field does not apply). */
function fieldMatches(condition: Selector, value: string | undefined): boolean {
  const test = (op: string, f: (v: string, x: string) => boolean): boolean | undefined => {
    const list = strings(param(condition, op));
    if (list.length === 0) return undefined;
    return value !== undefined && list.some((x) => f(value, x));
  };
  const positives = [
    test('equals', (v, x) => v === x),
    test('startsWith', (v, x) => v.startsWith(x)),
    test('endsWith', (v, x) => v.endsWith(x)),
  ].filter((r) => r !== undefined);
  const negatives = [
    test('notEquals', (v, x) => v === x),
    test('notStartsWith', (v, x) => v.startsWith(x)),
    test('notEndsWith', (v, x) => v.endsWith(x)),
  ].filter((r) => r !== undefined);
  if (positives.length > 0 && !positives.some(Boolean)) return false;
  return !negatives.some(Boolean);
}

function sampleField(sample: Sample, field: string): string | undefined {
  switch (field) {
    case 'eventCategory':
      return 'Management';
    case 'eventSource':
      return sample.eventSource;
    case 'eventName':
      return sample.eventName;
    case 'readOnly':
      return String(sample.readOnly);
    case 'eventType':
      return 'AwsApiCall';
    default:
      return undefined;
  }
}

/** Advanced selectors: an event is recorded when every field condition of some selector matches it. */
function advancedRecords(selectors: Selector[], sample: Sample): boolean {
  return selectors.some((selector) => {
    const fields = asArray(param(selector, 'fieldSelectors')) as Selector[];
    return fields.every((condition) => {
      const field = str(param(condition, 'field'));
      // Callers excluded by ARN are judged apart (excludedCallers); a sample has no ARN.
      if (field === 'userIdentity.arn') return true;
      return field !== undefined && fieldMatches(condition, sampleField(sample, field));
    });
  });
}

/** Management callers an advanced selector leaves out by ARN: an attacker hiding its own calls. */
function excludedCallers(selectors: Selector[]): string[] {
  const out: string[] = [];
  for (const selector of selectors) {
    const fields = asArray(param(selector, 'fieldSelectors')) as Selector[];
    const management = fields.some((c) => str(param(c, 'field')) === 'eventCategory' && strings(param(c, 'equals')).includes('Management'));
    if (!management) continue;
    for (const condition of fields) {
      if (str(param(condition, 'field')) !== 'userIdentity.arn') continue;
      out.push(...strings(param(condition, 'notEquals')), ...strings(param(condition, 'notStartsWith')).map((x) => `${x}*`), ...strings(param(condition, 'notEndsWith')).map((x) => `*${x}`));
    }
  }
  return out;
}

/** What a selector configuration records, or null when the parameters hold none (basic or advanced). */
function recording(params: Record<string, unknown> | null | undefined): { records: (sample: Sample) => boolean; callers: string[] } | null {
  if (!params) return null;
  const advanced = param(params, 'advancedEventSelectors');
  if (advanced !== undefined && advanced !== null) {
    const selectors = asArray(advanced) as Selector[];
    return { records: (sample) => advancedRecords(selectors, sample), callers: excludedCallers(selectors) };
  }
  const basic = param(params, 'eventSelectors');
  if (basic !== undefined && basic !== null) {
    const selectors = asArray(basic) as Selector[];
    return { records: (sample) => basicRecords(selectors, sample), callers: [] };
  }
  return null;
}

/** True when the parameters (a request, or a trail's or event data store's configuration) hold selectors. */
export function hasSelectors(params: Record<string, unknown> | null | undefined): boolean {
  return recording(params) !== null;
}

/**
 * What the configuration in a PutEventSelectors (or UpdateEventDataStore) request no longer records ("no
 * longer records SES write management events (e.g. PutAccountDetails)"), or null when it records them all or
 * the request parameters are not in the record. `before`, when the logs show it, is the configuration it
 * replaces: only what that one recorded can be lost; without it, everything is taken to have been recorded.
 */
export function selectorLoss(params: Record<string, unknown> | null, before?: Record<string, unknown> | null): string | null {
  const after = recording(params);
  if (!after) return null;
  const previous = recording(before);
  const lost = SAMPLES.filter((sample) => (!previous || previous.records(sample)) && !after.records(sample)).map((sample) => sample.label);
  const callers = after.callers.filter((caller) => !previous?.callers.includes(caller));
  const parts: string[] = [];
  if (lost.length > 0) parts.push(`no longer records ${lost.join(', ')}`);
  if (callers.length > 0) parts.push(`no longer records the management calls of ${callers.join(', ')}`);
  return parts.length > 0 ? parts.join(' and ') : null;
}
