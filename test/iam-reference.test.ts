// The differential tests' reference evaluator (test/iam-reference/evaluate.ts) checked before it judges the
// checks: (1) textbook cases from AWS's IAM documentation, (2) agreement with an independent IAM simulator,
// @cloud-copilot/iam-simulate (AGPL: a devDependency, used here only), on generated concrete requests.
// The simulator build in use mis-handles `/0` masks (a 32-bit `-1 << 32` is -1): where it still does,
// policies with a /0 range are left out of the comparison, and the reference's own /0 answers are checked
// by the textbook cases instead.
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type Json, type RefPrincipal, type RefRequest } from './iam-reference/evaluate.js';
import { identityCase, sendingCase } from './iam-reference/generate.js';

const ACCOUNT = '111122223333';
const IDENTITY = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`;
const self: RefPrincipal = { kind: 'self' };
const request = (over: Partial<RefRequest> = {}): RefRequest => ({ action: 'ses:SendEmail', resource: IDENTITY, principal: self, context: {}, ...over });
const policy = (...Statement: Json[]): Json => ({ Version: '2012-10-17', Statement });
const allowSend = (extra: Json = {}): Json => ({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', ...extra });

describe('reference evaluator: textbook cases', () => {
  it.each([
    // reference_policies_evaluation-logic: implicit deny, allow, explicit deny wins
    ['nothing allows: implicit deny', [], request(), 'implicit-deny'],
    ['an Allow allows', [allowSend()], request(), 'allow'],
    ['an explicit Deny wins over an Allow', [allowSend(), { Effect: 'Deny', Action: 'ses:*', Resource: '*' }], request(), 'explicit-deny'],
    // reference_policies_elements_action: case-insensitive, wildcards
    ['actions match case-insensitively', [allowSend({ Action: 'SES:sendemail' })], request(), 'allow'],
    ['`?` is one character', [allowSend({ Action: 'ses:Send?mail' })], request(), 'allow'],
    ['`?` is exactly one character', [allowSend({ Action: 'ses:Send?mail' })], request({ action: 'ses:SendRawEmail' }), 'implicit-deny'],
    // reference_policies_elements_notaction: Allow NotAction allows everything else
    ['NotAction allows what it does not list', [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }], request(), 'allow'],
    ['NotAction does not allow what it lists', [{ Effect: 'Allow', NotAction: 'ses:*', Resource: '*' }], request(), 'implicit-deny'],
    // reference_policies_elements_resource / notresource: case-sensitive; Deny NotResource denies the rest
    ['resources match case-sensitively', [allowSend({ Resource: IDENTITY.toUpperCase() })], request(), 'implicit-deny'],
    ['a Deny with NotResource denies everything it does not list', [allowSend(), { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::b/*' }], request(), 'explicit-deny'],
    ['a Deny with NotResource spares what it lists', [allowSend(), { Effect: 'Deny', Action: '*', NotResource: IDENTITY }], request(), 'allow'],
    // condition operators: several values OR, several keys AND
    ['several values of one key: any may match', [allowSend({ Condition: { StringEquals: { 'ses:FromAddress': ['a@x.com', 'b@x.com'] } } })], request({ context: { 'ses:fromaddress': ['b@x.com'] } }), 'allow'],
    ['several keys: all must match', [allowSend({ Condition: { StringEquals: { 'ses:FromAddress': 'a@x.com', 'aws:SourceVpce': 'vpce-1' } } })], request({ context: { 'ses:fromaddress': ['a@x.com'] } }), 'implicit-deny'],
    ['StringEquals is case-sensitive', [allowSend({ Condition: { StringEquals: { 'ses:FromAddress': 'A@x.com' } } })], request({ context: { 'ses:fromaddress': ['a@x.com'] } }), 'implicit-deny'],
    ['condition keys are case-insensitive', [allowSend({ Condition: { StringEquals: { 'SES:FROMADDRESS': 'a@x.com' } } })], request({ context: { 'ses:fromaddress': ['a@x.com'] } }), 'allow'],
    ['StringLike takes wildcards', [allowSend({ Condition: { StringLike: { 'ses:FromAddress': '*@x.com' } } })], request({ context: { 'ses:fromaddress': ['a@x.com'] } }), 'allow'],
    // a key absent from the request: false, except negated operators, IfExists, Null and ForAllValues
    ['absent key: StringEquals is false', [allowSend({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })], request(), 'implicit-deny'],
    ['absent key: StringNotEquals is true', [allowSend({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })], request(), 'allow'],
    ['absent key: ArnNotLike is true', [allowSend({ Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::1:*' } } })], request(), 'allow'],
    ['absent key: StringEqualsIfExists is true', [allowSend({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })], request(), 'allow'],
    ['present key: StringEqualsIfExists compares', [allowSend({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })], request({ context: { 'aws:sourcevpce': ['vpce-2'] } }), 'implicit-deny'],
    ['absent key: Null true is true', [allowSend({ Condition: { Null: { 'aws:SourceVpce': 'true' } } })], request(), 'allow'],
    ['present key: Null true is false', [allowSend({ Condition: { Null: { 'aws:SourceVpce': 'true' } } })], request({ context: { 'aws:sourcevpce': ['vpce-1'] } }), 'implicit-deny'],
    ['absent key: ForAllValues is true', [allowSend({ Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'a' } } })], request(), 'allow'],
    ['absent key: ForAnyValue is false', [allowSend({ Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'a' } } })], request(), 'implicit-deny'],
    // reference_policies_condition_examples-multi-valued-context-keys: ForAllValues:StringLike on aws:TagKeys
    ['ForAllValues: every request value must match', [allowSend({ Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': 'key1*' } } })], request({ context: { 'aws:tagkeys': ['key1a', 'key2'] } }), 'implicit-deny'],
    ['ForAllValues: all match', [allowSend({ Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': 'key1*' } } })], request({ context: { 'aws:tagkeys': ['key1a', 'key1b'] } }), 'allow'],
    ['ForAnyValue: one match is enough', [allowSend({ Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'key1*' } } })], request({ context: { 'aws:tagkeys': ['key2', 'key1b'] } }), 'allow'],
    // IP addresses, including the whole IPv4 space (/0)
    ['IpAddress: inside the range', [allowSend({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })], request({ context: { 'aws:sourceip': ['203.0.113.5'] } }), 'allow'],
    ['IpAddress: outside the range', [allowSend({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })], request({ context: { 'aws:sourceip': ['198.51.100.5'] } }), 'implicit-deny'],
    ['IpAddress 0.0.0.0/0 holds every IPv4 address', [allowSend({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })], request({ context: { 'aws:sourceip': ['203.0.113.5'] } }), 'allow'],
    ['NotIpAddress 0.0.0.0/0 holds no IPv4 address', [allowSend({ Condition: { NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })], request({ context: { 'aws:sourceip': ['203.0.113.5'] } }), 'implicit-deny'],
    ['an IPv6 address in an IPv6 range', [allowSend({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } })], request({ context: { 'aws:sourceip': ['2001:db8::5'] } }), 'allow'],
  ])('%s', (_name, statements, req, expected) => {
    expect(decide(statements.length ? [policy(...(statements as Json[]))] : [], req as RefRequest, 'identity')).toBe(expected);
  });

  const from = (principal: RefPrincipal): RefRequest => ({ action: 'ses:SendEmail', resource: IDENTITY, principal, context: {} });
  const partner: RefPrincipal = { kind: 'aws', account: '999988887777', arn: 'arn:aws:iam::999988887777:role/partner' };
  it.each([
    // reference_policies_elements_principal: `*`, an account for all its principals, one ARN, a service
    ['Principal * is everyone', { Principal: '*' }, partner, 'allow'],
    ['{"AWS": "*"} is everyone', { Principal: { AWS: '*' } }, { kind: 'service', service: 'sns.amazonaws.com' }, 'allow'],
    ['an account id covers its principals', { Principal: { AWS: '999988887777' } }, partner, 'allow'],
    ['an account root ARN covers its principals', { Principal: { AWS: 'arn:aws:iam::999988887777:root' } }, partner, 'allow'],
    ['a role ARN is that role only', { Principal: { AWS: 'arn:aws:iam::999988887777:role/other' } }, partner, 'implicit-deny'],
    ['a service principal', { Principal: { Service: 'sns.amazonaws.com' } }, { kind: 'service', service: 'sns.amazonaws.com' }, 'allow'],
    ['a service principal is no account principal', { Principal: { Service: 'sns.amazonaws.com' } }, partner, 'implicit-deny'],
    ['no Principal in a resource policy applies to nobody', {}, partner, 'implicit-deny'],
  ])('%s', (_name, principal, who, expected) => {
    expect(decide([policy({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: IDENTITY, ...principal })], from(who as RefPrincipal), 'resource')).toBe(expected);
  });

  it('reference_policies_elements_notprincipal: a Deny with NotPrincipal denies everyone else', () => {
    const docs = [policy({ Effect: 'Allow', Principal: '*', Action: 'ses:*', Resource: '*' }, { Effect: 'Deny', NotPrincipal: { AWS: '999988887777' }, Action: 'ses:*', Resource: '*' })];
    expect(decide(docs, from(partner), 'resource')).toBe('allow');
    expect(decide(docs, from({ kind: 'aws', account: '444455556666', arn: 'arn:aws:iam::444455556666:root' }), 'resource')).toBe('explicit-deny');
  });
});

// ---------------------------------------------------------------------------------------------
// Agreement with the independent simulator

const RESOURCES = [
  IDENTITY,
  `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/a@example.com`,
  `arn:aws:ses:us-east-1:${ACCOUNT}:identity/abc.example`,
  `arn:aws:ses:us-east-1:${ACCOUNT}:configuration-set/main`,
  'arn:aws:ses:ap-southeast-2:000011112222:template/welcome',
];
const ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail', 'ses:CreateEmailIdentity', 'ses:DeleteConfigurationSetEventDestination', 'ses:PutEmailIdentityFeedbackAttributes'];
const contextArb = fc
  .record({
    vpc: fc.boolean(),
    ip: fc.constantFrom('203.0.113.9', '10.1.2.3', '198.51.100.7', '8.8.8.8', '2001:db8::5', '2600::1'),
    vpce: fc.constantFrom('vpce-1', 'vpce-2'),
    sourceVpc: fc.constantFrom('vpc-1', 'vpc-2'),
    vpcIp: fc.constantFrom('10.1.2.3', '172.16.0.1'),
    from: fc.constantFrom('noreply@example.com', 'a@example.com', 'x@other.org', null),
    mfa: fc.constantFrom('true', 'false', null),
  })
  .map((c) => {
    const context: Record<string, string[]> = c.vpc
      ? { 'aws:sourcevpce': [c.vpce], 'aws:sourcevpc': [c.sourceVpc], 'aws:vpcsourceip': [c.vpcIp] }
      : { 'aws:sourceip': [c.ip] };
    if (c.from) context['ses:fromaddress'] = [c.from];
    if (c.mfa) context['aws:multifactorauthpresent'] = [c.mfa];
    return context;
  });

const single = (context: Record<string, string[]>) => Object.fromEntries(Object.entries(context).map(([k, v]) => [k, v[0]]));
const allowed = (result: unknown) => (result as { overallResult?: string }).overallResult === 'Allowed' || JSON.stringify(result) === '"Allowed"';

function simulateIdentity(documents: Json[], req: RefRequest): boolean {
  const result = runUnsafeSimulation(
    {
      request: { principal: `arn:aws:iam::${ACCOUNT}:role/app`, action: req.action, resource: { resource: req.resource, accountId: ACCOUNT }, contextVariables: single(req.context) },
      identityPolicies: documents.map((p, i) => ({ name: `p${i}`, policy: p })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  return allowed(result);
}

/** Does this simulator build still deny a request inside 0.0.0.0/0? */
const zeroMaskBug = !simulateIdentity([policy(allowSend({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }))], request({ context: { 'aws:sourceip': ['203.0.113.5'] } }));
const ZERO_MASK = /\/0\b/;

const noUnknowns = (value: unknown) => !JSON.stringify(value).includes('$unknown');
export const CROSS_CHECKS = { identity: 600, resource: 300 };

describe('reference evaluator agrees with @cloud-copilot/iam-simulate', () => {
  it(`identity policies: ${CROSS_CHECKS.identity} generated requests`, () => {
    let compared = 0;
    fc.assert(
      fc.property(identityCase.filter(noUnknowns), fc.constantFrom(...ACTIONS), fc.constantFrom(...RESOURCES), contextArb, (documents, action, resource, context) => {
        if (zeroMaskBug && ZERO_MASK.test(JSON.stringify(documents))) return;
        compared++;
        const req = request({ action, resource, context });
        expect(decide(documents as Json[], req, 'identity') === 'allow').toBe(simulateIdentity(documents as Json[], req));
      }),
      { seed: 13, numRuns: CROSS_CHECKS.identity },
    );
    expect(compared).toBeGreaterThan(CROSS_CHECKS.identity / 2);
  });

  it(`sending-authorization policies: ${CROSS_CHECKS.resource} generated cross-account requests`, async () => {
    const who = fc.record({
      account: fc.constantFrom('999988887777', '444455556666', '000011112222'),
      name: fc.constantFrom('root', 'role/partner', 'role/app', 'user/bulk'),
      org: fc.constantFrom('o-a1b2c3d4e5', 'o-zzz9y8x7w6', null),
      ip: fc.constantFrom('203.0.113.9', '8.8.8.8'),
      from: fc.constantFrom('noreply@example.com', 'x@other.org'),
    });
    // Services and Unknowns are the checks' business; the simulator is asked about AWS principals.
    const cases = fc.sample(fc.tuple(sendingCase.filter((c) => noUnknowns(c) && !JSON.stringify(c).includes('Service')), fc.constantFrom('ses:SendEmail', 'ses:SendRawEmail'), who), {
      seed: 13,
      numRuns: CROSS_CHECKS.resource,
    });
    const disagreements: string[] = [];
    for (const [{ documents }, action, w] of cases) {
      const arn = `arn:aws:iam::${w.account}:${w.name}`;
      const context: Record<string, string[]> = { 'aws:sourceip': [w.ip], 'ses:fromaddress': [w.from], 'aws:principalaccount': [w.account], 'aws:principalarn': [arn], 'aws:principalisawsservice': ['false'] };
      if (w.org) context['aws:principalorgid'] = [w.org];
      const statements = (documents as Json[]).flatMap((d) => d.Statement as Json[]);
      const ours = decide([policy(...statements)], { action, resource: IDENTITY, principal: { kind: 'aws', account: w.account, arn }, context }, 'resource') === 'allow';
      // A cross-account request also needs the caller's own identity policy: here it allows everything.
      const theirs = allowed(
        await runSimulation(
          {
            request: { principal: arn, action, resource: { resource: IDENTITY, accountId: ACCOUNT }, contextVariables: single(context) },
            identityPolicies: [{ name: 'caller', policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }],
            resourcePolicy: policy(...statements),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
          },
          {},
        ),
      );
      if (ours !== theirs) disagreements.push(JSON.stringify({ action, who: w, statements, reference: ours, simulator: theirs }));
    }
    expect(disagreements).toEqual([]);
  });
});
