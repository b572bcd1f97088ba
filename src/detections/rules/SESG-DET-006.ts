// SESG-DET-006: security-group egress opened to the world on a mail port (25, 465, 587). Most
// workloads never need to send mail directly; closing port 25 removed most abuse (seed 003), so
// opening it is a step of an attack or a change to review (seed 000, "EC2 traffic patterns"). A refused
// change is an attempt: the rule does not exist.
import { EC2, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { MINUTE, distinct, gapClusters, groupBy } from '../windows.js';
import { asArray, eventsByOutcome, failedWith, principalScope, shortPrincipal, str } from './util.js';

export const MAIL_PORTS = [25, 465, 587];
const WORLD = new Set(['0.0.0.0/0', '::/0']);

export interface Opening {
  groupId?: string;
  ruleId?: string;
  protocol: string;
  fromPort: number;
  toPort: number;
  cidr: string;
  mailPorts: number[];
  direction: 'egress' | 'unknown';
}

function num(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
}

/** The mail ports a rule covers: all of them for "all protocols" (-1), the range for TCP. */
function mailPortsOf(protocol: string, from: number, to: number): number[] {
  const p = protocol.toLowerCase();
  if (p === '-1' || p === 'all') return MAIL_PORTS;
  if (p !== 'tcp' && p !== '6') return [];
  // A TCP rule without ports (or -1) covers every port.
  const low = from < 0 ? 0 : from;
  const high = to < 0 ? 65535 : to;
  return MAIL_PORTS.filter((port) => port >= low && port <= high);
}

/** World-open mail-port rules in an AuthorizeSecurityGroupEgress request (EC2's query-API shape). */
function authorizeOpenings(event: TrailEvent): Opening[] {
  const groupId = str(param(event.params, 'groupId'));
  const out: Opening[] = [];
  for (const raw of asArray(param(event.params, 'ipPermissions'))) {
    const permission = raw as Record<string, unknown>;
    const protocol = String(param(permission, 'ipProtocol') ?? '');
    const from = num(param(permission, 'fromPort'), -1);
    const to = num(param(permission, 'toPort'), -1);
    const ports = mailPortsOf(protocol, from, to);
    if (ports.length === 0) continue;
    const cidrs = [
      ...asArray(param(permission, 'ipRanges')).map((r) => str(param(r as Record<string, unknown>, 'cidrIp'))),
      ...asArray(param(permission, 'ipv6Ranges')).map((r) => str(param(r as Record<string, unknown>, 'cidrIpv6'))),
    ];
    for (const cidr of cidrs) {
      if (cidr && WORLD.has(cidr)) out.push({ groupId, protocol, fromPort: from, toPort: to, cidr, mailPorts: ports, direction: 'egress' });
    }
  }
  return out;
}

/** Rule ids whose direction the logs show (Authorize*'s response lists the created rules). */
function knownDirections(events: TrailEvent[]): Map<string, boolean> {
  const directions = new Map<string, boolean>();
  for (const event of events) {
    for (const raw of asArray(param(event.response, 'securityGroupRuleSet'))) {
      const rule = raw as Record<string, unknown>;
      const id = str(param(rule, 'securityGroupRuleId'));
      if (id) directions.set(id, param(rule, 'isEgress') === true || param(rule, 'isEgress') === 'true');
    }
  }
  return directions;
}

/**
 * ModifySecurityGroupRules does not say whether the rule is egress: a rule the logs show was created
 * as ingress is left out (an MX host receiving on 25 is normal); an unknown one is reported as such.
 */
function modifyOpenings(event: TrailEvent, directions: Map<string, boolean>): Opening[] {
  const request = (param(event.params, 'ModifySecurityGroupRulesRequest') ?? event.params) as Record<string, unknown>;
  const groupId = str(param(request, 'GroupId'));
  const out: Opening[] = [];
  for (const raw of asArray(param(request, 'SecurityGroupRule'))) {
    const entry = raw as Record<string, unknown>;
    const ruleId = str(param(entry, 'SecurityGroupRuleId'));
    const rule = (param(entry, 'SecurityGroupRule') ?? {}) as Record<string, unknown>;
    if (ruleId && directions.get(ruleId) === false) continue;
    const protocol = String(param(rule, 'IpProtocol') ?? '');
    const from = num(param(rule, 'FromPort'), -1);
    const to = num(param(rule, 'ToPort'), -1);
    const ports = mailPortsOf(protocol, from, to);
    const cidr = str(param(rule, 'CidrIpv4')) ?? str(param(rule, 'CidrIpv6'));
    if (ports.length === 0 || !cidr || !WORLD.has(cidr)) continue;
    out.push({
      groupId,
      ruleId,
      protocol,
      fromPort: from,
      toPort: to,
      cidr,
      mailPorts: ports,
      direction: ruleId && directions.get(ruleId) === true ? 'egress' : 'unknown',
    });
  }
  return out;
}

function describe(opening: Opening): string {
  const ports = opening.protocol === '-1' ? 'all traffic' : `TCP ${opening.mailPorts.join('/')}`;
  const direction = opening.direction === 'unknown' ? ' (rule direction not in the logs)' : '';
  return `${opening.groupId ?? 'a security group'}: ${ports} to ${opening.cidr}${direction}`;
}

export const detector: Detector = {
  id: 'SESG-DET-006',
  detect(context) {
    const windowMs = context.thresholds.reconWindowMinutes * MINUTE;
    // Only a rule that was created says which way it points (its response lists it).
    const authorizations = context.named('AuthorizeSecurityGroupEgress', 'AuthorizeSecurityGroupIngress').filter((e) => e.source === EC2 && !e.errorCode);
    const directions = knownDirections(authorizations);
    const opened: { event: TrailEvent; openings: Opening[] }[] = [];
    for (const event of context.named('AuthorizeSecurityGroupEgress', 'ModifySecurityGroupRules')) {
      if (event.source !== EC2) continue;
      const openings = event.name === 'AuthorizeSecurityGroupEgress' ? authorizeOpenings(event) : modifyOpenings(event, directions);
      if (openings.length > 0) opened.push({ event, openings });
    }
    const openingsOf = new Map(opened.map((o) => [o.event, o.openings]));
    const hits: Hit[] = [];
    for (const [principal, events] of groupBy(opened.map((o) => o.event), (e) => e.principal)) {
      for (const { attempt, items } of eventsByOutcome(events)) {
        for (const cluster of gapClusters(items, windowMs)) {
          const openings = cluster.flatMap((e) => openingsOf.get(e) ?? []);
          const rules = distinct(openings.map(describe)).join('; ');
          hits.push({
            attempt,
            ...principalScope(principal, cluster),
            message: attempt
              ? `${shortPrincipal(principal)} tried to open security-group egress to the world on a mail port: ${rules}; ` +
                `${failedWith(cluster)}. The rule was not created; find out who holds this credential.`
              : `${shortPrincipal(principal)} opened security-group egress to the world on a mail port: ` +
                `${rules}. Revoke the rule unless this host is an approved relay.`,
            events: cluster,
            details: { openings },
          });
        }
      }
    }
    return hits;
  },
};
