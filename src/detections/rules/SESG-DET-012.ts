// SESG-DET-012: a blocked spambot. Rejected TCP flows from one interface to port 25 of many distinct public
// addresses: the security group or network ACL held, but the host tried to deliver mail to the world and is
// compromised all the same. Few rejected destinations are a misconfigured client, not reported.
import { distinctDestinations, topDestinations, workloadName, type FlowDetector } from '../flows.js';
import { iso } from '../windows.js';

/** Distinct public destinations of rejected port-25 flows from one interface that make a spambot. */
export const MIN_REJECTED_DESTINATIONS = 10;

export const detector: FlowDetector = {
  id: 'SESG-DET-012',
  detect(context) {
    const hits = [];
    for (const group of context.groups('REJECT')) {
      if (!group.ports.has(25)) continue;
      const n = distinctDestinations(group);
      if (n < MIN_REJECTED_DESTINATIONS) continue;
      const top = topDestinations(group, 3).map((d) => d.address).join(', ');
      hits.push({
        group,
        attempt: true,
        message:
          `${workloadName(group)} tried to deliver mail to ${n} public addresses on port 25 (${top}, …): ${group.flows} flow(s) rejected ` +
          `from ${iso(group.first * 1000)} to ${iso(group.last * 1000)}; the egress block held, but the host is likely compromised`,
        details: { minRejectedDestinations: MIN_REJECTED_DESTINATIONS },
      });
    }
    return hits;
  },
};
