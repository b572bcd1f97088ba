// The per-principal timeline of a trail run: every kept event in time order (capped), the detections each
// fed, and send volume per 5-minute window, so a responder can follow one caller from first to last call.
import type { PrincipalTimeline, SendSeries, TimelineEntry, TrailEvent } from './types.js';
import { iso } from './windows.js';

/** Timeline entries kept per principal. */
export const TIMELINE_LIMIT = 500;

export function buildTimeline(kept: TrailEvent[], sends: SendSeries[], usedBy: Map<string, Set<string>>): PrincipalTimeline[] {
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
