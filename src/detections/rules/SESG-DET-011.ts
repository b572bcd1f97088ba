// SESG-DET-011: a workload sends mail directly. Accepted TCP flows from an interface to public addresses on a
// mail port (25, 465, 587, 2525), outside approvedMailRelays (the analyzer has already set those, private
// space and inbound flows aside). One finding per interface.
import { distinctDestinations, topDestinations, workloadName, type FlowDetector } from '../flows.js';
import { iso } from '../windows.js';

export const detector: FlowDetector = {
  id: 'SESG-DET-011',
  detect(context) {
    return context.groups('ACCEPT').map((group) => {
      const ports = [...group.ports.keys()].sort((a, b) => a - b).join('/');
      const top = topDestinations(group, 3).map((d) => d.address).join(', ');
      const n = distinctDestinations(group);
      return {
        group,
        attempt: false,
        message:
          `${workloadName(group)} sent mail directly: ${group.flows} accepted TCP flow(s) on port ${ports} to ${n} public address(es) ` +
          `(${top}${n > 3 ? ', …' : ''}), ${group.bytes} bytes, from ${iso(group.first * 1000)} to ${iso(group.last * 1000)}; ` +
          'isolate the instance, find the process, and allow mail ports only to an approved relay',
      };
    });
  },
};
