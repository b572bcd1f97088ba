// The streaming core of `sesguard trail`: add(record) for every record in any order, finish() once.
// Memory holds only the events the detections declare (SES, key and IAM changes, EC2 egress, monitoring),
// and SES send calls only as counts per caller and 5-minute window, so it grows with what matters, not
// with the input. All windows are computed in finish() over sorted events: file order never matters.
// Each detection runs inside a guard: one that throws is not assessed, with its reason, and the others
// still report (STYLE "units isolated from each other").
import type { Finding, Severity } from '../engine/types.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/types.js';
import { buildCoverage, type TrailStats } from './coverage.js';
import { isWanted, scopedContext, wantedEvents, type TrailIndex } from './declaration.js';
import { SES, callerOf, createdKey, isAwsCaller, isDataEvent, isSend, principalOf, toEvent } from './event.js';
import { toFinding, type FindingContext } from './finding.js';
import { DETECTORS } from './rules/index.js';
import { NOT_A_TIME, UTC_TIME, eventTimeKind, parseEventTime } from './time.js';
import { buildTimeline } from './timeline.js';
import type { DetectionDefinition, Detector, KeyHistory, SendBucket, SendSeries, TrailEvent, TrailReport, TrailThresholds } from './types.js';
import { SEND_WINDOW_MS, byTime } from './windows.js';

/** Sample send events kept per caller and window. */
const SEND_SAMPLES = 3;
/** Addresses and agents remembered per caller for the first-seen baseline; more are not named. */
export const KEY_HISTORY_LIMIT = 500;

export interface AnalyzerOptions {
  thresholds: TrailThresholds;
  /** Metadata of the detections (policies/det/); each detector runs only when its definition is given. */
  definitions: DetectionDefinition[];
  /** Config `checks:` overrides: disable a detection or change its severity. */
  overrides?: Record<string, { enabled?: boolean; severity?: Severity }>;
  /** The input is LookupEvents: management events only, which the coverage statement says. */
  lookup?: boolean;
  /** The detection logic by id (default: the built-in rules); tests inject their own. */
  detectors?: readonly Detector[];
}

export interface TrailAnalyzer {
  /** One record; `origin` (a file, an S3 object, `lookup:<region>`) names where skipped records came from. */
  add(record: CloudTrailRecord, origin?: string): void;
  /** A region that was looked at even if it held no events (LookupEvents): it counts as covered. */
  noteRegion(region: string): void;
  finish(): TrailReport;
}

/** Why a record was not analysed (the coverage statement lists each with its count). */
export const SKIP = {
  notObject: 'a value that is not a JSON object',
  insight: 'CloudTrail Insights records (unusual call rates, not API calls)',
  noName: 'no eventName',
  noSource: 'no eventSource',
  noTime: 'no eventTime',
  badTime: 'an eventTime that is not ISO 8601 with a time zone',
  noCaller: 'no userIdentity (the caller is unknown)',
} as const;

/** 53-bit FNV-style hash of a string: duplicate detection for send calls without keeping their ids. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** One line, bounded: what a failing detection reports as its reason (never a stack). */
function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex -- one line without control characters
  const line = message.split('\n')[0].replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 300);
  const kind = error instanceof Error && error.name !== 'Error' && error.constructor.name !== 'UndeclaredRead' ? `${error.name}: ` : '';
  return `the detection failed (${kind}${line})`;
}

export function createTrailAnalyzer(options: AnalyzerOptions): TrailAnalyzer {
  const definitions = new Map(options.definitions.map((d) => [d.id, d]));
  const logic = new Map((options.detectors ?? DETECTORS).map((d) => [d.id, d]));
  const active = [...definitions.values()]
    .filter((d) => d.input === 'cloudtrail' && options.overrides?.[d.id]?.enabled !== false)
    .sort((a, b) => a.id.localeCompare(b.id));
  // Every loaded detection's events are kept (a disabled one's too: the timeline shows them).
  const wanted = wantedEvents(options.definitions);
  // First-seen addresses and agents of every caller, only when an active detection reads them.
  const tracksKeys = active.some((d) => d.keyHistory);
  const keyHistory = new Map<string, KeyHistory>();
  function remember(record: CloudTrailRecord, time: number): void {
    const identity = record.userIdentity;
    if (!identity || typeof identity !== 'object' || isAwsCaller(record)) return;
    const key = typeof identity.accessKeyId === 'string' && identity.accessKeyId !== '' ? identity.accessKeyId : undefined;
    const issuer = identity.sessionContext?.sessionIssuer?.arn;
    const caller = callerOf(key, typeof issuer === 'string' && issuer !== '' ? issuer : undefined, principalOf(record));
    if (!caller) return;
    let history = keyHistory.get(caller);
    if (!history) {
      history = { sourceIps: new Map(), userAgents: new Map(), first: time };
      keyHistory.set(caller, history);
    }
    if (time < history.first) history.first = time;
    for (const [map, value] of [[history.sourceIps, record.sourceIPAddress], [history.userAgents, record.userAgent]] as const) {
      if (typeof value !== 'string') continue;
      const seen = map.get(value);
      if (seen === undefined) {
        if (map.size < KEY_HISTORY_LIMIT) map.set(value, time);
      }
      else if (time < seen) map.set(value, time);
    }
  }
  const kept: TrailEvent[] = [];
  const keptKeys = new Set<string>();
  const sendKeys = new Set<number>();
  const sends = new Map<string, SendSeries>();
  const stats: TrailStats = {
    eventCount: 0,
    analysed: 0,
    skipped: new Map(),
    duplicates: 0,
    first: Infinity,
    last: -Infinity,
    regions: new Set(),
    accounts: new Set(),
    dataEvents: false,
    sendEvents: 0,
    awsCallers: new Set(),
  };
  // The span of UTC times is tracked as text (ISO 8601 UTC orders as text to the second); times with
  // another zone, rare, are parsed.
  let firstText = '';
  let lastText = '';
  // Records of one file share their region and account: skip the Set when the value did not change.
  let lastRegion: unknown;
  let lastAccount: unknown;

  function skip(reason: string, malformed: boolean, origin: string | undefined): void {
    const entry = stats.skipped.get(reason);
    if (entry) entry.count++;
    else stats.skipped.set(reason, { reason, count: 1, malformed, ...(origin ? { firstIn: origin } : {}) });
  }

  function addSend(event: TrailEvent): void {
    const actor = event.issuer ?? event.principal;
    const failed = event.errorCode !== undefined;
    const seriesKey = `${actor}\u0000${event.accessKey ?? ''}\u0000${failed}`;
    let series = sends.get(seriesKey);
    if (!series) {
      series = { actor, failed, principal: event.principal, principalType: event.principalType, accessKey: event.accessKey, account: event.account, buckets: new Map() };
      sends.set(seriesKey, series);
    }
    const start = Math.floor(event.time / SEND_WINDOW_MS) * SEND_WINDOW_MS;
    let bucket = series.buckets.get(start);
    if (!bucket) {
      bucket = { start, failed, count: 0, first: event.time, last: event.time, regions: new Set(), sourceIps: new Set(), userAgents: new Set(), errorCodes: new Set(), samples: [] };
      series.buckets.set(start, bucket);
    }
    bucket.count++;
    bucket.first = Math.min(bucket.first, event.time);
    bucket.last = Math.max(bucket.last, event.time);
    bucket.regions.add(event.region);
    if (event.sourceIp) bucket.sourceIps.add(event.sourceIp);
    if (event.userAgent && bucket.userAgents.size < 10) bucket.userAgents.add(event.userAgent);
    if (event.errorCode) bucket.errorCodes.add(event.errorCode);
    // Keep the earliest samples by time, so the evidence does not depend on file order.
    if (bucket.samples.length < SEND_SAMPLES) {
      bucket.samples.push({ ...event, params: null, response: null });
      bucket.samples.sort(byTime);
    }
    else if (byTime(event, bucket.samples[SEND_SAMPLES - 1]) < 0) {
      bucket.samples[SEND_SAMPLES - 1] = { ...event, params: null, response: null };
      bucket.samples.sort(byTime);
    }
  }

  return {
    noteRegion(region) {
      stats.regions.add(region);
    },

    add(record, origin) {
      stats.eventCount++;
      if (record === null || typeof record !== 'object' || Array.isArray(record)) return skip(SKIP.notObject, true, origin);
      if (record.eventType === 'AwsCloudTrailInsight') return skip(SKIP.insight, false, origin);
      const name = record.eventName;
      const source = record.eventSource;
      const eventTime = record.eventTime;
      // An Insights record whose eventType a shipper dropped still has its insightDetails.
      if (typeof name !== 'string' || name === '') return record.insightDetails !== undefined ? skip(SKIP.insight, false, origin) : skip(SKIP.noName, true, origin);
      if (typeof source !== 'string' || source === '') return skip(SKIP.noSource, true, origin);
      const kind = eventTimeKind(eventTime);
      if (kind === NOT_A_TIME) return skip(eventTime === undefined || eventTime === null ? SKIP.noTime : SKIP.badTime, true, origin);
      const time = eventTime as string;
      const send = isSend(record);
      // Only the declared events (and send calls, counted) need a caller and an epoch.
      let event: TrailEvent | null = null;
      if (send || isWanted(wanted, source, name)) {
        event = toEvent(record, parseEventTime(time));
        if (!event) return skip(SKIP.noCaller, true, origin);
        if (origin) event.origin = origin;
      }
      stats.analysed++;
      if (tracksKeys) remember(record, event?.time ?? parseEventTime(time));
      if (kind === UTC_TIME) {
        if (firstText === '' || time < firstText) firstText = time;
        if (time > lastText) lastText = time;
      }
      else {
        const epoch = event?.time ?? parseEventTime(time);
        stats.first = Math.min(stats.first, epoch);
        stats.last = Math.max(stats.last, epoch);
      }
      const region = record.awsRegion;
      if (region !== lastRegion && typeof region === 'string') {
        stats.regions.add(region);
        lastRegion = region;
      }
      const account = record.recipientAccountId ?? record.userIdentity?.accountId;
      if (account !== lastAccount && typeof account === 'string') {
        stats.accounts.add(account);
        lastAccount = account;
      }
      if (!stats.dataEvents && isDataEvent(record)) stats.dataEvents = true;
      if (!event) return;
      if (event.byAws) stats.awsCallers.add(event.principal);
      // The same event reaches us twice when an organization trail and an account trail overlap: the
      // same id, source, name and time (an id alone could be reused by a shipper).
      const key = `${event.id}\u0000${source}\u0000${name}\u0000${time}`;
      if (send) {
        const hashed = hash53(key);
        if (sendKeys.has(hashed)) {
          stats.duplicates++;
          return;
        }
        sendKeys.add(hashed);
        stats.sendEvents++;
        addSend(event);
        return;
      }
      if (keptKeys.has(key)) {
        stats.duplicates++;
        return;
      }
      keptKeys.add(key);
      kept.push(event);
    },

    finish() {
      if (firstText !== '') {
        stats.first = Math.min(stats.first, parseEventTime(firstText));
        stats.last = Math.max(stats.last, parseEventTime(lastText));
      }
      kept.sort(byTime);
      const first = Number.isFinite(stats.first) ? stats.first : 0;
      const last = Number.isFinite(stats.last) ? stats.last : 0;
      const span = { first, last, baselineUntil: options.thresholds.baselineUntil ?? first + Math.floor((last - first) / 2) };
      const index = { ...makeIndex(kept, [...sends.values()], options.thresholds), keyHistory, span };
      const findingContext = makeFindingContext(kept);
      const findings: Finding[] = [];
      const usedBy = new Map<string, Set<string>>();
      const failures = new Map<string, string>();
      const undecided = new Map<string, string[]>();
      for (const definition of active) {
        const detector = logic.get(definition.id);
        if (!detector) {
          failures.set(definition.id, 'this version of sesguard has no logic for this detection');
          continue;
        }
        const severity = options.overrides?.[definition.id]?.severity ?? definition.severity;
        const notes: string[] = [];
        try {
          const hits = detector.detect(scopedContext(index, definition, (reason) => notes.push(reason)));
          const made = hits.map((hit) => toFinding(hit, definition, severity, findingContext));
          findings.push(...made);
          for (const hit of hits) {
            for (const event of [...hit.events, ...(hit.related ?? []).flatMap((r) => r.events)]) {
              usedBy.set(event.id, (usedBy.get(event.id) ?? new Set<string>()).add(definition.id));
            }
          }
          if (notes.length > 0) undecided.set(definition.id, [...new Set(notes)].sort());
        } catch (error) {
          failures.set(definition.id, failureReason(error));
        }
      }
      findings.sort(
        (a, b) =>
          String(a.evidence.windowStart).localeCompare(String(b.evidence.windowStart)) ||
          a.checkId.localeCompare(b.checkId) ||
          a.resource.id.localeCompare(b.resource.id) ||
          Number(a.evidence.attempt) - Number(b.evidence.attempt),
      );
      const coverage = buildCoverage({
        stats,
        keptCount: kept.length,
        // The vpc-flow detections' support is the flow analyzer's to state.
        definitions: [...definitions.values()].filter((d) => d.input === 'cloudtrail').sort((a, b) => a.id.localeCompare(b.id)),
        active: new Set(active.map((d) => d.id)),
        failures,
        undecided,
        thresholds: options.thresholds,
        lookup: options.lookup === true,
      });
      return { findings, coverage, timeline: buildTimeline(kept, [...sends.values()], usedBy) };
    },
  };
}

function makeIndex(kept: TrailEvent[], sends: SendSeries[], thresholds: TrailThresholds): Omit<TrailIndex, 'keyHistory' | 'span'> {
  const byName = new Map<string, TrailEvent[]>();
  const sesCallsByKey = new Map<string, TrailEvent[]>();
  for (const event of kept) {
    const list = byName.get(event.name);
    if (list) list.push(event);
    else byName.set(event.name, [event]);
    if (event.source === SES && event.accessKey) {
      const calls = sesCallsByKey.get(event.accessKey);
      if (calls) calls.push(event);
      else sesCallsByKey.set(event.accessKey, [event]);
    }
  }
  const sendsByKey = new Map<string, SendBucket[]>();
  for (const series of sends) {
    if (!series.accessKey) continue;
    const list = sendsByKey.get(series.accessKey) ?? [];
    list.push(...series.buckets.values());
    sendsByKey.set(series.accessKey, list);
  }
  for (const list of sendsByKey.values()) list.sort((a, b) => a.start - b.start || Number(a.failed) - Number(b.failed));
  return { thresholds, byName, sends, sesCallsByKey, sendsByKey };
}

/** Key creations and each key's kept calls, for the related events of every finding. */
function makeFindingContext(kept: TrailEvent[]): FindingContext {
  const creations = new Map<string, TrailEvent>();
  const byKey = new Map<string, TrailEvent[]>();
  for (const event of kept) {
    if (event.name === 'CreateAccessKey') {
      const created = createdKey(event);
      if (created && !creations.has(created.accessKey)) creations.set(created.accessKey, event);
    }
    if (!event.accessKey) continue;
    const list = byKey.get(event.accessKey);
    if (list) list.push(event);
    else byKey.set(event.accessKey, [event]);
  }
  return { keyCreation: (key) => creations.get(key), callsByKey: (key) => byKey.get(key) ?? [] };
}
