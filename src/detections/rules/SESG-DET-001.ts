// SESG-DET-001: one principal calls SES reconnaissance APIs in ≥ reconRegions regions within
// reconWindowMinutes: looking for a region already out of the SES sandbox (seed 001, item 7). Calls that
// were refused are judged apart: a sweep of refused calls is an attempt at reconnaissance.
import { SES } from '../event.js';
import type { Detector, Hit } from '../types.js';
import { MINUTE, distinct, groupBy, slidingClusters } from '../windows.js';
import { eventsByOutcome, failedWith, minutes, shortPrincipal, tally } from './util.js';

export const RECON_EVENTS = [
  'GetSendQuota',
  'GetAccount',
  'GetAccountSendingEnabled',
  'ListIdentities',
  'ListEmailIdentities',
  'GetIdentityVerificationAttributes',
];

export const detector: Detector = {
  id: 'SESG-DET-001',
  detect(context) {
    const { reconRegions, reconWindowMinutes } = context.thresholds;
    const windowMs = reconWindowMinutes * MINUTE;
    // AWS's own callers (Trusted Advisor's quota sweep, AWS Config) are not reconnaissance.
    const calls = context.named(...RECON_EVENTS).filter((e) => e.source === SES && !e.byAws);
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(calls, (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        const clusters = slidingClusters(items, windowMs, (e) => [e.region], (counts) => counts.size >= reconRegions);
        for (const cluster of clusters) {
          const regions = distinct(cluster.map((e) => e.region)).sort();
          const start = cluster[0].time;
          const end = cluster[cluster.length - 1].time;
          const what = `SES reconnaissance APIs in ${regions.length} regions within ${minutes(end - start)} (${tally(cluster.map((e) => e.name))})`;
          hits.push({
            attempt,
            subject: principal,
            subjectKind: 'principal',
            account: cluster[0].account,
            windowStart: start,
            windowEnd: end,
            message: attempt
              ? `${shortPrincipal(principal)} tried to call ${what}; ${failedWith(cluster)}: someone holding this ` +
                `credential is looking for a region out of the SES sandbox. Check whether its key is leaked.`
              : `${shortPrincipal(principal)} called ${what}: someone is looking for a region out of the SES sandbox. ` +
                `Check whether this principal's key is leaked.`,
            events: cluster,
            details: { regionCount: regions.length, threshold: { reconRegions, reconWindowMinutes } },
          });
        }
      }
    }
    return hits;
  },
};
