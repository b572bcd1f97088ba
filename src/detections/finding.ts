// From a detector's Hit to a Finding: evidence (who, where, when, event ids, related events such as the
// creation of a key the activity used), the effective severity (one step lower for an attempt, SPEC §8)
// and a fingerprint stable across runs.
import { createHash } from 'node:crypto';
import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';
import { shortPrincipal } from './event.js';
import type { DetectionDefinition, Hit, TrailEvent } from './types.js';
import { distinct, iso } from './windows.js';

/** Events listed in a finding's evidence (the count is always complete). */
export const EVIDENCE_EVENT_LIMIT = 50;

/** The same check, subject and window give the same fingerprint; an attempt never shares one with a change. */
export function fingerprintOf(checkId: string, subject: string, windowStart: number, attempt = false): string {
  const key = `${checkId}\u0000${subject}\u0000${iso(windowStart)}${attempt ? '\u0000attempt' : ''}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** One severity step lower (low stays low): the rating of an attempt. */
export function attemptSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.indexOf(severity) + 1, SEVERITIES.length - 1)];
}

/** What the analyzer knows beyond the hit: key creations and every kept call per access key. */
export interface FindingContext {
  keyCreation(accessKey: string): TrailEvent | undefined;
  callsByKey(accessKey: string): TrailEvent[];
}

export function eventSummary(event: TrailEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    eventId: event.id,
    eventTime: iso(event.time),
    eventName: event.name,
    eventSource: event.source,
    region: event.region,
    principal: event.principal,
  };
  if (event.accessKey) out.accessKey = event.accessKey;
  if (event.sourceIp) out.sourceIp = event.sourceIp;
  if (event.userAgent) out.userAgent = event.userAgent;
  if (event.errorCode) out.errorCode = event.errorCode;
  if (event.params && Object.keys(event.params).length > 0) out.requestParameters = event.params;
  if (event.origin) out.source = event.origin;
  return out;
}

function resourceName(subject: string): string {
  const short = shortPrincipal(subject);
  return short.includes('/') ? short.slice(short.indexOf('/') + 1) : short;
}

/**
 * The finding of one hit. `severity` is the detection's effective severity; an attempt is rated one
 * step lower. Throws when the hit mixes successful and failed calls: that is a bug of the detection, and
 * the analyzer's guard turns it into "not assessed" rather than a misleading finding.
 */
export function toFinding(hit: Hit, definition: DetectionDefinition, severity: Severity, context: FindingContext): Finding {
  const events = hit.events;
  if (events.length === 0) throw new Error('a hit without events');
  const mixed = events.find((e) => Boolean(e.errorCode) !== hit.attempt);
  if (mixed) {
    throw new Error(`a ${hit.attempt ? 'reported attempt holds a call that succeeded' : 'reported change holds a call that failed'} (event ${mixed.id})`);
  }
  const principals = distinct(events.map((e) => e.principal)).sort();
  const accessKeys = distinct(events.map((e) => e.accessKey)).sort();
  const related = [...(hit.related ?? [])];
  // The creation of any key the activity used, when it is in the logs: where the credential came from.
  if (!related.some((r) => r.relation === 'key creation')) {
    const creations = distinct(accessKeys.map((k) => context.keyCreation(k)));
    if (creations.length > 0) related.unshift({ relation: 'key creation', events: creations });
  }
  // What else each key did (among the events that matter): the rest of the attacker's path.
  const inFinding = new Set(related.flatMap((r) => r.events).concat(events).map((e) => e.id));
  for (const key of accessKeys) {
    const others = context.callsByKey(key).filter((e) => !inFinding.has(e.id));
    if (others.length > 0) related.push({ relation: `other requests with ${key}`, events: others });
  }
  const evidence: Record<string, unknown> = {
    attempt: hit.attempt,
    ...(hit.attempt ? { errorCodes: distinct(events.map((e) => e.errorCode)).sort() } : {}),
    windowStart: iso(hit.windowStart),
    windowEnd: iso(hit.windowEnd),
    principal: principals.length === 1 ? principals[0] : principals,
    principalTypes: distinct(events.map((e) => e.principalType)).sort(),
    accessKeys,
    sourceIps: distinct(events.map((e) => e.sourceIp)).sort(),
    userAgents: distinct(events.map((e) => e.userAgent)).sort(),
    regions: distinct(events.map((e) => e.region)).sort(),
    eventCount: events.length,
    eventIds: events.slice(0, EVIDENCE_EVENT_LIMIT * 2).map((e) => e.id),
    events: events.slice(0, EVIDENCE_EVENT_LIMIT).map(eventSummary),
    related: related.map((r) => ({ relation: r.relation, eventCount: r.events.length, events: r.events.slice(0, EVIDENCE_EVENT_LIMIT).map(eventSummary) })),
    ...hit.details,
  };
  const arnLike = hit.subject.startsWith('arn:') ? hit.subject : principals.find((p) => p.startsWith('arn:'));
  const resource: Finding['resource'] = {
    type: 'aws.iam.principal',
    id: hit.subject,
    name: hit.subjectKind === 'access-key' ? hit.subject : resourceName(hit.subject),
    account: hit.account,
  };
  if (arnLike) resource.arn = arnLike;
  if (hit.region) resource.region = hit.region;
  return {
    checkId: definition.id,
    severity: hit.attempt ? attemptSeverity(severity) : severity,
    title: definition.title,
    message: hit.message,
    resource,
    evidence,
    suppressed: null,
    fingerprint: fingerprintOf(definition.id, hit.subject, hit.windowStart, hit.attempt),
  };
}

