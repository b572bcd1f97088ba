// The AWS calls a live scan could not make, in one line a person can act on (SPEC §11: name the account, region
// and call): grouped by call and error, with where they failed. The per-pair reasons stay in `notAssessed`.
import type { NotAssessed } from './engine/types.js';

/** `service:Operation` then the error's name, as the collectors write a reason (`… failed: Name: message`). */
const CALL = /(?:^|: )([a-z0-9-]+:[A-Za-z0-9]+)(?: into \S+)?(?: failed)?: ([A-Za-z][\w.]*)/;

const MAX_CALLS = 5;
const MAX_PLACES = 3;

export interface FailedCall {
  call: string;
  error: string;
  /** `account/region`, or the account alone for global services; sorted, distinct. */
  places: string[];
}

/** The failed calls behind not-assessed pairs, most widespread first; `pairs` is how many pairs they left open. */
export function failedCalls(notAssessed: NotAssessed[], skipAccounts: ReadonlySet<string> = new Set()): { calls: FailedCall[]; pairs: number } {
  const groups = new Map<string, { call: string; error: string; places: Set<string> }>();
  let pairs = 0;
  for (const n of notAssessed) {
    if (n.account !== undefined && skipAccounts.has(n.account)) continue;
    const match = CALL.exec(n.reason);
    if (!match) continue;
    pairs += 1;
    const [, call, error] = match;
    const key = `${call}\0${error}`;
    const group = groups.get(key) ?? { call, error, places: new Set<string>() };
    groups.set(key, group);
    const place = [n.account, n.region].filter((x) => x !== undefined).join('/');
    if (place) group.places.add(place);
  }
  const calls = [...groups.values()]
    .map((g) => ({ call: g.call, error: g.error, places: [...g.places].sort() }))
    .sort((a, b) => b.places.length - a.places.length || a.call.localeCompare(b.call) || a.error.localeCompare(b.error));
  return { calls, pairs };
}

function where(places: string[]): string {
  if (places.length === 0) return '';
  const shown = places.slice(0, MAX_PLACES).join(', ');
  return places.length > MAX_PLACES ? ` in ${places.length} places (${shown}, …)` : ` in ${shown}`;
}

/** One notice line, or null when no pair was left open by a failed call. */
export function failedCallsNotice(notAssessed: NotAssessed[], skipAccounts?: ReadonlySet<string>): string | null {
  const { calls, pairs } = failedCalls(notAssessed, skipAccounts);
  if (pairs === 0) return null;
  const listed = calls.slice(0, MAX_CALLS).map((c) => `${c.call} (${c.error})${where(c.places)}`);
  const more = calls.length > MAX_CALLS ? `; and ${calls.length - MAX_CALLS} more call(s)` : '';
  return `${pairs} (check, resource) pair(s) not assessed because AWS calls failed: ${listed.join('; ')}${more} (each pair's reason in notAssessed)`;
}
