// SESG-DET-010: SES send calls of one principal in a 5-minute window exceed max(100, 10 × its median
// window). Buyers of stolen SES access send as much as they can before the account is stopped (seed
// 001); a steady high-volume sender stays near its own median and is left alone (seed 000, "compare to
// known traffic baselines"). Needs SES send data events. A burst of refused send calls (sending paused,
// throttled, rejected) is an attempt to send, measured and reported apart from the sends that went out.
import type { Detector, Hit, SendBucket, SendSeries } from '../types.js';
import { SEND_WINDOW_MS, distinct, groupBy, iso, median } from '../windows.js';
import { shortPrincipal } from './util.js';

export const MIN_BURST = 100;
export const BURST_FACTOR = 10;
/**
 * A median needs history: with fewer active windows than this (one hour of sending) the principal has
 * no baseline in these logs and only the absolute floor applies. Otherwise a brand-new key's burst
 * would be its own median and never stand out.
 */
export const MIN_BASELINE_WINDOWS = 12;

export const detector: Detector = {
  id: 'SESG-DET-010',
  detect(context) {
    const hits: Hit[] = [];
    for (const [, series] of groupBy(context.sends, (s: SendSeries) => `${s.actor}\u0000${s.failed}`)) {
      const actor = series[0].actor;
      const attempt = series[0].failed;
      // Merge the caller's keys (role sessions rotate them) into one count per window.
      const windows = new Map<number, SendBucket[]>();
      for (const s of series) {
        for (const bucket of s.buckets.values()) {
          const list = windows.get(bucket.start);
          if (list) list.push(bucket);
          else windows.set(bucket.start, [bucket]);
        }
      }
      const counts = [...windows].map(([start, buckets]) => ({ start, buckets, count: buckets.reduce((n, b) => n + b.count, 0) }));
      counts.sort((a, b) => a.start - b.start);
      const baseline = counts.length >= MIN_BASELINE_WINDOWS ? median(counts.map((c) => c.count)) : 0;
      const threshold = Math.max(MIN_BURST, BURST_FACTOR * baseline);
      const bursts = counts.filter((c) => c.count > threshold);
      // Adjacent burst windows are one burst.
      const runs: (typeof bursts)[] = [];
      for (const burst of bursts) {
        const run = runs[runs.length - 1];
        if (run && burst.start - run[run.length - 1].start <= SEND_WINDOW_MS) run.push(burst);
        else runs.push([burst]);
      }
      for (const run of runs) {
        const buckets = run.flatMap((w) => w.buckets);
        const total = run.reduce((n, w) => n + w.count, 0);
        const peak = run.reduce((m, w) => Math.max(m, w.count), 0);
        const samples = buckets.flatMap((b) => b.samples).sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
        const regions = distinct(buckets.flatMap((b) => [...b.regions])).sort();
        const principal = series[0].principal;
        const counted = `${total} SES send calls in ${run.length * 5} minutes (peak ${peak} in 5 minutes) ` +
          `against a threshold of ${threshold} (${baseline > 0 ? `10 × its median of ${baseline}` : 'no sending baseline in these logs'}) ` +
          `in ${regions.join(', ')}`;
        hits.push({
          attempt,
          subject: actor,
          subjectKind: 'principal',
          account: series[0].account,
          region: regions.length === 1 ? regions[0] : undefined,
          windowStart: run[0].start,
          windowEnd: buckets.reduce((m, b) => Math.max(m, b.last), run[0].start),
          message: attempt
            ? `${shortPrincipal(actor)} tried to make ${counted}; every one failed (${distinct(buckets.flatMap((b) => [...b.errorCodes])).sort().join(', ')}). ` +
              `No mail went out through these calls; find the credential and why it is trying to send.`
            : `${shortPrincipal(actor)} made ${counted}. Pause sending (UpdateAccountSendingEnabled false) if this is not a planned campaign.`,
          events: samples,
          details: {
            sendCalls: total,
            peakPerWindow: peak,
            baselineMedian: baseline,
            threshold,
            activeWindows: counts.length,
            principal,
            windows: run.map((w) => ({
              windowStart: iso(w.start),
              count: w.count,
              sourceIps: distinct(w.buckets.flatMap((b) => [...b.sourceIps])).sort(),
              userAgents: distinct(w.buckets.flatMap((b) => [...b.userAgents])).sort(),
            })),
          },
        });
      }
    }
    return hits;
  },
};
