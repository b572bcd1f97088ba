// SESG-DET-004: sending re-enabled for the account or a configuration set. AWS or an automatic pause
// (seed 001, item 9; seed 002) disabled it for a reason; turning it back on is a decision to review.
// A refused re-enable is an attempt: sending stayed as it was.
import { SES, isTrue, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { eventsByOutcome, failedWith, principalScope, shortPrincipal, str } from './util.js';

/** Each call and where its "enabled" flag sits (SES v1 camelCase, v2 PascalCase). */
const ENABLE_FLAGS: Record<string, string[]> = {
  UpdateAccountSendingEnabled: ['enabled'],
  PutAccountSendingAttributes: ['sendingEnabled'],
  UpdateConfigurationSetSendingEnabled: ['enabled'],
  PutConfigurationSetSendingOptions: ['sendingEnabled'],
};

function enables(event: TrailEvent): boolean {
  const flags = ENABLE_FLAGS[event.name];
  return flags !== undefined && isTrue(param(event.params, ...flags));
}

function target(event: TrailEvent): string {
  const set = str(param(event.params, 'configurationSetName'));
  return set ? `configuration set ${set} in ${event.region}` : `the account in ${event.region}`;
}

export const detector: Detector = {
  id: 'SESG-DET-004',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const calls = context.named(...Object.keys(ENABLE_FLAGS)).filter((e) => e.source === SES && enables(e));
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(calls, (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const cluster of gapClusters(items, windowMs)) {
          const targets = distinct(cluster.map(target));
          hits.push({
            attempt,
            ...principalScope(principal, cluster),
            message: attempt
              ? `${shortPrincipal(principal)} tried to re-enable SES sending for ${targets.join('; ')}; ${failedWith(cluster)}. ` +
                `Sending stayed paused; find out who holds this credential.`
              : `${shortPrincipal(principal)} re-enabled SES sending for ${targets.join('; ')}. ` +
                `Find out why sending was paused before leaving it on.`,
            events: cluster,
            details: { reenabled: targets },
          });
        }
      }
    }
    return hits;
  },
};
