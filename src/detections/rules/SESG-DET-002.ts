// SESG-DET-002: a long-term access key (AKIA…) runs the whole SES enumeration sequence in one region
// within the window: sending status, quota, identity listing, verification status. Leaked keys are
// tested exactly this way before a spam run (seed 001).
import { SES } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, groupBy, slidingClusters } from '../windows.js';
import { failures, shortPrincipal, tally } from './util.js';

/**
 * Each step and the calls that satisfy it. SES v2's GetAccount answers both the status and the quota
 * question; GetEmailIdentity is v2's counterpart of GetIdentityVerificationAttributes.
 */
export const STEPS: Record<string, string[]> = {
  status: ['GetAccountSendingEnabled', 'GetAccount'],
  quota: ['GetSendQuota', 'GetAccount'],
  listing: ['ListIdentities', 'ListEmailIdentities'],
  verification: ['GetIdentityVerificationAttributes', 'GetEmailIdentity'],
};

const STEP_NAMES = Object.keys(STEPS);
const EVENT_NAMES = [...new Set(Object.values(STEPS).flat())];

function stepsOf(event: TrailEvent): string[] {
  return STEP_NAMES.filter((step) => STEPS[step].includes(event.name));
}

export const detector: Detector = {
  id: 'SESG-DET-002',
  events: [{ source: SES, names: EVENT_NAMES }],
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const calls = context
      .named(...EVENT_NAMES)
      .filter((e) => e.source === SES && !e.byAws && e.accessKey?.startsWith('AKIA'));
    const hits: Hit[] = [];
    for (const [accessKey, events] of groupBy(calls, (e) => e.accessKey)) {
      // The sequence must complete inside one region; runs in several regions that overlap in
      // time are one campaign and give one finding.
      const runs: TrailEvent[][] = [];
      for (const regional of groupBy(events, (e) => e.region).values()) {
        runs.push(...slidingClusters(regional, windowMs, stepsOf, (counts) => counts.size === STEP_NAMES.length));
      }
      runs.sort((a, b) => a[0].time - b[0].time);
      const campaigns: TrailEvent[][] = [];
      let lastEnd = -Infinity;
      for (const run of runs) {
        const last = campaigns[campaigns.length - 1];
        const runEnd = run[run.length - 1].time;
        if (last && run[0].time - lastEnd <= windowMs) {
          for (const e of run) last.push(e);
          lastEnd = Math.max(lastEnd, runEnd);
        }
        else {
          campaigns.push([...run]);
          lastEnd = runEnd;
        }
      }
      for (const campaign of campaigns) {
        campaign.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
        const regions = distinct(campaign.map((e) => e.region)).sort();
        const principal = campaign[0].principal;
        hits.push({
          subject: accessKey,
          subjectKind: 'access-key',
          account: campaign[0].account,
          region: regions.length === 1 ? regions[0] : undefined,
          windowStart: campaign[0].time,
          windowEnd: campaign[campaign.length - 1].time,
          message:
            `long-term access key ${accessKey} (${shortPrincipal(principal)}) ran the SES enumeration sequence ` +
            `(sending status, quota, identities, verification) in ${regions.join(', ')}${failures(campaign)}: ` +
            `${tally(campaign.map((e) => e.name))}. Deactivate the key if this is not a known tool.`,
          events: campaign,
          details: { enumeratedRegions: regions },
        });
      }
    }
    return hits;
  },
};
