// Time windows over sorted events. Windows are computed at finish() on events sorted by time, so the
// order in which files arrived never changes a result.
import type { TrailEvent } from './types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** SES send calls are counted per caller in windows of this length (SESG-DET-010's unit). */
export const SEND_WINDOW_MS = 5 * MINUTE;

/** Sort by time, then event id, so ties are broken the same way whatever the input order. */
export function byTime(a: TrailEvent, b: TrailEvent): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Groups events by a key, keeping each group's order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Maximal runs of sorted events in which some window of `windowMs` satisfies `satisfied`, given the
 * label counts of the events inside it. Overlapping qualifying windows merge into one run, so one
 * campaign gives one finding however long it lasts.
 */
export function slidingClusters(
  events: TrailEvent[],
  windowMs: number,
  labels: (event: TrailEvent) => string[],
  satisfied: (counts: Map<string, number>) => boolean,
): TrailEvent[][] {
  const counts = new Map<string, number>();
  const clusters: { from: number; to: number }[] = [];
  let left = 0;
  for (let right = 0; right < events.length; right++) {
    for (const label of labels(events[right])) counts.set(label, (counts.get(label) ?? 0) + 1);
    while (events[right].time - events[left].time > windowMs) {
      for (const label of labels(events[left])) {
        const n = (counts.get(label) ?? 0) - 1;
        if (n <= 0) counts.delete(label);
        else counts.set(label, n);
      }
      left++;
    }
    if (!satisfied(counts)) continue;
    const last = clusters[clusters.length - 1];
    if (last && left <= last.to) last.to = right;
    else clusters.push({ from: left, to: right });
  }
  return clusters.map((c) => events.slice(c.from, c.to + 1));
}

/** Splits sorted events into runs where consecutive events are at most `gapMs` apart. */
export function gapClusters(events: TrailEvent[], gapMs: number): TrailEvent[][] {
  const out: TrailEvent[][] = [];
  for (const event of events) {
    const current = out[out.length - 1];
    if (current && event.time - current[current.length - 1].time <= gapMs) current.push(event);
    else out.push([event]);
  }
  return out;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function distinct<T>(values: Iterable<T | undefined>): T[] {
  const out = new Set<T>();
  for (const value of values) if (value !== undefined) out.add(value);
  return [...out];
}

export function iso(time: number): string {
  return new Date(time).toISOString();
}
