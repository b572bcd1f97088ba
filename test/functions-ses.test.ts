// SES identity functions (src/functions/ses.ts) as tables, and their CEL bindings through cel-js.
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { NotAssessedError } from '../src/errors.js';
import type { EventDestination, PolicyStatement, ScpPolicy, SesIdentityProps } from '../src/inventory/types.js';
import { dkimProblem, domainIn, feedbackGaps, mailFromProblem, scpDeniesAction, scpDeniesSesOutside } from '../src/functions/ses.js';
import { resourceFunctions } from '../src/functions/resource-cel.js';

const U = (reason: string) => ({ $unknown: reason }) as never;

function identity(i: Partial<SesIdentityProps>): SesIdentityProps {
  return {
    identity: 'example.com',
    kind: 'domain',
    verified: true,
    dkim: { signingEnabled: true, status: 'SUCCESS' },
    mailFrom: { domain: 'bounce.example.com', status: 'SUCCESS' },
    notifications: {},
    policies: [],
    ...i,
  };
}

function destination(d: Partial<EventDestination>): EventDestination {
  return { name: 'feedback', enabled: true, matchingEventTypes: ['BOUNCE', 'COMPLAINT'], targets: ['sns'], ...d };
}

function withSet(...destinations: (EventDestination | ReturnType<typeof U>)[]): Partial<SesIdentityProps> {
  return {
    configurationSetName: 'default',
    configurationSet: { configurationSetName: 'default', reputationMetricsEnabled: true, tlsPolicy: 'REQUIRE', sendingEnabled: true, eventDestinations: destinations },
  };
}

describe('domainIn', () => {
  it.each([
    ['example.com', ['example.com'], true],
    ['Example.COM', ['example.com'], true],
    ['example.com.', ['example.com'], true],
    ['mail.example.com', ['example.com'], false],
    ['example.com', [], false],
  ])('%s in %j → %s', (domain, list, expected) => {
    expect(domainIn(domain, list)).toBe(expected);
  });
});

describe('feedbackGaps (SESG-SES-004)', () => {
  const topic = 'arn:aws:sns:us-east-1:111122223333:ses-feedback';
  it.each([
    ['v1 bounce and complaint topics', identity({ notifications: { bounceTopic: topic, complaintTopic: topic } }), []],
    ['no feedback at all', identity({}), ['BOUNCE', 'COMPLAINT']],
    ['bounce topic only', identity({ notifications: { bounceTopic: topic } }), ['COMPLAINT']],
    ['empty topic strings', identity({ notifications: { bounceTopic: '', complaintTopic: ' ' } }), ['BOUNCE', 'COMPLAINT']],
    ['email forwarding alone', identity({ notifications: { forwardingEnabled: true } }), ['BOUNCE', 'COMPLAINT']],
    ['one destination with both types', identity(withSet(destination({}))), []],
    ['two destinations, one type each', identity(withSet(destination({ matchingEventTypes: ['BOUNCE'] }), destination({ name: 'c', matchingEventTypes: ['complaint'] }))), []],
    ['a disabled destination', identity(withSet(destination({ enabled: false }))), ['BOUNCE', 'COMPLAINT']],
    ['destination without complaint', identity(withSet(destination({ matchingEventTypes: ['BOUNCE', 'DELIVERY'] }))), ['COMPLAINT']],
    ['topic for bounce, destination for complaint', identity({ notifications: { bounceTopic: topic }, ...withSet(destination({ matchingEventTypes: ['COMPLAINT'] })) }), []],
    ['CloudFormation: v1 topics unknown, destination covers', identity({ notifications: U('not expressible in CloudFormation'), ...withSet(destination({})) }), []],
    ['configuration set without destinations', identity(withSet()), ['BOUNCE', 'COMPLAINT']],
    [
      'set defined elsewhere, a known destination covers both',
      identity(withSet(destination({}), U('other event destinations of configuration set shared are not in this template'))),
      [],
    ],
  ])('%s', (_name, i, gaps) => {
    expect(feedbackGaps(i)).toEqual(gaps);
  });

  it.each([
    ['v1 topics unknown and no configuration set', identity({ notifications: U('not expressible in CloudFormation') })],
    ['configuration set defined elsewhere', identity({ configurationSetName: 'shared', configurationSet: U('configuration set shared is not in the input') })],
    ['destination enabled flag unknown', identity(withSet(destination({ enabled: U('parameter') })))],
    [
      'set defined elsewhere, the known destination covers bounce only',
      identity(withSet(destination({ matchingEventTypes: ['BOUNCE'] }), U('other event destinations of configuration set shared are not in this template'))),
    ],
  ])('not assessed: %s', (_name, i) => {
    expect(() => feedbackGaps(i)).toThrow(NotAssessedError);
  });
});

describe('dkimProblem (SESG-SES-006)', () => {
  const email = (i: Partial<SesIdentityProps>) => identity({ identity: 'ops@example.com', kind: 'email', dkim: { signingEnabled: false }, ...i });
  it.each([
    ['domain signing and verified', identity({}), ''],
    ['domain signing, status not reported (IaC)', identity({ dkim: { signingEnabled: true } }), ''],
    ['signing disabled', identity({ dkim: { signingEnabled: false, status: 'SUCCESS' } }), 'DKIM signing is not enabled for example.com'],
    ['pending verification', identity({ dkim: { signingEnabled: true, status: 'PENDING' } }), 'DKIM for example.com is PENDING, not verified'],
    ['email through its verified parent', email({ parentDomain: { identity: 'example.com', dkimSigningEnabled: true, dkimStatus: 'SUCCESS' } }), ''],
    ['email with its own DKIM', email({ dkim: { signingEnabled: true, status: 'SUCCESS' } }), ''],
    ['email without a parent domain', email({}), 'DKIM signing is not enabled for ops@example.com'],
    [
      'email whose parent failed',
      email({ parentDomain: { identity: 'example.com', dkimSigningEnabled: true, dkimStatus: 'FAILED' } }),
      'DKIM signing is not enabled for ops@example.com; DKIM for parent domain example.com is FAILED, not verified',
    ],
    ['a domain does not pass through a parent', identity({ dkim: { signingEnabled: false }, parentDomain: { identity: 'x.com', dkimSigningEnabled: true } }), 'DKIM signing is not enabled for example.com'],
  ])('%s', (_name, i, problem) => {
    expect(dkimProblem(i)).toBe(problem);
  });

  it.each([
    ['signing flag unknown', identity({ dkim: { signingEnabled: U('parameter') } })],
    ['status unknown', identity({ dkim: { signingEnabled: true, status: U('set by DNS after deploy') } })],
    ['email, parent status unknown', email({ parentDomain: { identity: 'example.com', dkimSigningEnabled: true, dkimStatus: U('p') } })],
  ])('not assessed: %s', (_name, i) => {
    expect(() => dkimProblem(i)).toThrow(NotAssessedError);
  });
});

describe('mailFromProblem (SESG-SES-007)', () => {
  it.each([
    ['verified MAIL FROM', identity({}), ''],
    ['domain without status (IaC)', identity({ mailFrom: { domain: 'bounce.example.com' } }), ''],
    ['no MAIL FROM domain', identity({ mailFrom: {} }), 'no custom MAIL FROM domain is set'],
    ['empty domain', identity({ mailFrom: { domain: '' } }), 'no custom MAIL FROM domain is set'],
    ['pending', identity({ mailFrom: { domain: 'bounce.example.com', status: 'PENDING' } }), 'custom MAIL FROM domain bounce.example.com is PENDING, not verified'],
  ])('%s', (_name, i, problem) => {
    expect(mailFromProblem(i)).toBe(problem);
  });

  it('an unknown MAIL FROM domain is not assessed', () => {
    expect(() => mailFromProblem(identity({ mailFrom: { domain: U('parameter MailFromDomain') } }))).toThrow(/MailFromDomain/);
  });
});

describe('SCP guardrails (SESG-ORG-001/002)', () => {
  const scp = (name: string, ...statements: PolicyStatement[]): ScpPolicy => ({ id: `p-${name}`, name, target: 'r-root', document: { statements } });
  const full = scp('FullAWSAccess', { effect: 'Allow', action: ['*'], resource: ['*'] });
  const regionLock = (regions: string[], s: Partial<PolicyStatement> = { action: ['*'] }): PolicyStatement => ({
    effect: 'Deny',
    resource: ['*'],
    condition: { StringNotEquals: { 'aws:RequestedRegion': regions } },
    ...s,
  });

  it.each([
    ['explicit deny', [full, scp('Guard', { effect: 'Deny', action: ['ses:PutAccountDetails'], resource: ['*'], line: 9 })], { denies: true, policy: 'Guard', line: 9 }],
    ['wildcard deny, case-insensitive', [full, scp('Guard', { effect: 'Deny', action: ['SES:put*'], resource: ['*'] })], { denies: true, policy: 'Guard' }],
    ['NotAction deny that does not exclude it', [scp('Guard', { effect: 'Deny', notAction: ['iam:*'], resource: ['*'] })], { denies: true }],
    ['NotAction deny that excludes it', [scp('Guard', { effect: 'Deny', notAction: ['ses:*'], resource: ['*'] })], { denies: false }],
    ['an Allow is not a guardrail', [full], { denies: false }],
    ['deny of another action', [scp('Guard', { effect: 'Deny', action: ['ses:SendEmail'], resource: ['*'] })], { denies: false }],
    ['no SCPs', [], { denies: false }],
  ])('scpDeniesAction: %s', (_name, scps, expected) => {
    expect(scpDeniesAction(scps, 'ses:PutAccountDetails')).toMatchObject(expected);
  });

  it('an unreadable SCP matters only when no other SCP denies', () => {
    const hidden: ScpPolicy = { id: 'p-h', name: 'Hidden', target: 'ou-1', document: U('DescribePolicy: AccessDenied') };
    expect(() => scpDeniesAction([full, hidden], 'ses:PutAccountDetails')).toThrow(/DescribePolicy/);
    expect(scpDeniesAction([hidden, scp('Guard', { effect: 'Deny', action: ['ses:*'], resource: ['*'] })], 'ses:PutAccountDetails').denies).toBe(true);
  });

  it.each([
    ['ses:* outside exactly the approved regions', [regionLock(['us-east-1', 'eu-west-1'], { action: ['ses:*'] })], true],
    ['everything outside a stricter set', [regionLock(['us-east-1'])], true],
    ['lets through an unapproved region', [regionLock(['us-east-1', 'ap-south-1'])], false],
    ['region lock exempting SES', [regionLock(['us-east-1'], { notAction: ['ses:*'] })], false],
    ['a wildcard region pattern', [regionLock(['us-*'], { action: ['*'], condition: { StringNotLike: { 'aws:RequestedRegion': ['us-*'] } } })], false],
    ['a positive region condition is not a lock', [regionLock(['ap-south-1'], { action: ['ses:*'], condition: { StringEquals: { 'aws:RequestedRegion': ['ap-south-1'] } } })], false],
  ])('scpDeniesSesOutside: %s', (_name, statements, expected) => {
    expect(scpDeniesSesOutside([full, scp('RegionLock', ...statements)], ['us-east-1', 'eu-west-1']).denies).toBe(expected);
  });

  it('an unresolved region value is not assessed', () => {
    expect(() => scpDeniesSesOutside([scp('RegionLock', regionLock([U('p')]))], ['us-east-1'])).toThrow(NotAssessedError);
  });
});

describe('CEL bindings', () => {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  for (const fn of resourceFunctions) env.registerFunction(fn.signature, fn.handler);
  const config = { approvedDomainIdentities: ['example.com'] };
  const run = (expression: string, props: unknown) => env.evaluate(expression, { resource: { props }, config });

  it.each([
    ['feedbackGaps(resource.props)', identity({ notifications: { bounceTopic: 'arn:t' } }), ['COMPLAINT']],
    ['dkimOk(resource.props)', identity({}), true],
    ['dkimOk(resource.props)', identity({ dkim: { signingEnabled: false } }), false],
    ['dkimProblem(resource.props)', identity({ dkim: { signingEnabled: true, status: 'FAILED' } }), 'DKIM for example.com is FAILED, not verified'],
    ['mailFromProblem(resource.props)', identity({ mailFrom: {} }), 'no custom MAIL FROM domain is set'],
    ['domainIn(resource.props.identity, config.approvedDomainIdentities)', identity({ identity: 'EXAMPLE.com' }), true],
    ['domainIn(resource.props.identity, config.approvedDomainIdentities)', identity({ identity: 'other.org' }), false],
    ['firstLine(resource.props.items)', { items: [{ a: 1 }, { line: 12 }, { line: 30 }] }, 12n],
    ['firstLine(resource.props.items)', { items: [] }, 0n],
    ['firstLine(resource.props.item)', { item: { line: 7 } }, 7n],
    ['known(resource.props.list).size()', { list: [1, 2] }, 2n],
    [
      'scpDeniesAction(resource.props.scps, "ses:PutAccountDetails").denies',
      { scps: [{ id: 'p', name: 'G', target: 'r', document: { statements: [{ effect: 'Deny', action: ['ses:*'], resource: ['*'] }] } }] },
      true,
    ],
    [
      'scpDeniesSesOutside(resource.props.scps, ["us-east-1"]).denies',
      { scps: [{ id: 'p', name: 'G', target: 'r', document: { statements: [{ effect: 'Deny', action: ['*'], resource: ['*'], condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } } }] } }] },
      true,
    ],
  ])('%s', (expression, props, expected) => {
    expect(run(expression, props)).toEqual(expected);
  });

  it('known() of an Unknown is not assessed with the source reason', () => {
    expect(() => run('known(resource.props.subscriptions).size() > 0', { subscriptions: { $unknown: 'ListSubscriptionsByTopic: AccessDenied' } })).toThrow(/AccessDenied/);
  });
});
