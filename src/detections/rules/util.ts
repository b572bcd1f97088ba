// Small helpers shared by the detectors: describing principals and failures in messages, and the scope of a hit.
import type { Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct } from '../windows.js';

/** `user/alice`, `assumed-role/deploy/session`, or the stand-in itself: short enough for a message. */
export function shortPrincipal(principal: string): string {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(.+)$/.exec(principal);
  return match ? match[1] : principal;
}

/** ` (2 of 3 denied: AccessDenied)` when some of the calls failed, else empty. */
export function failures(events: TrailEvent[]): string {
  const failed = events.filter((e) => e.errorCode);
  if (failed.length === 0) return '';
  const codes = distinct(failed.map((e) => e.errorCode)).join(', ');
  return failed.length === events.length ? ` (failed: ${codes})` : ` (${failed.length} of ${events.length} failed: ${codes})`;
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
