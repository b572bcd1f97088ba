// The streaming core of `sesguard trail`: add(record) for every record in any order, finish() once.
// Memory holds only the events detections read (SES, key and IAM changes, EC2 egress, monitoring), and
// SES send calls only as counts per caller and 5-minute window, so it grows with what matters, not with
// the input. All windows are computed in finish() over sorted events: file order never matters.
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../engine/types.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/types.js';
import { buildCoverage, type TrailStats } from './coverage.js';
import { SES, isDataEvent, isSend, toEvent } from './event.js';
import { DETECTORS } from './rules/index.js';
import { shortPrincipal } from './rules/util.js';
import { SEND_WINDOW_MS } from './rules/SESG-DET-010.js';
import { createdKey } from './rules/SESG-DET-007.js';
import type {
  DetectContext,
  DetectionDefinition,
  Detector,
  Hit,
  PrincipalTimeline,
  SendBucket,
  SendSeries,
  TimelineEntry,
  TrailEvent,
  TrailReport,
  TrailThresholds,
} from './types.js';
import { byTime, distinct, iso } from './windows.js';

/** Events listed in a finding's evidence (the count is always complete). */
export const EVIDENCE_EVENT_LIMIT = 50;
/** Timeline entries kept per principal. */
export const TIMELINE_LIMIT = 500;
/** Sample send events kept per caller and window. */
const SEND_SAMPLES = 3;

export interface AnalyzerOptions {
  thresholds: TrailThresholds;
  /** Metadata of the detections (policies/det/); each detector runs only when its definition is given. */
  definitions: DetectionDefinition[];
  /** Config `checks:` overrides: disable a detection or change its severity. */
  overrides?: Record<string, { enabled?: boolean; severity?: Severity }>;
  /** The input is LookupEvents: management events only, which the coverage statement says. */
  lookup?: boolean;
}

export interface TrailAnalyzer {
  add(record: CloudTrailRecord): void;
  /** A region that was looked at even if it held no events (LookupEvents): it counts as covered. */
  noteRegion(region: string): void;
  finish(): TrailReport;
}

type Stats = TrailStats;

export function fingerprintOf(checkId: string, subject: string, windowStart: number): string {
  return createHash('sha256').update(`${checkId}\u0000${subject}\u0000${iso(windowStart)}`).digest('hex').slice(0, 32);
}

/** Event names the detectors read, by event source. */
function wantedEvents(detectors: readonly Detector[]): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const detector of detectors) {
    for (const group of detector.events) {
      const names = wanted.get(group.source) ?? new Set<string>();
      for (const name of group.names) names.add(name);
      wanted.set(group.source, names);
    }
  }
  return wanted;
}

export function createTrailAnalyzer(options: AnalyzerOptions): TrailAnalyzer {
  const definitions = new Map(options.definitions.map((d) => [d.id, d]));
  const active = DETECTORS.filter((d) => definitions.has(d.id) && options.overrides?.[d.id]?.enabled !== false);
  // Every detector's events are kept, plus every non-send SES call: SES use by a new key (DET-007)
  // and the per-principal timeline need them, and they are few.
  const wanted = wantedEvents(DETECTORS);
  const kept: TrailEvent[] = [];
  const keptIds = new Set<string>();
  const sends = new Map<string, SendSeries>();
  const stats: Stats = {
    eventCount: 0,
    malformed: 0,
    duplicates: 0,
    first: Infinity,
    last: -Infinity,
    regions: new Set(),
    accounts: new Set(),
    dataEvents: false,
    sendEvents: 0,
    awsCallers: new Set(),
  };

  let firstText = '';
  let lastText = '';

  function addSend(event: TrailEvent): void {
    const actor = event.issuer ?? event.principal;
    const seriesKey = `${actor}\u0000${event.accessKey ?? ''}`;
    let series = sends.get(seriesKey);
    if (!series) {
      series = { actor, principal: event.principal, principalType: event.principalType, accessKey: event.accessKey, account: event.account, buckets: new Map() };
      sends.set(seriesKey, series);
    }
    const start = Math.floor(event.time / SEND_WINDOW_MS) * SEND_WINDOW_MS;
    let bucket = series.buckets.get(start);
    if (!bucket) {
      bucket = { start, count: 0, first: event.time, last: event.time, regions: new Set(), sourceIps: new Set(), userAgents: new Set(), samples: [] };
      series.buckets.set(start, bucket);
    }
    bucket.count++;
    bucket.first = Math.min(bucket.first, event.time);
    bucket.last = Math.max(bucket.last, event.time);
    bucket.regions.add(event.region);
    if (event.sourceIp) bucket.sourceIps.add(event.sourceIp);
    if (event.userAgent && bucket.userAgents.size < 10) bucket.userAgents.add(event.userAgent);
    // Keep the earliest samples by time, so the evidence does not depend on file order.
    const compact = { ...event, params: null, response: null };
    if (bucket.samples.length < SEND_SAMPLES) {
      bucket.samples.push(compact);
      bucket.samples.sort(byTime);
    }
    else if (byTime(compact, bucket.samples[SEND_SAMPLES - 1]) < 0) {
      bucket.samples[SEND_SAMPLES - 1] = compact;
      bucket.samples.sort(byTime);
    }
  }

  return {
    noteRegion(region) {
      stats.regions.add(region);
    },

    add(record) {
      stats.eventCount++;
      if (record === null || typeof record !== 'object' || typeof record.eventName !== 'string' || typeof record.eventTime !== 'string') {
        stats.malformed++;
        return;
      }
      // ISO-8601 UTC times order as text: comparing strings here and parsing two of them at the end
      // is much cheaper than parsing every record's time.
      const eventTime = record.eventTime;
      if (eventTime.length >= 19 && eventTime.charCodeAt(10) === 84) {
        if (firstText === '' || eventTime < firstText) firstText = eventTime;
        if (eventTime > lastText) lastText = eventTime;
      }
      if (typeof record.awsRegion === 'string') stats.regions.add(record.awsRegion);
      const account = record.recipientAccountId ?? record.userIdentity?.accountId;
      if (typeof account === 'string') stats.accounts.add(account);
      if (!stats.dataEvents && isDataEvent(record)) stats.dataEvents = true;
      const send = isSend(record);
      if (!send && record.eventSource !== SES && !wanted.get(record.eventSource as string)?.has(record.eventName)) return;
      const event = toEvent(record);
      if (!event) {
        stats.malformed++;
        return;
      }
      if (event.byAws) stats.awsCallers.add(event.principal);
      if (send) {
        stats.sendEvents++;
        addSend(event);
        return;
      }
      // The same event reaches us twice when an organization trail and an account trail overlap.
      if (keptIds.has(event.id)) {
        stats.duplicates++;
        return;
      }
      keptIds.add(event.id);
      kept.push(event);
    },

    finish() {
      const first = Date.parse(firstText);
      const last = Date.parse(lastText);
      if (Number.isFinite(first) && Number.isFinite(last)) {
        stats.first = first;
        stats.last = last;
      }
      kept.sort(byTime);
      const context = makeContext(kept, [...sends.values()], options.thresholds);
      const byKey = new Map<string, TrailEvent[]>();
      for (const event of kept) {
        if (!event.accessKey) continue;
        const list = byKey.get(event.accessKey);
        if (list) list.push(event);
        else byKey.set(event.accessKey, [event]);
      }
      const findings: Finding[] = [];
      const usedBy = new Map<string, Set<string>>();
      for (const detector of active) {
        const definition = definitions.get(detector.id) as DetectionDefinition;
        const severity = options.overrides?.[detector.id]?.severity ?? definition.severity;
        for (const hit of detector.detect(context)) {
          findings.push(toFinding(hit, definition, severity, context, byKey));
          for (const event of hit.events) {
            const set = usedBy.get(event.id) ?? new Set<string>();
            set.add(detector.id);
            usedBy.set(event.id, set);
          }
        }
      }
      findings.sort(
        (a, b) =>
          String(a.evidence.windowStart).localeCompare(String(b.evidence.windowStart)) ||
          a.checkId.localeCompare(b.checkId) ||
          a.resource.id.localeCompare(b.resource.id),
      );
      const coverage = buildCoverage({
        stats,
        keptCount: kept.length,
        definitions: [...definitions.values()].sort((a, b) => a.id.localeCompare(b.id)),
        active: new Set(active.map((d) => d.id)),
        thresholds: options.thresholds,
        lookup: options.lookup === true,
      });
      return { findings, coverage, timeline: buildTimeline(kept, [...sends.values()], usedBy) };
    },
  };
}

function makeContext(kept: TrailEvent[], sends: SendSeries[], thresholds: TrailThresholds): DetectContext {
  const byName = new Map<string, TrailEvent[]>();
  const sesByKey = new Map<string, TrailEvent[]>();
  const creations = new Map<string, TrailEvent>();
  for (const event of kept) {
    const list = byName.get(event.name);
    if (list) list.push(event);
    else byName.set(event.name, [event]);
    if (event.source === SES && event.accessKey) {
      const calls = sesByKey.get(event.accessKey);
      if (calls) calls.push(event);
      else sesByKey.set(event.accessKey, [event]);
    }
    if (event.name === 'CreateAccessKey') {
      const created = createdKey(event);
      if (created && !creations.has(created.accessKey)) creations.set(created.accessKey, event);
    }
  }
  const sendsByKey = new Map<string, SendBucket[]>();
  for (const series of sends) {
    if (!series.accessKey) continue;
    const list = sendsByKey.get(series.accessKey) ?? [];
    list.push(...series.buckets.values());
    sendsByKey.set(series.accessKey, list);
  }
  for (const list of sendsByKey.values()) list.sort((a, b) => a.start - b.start);
  return {
    thresholds,
    named(...names) {
      if (names.length === 1) return byName.get(names[0]) ?? [];
      return names.flatMap((n) => byName.get(n) ?? []).sort(byTime);
    },
    sends,
    keyCreation: (accessKey) => creations.get(accessKey),
    sesByKey: (accessKey) => ({ calls: sesByKey.get(accessKey) ?? [], sends: sendsByKey.get(accessKey) ?? [] }),
  };
}

function summary(event: TrailEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    eventId: event.id,
    eventTime: iso(event.time),
    eventName: event.name,
    eventSource: event.source,
    region: event.region,
    principal: event.principal,
  };
  if (event.accessKey) out.accessKey = event.accessKey;
  if (event.sourceIp) out.sourceIp = event.sourceIp;
  if (event.userAgent) out.userAgent = event.userAgent;
  if (event.errorCode) out.errorCode = event.errorCode;
  if (event.params && Object.keys(event.params).length > 0) out.requestParameters = event.params;
  return out;
}

function resourceName(subject: string): string {
  const short = shortPrincipal(subject);
  return short.includes('/') ? short.slice(short.indexOf('/') + 1) : short;
}

function toFinding(hit: Hit, definition: DetectionDefinition, severity: Severity, context: DetectContext, byKey: Map<string, TrailEvent[]>): Finding {
  const events = hit.events;
  const principals = distinct(events.map((e) => e.principal)).sort();
  const accessKeys = distinct(events.map((e) => e.accessKey)).sort();
  const related = [...(hit.related ?? [])];
  // The creation of any key the activity used, when it is in the logs: where the credential came from.
  if (!related.some((r) => r.relation === 'key creation')) {
    const creations = accessKeys.map((k) => context.keyCreation(k)).filter((e): e is TrailEvent => e !== undefined);
    if (creations.length > 0) related.unshift({ relation: 'key creation', events: creations });
  }
  // What else each key did (among the events that matter): the rest of the attacker's path.
  const inFinding = new Set(related.flatMap((r) => r.events).concat(events).map((e) => e.id));
  for (const key of accessKeys) {
    const others = (byKey.get(key) ?? []).filter((e) => !inFinding.has(e.id));
    if (others.length > 0) related.push({ relation: `other requests with ${key}`, events: others });
  }
  const evidence: Record<string, unknown> = {
    windowStart: iso(hit.windowStart),
    windowEnd: iso(hit.windowEnd),
    principal: principals.length === 1 ? principals[0] : principals,
    principalTypes: distinct(events.map((e) => e.principalType)).sort(),
    accessKeys,
    sourceIps: distinct(events.map((e) => e.sourceIp)).sort(),
    userAgents: distinct(events.map((e) => e.userAgent)).sort(),
    regions: distinct(events.map((e) => e.region)).sort(),
    eventCount: events.length,
    eventIds: events.slice(0, EVIDENCE_EVENT_LIMIT * 2).map((e) => e.id),
    events: events.slice(0, EVIDENCE_EVENT_LIMIT).map(summary),
    related: related.map((r) => ({ relation: r.relation, eventCount: r.events.length, events: r.events.slice(0, EVIDENCE_EVENT_LIMIT).map(summary) })),
    ...hit.details,
  };
  const arnLike = hit.subject.startsWith('arn:') ? hit.subject : principals.find((p) => p.startsWith('arn:'));
  const resource: Finding['resource'] = {
    type: 'aws.iam.principal',
    id: hit.subject,
    name: hit.subjectKind === 'access-key' ? hit.subject : resourceName(hit.subject),
    account: hit.account,
  };
  if (arnLike) resource.arn = arnLike;
  if (hit.region) resource.region = hit.region;
  return {
    checkId: definition.id,
    severity,
    title: definition.title,
    message: hit.message,
    resource,
    evidence,
    suppressed: null,
    fingerprint: fingerprintOf(definition.id, hit.subject, hit.windowStart),
  };
}

function buildTimeline(kept: TrailEvent[], sends: SendSeries[], usedBy: Map<string, Set<string>>): PrincipalTimeline[] {
  const lines = new Map<string, PrincipalTimeline & { min: number; max: number }>();
  function line(principal: string, principalType: string): PrincipalTimeline & { min: number; max: number } {
    let entry = lines.get(principal);
    if (!entry) {
      entry = {
        principal,
        principalType,
        byAws: false,
        accounts: [],
        accessKeys: [],
        sourceIps: [],
        userAgents: [],
        regions: [],
        firstSeen: '',
        lastSeen: '',
        eventCount: 0,
        entries: [],
        truncated: false,
        sends: [],
        min: Infinity,
        max: -Infinity,
      };
      lines.set(principal, entry);
    }
    return entry;
  }
  const sets = new Map<string, { accounts: Set<string>; keys: Set<string>; ips: Set<string>; agents: Set<string>; regions: Set<string> }>();
  function note(principal: string, account: string, key: string | undefined, ips: Iterable<string>, agents: Iterable<string>, regions: Iterable<string>): void {
    let s = sets.get(principal);
    if (!s) {
      s = { accounts: new Set(), keys: new Set(), ips: new Set(), agents: new Set(), regions: new Set() };
      sets.set(principal, s);
    }
    s.accounts.add(account);
    if (key) s.keys.add(key);
    for (const ip of ips) s.ips.add(ip);
    for (const agent of agents) if (s.agents.size < 20) s.agents.add(agent);
    for (const region of regions) s.regions.add(region);
  }
  for (const event of kept) {
    const entry = line(event.principal, event.principalType);
    entry.byAws ||= event.byAws;
    entry.eventCount++;
    entry.min = Math.min(entry.min, event.time);
    entry.max = Math.max(entry.max, event.time);
    note(event.principal, event.account, event.accessKey, event.sourceIp ? [event.sourceIp] : [], event.userAgent ? [event.userAgent] : [], [event.region]);
    if (entry.entries.length >= TIMELINE_LIMIT) {
      entry.truncated = true;
      continue;
    }
    const item: TimelineEntry = {
      time: iso(event.time),
      eventId: event.id,
      eventName: event.name,
      eventSource: event.source,
      region: event.region,
      findings: [...(usedBy.get(event.id) ?? [])].sort(),
    };
    if (event.sourceIp) item.sourceIp = event.sourceIp;
    if (event.accessKey) item.accessKey = event.accessKey;
    if (event.errorCode) item.errorCode = event.errorCode;
    entry.entries.push(item);
  }
  const sendWindows = new Map<string, Map<number, { count: number; regions: Set<string> }>>();
  for (const series of sends) {
    const entry = line(series.principal, series.principalType);
    const windows = sendWindows.get(series.principal) ?? new Map();
    sendWindows.set(series.principal, windows);
    for (const bucket of series.buckets.values()) {
      entry.eventCount += bucket.count;
      entry.min = Math.min(entry.min, bucket.first);
      entry.max = Math.max(entry.max, bucket.last);
      note(series.principal, series.account, series.accessKey, bucket.sourceIps, bucket.userAgents, bucket.regions);
      const w = windows.get(bucket.start) ?? { count: 0, regions: new Set<string>() };
      w.count += bucket.count;
      for (const region of bucket.regions) w.regions.add(region);
      windows.set(bucket.start, w);
    }
  }
  const out: PrincipalTimeline[] = [];
  for (const entry of lines.values()) {
    const s = sets.get(entry.principal);
    const { min, max, ...rest } = entry;
    const windows = sendWindows.get(entry.principal);
    out.push({
      ...rest,
      accounts: [...(s?.accounts ?? [])].sort(),
      accessKeys: [...(s?.keys ?? [])].sort(),
      sourceIps: [...(s?.ips ?? [])].sort(),
      userAgents: [...(s?.agents ?? [])].sort(),
      regions: [...(s?.regions ?? [])].sort(),
      firstSeen: iso(min),
      lastSeen: iso(max),
      sends: windows
        ? [...windows].sort((a, b) => a[0] - b[0]).map(([start, w]) => ({ windowStart: iso(start), count: w.count, regions: [...w.regions].sort() }))
        : [],
    });
  }
  return out.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.principal.localeCompare(b.principal));
}
