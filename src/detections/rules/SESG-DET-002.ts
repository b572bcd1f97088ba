// SESG-DET-002: a long-term access key (AKIA…) runs the whole SES enumeration sequence in one region
// within the window: sending status, quota, identity listing, verification status. Leaked keys are
// tested exactly this way before a spam run (seed 001). A sequence of refused calls is an attempt.
import { SES } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, groupBy, slidingClusters } from '../windows.js';
import { eventsByOutcome, failedWith, shortPrincipal, tally } from './util.js';

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

/** Runs of the full sequence, one region each; runs that overlap in time are one campaign. */
function campaigns(events: TrailEvent[], windowMs: number): TrailEvent[][] {
  const runs: TrailEvent[][] = [];
  for (const regional of groupBy(events, (e) => e.region).values()) {
    runs.push(...slidingClusters(regional, windowMs, stepsOf, (counts) => counts.size === STEP_NAMES.length));
  }
  runs.sort((a, b) => a[0].time - b[0].time);
  const out: TrailEvent[][] = [];
  let lastEnd = -Infinity;
  for (const run of runs) {
    const last = out[out.length - 1];
    const runEnd = run[run.length - 1].time;
    if (last && run[0].time - lastEnd <= windowMs) {
      for (const e of run) last.push(e);
      lastEnd = Math.max(lastEnd, runEnd);
    }
    else {
      out.push([...run]);
      lastEnd = runEnd;
    }
  }
  for (const campaign of out) campaign.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  return out;
}

export const detector: Detector = {
  id: 'SESG-DET-002',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const calls = context
      .named(...EVENT_NAMES)
      .filter((e) => e.source === SES && !e.byAws && e.accessKey?.startsWith('AKIA'));
    const hits: Hit[] = [];
    for (const [accessKey, events] of groupBy(calls, (e) => e.accessKey)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const campaign of campaigns(items, windowMs)) {
          const regions = distinct(campaign.map((e) => e.region)).sort();
          const who = `long-term access key ${accessKey} (${shortPrincipal(campaign[0].principal)})`;
          const sequence = `the SES enumeration sequence (sending status, quota, identities, verification) in ${regions.join(', ')}`;
          hits.push({
            attempt,
            subject: accessKey,
            subjectKind: 'access-key',
            account: campaign[0].account,
            region: regions.length === 1 ? regions[0] : undefined,
            windowStart: campaign[0].time,
            windowEnd: campaign[campaign.length - 1].time,
            message: attempt
              ? `${who} tried to run ${sequence}; ${failedWith(campaign)} (${tally(campaign.map((e) => e.name))}). ` +
                `Deactivate the key if this is not a known tool.`
              : `${who} ran ${sequence}: ${tally(campaign.map((e) => e.name))}. Deactivate the key if this is not a known tool.`,
            events: campaign,
            details: { enumeratedRegions: regions },
          });
        }
      }
    }
    return hits;
  },
};
