// SESG-DET-009: SMTP credentials created. SES SMTP credentials are an IAM user (the console names it
// ses-smtp-user.<timestamp>) with a sending policy and an access key; SMTP sending is never logged by
// CloudTrail, so the credential's creation is the last trace the logs hold (seeds 000, 001). Whether a
// policy lets a user send is judged as the posture checks judge it (../permissions.ts): `*`, `ses:*`,
// NotAction, AWS managed policies such as AdministratorAccess, group policies. A policy whose document
// is not in the logs is undecided, and said so. Refused calls are attempts, reported apart.
import { IAM, createdKey, param } from '../event.js';
import { awsManagedDocument, isAwsManaged, loggedDocument, maySend, type LoggedPolicy } from '../permissions.js';
import { unknown } from '../../inventory/types.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { HOUR, distinct, gapClusters, groupBy } from '../windows.js';
import { byOutcome, failedWith, shortPrincipal, str } from './util.js';

export const SMTP_USER = /^ses-smtp-user\./i;

interface Step {
  event: TrailEvent;
  user: string;
  done: string;
  tried: string;
}

/** Customer managed policy documents created in these logs (CreatePolicy, default CreatePolicyVersion), by ARN. */
function customerPolicies(created: TrailEvent[], versions: TrailEvent[]): Map<string, LoggedPolicy[]> {
  const out = new Map<string, LoggedPolicy[]>();
  const add = (arn: string | undefined, document: unknown) => {
    if (!arn) return;
    const list = out.get(arn) ?? [];
    list.push({ name: arn, document: loggedDocument(document) });
    out.set(arn, list);
  };
  for (const event of created) {
    if (!event.errorCode) add(str(param(param(event.response, 'policy') as Record<string, unknown> | undefined, 'arn')), param(event.params, 'policyDocument'));
  }
  for (const event of versions) {
    const isDefault = param(event.params, 'setAsDefault');
    if (!event.errorCode && (isDefault === true || isDefault === 'true')) add(str(param(event.params, 'policyArn')), param(event.params, 'policyDocument'));
  }
  return out;
}

export const detector: Detector = {
  id: 'SESG-DET-009',
  detect(context) {
    const iam = (name: string) => context.named(name).filter((e) => e.source === IAM);
    const customer = customerPolicies(iam('CreatePolicy'), iam('CreatePolicyVersion'));
    /** The documents behind a managed policy ARN, each judged on its own (any version that grants counts). */
    const managed = (arn: string): LoggedPolicy[][] =>
      isAwsManaged(arn)
        ? [[{ name: arn, document: awsManagedDocument(arn) }]]
        : (customer.get(arn) ?? [{ name: arn, document: unknown(`customer managed policy ${arn} is not created in these logs`) }]).map((p) => [p]);
    const verdictOf = (alternatives: LoggedPolicy[][]) => {
      const verdicts = alternatives.map(maySend);
      const yes = verdicts.find((v) => v.verdict === 'yes');
      if (yes) return yes;
      const maybe = verdicts.filter((v) => v.verdict === 'maybe');
      return maybe.length > 0 ? { verdict: 'maybe' as const, why: maybe.flatMap((v) => v.why) } : { verdict: 'no' as const, why: [] };
    };

    // Policies given to groups in these logs (a user's policies include its groups', as for the posture checks).
    const groupPolicies = new Map<string, LoggedPolicy[][]>();
    for (const event of [...iam('PutGroupPolicy'), ...iam('AttachGroupPolicy')]) {
      const group = str(param(event.params, 'groupName'));
      if (!group || event.errorCode) continue;
      const list = groupPolicies.get(`${event.account}/${group}`) ?? [];
      if (event.name === 'PutGroupPolicy') list.push([{ name: `${group} inline ${str(param(event.params, 'policyName')) ?? '?'}`, document: loggedDocument(param(event.params, 'policyDocument')) }]);
      else list.push(...managed(str(param(event.params, 'policyArn')) ?? '?'));
      groupPolicies.set(`${event.account}/${group}`, list);
    }

    const steps: Step[] = [];
    /** Users given sending rights by a call that succeeded, and users whose rights are undecided (with why). */
    const sending = new Set<string>();
    const undecided = new Map<string, string>();
    /** A call that gave `user` the policies `about`: a step when they grant sending, undecided when unknown. */
    const grant = (event: TrailEvent, user: string, verdict: { verdict: string; why: string[] }, about: string, done: string, tried: string) => {
      if (verdict.verdict === 'yes') {
        steps.push({ event, user, done, tried });
        if (!event.errorCode) sending.add(`${event.account}/${user}`);
      }
      else if (verdict.verdict === 'maybe' && !event.errorCode) {
        undecided.set(`${event.account}/${user}`, verdict.why.join('; '));
        context.undecided(`whether ${about} lets ${user} send SES mail: ${verdict.why.join('; ')}`);
      }
    };
    for (const event of iam('CreateUser')) {
      const user = str(param(event.params, 'userName'));
      if (user && SMTP_USER.test(user)) steps.push({ event, user, done: `created IAM user ${user}`, tried: `create IAM user ${user}` });
    }
    for (const event of iam('PutUserPolicy')) {
      const user = str(param(event.params, 'userName'));
      if (!user) continue;
      const name = str(param(event.params, 'policyName')) ?? '?';
      grant(event, user, maySend([{ name, document: loggedDocument(param(event.params, 'policyDocument')) }]), `inline policy ${name}`,
        `added inline SES sending policy ${name} to ${user}`, `add inline SES sending policy ${name} to ${user}`);
    }
    for (const event of iam('AttachUserPolicy')) {
      const user = str(param(event.params, 'userName'));
      const arn = str(param(event.params, 'policyArn'));
      if (!user || !arn) continue;
      grant(event, user, verdictOf(managed(arn)), arn, `attached ${arn}, which grants SES sending, to ${user}`, `attach ${arn}, which grants SES sending, to ${user}`);
    }
    for (const event of iam('AddUserToGroup')) {
      const user = str(param(event.params, 'userName'));
      const group = str(param(event.params, 'groupName'));
      if (!user || !group) continue;
      const policies = groupPolicies.get(`${event.account}/${group}`) ?? [[{ name: `group ${group}`, document: unknown(`the policies of group ${group} are not in these logs`) }]];
      grant(event, user, verdictOf(policies), `group ${group}`, `added ${user} to group ${group}, whose policies grant SES sending`, `add ${user} to group ${group}, whose policies grant SES sending`);
    }
    // A key is an SMTP credential when its user is one: named so, or given sending rights in these logs.
    for (const event of iam('CreateAccessKey')) {
      const user = createdKey(event)?.userName ?? str(param(event.params, 'userName'));
      if (!user) continue;
      const key = `${event.account}/${user}`;
      if (SMTP_USER.test(user) || sending.has(key)) {
        steps.push({ event, user, done: `created access key ${createdKey(event)?.accessKey ?? '?'} for ${user}`, tried: `create an access key for ${user}` });
      }
      else if (undecided.has(key) && !event.errorCode) {
        context.undecided(`whether access key ${createdKey(event)?.accessKey ?? '?'} for ${user} is an SMTP credential: ${undecided.get(key)}`);
      }
    }
    steps.sort((a, b) => a.event.time - b.event.time || (a.event.id < b.event.id ? -1 : 1));

    const hits: Hit[] = [];
    for (const [user, userSteps] of groupBy(steps, (s) => `${s.event.account}/${s.user}`)) {
      for (const { attempt, items } of byOutcome(userSteps, (s) => s.event)) {
        const byEvent = new Map(items.map((s) => [s.event, s]));
        for (const cluster of gapClusters(items.map((s) => s.event), 24 * HOUR)) {
          const first = byEvent.get(cluster[0]) as Step;
          const account = cluster[0].account;
          const created = cluster.map((e) => (e.name === 'CreateUser' && !e.errorCode ? str(param(param(e.response, 'user') as Record<string, unknown> | undefined, 'arn')) : undefined));
          const userArn = created.find((a) => a !== undefined) ?? `arn:aws:iam::${account}:user/${first.user}`;
          const actors = distinct(cluster.map((e) => shortPrincipal(e.principal)));
          const keys = cluster.map((e) => createdKey(e)?.accessKey).filter((k): k is string => k !== undefined);
          const name = user.slice(user.indexOf('/') + 1);
          const what = cluster.map((e) => (byEvent.get(e) as Step)[attempt ? 'tried' : 'done']);
          hits.push({
            attempt,
            subject: userArn,
            subjectKind: 'principal',
            account,
            windowStart: cluster[0].time,
            windowEnd: cluster[cluster.length - 1].time,
            message: attempt
              ? `${actors.join(', ')} tried to create SMTP credentials for ${name}: tried to ${what.join(', to ')}; ${failedWith(cluster)}. ` +
                `Find out who holds this credential.`
              : `SMTP credentials created for ${name} by ${actors.join(', ')}: ${what.join('; ')}. ` +
                `SMTP sends are never in CloudTrail: delete the key unless the credential was requested.`,
            events: cluster,
            details: { smtpUser: first.user, createdKeys: keys, createdBy: distinct(cluster.map((e) => e.principal)) },
          });
        }
      }
    }
    return hits;
  },
};
