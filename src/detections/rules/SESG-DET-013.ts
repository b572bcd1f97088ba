// SESG-DET-013: key misuse. A key (or a role's sessions) calls SES from a source address, or with a user agent,
// never seen for it in the logs' earlier part (the baseline: up to --baseline-until, by default the first half
// of the span), or an IAM user calls SES within an hour of a console login without MFA. A caller with no call in
// the baseline cannot be compared: it is noted as undecided, never reported on a guess. AWS's own calls never
// count (they carry no customer key). SES send data events count through their 5-minute windows.
import { SES, callerOf } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { HOUR, distinct, groupBy, iso } from '../windows.js';
import { eventsByOutcome, shortPrincipal } from './util.js';

/** How soon after a console login without MFA an SES call counts as "right after". */
export const AFTER_LOGIN_MS = HOUR;

function scope(subject: string, events: TrailEvent[]): Pick<Hit, 'subject' | 'subjectKind' | 'account' | 'region' | 'windowStart' | 'windowEnd'> {
  const regions = distinct(events.map((e) => e.region));
  return {
    subject,
    subjectKind: subject.startsWith('arn:') ? 'principal' : 'access-key',
    account: events[0].account,
    region: regions.length === 1 ? regions[0] : undefined,
    windowStart: events[0].time,
    windowEnd: events[events.length - 1].time,
  };
}

export const detector: Detector = {
  id: 'SESG-DET-013',
  detect(context) {
    const hits: Hit[] = [];
    const history = context.keyHistory();
    const { baselineUntil } = context.span;
    // Management SES calls, and samples of send data events (each window's addresses and agents are complete).
    const calls = context.allOf(SES).filter((e) => !e.byAws && e.accessKey);
    for (const series of context.sends) for (const bucket of series.buckets.values()) calls.push(...bucket.samples.filter((e) => !e.byAws && e.accessKey));
    const noBaseline = new Set<string>();
    const byCaller = groupBy(calls.filter((e) => e.time > baselineUntil), (e) => callerOf(e.accessKey, e.issuer, e.principal) ?? undefined);
    for (const [caller, events] of [...byCaller].sort((a, b) => a[0].localeCompare(b[0]))) {
      const known = history.get(caller);
      if (!known || known.first > baselineUntil) {
        noBaseline.add(caller);
        continue;
      }
      const seenBefore = (map: Map<string, number>, value: string | undefined) => value === undefined || (map.get(value) ?? Infinity) <= baselineUntil;
      const fresh = events.filter((e) => !seenBefore(known.sourceIps, e.sourceIp) || !seenBefore(known.userAgents, e.userAgent));
      if (fresh.length === 0) continue;
      fresh.sort((a, b) => a.time - b.time);
      for (const { attempt, items } of eventsByOutcome(fresh)) {
        const ips = distinct(items.map((e) => e.sourceIp)).filter((ip) => !seenBefore(known.sourceIps, ip));
        const agents = distinct(items.map((e) => e.userAgent)).filter((ua) => !seenBefore(known.userAgents, ua));
        const what = [ips.length > 0 ? `from ${ips.join(', ')}` : '', agents.length > 0 ? `with user agent ${agents.map((a) => `"${a.slice(0, 80)}"`).join(', ')}` : '']
          .filter(Boolean)
          .join(' and ');
        const who = caller.startsWith('arn:') ? shortPrincipal(caller) : `access key ${caller}`;
        hits.push({
          attempt,
          ...scope(caller, items),
          message:
            `${who} ${attempt ? 'tried to call' : 'called'} SES ${what}, never seen for it before ${iso(baselineUntil)} in these logs ` +
            `(${items.length} call${items.length > 1 ? 's' : ''}, first ${iso(items[0].time)}). Confirm with its owner; deactivate it if nobody recognises the source.`,
          events: items,
          details: { baselineUntil: iso(baselineUntil), newSourceIps: ips, newUserAgents: agents, knownSourceIps: [...known.sourceIps.keys()].slice(0, 20) },
        });
      }
    }
    if (noBaseline.size > 0) {
      context.undecided(`whether ${noBaseline.size} caller(s) calling SES after ${iso(baselineUntil)} used new addresses or agents: they made no call in the baseline before it (${[...noBaseline].slice(0, 3).join(', ')}${noBaseline.size > 3 ? ', …' : ''})`);
    }
    // A console login without MFA, then SES calls by the same user within the hour.
    const logins = context.named('ConsoleLogin').filter((e) => !e.errorCode && e.mfaUsed === false && e.principalType === 'IAMUser');
    for (const login of logins) {
      const after = calls.filter((e) => e.principal === login.principal && e.time >= login.time && e.time - login.time <= AFTER_LOGIN_MS);
      for (const { attempt, items } of eventsByOutcome(after.sort((a, b) => a.time - b.time))) {
        hits.push({
          attempt,
          ...scope(login.principal, items),
          message:
            `${shortPrincipal(login.principal)} signed in to the console without MFA at ${iso(login.time)} from ${login.sourceIp ?? 'an unknown address'} and ` +
            `${attempt ? 'tried to call' : 'called'} SES ${items.length} time(s) within the hour. Require MFA for console users; confirm the sign-in with the user.`,
          events: items,
          related: [{ relation: 'console login without MFA', events: [login] }],
          details: { consoleLogin: iso(login.time), mfaUsed: false },
        });
      }
    }
    return hits;
  },
};
