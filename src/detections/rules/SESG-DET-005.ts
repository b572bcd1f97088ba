// SESG-DET-005: a sending identity created or verified. An attacker needs a From address the account
// may send as; a new identity outside the normal deployment path is that address (seed 001, item 5).
// A refused creation is an attempt: no identity exists.
import { SES, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { eventsByOutcome, failedWith, principalScope, shortPrincipal, str } from './util.js';

const IDENTITY_PARAMS: Record<string, string[]> = {
  CreateEmailIdentity: ['emailIdentity'],
  VerifyEmailIdentity: ['emailAddress'],
  VerifyDomainIdentity: ['domain'],
  VerifyEmailAddress: ['emailAddress'],
};

function identityOf(event: TrailEvent): string {
  return str(param(event.params, ...IDENTITY_PARAMS[event.name])) ?? '(identity not recorded)';
}

export const detector: Detector = {
  id: 'SESG-DET-005',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const calls = context.named(...Object.keys(IDENTITY_PARAMS)).filter((e) => e.source === SES);
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(calls, (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const cluster of gapClusters(items, windowMs)) {
          const identities = distinct(cluster.map(identityOf));
          const what = `SES identit${identities.length > 1 ? 'ies' : 'y'} ${identities.join(', ')} in ${distinct(cluster.map((e) => e.region)).join(', ')}`;
          hits.push({
            attempt,
            ...principalScope(principal, cluster),
            message: attempt
              ? `${shortPrincipal(principal)} tried to create or verify ${what}; ${failedWith(cluster)}. Find out who holds this credential.`
              : `${shortPrincipal(principal)} created or verified ${what}. Delete identities nobody requested.`,
            events: cluster,
            details: { identities },
          });
        }
      }
    }
    return hits;
  },
};
