// SESG-DET-003: PutAccountDetails, the request to leave the SES sandbox. Attackers file it in several
// regions within minutes right after reconnaissance (seed 001: production quotas are the blast radius).
// A refused request is an attempt: it asked for nothing AWS will review.
import { SES } from '../event.js';
import type { Detector, Hit } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { eventsByOutcome, failedWith, minutes, shortPrincipal, str } from './util.js';

export const detector: Detector = {
  id: 'SESG-DET-003',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const requests = context.named('PutAccountDetails').filter((e) => e.source === SES);
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(requests, (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const cluster of gapClusters(items, windowMs)) {
          const regions = distinct(cluster.map((e) => e.region)).sort();
          const start = cluster[0].time;
          const end = cluster[cluster.length - 1].time;
          const where =
            regions.length > 1
              ? `in ${regions.length} regions within ${minutes(end - start)} (${regions.join(', ')}), the pattern of a compromised account being readied for spam`
              : `in ${regions[0]}`;
          hits.push({
            attempt,
            subject: principal,
            subjectKind: 'principal',
            account: cluster[0].account,
            region: regions.length === 1 ? regions[0] : undefined,
            windowStart: start,
            windowEnd: end,
            message: attempt
              ? `${shortPrincipal(principal)} tried to request SES production access (PutAccountDetails) ${where}; ` +
                `${failedWith(cluster)}. No request was filed; find out who holds this credential.`
              : `${shortPrincipal(principal)} requested SES production access (PutAccountDetails) ${where}. ` +
                `Confirm with the account owner; withdraw the request in the SES console if unknown.`,
            events: cluster,
            details: {
              requestedRegions: regions,
              requests: cluster.map((e) => ({
                eventId: e.id,
                region: e.region,
                mailType: str(e.params?.mailType ?? e.params?.MailType),
                websiteURL: str(e.params?.websiteURL ?? e.params?.WebsiteURL),
                contactLanguage: str(e.params?.contactLanguage ?? e.params?.ContactLanguage),
              })),
            },
          });
        }
      }
    }
    return hits;
  },
};
