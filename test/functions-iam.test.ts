// Unit tests of the IAM statement semantics (src/functions/iam.ts, iam-actions.ts): literal tables of raw
// policy JSON, normalized as sources do, plus a few properties of the wildcard matcher.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicyDocument, normalizeStatement } from '../src/inventory/policy-document.js';
import { partialString, unknown, type PolicyDocument } from '../src/inventory/types.js';
import {
  CATALOGUE_ACTIONS,
  CONTROL_ACTIONS,
  SEND_ACTIONS,
  actionMatches,
  expandActionPattern,
  globMatch,
} from '../src/functions/iam-actions.js';
import {
  actionStatus,
  analyzeControlGrants,
  analyzeForeign,
  analyzePublic,
  analyzeSendGrants,
  analyzeTrust,
  maySend,
  staleAccessKeys,
  type AccountScope,
  type NamedDocument,
} from '../src/functions/iam.js';
import { ATTACKER_IP, TokenTable, ipInRange, matchTri, parseCidr } from '../src/functions/iam-match.js';
import { evaluateAtom, parseOperator, type ConditionAtom } from '../src/functions/iam-conditions.js';

const st = (raw: Record<string, unknown>) => normalizeStatement(raw);
const doc = (name: string, ...statements: Record<string, unknown>[]): NamedDocument => ({
  name,
  line: 0,
  document: normalizePolicyDocument({ Version: '2012-10-17', Statement: statements }) as PolicyDocument,
});
const send = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', ...extra });

describe('actionMatches', () => {
  it.each([
    ['ses:SendEmail', 'ses:SendEmail', true],
    ['SES:sendemail', 'ses:SendEmail', true],
    ['ses:Send*', 'ses:SendRawEmail', true],
    ['ses:*', 'ses:SendBulkEmail', true],
    ['*', 'ses:SendEmail', true],
    ['s?s:Send*', 'ses:SendEmail', true],
    ['ses:Send?mail', 'ses:SendEmail', true],
    ['ses:Send?mail', 'ses:SendRawEmail', false],
    ['ses:Get*', 'ses:SendEmail', false],
    ['ses:SendEmail', 'ses:SendEmailX', false],
    ['sesv2:*', 'ses:SendEmail', false],
    ['*:SendEmail', 'ses:SendEmail', true],
    ['ses:*Email', 'ses:SendTemplatedEmail', true],
    ['ses:*Email', 'ses:SendBounce', false],
  ])('%s ~ %s → %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('a literal pattern matches itself in any case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,6}:[A-Za-z]{1,12}$/), (action) => {
        expect(actionMatches(action.toUpperCase(), action)).toBe(true);
        expect(actionMatches('*', action)).toBe(true);
      }),
    );
  });

  it('prefix* matches exactly the strings with that prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z:]{0,6}$/), fc.stringMatching(/^[a-z:]{0,8}$/), (prefix, text) => {
        expect(globMatch(`${prefix}*`, text)).toBe(text.startsWith(prefix));
      }),
    );
  });

  it('? matches exactly one character', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{0,8}$/), (text) => {
        expect(globMatch('?'.repeat(text.length), text)).toBe(true);
        expect(globMatch('?'.repeat(text.length + 1), text)).toBe(false);
      }),
    );
  });
});

describe('action catalogue', () => {
  it('knows every send and control action we name', () => {
    const known = new Set(CATALOGUE_ACTIONS.map((a) => a.toLowerCase()));
    for (const action of [...SEND_ACTIONS, ...CONTROL_ACTIONS, 'sts:AssumeRole']) expect(known.has(action.toLowerCase())).toBe(true);
  });
  it.each([
    ['ses:Send*', ['ses:SendEmail', 'ses:SendRawEmail', 'ses:SendBulkEmail'], ['ses:GetSendQuota']],
    ['ses:Put*', ['ses:PutAccountDetails', 'ses:PutIdentityPolicy'], ['ses:SendEmail']],
    ['ses:verify*', ['ses:VerifyEmailIdentity', 'ses:VerifyDomainDkim'], ['ses:CreateEmailIdentity']],
  ])('expands %s', (pattern, included, excluded) => {
    const expanded = expandActionPattern(pattern);
    for (const a of included) expect(expanded).toContain(a);
    for (const a of excluded) expect(expanded).not.toContain(a);
  });
});

describe('actionStatus', () => {
  it.each([
    [{ Action: 'ses:SendEmail' }, 'yes'],
    [{ Action: ['s3:GetObject', 'ses:Send*'] }, 'yes'],
    [{ Action: 's3:*' }, 'no'],
    [{ NotAction: 's3:*' }, 'yes'],
    [{ NotAction: 'ses:Send*' }, 'no'],
    [{ Action: [unknown('parameter'), 's3:*'] }, 'maybe'],
    [{ Action: [unknown('parameter'), 'ses:*'] }, 'yes'],
    [{ Action: 'ses:${Verb}' }, 'maybe'],
    [{ Action: partialString(['ses:Get', unknown('suffix')]) }, 'no'],
    [{}, 'no'],
  ])('%j → %s for ses:SendEmail', (raw, expected) => {
    expect(actionStatus(st({ Effect: 'Allow', ...raw }), 'ses:SendEmail')).toBe(expected);
  });
});

describe('three-valued matching of partly known text', () => {
  const tokens = new TokenTable();
  const text = (v: Parameters<TokenTable['text']>[0]) => tokens.text(v, 'test');
  const hole = () => unknown('imported value');
  it.each([
    // a hole in a pattern may be any text, wildcards included
    [text(partialString(['arn:aws:ses:eu-west-1:111122223333:identity/', hole()])), 'arn:aws:ses:eu-west-1:111122223333:identity/a.com', 'maybe'],
    [text(partialString(['arn:aws:ses:eu-west-1:111122223333:identity/', hole()])), 'arn:aws:ses:us-east-1:111122223333:identity/a.com', 'no'],
    [text(partialString(['arn:aws:s3:::', hole()])), 'arn:aws:ses:eu-west-1:111122223333:identity/a.com', 'no'],
    [text(hole()), 'anything', 'maybe'],
    ['arn:aws:ses:*:*:identity/*', 'arn:aws:ses:eu-west-1:111122223333:identity/a.com', 'yes'],
    ['arn:aws:ses:${AWS::Region}:1:identity/*', 'arn:aws:ses:eu-west-1:1:identity/a.com', 'maybe'],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(matchTri(pattern.includes('${') ? text(pattern) : pattern, value, true, false)).toBe(expected);
  });

  it('a pattern certainly matches its own instance', () => {
    const pattern = text(partialString(['arn:aws:ses:eu-west-1:111122223333:identity/', hole()]));
    const own = pattern.replace('*', '');
    expect(matchTri(pattern, own, true, false)).toBe('yes');
  });
});

describe('IP ranges', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24', 'yes'],
    ['203.0.114.7', '203.0.113.0/24', 'no'],
    ['8.8.8.8', '0.0.0.0/0', 'yes'],
    ['2001:db8::1', '2001:db8::/32', 'yes'],
    ['2001:db8::1', '0.0.0.0/0', 'no'],
    ['10.1.2.3', '10.1.2.3', 'yes'],
    // the Internet attacker is inside world-sized ranges only (SPEC §8: IPv4 < /8, IPv6 < /16)
    [ATTACKER_IP, '0.0.0.0/0', 'yes'],
    [ATTACKER_IP, '0.0.0.0/1', 'yes'],
    [ATTACKER_IP, '0.0.0.0/7', 'yes'],
    [ATTACKER_IP, '10.0.0.0/8', 'no'],
    [ATTACKER_IP, '::/0', 'yes'],
    [ATTACKER_IP, '2000::/15', 'yes'],
    [ATTACKER_IP, '2001:db8::/32', 'no'],
  ])('%s in %s → %s', (address, range, expected) => {
    expect(ipInRange(address, range)).toBe(expected);
  });

  it('a /0 mask is computed with BigInt shifts (no 32-bit `-1 << 32` surprise)', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ version: 4, network: 0n, bits: 0 });
    expect(parseCidr('255.255.255.255/0')).toEqual({ version: 4, network: 0n, bits: 0 });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });
});

describe('condition operators (IAM: condition operators, single- vs multivalued keys)', () => {
  const tokens = new TokenTable();
  const atom = (operator: string, values: string[]): ConditionAtom => ({ id: 0, operator, key: 'k', values, ...parseOperator(operator) });
  it.each([
    // key absent from the request
    ['StringEquals', ['a'], undefined, 'no'],
    ['StringNotEquals', ['a'], undefined, 'yes'],
    ['StringEqualsIfExists', ['a'], undefined, 'yes'],
    ['StringNotEqualsIfExists', ['a'], undefined, 'yes'],
    ['ForAllValues:StringEquals', ['a'], undefined, 'yes'],
    ['ForAnyValue:StringEquals', ['a'], undefined, 'no'],
    ['ForAnyValue:StringNotEquals', ['a'], undefined, 'no'],
    ['NotIpAddress', ['10.0.0.0/8'], undefined, 'yes'],
    ['ArnNotLike', ['arn:aws:iam::1:*'], undefined, 'yes'],
    ['Null', ['true'], undefined, 'yes'],
    ['Null', ['false'], undefined, 'no'],
    // key present
    ['Null', ['true'], ['x'], 'no'],
    ['StringEquals', ['a', 'b'], ['b'], 'yes'],
    ['StringNotEquals', ['a', 'b'], ['b'], 'no'],
    ['StringNotEquals', ['a', 'b'], ['c'], 'yes'],
    ['StringLike', ['a*'], ['abc'], 'yes'],
    ['stringlike', ['a*'], ['ABC'], 'no'],
    ['StringEqualsIgnoreCase', ['abc'], ['ABC'], 'yes'],
    ['StringEqualsIfExists', ['a'], ['b'], 'no'],
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], 'yes'],
    ['ForAllValues:StringEquals', ['a'], ['a', 'b'], 'no'],
    ['ForAnyValue:StringEquals', ['a'], ['b', 'a'], 'yes'],
    ['ForAnyValue:StringNotEquals', ['a'], ['a', 'b'], 'yes'],
    ['IpAddress', ['203.0.113.0/24'], ['203.0.113.9'], 'yes'],
    ['NumericLessThan', ['5'], ['3'], 'yes'],
    ['DateGreaterThan', ['2026-01-01T00:00:00Z'], ['2026-06-01T00:00:00Z'], 'yes'],
    ['Bool', ['true'], ['TRUE'], 'yes'],
    ['SomethingElse', ['a'], ['a'], 'maybe'],
  ])('%s %j against %j → %s', (operator, values, request, expected) => {
    expect(evaluateAtom(atom(operator, values), request as string[] | undefined, tokens)).toBe(expected);
  });
});

// The items 1–13 as literal cases (issue 13), on the analysis functions.
const verdicts = (docs: NamedDocument[]) => {
  const send = analyzeSendGrants(docs);
  return { send: send.send.tri, identities: send.identities.tri, network: send.network.tri, from: send.from.tri, control: analyzeControlGrants(docs).control.tri };
};

describe('identity policies (issue 13, items 1–8)', () => {
  it.each([
    ['1. a Deny scoped to one region leaves the other regions open', [send({ Action: 'ses:*' }), { Effect: 'Deny', Action: '*', Resource: 'arn:aws:ses:us-east-1:111122223333:identity/*' }], { identities: 'yes', control: 'yes' }],
    ['a Deny of one identity in every region and account: every identity but one', [send({ Action: 'ses:*' }), { Effect: 'Deny', Action: '*', Resource: 'arn:aws:ses:*:*:identity/ceo@example.com' }], { send: 'yes', identities: 'no' }],
    ['1. a Deny of every identity in every region', [send({ Action: 'ses:*' }), { Effect: 'Deny', Action: '*', Resource: 'arn:aws:ses:*:*:identity/*' }], { send: 'no', identities: 'no', control: 'yes' }],
    ['2. NotResource in a Deny denies everything but what it lists', [send({ Action: 'ses:Send*' }), { Effect: 'Deny', Action: 'ses:Send*', NotResource: 'arn:aws:*:*:*:*' }], { identities: 'yes' }],
    ['3. NotResource in an Allow grants no identity when it lists them all', [{ Effect: 'Allow', Action: 'ses:Send*', NotResource: 'arn:aws:ses:*:*:identity/*' }], { send: 'no', identities: 'no', network: 'no', from: 'no' }],
    ['4. known input decides', [send({ Action: 'ses:Send*' }), { Effect: 'Deny', Action: 'ses:SendEmail', NotResource: 'arn:aws:ses:*:*:identity/*' }], { send: 'yes', identities: 'yes' }],
    ['5. StringEqualsIfExists aws:SourceVpce keeps nobody out', [send({ Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } })], { network: 'yes' }],
    ['5. ForAllValues:StringEquals aws:SourceVpce keeps nobody out', [send({ Condition: { 'ForAllValues:StringEquals': { 'aws:SourceVpce': 'vpce-1' } } })], { network: 'yes' }],
    ['5. StringEquals aws:SourceVpce keeps Internet senders out', [send({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })], { network: 'no' }],
    ['5. ForAnyValue:StringEquals ses:FromAddress restricts the From address', [send({ Condition: { 'ForAnyValue:StringEquals': { 'ses:FromAddress': 'a@example.com' } } })], { from: 'no' }],
    ['6. half the Internet is the world', [send({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } })], { network: 'yes' }],
    ['6. a /8 is a network restriction', [send({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })], { network: 'no' }],
    ['7. ses:Verify* on identity ARNs grants nothing', [{ Effect: 'Allow', Action: 'ses:Verify*', Resource: 'arn:aws:ses:*:*:identity/*' }], { control: 'no' }],
    ['7. ses:PutAccountDetails on arn:aws:*:*:*:* grants nothing', [{ Effect: 'Allow', Action: 'ses:PutAccountDetails', Resource: 'arn:aws:*:*:*:*' }], { control: 'no' }],
    ['7. ses:DeleteConfigurationSetEventDestination on identities grants nothing', [{ Effect: 'Allow', Action: 'ses:DeleteConfigurationSetEventDestination', Resource: 'arn:aws:ses:*:*:identity/*' }], { control: 'no' }],
    ['7. ses:PutAccountDetails on * is control on every resource', [{ Effect: 'Allow', Action: 'ses:PutAccountDetails', Resource: '*' }], { control: 'yes' }],
    ['8. a VPC-only Allow beside a Deny outside a source range: nobody can send', [send({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }), { Effect: 'Deny', Action: 'ses:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }], { send: 'no' }],
  ])('%s', (_name, statements, expected) => {
    expect(verdicts([doc('p', ...(statements as Record<string, unknown>[]))])).toMatchObject(expected);
  });

  it('a grant carries policy, sid, line and flags', () => {
    const d = doc('SendPolicy', send({ Sid: 'Send' }));
    (d.document as PolicyDocument).statements[0].line = 12;
    expect(analyzeSendGrants([d]).items).toEqual([
      { policy: 'SendPolicy', sid: 'Send', line: 12, actions: ['ses:SendEmail'], allIdentities: true, networkCondition: false, fromAddressCondition: false },
    ]);
  });

  it('a visible violation is certain beside an Unknown document; a clean principal with one is undecided', () => {
    const managed: NamedDocument = { name: 'm', line: 0, document: unknown('managed policy not in the input') };
    expect(analyzeSendGrants([doc('p', send()), managed]).identities).toEqual({ tri: 'yes', reasons: [] });
    const clean = analyzeSendGrants([doc('p', send({ Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' })), managed]);
    expect(clean.identities).toEqual({ tri: 'maybe', reasons: ['policy m: managed policy not in the input'] });
  });

  it('an Unknown in a statement unrelated to SES does not matter', () => {
    expect(analyzeSendGrants([doc('p', send(), { Effect: 'Allow', Action: 's3:GetObject', Resource: unknown('bucket') })]).network.reasons).toEqual([]);
  });

  it('a partly known identity ARN: maybe every identity, certainly some (issue 13)', () => {
    const resource = partialString(['arn:aws:ses:eu-west-1:111122223333:identity/', unknown('imported identity name')]);
    const result = analyzeSendGrants([doc('p', send({ Resource: resource }))]);
    expect(result.identities.tri).toBe('maybe');
    expect(result.identities.reasons).toEqual(['p: imported identity name']);
    expect([result.send.tri, result.network.tri, result.from.tri]).toEqual(['yes', 'yes', 'yes']);
  });

  it('a partly known non-SES ARN grants no send, whatever the hole holds', () => {
    expect(verdicts([doc('p', send({ Resource: partialString(['arn:aws:s3:::', unknown('bucket')]) }))])).toMatchObject({ send: 'no' });
  });

  it('maySend: the stable entry point for detections, on raw or normalized documents', () => {
    expect(maySend([{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }])).toBe('yes');
    expect(maySend(['{"Statement":[{"Effect":"Allow","Action":"ses:Get*","Resource":"*"}]}'])).toBe('no');
    expect(maySend([unknown('AWS managed policy not in the data file')])).toBe('maybe');
    expect(maySend([normalizePolicyDocument({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] })])).toBe('yes');
  });
});

describe('sending-authorization and trust policies (issue 13, items 9–13)', () => {
  const own = { arn: 'arn:aws:ses:us-east-1:111122223333:identity/example.com', account: '111122223333' };
  const role = { arn: 'arn:aws:iam::111122223333:role/mailer', account: '111122223333' };
  const scope = (organizationId: string | null = 'o-a1b2c3d4e5', allowed: string[] = ['444455556666']): AccountScope => ({ own: '111122223333', allowed: new Set(allowed), organizationId });
  const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: own.arn, Principal: principal, ...extra });
  const assume = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra });
  const cond = (operator: string, key: string, value: string) => ({ Condition: { [operator]: { [key]: value } } });
  const answers = (statements: Record<string, unknown>[], s: AccountScope = scope()) => ({
    public: analyzePublic([doc('p', ...statements)], own).verdict.tri,
    foreign: analyzeForeign([doc('p', ...statements)], s, own).verdict.tri,
    trust: analyzeTrust(doc('trust', ...statements.map((x) => ({ ...x, Action: 'sts:AssumeRole', Resource: undefined }))), s, role).verdict.tri,
  });

  it.each([
    ['9. StringNotEquals aws:PrincipalOrgID ours admits everyone outside', [allow('*', cond('StringNotEquals', 'aws:PrincipalOrgID', 'o-a1b2c3d4e5'))], { public: 'yes', trust: 'yes' }],
    ['9. ArnNotLike aws:PrincipalArn ours admits outsiders', [allow('*', cond('ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:*'))], { public: 'yes', trust: 'yes' }],
    ['9. StringEqualsIfExists sts:ExternalId does not bind', [allow('*', cond('StringEqualsIfExists', 'sts:ExternalId', 'x'))], { public: 'yes', trust: 'yes' }],
    ['9. ForAllValues:StringEquals aws:PrincipalOrgID does not bind', [allow('*', cond('ForAllValues:StringEquals', 'aws:PrincipalOrgID', 'o-a1b2c3d4e5'))], { public: 'yes', trust: 'yes' }],
    ['9. StringEquals aws:PrincipalOrgID ours binds', [allow('*', cond('StringEquals', 'aws:PrincipalOrgID', 'o-a1b2c3d4e5'))], { public: 'no', foreign: 'no', trust: 'no' }],
    ['9. StringEquals sts:ExternalId binds', [allow('*', cond('StringEquals', 'sts:ExternalId', 'partner-7f3a'))], { trust: 'no' }],
    ['10. o-* is no guard', [allow('*', cond('StringLike', 'aws:PrincipalOrgID', 'o-*'))], { public: 'yes', trust: 'yes' }],
    ['10. another Organization’s id admits its accounts', [allow('*', cond('StringEquals', 'aws:PrincipalOrgID', 'o-zzz9y8x7w6'))], { public: 'no', foreign: 'yes', trust: 'yes' }],
    ['11. an unconditional Deny wins', [allow('*'), { Effect: 'Deny', Action: 'ses:*', Resource: '*', Principal: '*' }], { public: 'no', foreign: 'no' }],
    ['11. a Deny with NotPrincipal wins', [allow('*'), { Effect: 'Deny', Action: 'ses:*', Resource: '*', NotPrincipal: { AWS: '111122223333' } }], { public: 'no', foreign: 'no' }],
    ['11. Principal * granting only ses:GetEmailIdentity grants no send', [{ ...allow('*'), Action: 'ses:GetEmailIdentity' }], { public: 'no', foreign: 'no' }],
    ['12. aws:SourceAccount does not let an outside account’s principal in', [allow('*', cond('StringEquals', 'aws:SourceAccount', '111122223333'))], { public: 'no', foreign: 'no' }],
    ['12. a service not narrowed can send (confused deputy)', [allow({ Service: 'cognito-idp.amazonaws.com' })], { public: 'no', foreign: 'yes' }],
    ['12. a service narrowed to our account cannot', [allow({ Service: 'cognito-idp.amazonaws.com' }, cond('StringEquals', 'aws:SourceAccount', '111122223333'))], { public: 'no', foreign: 'no' }],
    ['13. * bound to an outside account by aws:PrincipalAccount', [allow('*', cond('StringEquals', 'aws:PrincipalAccount', '999988887777'))], { public: 'no', foreign: 'yes', trust: 'yes' }],
    ['13. an Organization named only through aws:SourceOrgID is another Organization', [allow('*', cond('StringNotEquals', 'aws:SourceOrgID', 'o-zzz9y8x7w6'))], { public: 'yes', foreign: 'yes', trust: 'yes' }],
    ['13. a named outside account', [allow({ AWS: 'arn:aws:iam::999988887777:root' })], { public: 'no', foreign: 'yes', trust: 'yes' }],
    ['13. Organization and trusted accounts are inside', [allow({ AWS: ['444455556666', 'arn:aws:iam::111122223333:role/app'] })], { public: 'no', foreign: 'no', trust: 'no' }],
  ])('%s', (_name, statements, expected) => {
    expect(answers(statements as Record<string, unknown>[])).toMatchObject(expected);
  });

  it('10. without our Organization id, a PrincipalOrgID condition is undecided, never a pass', () => {
    const statements = [allow('*', cond('StringEquals', 'aws:PrincipalOrgID', 'o-a1b2c3d4e5'))];
    const result = analyzeTrust(doc('trust', ...statements.map((x) => ({ ...x, Action: 'sts:AssumeRole', Resource: undefined }))), scope(null), role);
    expect(result.verdict.tri).toBe('maybe');
    expect(result.verdict.reasons.join(' ')).toMatch(/organizationId/);
    expect(analyzePublic([doc('p', ...statements)], own).verdict.tri).toBe('no');
  });

  it('findings name the statement, the Principal entry and the account', () => {
    const result = analyzeTrust(doc('trust', assume({ AWS: ['444455556666', 'arn:aws:iam::999988887777:root'] }, { Sid: 'Partner' })), scope(), role);
    expect(result.items).toEqual([{ policy: 'trust', sid: 'Partner', line: 0, principal: 'arn:aws:iam::999988887777:root', account: '999988887777', reason: 'account outside the Organization and trustedAccounts' }]);
  });

  it('an unknown principal is undecided; an unreadable policy too', () => {
    expect(analyzeForeign([doc('p', allow({ AWS: unknown('var.partner is known after apply') }))], scope(), own).verdict).toMatchObject({ tri: 'maybe', reasons: ['p: var.partner is known after apply'] });
    expect(analyzePublic([{ name: 'p', line: 0, document: unknown('policy text not in the plan') }], own).verdict.tri).toBe('maybe');
  });

  it('a Resource that may be the identity is the identity (SES accepts no other)', () => {
    const unresolved = { arn: partialString(['arn:aws:ses:', unknown('region'), ':111122223333:identity/example.com']), account: '111122223333' };
    expect(analyzePublic([doc('p', { ...allow('*'), Resource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com' })], unresolved).verdict.tri).toBe('yes');
    expect(analyzePublic([doc('p', { ...allow('*'), Resource: 'arn:aws:ses:us-east-1:111122223333:identity/other.org' })], unresolved).verdict.tri).toBe('no');
  });
});

describe('staleAccessKeys', () => {
  const now = '2026-11-23T00:00:00Z';
  it.each([
    ['fresh and used', { id: 'A', status: 'Active', createdAt: '2026-10-01T00:00:00Z', lastUsedAt: '2026-11-22T00:00:00Z' }, []],
    ['old', { id: 'A', status: 'Active', createdAt: '2026-01-01T00:00:00Z', lastUsedAt: '2026-11-22T00:00:00Z' }, ['326 days old']],
    ['idle', { id: 'A', status: 'Active', createdAt: '2026-10-01T00:00:00Z', lastUsedAt: '2026-10-10T00:00:00Z' }, ['unused for 44 days']],
    ['never used', { id: 'A', status: 'Active', createdAt: '2026-09-01T00:00:00Z' }, ['83 days old, never used in 83 days']],
    ['inactive', { id: 'A', status: 'Inactive', createdAt: '2020-01-01T00:00:00Z' }, []],
    ['exactly at the limit', { id: 'A', status: 'Active', createdAt: '2026-09-04T00:00:00Z', lastUsedAt: '2026-11-22T00:00:00Z' }, []],
  ])('%s', (_name, key, reasons) => {
    expect(staleAccessKeys([key], now, 80, 30).items.map((k) => k.reason)).toEqual(reasons);
  });
  it('unknown dates and bad reference times are uncertain', () => {
    expect(staleAccessKeys([{ id: 'A', status: 'Active', createdAt: { $unknown: 'x' } }], now, 90, 90).uncertain).toHaveLength(1);
    expect(staleAccessKeys([], 'yesterday', 90, 90).uncertain).toHaveLength(1);
  });
});
