// SESG-DET-005: a sending identity created or verified. An attacker needs a From address the account
// may send as; a new identity outside the normal deployment path is that address (seed 001, item 5).
import { SES, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { failures, principalScope, shortPrincipal, str } from './util.js';

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
  events: [{ source: SES, names: Object.keys(IDENTITY_PARAMS) }],
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    const calls = context.named(...Object.keys(IDENTITY_PARAMS)).filter((e) => e.source === SES);
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(calls, (e) => e.principal)) {
      for (const cluster of gapClusters(events, windowMs)) {
        const identities = distinct(cluster.map(identityOf));
        hits.push({
          ...principalScope(principal, cluster),
          message:
            `${shortPrincipal(principal)} created or verified SES identit${identities.length > 1 ? 'ies' : 'y'} ` +
            `${identities.join(', ')} in ${distinct(cluster.map((e) => e.region)).join(', ')}${failures(cluster)}. ` +
            `Delete identities nobody requested.`,
          events: cluster,
          details: { identities },
        });
      }
    }
    return hits;
  },
};
