// SESG-DET-009: SMTP credentials created. SES SMTP credentials are an IAM user (the console names it
// ses-smtp-user.<timestamp>) with a sending policy and an access key; SMTP sending is never logged by
// CloudTrail, so the credential's creation is the last trace the logs hold (seeds 000, 001).
import { IAM, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { HOUR, distinct, gapClusters, groupBy } from '../windows.js';
import { asArray, failures, shortPrincipal, str } from './util.js';
import { createdKey } from './SESG-DET-007.js';

export const SMTP_USER = /^ses-smtp-user\./i;
const SEND_ACTIONS = ['ses:sendemail', 'ses:sendrawemail', 'ses:sendtemplatedemail', 'ses:sendbulktemplatedemail', 'ses:sendbulkemail'];
/** AWS managed policies that grant sending. */
const SENDING_MANAGED_POLICIES = /:policy\/(AmazonSESFullAccess|AmazonSimpleEmailServiceFullAccess)$/;

function patternMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(action);
}

function parseDocument(value: unknown): Record<string, unknown> | null {
  if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string') return null;
  for (const text of [value, safeDecode(value)]) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not this encoding; IAM documents may be URL-encoded
    }
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** True when an Allow statement grants a send action (through wildcards or a NotAction that spares it). */
export function grantsSend(document: unknown): boolean {
  const parsed = parseDocument(document);
  if (!parsed) return false;
  for (const raw of asArray(parsed.Statement)) {
    const statement = raw as Record<string, unknown>;
    if (statement.Effect !== 'Allow') continue;
    const actions = asArray(statement.Action).map(String);
    const notActions = asArray(statement.NotAction).map(String);
    if (actions.length > 0 && SEND_ACTIONS.some((a) => actions.some((p) => patternMatches(p, a)))) return true;
    if (statement.NotAction !== undefined && SEND_ACTIONS.some((a) => !notActions.some((p) => patternMatches(p, a)))) return true;
  }
  return false;
}

interface Step {
  event: TrailEvent;
  user: string;
  what: string;
}

export const detector: Detector = {
  id: 'SESG-DET-009',
  events: [{ source: IAM, names: ['CreateUser', 'PutUserPolicy', 'AttachUserPolicy', 'CreatePolicy', 'CreateAccessKey'] }],
  detect(context) {
    const iam = (...names: string[]) => context.named(...names).filter((e) => e.source === IAM);
    // Customer-managed policies created in these logs, by ARN, so attaching one can be judged.
    const sendingPolicies = new Set<string>();
    for (const event of iam('CreatePolicy')) {
      const arn = str(param(param(event.response, 'policy') as Record<string, unknown> | undefined, 'arn'));
      if (arn && grantsSend(param(event.params, 'policyDocument'))) sendingPolicies.add(arn);
    }
    const steps: Step[] = [];
    for (const event of iam('CreateUser')) {
      const user = str(param(event.params, 'userName'));
      if (user && SMTP_USER.test(user)) steps.push({ event, user, what: `created IAM user ${user}` });
    }
    for (const event of iam('PutUserPolicy')) {
      const user = str(param(event.params, 'userName'));
      if (user && grantsSend(param(event.params, 'policyDocument'))) {
        steps.push({ event, user, what: `added inline SES sending policy ${str(param(event.params, 'policyName')) ?? '?'} to ${user}` });
      }
    }
    for (const event of iam('AttachUserPolicy')) {
      const user = str(param(event.params, 'userName'));
      const arn = str(param(event.params, 'policyArn'));
      if (user && arn && (SENDING_MANAGED_POLICIES.test(arn) || sendingPolicies.has(arn))) {
        steps.push({ event, user, what: `attached SES sending policy ${arn} to ${user}` });
      }
    }
    // A key is an SMTP credential when its user is one: named so, or given sending rights in these logs.
    const sendingUsers = new Set(steps.map((s) => s.user));
    for (const event of iam('CreateAccessKey')) {
      const user = createdKey(event)?.userName ?? str(param(event.params, 'userName'));
      if (user && (SMTP_USER.test(user) || sendingUsers.has(user))) {
        steps.push({ event, user, what: `created access key ${createdKey(event)?.accessKey ?? '(failed)'} for ${user}` });
      }
    }
    steps.sort((a, b) => a.event.time - b.event.time || (a.event.id < b.event.id ? -1 : 1));
    const hits: Hit[] = [];
    for (const [user, userSteps] of groupBy(steps, (s) => `${s.event.account}/${s.user}`)) {
      const byEvent = new Map(userSteps.map((s) => [s.event, s]));
      for (const cluster of gapClusters(userSteps.map((s) => s.event), 24 * HOUR)) {
        const first = byEvent.get(cluster[0]) as Step;
        const account = cluster[0].account;
        const created = cluster.map((e) => (e.name === 'CreateUser' ? str(param(param(e.response, 'user') as Record<string, unknown> | undefined, 'arn')) : undefined));
        const userArn = created.find((a) => a !== undefined) ?? `arn:aws:iam::${account}:user/${first.user}`;
        const actors = distinct(cluster.map((e) => shortPrincipal(e.principal)));
        const keys = cluster.map((e) => createdKey(e)?.accessKey).filter((k): k is string => k !== undefined);
        hits.push({
          subject: userArn,
          subjectKind: 'principal',
          account,
          windowStart: cluster[0].time,
          windowEnd: cluster[cluster.length - 1].time,
          message:
            `SMTP credentials created for ${user.split('/')[1]} by ${actors.join(', ')}: ` +
            `${cluster.map((e) => (byEvent.get(e) as Step).what).join('; ')}${failures(cluster)}. ` +
            `SMTP sends are never in CloudTrail: delete the key unless the credential was requested.`,
          events: cluster,
          details: { smtpUser: first.user, createdKeys: keys, createdBy: distinct(cluster.map((e) => e.principal)) },
        });
      }
    }
    return hits;
  },
};
