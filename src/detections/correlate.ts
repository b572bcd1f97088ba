// One investigation from two logs: findings of VPC Flow Logs (a workload sending mail) and of CloudTrail (who
// opened the way, whose credentials sent) that belong together point at each other, so a responder reads one
// story. Linked when, in the same account: a security group was opened on a mail port (SESG-DET-006) from a day
// before the flows to their end; the instance's own role session (EC2 names it after the instance id) called
// SES; a newly created key was used for SES (SESG-DET-007) within a day of the flows. Whether the opened group is
// the interface's own is told by a scan snapshot (--snapshot) and said in the relation; without one it is said
// to be unknown, never assumed.
import type { Finding } from '../engine/types.js';
import type { PrincipalTimeline } from './types.js';

const DAY_MS = 24 * 3600_000;

export interface RelatedFinding {
  checkId: string;
  fingerprint: string;
  resource: string;
  relation: string;
}

function time(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

function accountOf(finding: Finding): string | undefined {
  return finding.resource.account;
}

function link(from: Finding, to: Finding, relation: string): void {
  const list = (from.evidence.relatedFindings as RelatedFinding[] | undefined) ?? [];
  if (list.some((r) => r.fingerprint === to.fingerprint)) return;
  list.push({ checkId: to.checkId, fingerprint: to.fingerprint, resource: to.resource.id, relation });
  list.sort((a, b) => a.checkId.localeCompare(b.checkId) || a.fingerprint.localeCompare(b.fingerprint));
  from.evidence.relatedFindings = list;
}

/** The security groups a SESG-DET-006 finding saw opened. */
function openedGroups(finding: Finding): string[] {
  const openings = Array.isArray(finding.evidence.openings) ? (finding.evidence.openings as { groupId?: unknown }[]) : [];
  return [...new Set(openings.map((o) => o.groupId).filter((g): g is string => typeof g === 'string'))];
}

/** The interface's security groups from the snapshot (`evidence.workload`), or undefined when not known. */
function groupsOf(flow: Finding): string[] | undefined {
  const workload = flow.evidence.workload as { securityGroups?: { groupId: string }[] } | undefined;
  return workload?.securityGroups?.map((g) => g.groupId);
}

/** EC2 instance-profile sessions are named after the instance: `assumed-role/<role>/i-0123…`. */
function instanceOfSession(principal: string): string | null {
  const match = /:assumed-role\/[^/]+\/(i-[0-9a-f]{8,17})$/.exec(principal);
  return match ? match[1] : null;
}

/**
 * The flow and CloudTrail findings, merged in time order, with `evidence.relatedFindings` on both sides of
 * every link, and `evidence.instanceRoleSesCalls` on a flow finding whose instance's role called SES.
 */
export function correlate(trail: Finding[], flows: Finding[], timeline: PrincipalTimeline[]): Finding[] {
  for (const flow of flows) {
    const start = time(flow.evidence.windowStart);
    const end = time(flow.evidence.windowEnd);
    const account = accountOf(flow);
    const instances = new Set((flow.evidence.instanceIds as string[] | undefined) ?? []);
    const sameAccount = (f: Finding) => account === undefined || accountOf(f) === undefined || accountOf(f) === account;
    for (const other of trail) {
      if (!sameAccount(other)) continue;
      const at = time(other.evidence.windowStart);
      if (other.checkId === 'SESG-DET-006' && at >= start - DAY_MS && at <= end) {
        const when = at <= start ? 'before' : 'during';
        const opened = openedGroups(other);
        const own = groupsOf(flow);
        const mine = own ? opened.filter((g) => own.includes(g)) : [];
        if (mine.length > 0) {
          link(flow, other, `this interface's security group ${mine.join(', ')} was opened on a mail port ${when} these flows`);
          link(other, flow, `the group opened here is on this interface, which then sent mail directly`);
        }
        else {
          const known = own
            ? `; the snapshot lists this interface's groups as ${own.join(', ') || 'none'}, so not this one as of the snapshot`
            : '; whether it is this interface\'s group is unknown without --snapshot';
          link(flow, other, `a security group was opened on a mail port ${when} these flows, in the same account${known}`);
          link(other, flow, 'mail-port flows from a workload in the same account followed or accompanied this change');
        }
      }
      if (other.checkId === 'SESG-DET-007' && Math.abs(at - start) <= DAY_MS) {
        link(flow, other, 'a newly created access key was used for SES within a day of these flows');
        link(other, flow, 'a workload in the same account sent mail directly within a day');
      }
      const principal = typeof other.evidence.principal === 'string' ? other.evidence.principal : other.resource.id;
      const instance = instanceOfSession(principal);
      if (instance && instances.has(instance)) {
        link(flow, other, `the role session of instance ${instance} is the subject of this CloudTrail finding`);
        link(other, flow, `the same instance (${instance}) sent mail directly`);
      }
    }
    const sesCalls = timeline
      .filter((t) => {
        const instance = instanceOfSession(t.principal);
        return instance !== null && instances.has(instance) && (t.sends.length > 0 || t.entries.some((e) => e.eventSource === 'ses.amazonaws.com'));
      })
      .map((t) => ({ principal: t.principal, firstSeen: t.firstSeen, lastSeen: t.lastSeen, sesSendWindows: t.sends.length }));
    if (sesCalls.length > 0) flow.evidence.instanceRoleSesCalls = sesCalls;
  }
  return [...trail, ...flows].sort(
    (a, b) =>
      String(a.evidence.windowStart).localeCompare(String(b.evidence.windowStart)) ||
      a.checkId.localeCompare(b.checkId) ||
      a.resource.id.localeCompare(b.resource.id) ||
      Number(a.evidence.attempt) - Number(b.evidence.attempt),
  );
}
