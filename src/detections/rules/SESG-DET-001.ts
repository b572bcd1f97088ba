// SESG-DET-001: one principal calls SES reconnaissance APIs in ≥ reconRegions regions within
// reconWindowMinutes: looking for a region already out of the SES sandbox (seed 001, item 7).
import { SES } from '../event.js';
import type { Detector, Hit } from '../types.js';
import { MINUTE, distinct, groupBy, slidingClusters } from '../windows.js';
import { failures, minutes, shortPrincipal, tally } from './util.js';

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
  events: [{ source: SES, names: RECON_EVENTS }],
  detect(context) {
    const { reconRegions, reconWindowMinutes } = context.thresholds;
    const windowMs = reconWindowMinutes * MINUTE;
    // AWS's own callers (Trusted Advisor's quota sweep, AWS Config) are not reconnaissance.
    const calls = context.named(...RECON_EVENTS).filter((e) => e.source === SES && !e.byAws);
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(calls, (e) => e.principal)) {
      const clusters = slidingClusters(events, windowMs, (e) => [e.region], (counts) => counts.size >= reconRegions);
      for (const cluster of clusters) {
        const regions = distinct(cluster.map((e) => e.region)).sort();
        const start = cluster[0].time;
        const end = cluster[cluster.length - 1].time;
        hits.push({
          subject: principal,
          subjectKind: 'principal',
          account: cluster[0].account,
          windowStart: start,
          windowEnd: end,
          message:
            `${shortPrincipal(principal)} called SES reconnaissance APIs in ${regions.length} regions within ` +
            `${minutes(end - start)} (${tally(cluster.map((e) => e.name))})${failures(cluster)}: ` +
            `someone is looking for a region out of the SES sandbox. Check whether this principal's key is leaked.`,
          events: cluster,
          details: { regionCount: regions.length, threshold: { reconRegions, reconWindowMinutes } },
        });
      }
    }
    return hits;
  },
};
