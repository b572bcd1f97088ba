// SES identity semantics for SESG-SES-003/004/006/007: approved domains, bounce/complaint feedback
// coverage, DKIM (directly or through the parent domain) and custom MAIL FROM; and the SES guardrails
// an SCP chain provides (SESG-ORG-001/002).
//
// Unknown values are three-valued: NotAssessedError only when the answer depends on them.
import { NotAssessedError } from '../errors.js';
import {
  isUnknown,
  type EventDestination,
  type PolicyStatement,
  type ScpPolicy,
  type SesConfigurationSetProps,
  type SesIdentityProps,
  type SesNotifications,
} from '../inventory/types.js';
import { actionStatus, conditionEntries, type Tri as Tri3 } from './iam.js';

/** Domains compare case-insensitively and without a trailing dot. */
function canonicalDomain(domain: string): string {
  return domain.trim().replace(/\.$/, '').toLowerCase();
}

/** True when `domain` is one of `approved` (case-insensitive, trailing dot ignored). */
export function domainIn(domain: string, approved: readonly string[]): boolean {
  const wanted = canonicalDomain(domain);
  return approved.some((d) => canonicalDomain(String(d)) === wanted);
}

export type FeedbackType = 'BOUNCE' | 'COMPLAINT';
const FEEDBACK_TYPES: readonly FeedbackType[] = ['BOUNCE', 'COMPLAINT'];

type Tri = boolean | { unknown: string };

function topicSet(notifications: SesNotifications, type: FeedbackType): Tri {
  const topic = type === 'BOUNCE' ? notifications.bounceTopic : notifications.complaintTopic;
  if (isUnknown(topic)) return { unknown: `${type === 'BOUNCE' ? 'bounceTopic' : 'complaintTopic'}: ${topic.$unknown}` };
  return typeof topic === 'string' && topic.trim() !== '';
}

function destinationCovers(destination: EventDestination, type: FeedbackType): Tri {
  const enabled = destination.enabled;
  if (enabled === false) return false;
  const types = destination.matchingEventTypes;
  if (isUnknown(types)) return { unknown: `event destination ${destination.name}: ${types.$unknown}` };
  const listed = Array.isArray(types) ? types : [];
  const hasType = listed.some((t) => !isUnknown(t) && String(t).toUpperCase() === type);
  const typeUnknown = listed.some((t) => isUnknown(t));
  if (!hasType) return typeUnknown ? { unknown: `event destination ${destination.name}: an event type is unknown` } : false;
  if (isUnknown(enabled)) return { unknown: `event destination ${destination.name} enabled: ${enabled.$unknown}` };
  return enabled === true;
}

function configurationSetCovers(configurationSet: unknown, type: FeedbackType): Tri {
  if (configurationSet === undefined || configurationSet === null) return false;
  if (isUnknown(configurationSet)) return { unknown: `default configuration set: ${configurationSet.$unknown}` };
  const destinations = (configurationSet as SesConfigurationSetProps).eventDestinations;
  if (isUnknown(destinations)) return { unknown: `event destinations: ${destinations.$unknown}` };
  let pending: Tri = false;
  for (const destination of Array.isArray(destinations) ? destinations : []) {
    // Destinations that may exist but are not known could cover the type: unknown unless a known one does.
    const covers: Tri = isUnknown(destination) ? { unknown: `event destinations: ${destination.$unknown}` } : destinationCovers(destination, type);
    if (covers === true) return true;
    if (covers !== false && pending === false) pending = covers;
  }
  return pending;
}

/**
 * The feedback types (BOUNCE, COMPLAINT) that reach nobody for this identity; [] when both are covered.
 * A type is covered by its v1 SNS topic, or by an enabled event destination of the default
 * configuration set that matches it — the two types may be covered by different destinations or
 * mechanisms. Email feedback forwarding never counts: it goes to a mailbox nobody watches.
 */
export function feedbackGaps(identity: SesIdentityProps): FeedbackType[] {
  const gaps: FeedbackType[] = [];
  for (const type of FEEDBACK_TYPES) {
    let verdict: Tri;
    const notifications = identity.notifications;
    const viaTopic: Tri =
      notifications === undefined || notifications === null
        ? false
        : isUnknown(notifications)
          ? { unknown: `notifications: ${notifications.$unknown}` }
          : topicSet(notifications, type);
    if (viaTopic === true) verdict = true;
    else {
      const viaSet = configurationSetCovers(identity.configurationSet, type);
      verdict = viaSet === true ? true : viaTopic === false ? viaSet : viaTopic;
    }
    if (verdict === false) gaps.push(type);
    else if (verdict !== true) throw new NotAssessedError(verdict.unknown);
  }
  return gaps;
}

function dkimVerdict(signingEnabled: unknown, status: unknown, who: string): { ok: boolean; problem: string } | { unknown: string } {
  if (isUnknown(signingEnabled)) return { unknown: `${who} DKIM signing: ${signingEnabled.$unknown}` };
  if (signingEnabled !== true) return { ok: false, problem: `DKIM signing is not enabled for ${who}` };
  if (isUnknown(status)) return { unknown: `${who} DKIM status: ${status.$unknown}` };
  if (status !== undefined && status !== null && String(status).toUpperCase() !== 'SUCCESS') {
    return { ok: false, problem: `DKIM for ${who} is ${String(status)}, not verified` };
  }
  return { ok: true, problem: '' };
}

/**
 * Why DKIM does not protect mail from this identity, or '' when it does (SESG-SES-006): signing enabled
 * and, when a status is known, SUCCESS. An email identity also passes through its parent domain.
 */
export function dkimProblem(identity: SesIdentityProps): string {
  const name = isUnknown(identity.identity) ? 'the identity' : String(identity.identity);
  const own = dkimVerdict(identity.dkim?.signingEnabled, identity.dkim?.status, name);
  if ('ok' in own && own.ok) return '';
  const parent = identity.kind === 'email' ? identity.parentDomain : undefined;
  if (parent) {
    const viaParent = dkimVerdict(parent.dkimSigningEnabled, parent.dkimStatus, `parent domain ${parent.identity}`);
    if ('ok' in viaParent && viaParent.ok) return '';
    if ('unknown' in viaParent) throw new NotAssessedError(viaParent.unknown);
    if ('unknown' in own) throw new NotAssessedError(own.unknown);
    return `${own.problem}; ${viaParent.problem}`;
  }
  if ('unknown' in own) throw new NotAssessedError(own.unknown);
  return own.problem;
}

/** Why a domain identity has no working custom MAIL FROM domain, or '' when it has one (SESG-SES-007). */
export function mailFromProblem(identity: SesIdentityProps): string {
  const mailFrom = identity.mailFrom ?? {};
  if (isUnknown(mailFrom)) throw new NotAssessedError(`mailFrom: ${(mailFrom as { $unknown: string }).$unknown}`);
  const domain = mailFrom.domain;
  if (isUnknown(domain)) throw new NotAssessedError(`MAIL FROM domain: ${domain.$unknown}`);
  if (typeof domain !== 'string' || domain.trim() === '') return 'no custom MAIL FROM domain is set';
  const status = mailFrom.status;
  if (isUnknown(status)) throw new NotAssessedError(`MAIL FROM status: ${status.$unknown}`);
  if (status !== undefined && status !== null && String(status).toUpperCase() !== 'SUCCESS') {
    return `custom MAIL FROM domain ${domain} is ${String(status)}, not verified`;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Guardrail SCPs (SESG-ORG-001/002): statement semantics come from the IAM module.

/** The SCP statement that provides a guardrail, or `denies: false` when none in the chain does. */
export interface ScpDenial {
  denies: boolean;
  policy?: string;
  target?: string;
  sid?: string;
  line?: number;
}

function scpList(scps: unknown): ScpPolicy[] {
  if (isUnknown(scps)) throw new NotAssessedError(`SCP chain: ${scps.$unknown}`);
  return Array.isArray(scps) ? (scps as ScpPolicy[]) : [];
}

function firstDeny(
  scps: unknown,
  test: (statement: PolicyStatement) => Tri3,
  what: string,
): ScpDenial {
  let undecided: string | null = null;
  for (const scp of scpList(scps)) {
    if (isUnknown(scp.document)) {
      undecided ??= `SCP ${scp.name}: ${scp.document.$unknown}`;
      continue;
    }
    for (const statement of scp.document.statements ?? []) {
      if (statement.effect !== 'Deny') continue;
      const verdict = test(statement);
      if (verdict === 'yes') {
        return {
          denies: true,
          policy: scp.name,
          target: scp.target,
          ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
          ...(statement.line !== undefined ? { line: statement.line } : {}),
        };
      }
      if (verdict === 'maybe') undecided ??= `SCP ${scp.name}: ${what} depends on an unresolved value`;
    }
  }
  if (undecided !== null) throw new NotAssessedError(undecided);
  return { denies: false };
}

/**
 * The first Deny in the SCP chain whose actions cover `action` (SESG-ORG-001). Conditions do not
 * disqualify it: a deny with an exception for a break-glass role is the usual guardrail.
 */
export function scpDeniesAction(scps: unknown, action: string): ScpDenial {
  return firstDeny(scps, (statement) => actionStatus(statement, action), `whether it denies ${action}`);
}

const REGION_KEY = 'aws:requestedregion';
const NEGATED_STRING_OPS = new Set(['stringnotequals', 'stringnotlike', 'stringnotequalsignorecase']);

/**
 * The first Deny in the SCP chain that covers SES (tested with `ses:SendEmail`) whenever
 * `aws:RequestedRegion` is not one of a list of regions that are all approved (SESG-ORG-002). A region
 * pattern with a wildcard counts only when it literally is an approved region, since what it lets
 * through cannot be enumerated.
 */
export function scpDeniesSesOutside(scps: unknown, approvedRegions: readonly string[]): ScpDenial {
  const approved = new Set(approvedRegions.map((r) => String(r).toLowerCase()));
  return firstDeny(
    scps,
    (statement) => {
      const covers = actionStatus(statement, 'ses:SendEmail');
      if (covers === 'no') return 'no';
      const entries = conditionEntries(statement).filter((e) => e.key === REGION_KEY && NEGATED_STRING_OPS.has(e.op));
      if (entries.length === 0) return 'no';
      let verdict: Tri3 = 'no';
      for (const entry of entries) {
        if (entry.values.some((v) => isUnknown(v))) verdict = 'maybe';
        else if (entry.values.length > 0 && entry.values.every((v) => approved.has(String(v).toLowerCase()))) {
          verdict = covers;
          break;
        }
      }
      return verdict;
    },
    'whether it restricts SES regions',
  );
}
