// Unit tests of the IAM statement semantics (src/functions/iam.ts, iam-actions.ts): literal tables of raw
// policy JSON, normalized as sources do, plus a few properties of the wildcard matcher.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicyDocument, normalizeStatement } from '../src/inventory/policy-document.js';
import { unknown, type PolicyDocument } from '../src/inventory/types.js';
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
  denyKind,
  hasFromAddressCondition,
  hasNetworkCondition,
  identityScope,
  principalAccount,
  staleAccessKeys,
  type NamedDocument,
} from '../src/functions/iam.js';

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
    [{ NotAction: 'ses:SendRawEmail' }, 'yes'],
    [{ Action: [unknown('parameter'), 's3:*'] }, 'maybe'],
    [{ Action: [unknown('parameter'), 'ses:*'] }, 'yes'],
    [{ Action: 'ses:${Verb}' }, 'maybe'],
    [{ NotAction: [unknown('parameter')] }, 'maybe'],
    [{}, 'no'],
  ])('%j → %s for ses:SendEmail', (raw, expected) => {
    expect(actionStatus(st({ Effect: 'Allow', ...raw }), 'ses:SendEmail')).toBe(expected);
  });
});

describe('identityScope', () => {
  it.each([
    [{ Resource: '*' }, 'yes', 'yes'],
    [{ Resource: 'arn:aws:ses:*:*:identity/*' }, 'yes', 'yes'],
    [{ Resource: 'arn:aws:ses:${AWS::Region}:${AWS::AccountId}:identity/*' }, 'yes', 'yes'],
    [{ Resource: 'arn:aws:ses:us-east-1:111122223333:*' }, 'yes', 'yes'],
    [{ Resource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com' }, 'yes', 'no'],
    [{ Resource: 'arn:aws:ses:us-east-1:111122223333:identity/${Domain}' }, 'yes', 'no'],
    [{ Resource: 'arn:aws:ses:us-east-1:111122223333:identity/*@example.com' }, 'yes', 'no'],
    [{ Resource: 'arn:aws:ses:us-east-1:111122223333:configuration-set/main' }, 'no', 'no'],
    [{ Resource: 'arn:aws:s3:::bucket/*' }, 'no', 'no'],
    [{ Resource: 'arn:*' }, 'yes', 'yes'],
    [{ Resource: 'arn:aws:*:*:*:*' }, 'yes', 'yes'],
    [{ NotResource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com' }, 'yes', 'yes'],
    [{ Resource: [unknown('managed elsewhere')] }, 'maybe', 'maybe'],
  ])('%j → touches %s, all %s', (raw, touches, all) => {
    expect(identityScope(st({ Effect: 'Allow', Action: 'ses:SendEmail', ...raw }))).toEqual({ touches, all });
  });
});

describe('conditions', () => {
  it.each([
    [{ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, 'yes'],
    [{ IpAddress: { 'aws:SourceIp': ['0.0.0.0/0'] } }, 'no'],
    [{ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '::/0'] } }, 'no'],
    [{ IpAddressIfExists: { 'aws:sourceip': '10.0.0.0/8' } }, 'yes'],
    [{ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, 'no'],
    [{ StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } }, 'yes'],
    [{ StringLike: { 'aws:SourceVpc': '*' } }, 'no'],
    [{ StringEquals: { 'aws:SourceVpc': 'vpc-1' } }, 'yes'],
    [{ IpAddress: { 'aws:VpcSourceIp': '10.1.0.0/16' } }, 'yes'],
    [{ IpAddress: { 'aws:SourceIp': [unknown('parameter')] } }, 'maybe'],
    [{ StringEquals: { 'ses:FromAddress': 'noreply@example.com' } }, 'no'],
    [undefined, 'no'],
  ])('network condition %j → %s', (condition, expected) => {
    expect(hasNetworkCondition(st(send(condition ? { Condition: condition } : {})))).toBe(expected);
  });

  it.each([
    [{ StringEquals: { 'ses:FromAddress': 'noreply@example.com' } }, 'yes'],
    [{ StringLike: { 'ses:FromAddress': '*@example.com' } }, 'yes'],
    [{ StringLike: { 'ses:FromAddress': '*' } }, 'no'],
    [{ StringLike: { 'ses:FromAddress': '*@*' } }, 'no'],
    [{ 'ForAllValues:StringLike': { 'ses:FromAddress': ['a@example.com'] } }, 'yes'],
    [{ StringNotLike: { 'ses:FromAddress': 'a@example.com' } }, 'no'],
  ])('from-address condition %j → %s', (condition, expected) => {
    expect(hasFromAddressCondition(st(send({ Condition: condition })))).toBe(expected);
  });

  it.each([
    [undefined, 'unconditional'],
    [{ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, 'network'],
    [{ NotIpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, 'other'],
    [{ StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } }, 'network'],
    [{ Null: { 'aws:SourceVpce': 'true' } }, 'network'],
    [{ StringNotLike: { 'ses:FromAddress': '*@example.com' } }, 'from'],
    [{ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, StringNotLike: { 'ses:FromAddress': '*@example.com' } }, 'other'],
    [{ StringEquals: { 'aws:PrincipalTag/team': 'x' } }, 'other'],
    [{ NotIpAddress: { 'aws:SourceIp': [unknown('parameter')] } }, 'maybe'],
  ])('deny condition %j → %s', (condition, expected) => {
    expect(denyKind(st({ Effect: 'Deny', Action: 'ses:*', Resource: '*', ...(condition ? { Condition: condition } : {}) }))).toBe(expected);
  });
});

describe('analyzeSendGrants', () => {
  const grantOf = (...docs: NamedDocument[]) => analyzeSendGrants(docs);

  it.each([
    ['ses:SendEmail on *', [send()], { actions: ['ses:SendEmail'], allIdentities: true, networkCondition: false, fromAddressCondition: false }],
    ['ses:* on one identity', [send({ Action: 'ses:*', Resource: 'arn:aws:ses:us-east-1:1:identity/a@example.com' })], { actions: SEND_ACTIONS, allIdentities: false }],
    ['NotAction s3:*', [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }], { actions: SEND_ACTIONS, allIdentities: true }],
    ['NotResource', [send({ Resource: undefined, NotResource: 'arn:aws:ses:us-east-1:1:identity/x.com' })], { allIdentities: true }],
    ['network via Allow condition', [send({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })], { networkCondition: true }],
    ['network via Deny', [send(), { Effect: 'Deny', Action: 'ses:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }], { networkCondition: true }],
    ['from address via Allow', [send({ Condition: { StringEquals: { 'ses:FromAddress': 'a@example.com' } } })], { fromAddressCondition: true }],
    ['from address via Deny', [send(), { Effect: 'Deny', Action: 'ses:Send*', Resource: '*', Condition: { StringNotLike: { 'ses:FromAddress': '*@example.com' } } }], { fromAddressCondition: true }],
    ['Deny NotResource narrows', [send(), { Effect: 'Deny', Action: 'ses:SendEmail', NotResource: 'arn:aws:ses:*:*:identity/example.com' }], { allIdentities: false }],
    ['partial deny keeps the others', [send({ Action: 'ses:Send*' }), { Effect: 'Deny', Action: 'ses:SendRawEmail', Resource: '*' }], { actions: SEND_ACTIONS.filter((a) => a !== 'ses:SendRawEmail') }],
  ])('%s', (_name, statements, expected) => {
    const { items, uncertain } = grantOf(doc('p', ...(statements as Record<string, unknown>[])));
    expect(uncertain).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject(expected);
  });

  it.each([
    ['no send action', [{ Effect: 'Allow', Action: ['ses:Get*', 's3:*'], Resource: '*' }]],
    ['Action * on an S3 bucket', [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }]],
    ['NotAction excludes sends', [{ Effect: 'Allow', NotAction: 'ses:Send*', Resource: '*' }]],
    ['unconditional Deny wins', [send(), { Effect: 'Deny', Action: 'ses:*', Resource: 'arn:aws:ses:*:*:identity/*' }]],
    ['Deny of *', [send({ Action: 'ses:*' }), { Effect: 'Deny', Action: '*', Resource: '*' }]],
    ['Deny on same identity', [send({ Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }), { Effect: 'Deny', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }]],
    ['Deny statement alone', [{ Effect: 'Deny', Action: 'ses:*', Resource: '*' }]],
  ])('no grant: %s', (_name, statements) => {
    expect(grantOf(doc('p', ...(statements as Record<string, unknown>[])))).toEqual({ items: [], uncertain: [] });
  });

  it('a Deny in another policy of the same principal wins', () => {
    const result = grantOf(doc('allow', send()), doc('deny', { Effect: 'Deny', Action: 'ses:SendEmail', Resource: '*' }));
    expect(result.items).toEqual([]);
  });

  it('a Deny on one identity does not remove a grant on *', () => {
    const result = grantOf(doc('p', send(), { Effect: 'Deny', Action: 'ses:SendEmail', Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }));
    expect(result.items).toHaveLength(1);
  });

  it('a conditional Deny of another kind does not remove the grant', () => {
    const result = grantOf(doc('p', send(), { Effect: 'Deny', Action: 'ses:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } }));
    expect(result.items[0]).toMatchObject({ networkCondition: false });
  });

  it('carries policy, sid and line', () => {
    const d = doc('SendPolicy', send({ Sid: 'Send' }));
    (d.document as PolicyDocument).statements[0].line = 12;
    expect(grantOf(d).items[0]).toMatchObject({ policy: 'SendPolicy', sid: 'Send', line: 12 });
    expect(grantOf({ ...doc('P', send()), line: 4 }).items[0]).toMatchObject({ sid: '', line: 4 });
  });

  it.each([
    ['an Unknown document', [{ name: 'arn:aws:iam::aws:policy/X', line: 0, document: unknown('managed policy not in the input') }]],
    ['an Unknown action', [doc('p', { Effect: 'Allow', Action: unknown('parameter'), Resource: '*' })]],
    ['an Unknown resource', [doc('p', { Effect: 'Allow', Action: 'ses:SendEmail', Resource: unknown('parameter') })]],
    ['a Deny with an Unknown action', [doc('p', send(), { Effect: 'Deny', Action: unknown('parameter'), Resource: '*' })]],
    ['a Deny with an Unknown network value', [doc('p', send(), { Effect: 'Deny', Action: 'ses:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': unknown('p') } } })]],
  ])('uncertain with %s', (_name, docs) => {
    const result = analyzeSendGrants(docs as NamedDocument[]);
    expect(result.items).toEqual([]);
    expect(result.uncertain.length).toBeGreaterThan(0);
  });

  it('keeps certain grants beside an Unknown document', () => {
    const result = grantOf(doc('p', send()), { name: 'm', line: 0, document: unknown('elsewhere') });
    expect(result.items).toHaveLength(1);
    expect(result.uncertain).toEqual(['policy m: elsewhere']);
  });

  it('an Unknown in a statement unrelated to SES does not matter', () => {
    expect(grantOf(doc('p', send(), { Effect: 'Allow', Action: 's3:GetObject', Resource: unknown('bucket') })).uncertain).toEqual([]);
  });
});

describe('analyzeControlGrants', () => {
  it.each([
    ['ses:* on *', { Action: 'ses:*', Resource: '*' }, { viaWildcard: true, onAllResources: true }],
    ['ses:Put* on one identity', { Action: 'ses:Put*', Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }, { viaWildcard: true, onAllResources: false, actions: ['ses:PutAccountDetails', 'ses:PutAccountSendingAttributes', 'ses:PutIdentityPolicy', 'ses:PutEmailIdentityFeedbackAttributes'] }],
    ['explicit PutAccountDetails on *', { Action: 'ses:PutAccountDetails', Resource: '*' }, { viaWildcard: false, onAllResources: true, actions: ['ses:PutAccountDetails'] }],
    ['explicit policy write on all identities', { Action: 'ses:PutIdentityPolicy', Resource: 'arn:aws:ses:*:*:identity/*' }, { viaWildcard: false, onAllResources: true }],
    ['NotAction', { NotAction: 'iam:*', Resource: '*' }, { viaWildcard: true }],
  ])('%s', (_name, raw, expected) => {
    const { items } = analyzeControlGrants([doc('p', { Effect: 'Allow', ...raw })]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject(expected);
  });

  it.each([
    ['explicit action on one identity', { Effect: 'Allow', Action: 'ses:PutIdentityPolicy', Resource: 'arn:aws:ses:us-east-1:1:identity/a.com' }],
    ['send only', { Effect: 'Allow', Action: 'ses:Send*', Resource: '*' }],
    ['read only', { Effect: 'Allow', Action: ['ses:Get*', 'ses:List*'], Resource: '*' }],
    ['other service', { Effect: 'Allow', Action: '*', Resource: 'arn:aws:sns:*:*:*' }],
  ])('no grant: %s', (_name, raw) => {
    expect(analyzeControlGrants([doc('p', raw)]).items).toEqual([]);
  });

  it('an unconditional Deny removes control actions', () => {
    const result = analyzeControlGrants([doc('p', { Effect: 'Allow', Action: 'ses:*', Resource: '*' }, { Effect: 'Deny', Action: CONTROL_ACTIONS, Resource: '*' })]);
    expect(result.items).toEqual([]);
  });
});

describe('principalAccount', () => {
  it.each([
    ['123456789012', { kind: 'account', account: '123456789012' }],
    ['arn:aws:iam::123456789012:root', { kind: 'account', account: '123456789012' }],
    ['arn:aws:iam::123456789012:role/x', { kind: 'account', account: '123456789012' }],
    ['arn:aws-us-gov:iam::123456789012:user/u', { kind: 'account', account: '123456789012' }],
    ['arn:aws:sts::123456789012:assumed-role/r/s', { kind: 'account', account: '123456789012' }],
    ['${AWS::AccountId}', { kind: 'own' }],
    ['arn:${AWS::Partition}:iam::${AWS::AccountId}:root', { kind: 'own' }],
    ['*', { kind: 'any' }],
    ['AROAEXAMPLEID1234567', { kind: 'none' }],
    ['arn:aws:iam::${Other}:root', { kind: 'unknown' }],
    ['not-a-principal', { kind: 'unknown' }],
  ])('%s', (value, expected) => {
    expect(principalAccount(value)).toEqual(expected);
  });
});

describe('analyzeTrust', () => {
  const scope = { own: '111122223333', allowed: new Set(['222233334444']) };
  const trust = (...statements: Record<string, unknown>[]) => analyzeTrust(doc('trust policy', ...statements), scope);
  const assume = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra });

  it.each([
    ['Principal *', assume('*'), '*'],
    ['AWS *', assume({ AWS: '*' }), '*'],
    ['foreign account root', assume({ AWS: 'arn:aws:iam::999988887777:root' }), '999988887777'],
    ['foreign account id', assume({ AWS: ['222233334444', '999988887777'] }), '999988887777'],
    ['sts:* action', { ...assume({ AWS: '999988887777' }), Action: 'sts:*' }, '999988887777'],
    ['* action', { ...assume({ AWS: '999988887777' }), Action: '*' }, '999988887777'],
    ['NotPrincipal', { Effect: 'Allow', Action: 'sts:AssumeRole', NotPrincipal: { AWS: '111122223333' } }, '*'],
  ])('risk: %s', (_name, statement, account) => {
    const { items, uncertain } = trust(statement);
    expect(uncertain).toEqual([]);
    expect(items.map((i) => i.account)).toEqual([account]);
  });

  it.each([
    ['own account', assume({ AWS: 'arn:aws:iam::111122223333:root' })],
    ['own account symbolic', assume({ AWS: 'arn:aws:iam::${AWS::AccountId}:root' })],
    ['trusted account', assume({ AWS: '222233334444' })],
    ['service', assume({ Service: 'lambda.amazonaws.com' })],
    ['federated', { Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' } }],
    ['external id', assume({ AWS: '999988887777' }, { Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } })],
    ['org id', assume('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })],
    ['deny', { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: '*' }],
    ['other action', { Effect: 'Allow', Action: 'sts:TagSession', Principal: '*' }],
  ])('no risk: %s', (_name, statement) => {
    expect(trust(statement)).toEqual({ items: [], uncertain: [] });
  });

  it('an Unknown principal is uncertain', () => {
    expect(trust(assume({ AWS: unknown('parameter') })).uncertain).toHaveLength(1);
    expect(analyzeTrust({ name: 'trust policy', line: 0, document: unknown('x') }, scope).uncertain).toHaveLength(1);
  });
});

describe('sending-authorization policies', () => {
  const scope = { own: '111122223333', allowed: new Set(['222233334444']) };
  const allowSend = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: 'arn:aws:ses:us-east-1:111122223333:identity/example.com', Principal: principal, ...extra });

  it.each([
    ['Principal *', [allowSend('*')], 1],
    ['AWS *', [allowSend({ AWS: '*' })], 1],
    ['NotPrincipal', [{ ...allowSend('*'), Principal: undefined, NotPrincipal: { AWS: '1' } }], 1],
    ['* with a wildcard-only account condition', [allowSend('*', { Condition: { StringLike: { 'aws:PrincipalAccount': '*' } } })], 1],
    ['* with PrincipalOrgID', [allowSend('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })], 0],
    ['* with SourceArn', [allowSend('*', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:1:x' } } })], 0],
    ['* with PrincipalArn', [allowSend('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' } } })], 0],
    ['account principal', [allowSend({ AWS: '999988887777' })], 0],
    ['Deny *', [{ ...allowSend('*'), Effect: 'Deny' }], 0],
  ])('public: %s → %i', (_name, statements, count) => {
    expect(analyzePublic([doc('p', ...statements)]).items).toHaveLength(count);
  });

  it('finds a public statement in a second policy, after a private one', () => {
    const result = analyzePublic([doc('private', allowSend({ AWS: '111122223333' })), doc('public', allowSend({ AWS: '222233334444' }), allowSend('*', { Sid: 'Open' }))]);
    expect(result.items).toMatchObject([{ policy: 'public', sid: 'Open', principal: '*' }]);
  });

  it.each([
    ['foreign account', allowSend({ AWS: 'arn:aws:iam::999988887777:user/u' }), ['999988887777']],
    ['trusted account', allowSend({ AWS: 'arn:aws:iam::222233334444:role/r' }), []],
    ['own account', allowSend({ AWS: '111122223333' }), []],
    ['service without source', allowSend({ Service: 'sns.amazonaws.com' }), ['']],
    ['service with SourceAccount', allowSend({ Service: 'sns.amazonaws.com' }, { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }), []],
    ['wildcard left to SES-001', allowSend('*'), []],
  ])('foreign: %s', (_name, statement, accounts) => {
    expect(analyzeForeign([doc('p', statement)], scope).items.map((i) => i.account)).toEqual(accounts);
  });

  it('Unknown policies make both analyses uncertain', () => {
    const docs: NamedDocument[] = [{ name: 'p', line: 0, document: unknown('policy defined elsewhere') }];
    expect(analyzePublic(docs).uncertain).toHaveLength(1);
    expect(analyzeForeign(docs, scope).uncertain).toHaveLength(1);
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
