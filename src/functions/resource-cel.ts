// CEL bindings of the network, monitoring and SES domain functions (network.ts, alarms.ts, ses.ts).
// Handlers receive plain values: maps as objects, lists as arrays, CEL ints as bigint, doubles as
// number — so every numeric argument is accepted in both forms.
import { NotAssessedError } from '../errors.js';
import { isUnknown } from '../inventory/types.js';
import { alarmCoverage, alarmProblems, anyTrailCovers, reputationAlarmKind, sesAlarmKinds, trailGaps, type SesMetricKind } from './alarms.js';
import { naclWorldEgress, worldEgressRules } from './network.js';
import { dkimProblem, domainIn, feedbackGaps, mailFromProblem, scpDeniesAction, scpDeniesSesOutside } from './ses.js';
import type { CelFunction } from './types.js';

function toNumber(value: unknown, what: string): number {
  if (isUnknown(value)) throw new NotAssessedError(`${what}: ${value.$unknown}`);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  throw new NotAssessedError(`${what} is not a number`);
}

function toPorts(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((p) => toNumber(p, 'port'));
}

const METRIC_KINDS: readonly SesMetricKind[] = ['bounce', 'complaint', 'send'];

function toKind(value: unknown): SesMetricKind {
  const kind = String(value) as SesMetricKind;
  // A misspelt kind is a bug in the check, not missing data: fail loudly (still not assessed, never pass).
  if (!METRIC_KINDS.includes(kind)) throw new Error(`unknown SES metric kind "${String(value)}"`);
  return kind;
}

export const resourceFunctions: CelFunction[] = [
  {
    signature: 'worldEgress(dyn, list): list',
    handler: (rules: unknown, ports: unknown) => worldEgressRules(rules, toPorts(ports)),
    description:
      'Security-group egress rules that allow TCP to one of the ports to 0.0.0.0/0 or ::/0: [{index, line?, protocol, fromPort?, toPort?, destination, ports}]',
  },
  {
    signature: 'naclWorldEgress(dyn, int): dyn',
    handler: (entries: unknown, port: unknown) => naclWorldEgress(entries, toNumber(port, 'port')),
    description:
      "The first matching network-ACL egress rule for TCP to the world on the port: {allows, family, ruleNumber, ruleAction, implicit, line?}",
  },
  {
    signature: 'sesAlarmKinds(dyn): list',
    handler: (alarm: unknown) => sesAlarmKinds(alarm as never),
    description: "The SES metrics an alarm reads (directly or via metric math): 'bounce', 'complaint', 'send'",
  },
  {
    signature: 'reputationAlarmKind(dyn): string',
    handler: (alarm: unknown) => reputationAlarmKind(alarm as never),
    description: "'bounce' or 'complaint' for an alarm on an SES reputation rate, '' otherwise",
  },
  {
    signature: 'alarmProblems(dyn): list',
    handler: (alarm: unknown) => alarmProblems(alarm as never),
    description: 'How an SES reputation alarm is miswired (threshold as a percentage, actions disabled, no action), as sentences',
  },
  {
    signature: 'alarmCoverage(dyn, string, dyn): dyn',
    handler: (alarms: unknown, kind: unknown, max: unknown) => alarmCoverage(alarms, toKind(kind), toNumber(max, 'threshold')),
    description:
      'Whether an enabled alarm with an action watches the SES metric with threshold ≤ max: {covered, rejected: [{alarm, reasons}]}',
  },
  {
    signature: 'alarmCoverage(dyn, string): dyn',
    handler: (alarms: unknown, kind: unknown) => alarmCoverage(alarms, toKind(kind)),
    description: 'Whether an enabled alarm with an action watches the SES metric (any threshold): {covered, rejected}',
  },
  {
    signature: 'trailGaps(dyn): list',
    handler: (trail: unknown) => trailGaps(trail as never),
    description: 'Why a trail does not record management events in every region (not multi-region, not logging, …)',
  },
  {
    signature: 'anyTrailCovers(dyn): bool',
    handler: (trails: unknown) => anyTrailCovers(trails),
    description: 'True when one of the trails is multi-region, logging and recording management events',
  },
  {
    signature: 'feedbackGaps(dyn): list',
    handler: (identity: unknown) => feedbackGaps(identity as never),
    description: "Feedback types ('BOUNCE', 'COMPLAINT') of an SES identity that reach neither an SNS topic nor an enabled event destination",
  },
  {
    signature: 'dkimProblem(dyn): string',
    handler: (identity: unknown) => dkimProblem(identity as never),
    description: "Why DKIM does not protect an SES identity (own or parent domain), '' when it does",
  },
  {
    signature: 'dkimOk(dyn): bool',
    handler: (identity: unknown) => dkimProblem(identity as never) === '',
    description: 'True when DKIM signing is enabled and verified for the identity or its parent domain',
  },
  {
    signature: 'mailFromProblem(dyn): string',
    handler: (identity: unknown) => mailFromProblem(identity as never),
    description: "Why a domain identity has no verified custom MAIL FROM domain, '' when it has one",
  },
  {
    signature: 'domainIn(dyn, list): bool',
    handler: (domain: unknown, approved: unknown) => {
      if (isUnknown(domain)) throw new NotAssessedError(`identity: ${domain.$unknown}`);
      return domainIn(String(domain), Array.isArray(approved) ? (approved as string[]) : []);
    },
    description: 'True when the domain is in the list (case-insensitive, trailing dot ignored)',
  },
  {
    signature: 'fraction(dyn, dyn): double',
    handler: (part: unknown, whole: unknown) => {
      const denominator = toNumber(whole, 'denominator');
      if (denominator <= 0) throw new NotAssessedError(`cannot divide by ${denominator}`);
      return toNumber(part, 'numerator') / denominator;
    },
    description: 'part / whole as a double (not assessed when whole ≤ 0, e.g. an unlimited quota reported as -1)',
  },
  {
    signature: 'firstLine(dyn): int',
    handler: (items: unknown) => {
      // Findings point at the first offending sub-object that knows its place in the file; 0 = none.
      const list = Array.isArray(items) ? items : [items];
      for (const item of list) {
        const line = (item as { line?: unknown } | null)?.line;
        if (typeof line === 'number' && line > 0) return BigInt(line);
        if (typeof line === 'bigint' && line > 0n) return line;
      }
      return 0n;
    },
    description: 'The `line` of the first item (or list of items) that has one; 0 when none does',
  },
  {
    signature: 'summary(dyn, int): string',
    handler: (items: unknown, most: bigint | number) => {
      // Long lists (17 control actions behind `ses:*`) make unreadable messages: name a few, count the rest.
      const flat = [...new Set((Array.isArray(items) ? items : [items]).flat(Infinity).map(String))];
      const shown = Number(most);
      if (flat.length <= shown) return flat.join(', ');
      return `${flat.slice(0, shown).join(', ')} and ${flat.length - shown} more`;
    },
    description: 'Distinct values of a (nested) list joined with commas, at most N named and the rest counted',
  },
  {
    signature: 'known(dyn): dyn',
    handler: (value: unknown) => {
      // Lets an expression read a value that may be Unknown only on some branches (e.g. the
      // subscriptions of a topic that exists) and still end as "not assessed" with the source's reason.
      if (isUnknown(value)) throw new NotAssessedError(value.$unknown);
      return value;
    },
    description: 'The value itself; not assessed (with its reason) when it is an Unknown marker',
  },
  {
    signature: 'scpDeniesAction(dyn, string): dyn',
    handler: (scps: unknown, action: unknown) => scpDeniesAction(scps, String(action)),
    description: 'The first Deny in an SCP chain covering the action: {denies, policy?, target?, sid?, line?}',
  },
  {
    signature: 'scpDeniesSesOutside(dyn, list): dyn',
    handler: (scps: unknown, regions: unknown) => scpDeniesSesOutside(scps, Array.isArray(regions) ? (regions as string[]) : []),
    description: 'The first Deny in an SCP chain that blocks SES when aws:RequestedRegion is outside the given regions',
  },
];
