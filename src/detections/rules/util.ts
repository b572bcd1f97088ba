// Small helpers shared by the detectors: separating changes from attempts, describing failures and
// durations in messages, and the scope of a hit. Rule files import helpers from here and from ../event.ts,
// never from each other.
import { shortPrincipal } from '../event.js';
import type { Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct } from '../windows.js';

export { shortPrincipal };

/**
 * The items whose call succeeded and those whose call failed, as separate groups (empty ones left out):
 * a failed call is an attempt and is never reported together with the change it tried to make.
 */
export function byOutcome<T>(items: T[], eventOf: (item: T) => TrailEvent): { attempt: boolean; items: T[] }[] {
  const done: T[] = [];
  const failed: T[] = [];
  for (const item of items) (eventOf(item).errorCode ? failed : done).push(item);
  const out: { attempt: boolean; items: T[] }[] = [];
  if (done.length > 0) out.push({ attempt: false, items: done });
  if (failed.length > 0) out.push({ attempt: true, items: failed });
  return out;
}

/** The same for plain events. */
export function eventsByOutcome(events: TrailEvent[]): { attempt: boolean; items: TrailEvent[] }[] {
  return byOutcome(events, (e) => e);
}

/**
 * `the call failed with AccessDenied` / `the 3 calls failed with AccessDenied, ThrottlingException`;
 * `count` when the events are samples of more calls (send volume).
 */
export function failedWith(events: TrailEvent[], count = events.length): string {
  const codes = distinct(events.map((e) => e.errorCode)).join(', ');
  return count === 1 ? `the call failed with ${codes}` : `the ${count} calls failed with ${codes}`;
}

export function minutes(ms: number): string {
  const m = Math.max(0, Math.round(ms / MINUTE));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** `name` or `name ×3` per distinct value, in first-seen order. */
export function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => (n > 1 ? `${value} ×${n}` : value)).join(', ');
}

export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items)) {
    return (value as { items: unknown[] }).items;
  }
  return value === undefined || value === null ? [] : [value];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Who, where and when of a hit about one principal's cluster of calls (region only when they share one). */
export function principalScope(principal: string, cluster: TrailEvent[]): Pick<Hit, 'subject' | 'subjectKind' | 'account' | 'region' | 'windowStart' | 'windowEnd'> {
  const regions = distinct(cluster.map((e) => e.region));
  return {
    subject: principal,
    subjectKind: 'principal',
    account: cluster[0].account,
    region: regions.length === 1 ? cluster[0].region : undefined,
    windowStart: cluster[0].time,
    windowEnd: cluster[cluster.length - 1].time,
  };
}
