// fast-check generators of realistic policy sets for the differential tests: identity policies (Action /
// NotAction, Resource / NotResource, Allow / Deny, wildcards in any case, network and From-address conditions
// with IfExists / ForAnyValue / ForAllValues / Null), sending-authorization policies and role trust policies
// (Principal / NotPrincipal, guard keys with binding and non-binding operators), now and then with Unknown
// values (whole documents, single values, holes in partly known ARNs) as sources leave them.
import fc from 'fast-check';
import { IDENTITY_ARN, OTHER_ORG, OUR_ORG, type Marker, type Scope } from './checks.js';
import type { Json } from './evaluate.js';

const marker = (kind: string): Marker => ({ $unknown: kind });

const IDENTITY_ACTIONS = [
  'ses:SendEmail',
  'ses:SendRawEmail',
  'ses:SendTemplatedEmail',
  'ses:SendBulkEmail',
  'ses:SendBulkTemplatedEmail',
  'ses:Send*',
  'ses:send*',
  'SES:SENDRAWEMAIL',
  'ses:SendRaw?mail',
  'ses:*Email',
  'ses:*',
  '*',
  'ses:Get*',
  'ses:GetSendQuota',
  's3:GetObject',
  'iam:*',
  'ses:Put*',
  'ses:PutAccountDetails',
  'ses:Verify*',
  'ses:VerifyEmailIdentity',
  'ses:CreateEmailIdentity',
  'ses:DeleteConfigurationSetEventDestination',
  'ses:Delete*',
  'ses:*Identity*',
  'ses:PutIdentityPolicy',
  'ses:CreateEmailIdentityPolicy',
  'ses:UpdateAccountSendingEnabled',
  'ses:SetIdentityNotificationTopic',
];

const IDENTITY_RESOURCES = [
  '*',
  'arn:aws:ses:*:*:identity/*',
  'arn:aws:ses:us-east-1:111122223333:identity/*',
  'arn:aws:ses:eu-west-1:111122223333:identity/*',
  'arn:aws:ses:us-east-1:111122223333:identity/example.com',
  'arn:aws:ses:us-east-1:111122223333:identity/*@example.com',
  'arn:aws:ses:*:111122223333:identity/a*',
  'arn:aws:ses:*:*:identity/*.example',
  'arn:aws:ses:us-east-1:111122223333:configuration-set/*',
  'arn:aws:ses:us-east-1:111122223333:configuration-set/main',
  'arn:aws:ses:*:*:template/*',
  'arn:aws:ses:us-east-1:111122223333:template/welcome',
  'arn:aws:*:*:*:*',
  'arn:aws:s3:::bucket/*',
  'arn:aws:ses:us-east-1:111122223333:*',
  'arn:aws:ses:*',
  'arn:*',
];

type Atom = [string, string, string[]];

const IDENTITY_CONDITIONS: Atom[] = [
  ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24']],
  ['IpAddress', 'aws:SourceIp', ['0.0.0.0/0']],
  ['IpAddress', 'aws:SourceIp', ['0.0.0.0/1']],
  ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '2001:db8::/32']],
  ['IpAddress', 'aws:SourceIp', ['::/0']],
  ['NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24']],
  ['NotIpAddress', 'aws:SourceIp', ['0.0.0.0/1']],
  ['IpAddressIfExists', 'aws:SourceIp', ['203.0.113.0/24']],
  ['StringEquals', 'aws:SourceVpce', ['vpce-1']],
  ['StringEqualsIfExists', 'aws:SourceVpce', ['vpce-1']],
  ['StringNotEquals', 'aws:SourceVpce', ['vpce-1']],
  ['ForAllValues:StringEquals', 'aws:SourceVpce', ['vpce-1']],
  ['ForAnyValue:StringEquals', 'aws:SourceVpce', ['vpce-1']],
  ['StringLike', 'aws:SourceVpce', ['*']],
  ['StringEquals', 'aws:SourceVpc', ['vpc-1']],
  ['IpAddress', 'aws:VpcSourceIp', ['10.0.0.0/8']],
  ['Null', 'aws:SourceVpce', ['true']],
  ['Null', 'aws:SourceVpce', ['false']],
  ['StringEquals', 'ses:FromAddress', ['noreply@example.com']],
  ['StringLike', 'ses:FromAddress', ['*@example.com']],
  ['StringLike', 'ses:FromAddress', ['*']],
  ['StringLike', 'ses:FromAddress', ['*@*']],
  ['StringNotLike', 'ses:FromAddress', ['*@example.com']],
  ['ForAnyValue:StringEquals', 'ses:FromAddress', ['noreply@example.com']],
  ['ForAllValues:StringLike', 'ses:FromAddress', ['*@example.com']],
  ['StringLikeIfExists', 'ses:FromAddress', ['*@example.com']],
  ['Null', 'ses:FromAddress', ['true']],
  ['Bool', 'aws:MultiFactorAuthPresent', ['true']],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['false']],
  ['StringEquals', 'aws:PrincipalTag/team', ['mail']],
];

const GUARD_CONDITIONS: Atom[] = [
  ['StringEquals', 'aws:PrincipalOrgID', [OUR_ORG]],
  ['StringEquals', 'aws:PrincipalOrgID', [OTHER_ORG]],
  ['StringLike', 'aws:PrincipalOrgID', ['o-*']],
  ['StringNotEquals', 'aws:PrincipalOrgID', [OUR_ORG]],
  ['StringEqualsIfExists', 'aws:PrincipalOrgID', [OUR_ORG]],
  ['ForAllValues:StringEquals', 'aws:PrincipalOrgID', [OUR_ORG]],
  ['ForAnyValue:StringEquals', 'aws:PrincipalOrgID', [OUR_ORG]],
  ['StringEquals', 'aws:PrincipalAccount', ['111122223333']],
  ['StringEquals', 'aws:PrincipalAccount', ['999988887777']],
  ['StringLike', 'aws:PrincipalAccount', ['*']],
  ['StringNotEquals', 'aws:PrincipalAccount', ['111122223333']],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:role/*']],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::*:role/partner']],
  ['ArnNotLike', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:*']],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::999988887777:*']],
  ['StringEquals', 'aws:SourceAccount', ['111122223333']],
  ['StringEquals', 'aws:SourceAccount', ['999988887777']],
  ['StringEqualsIfExists', 'aws:SourceAccount', ['111122223333']],
  ['StringNotEquals', 'aws:SourceAccount', ['111122223333']],
  ['ArnLike', 'aws:SourceArn', ['arn:aws:cognito-idp:us-east-1:111122223333:userpool/*']],
  ['ArnLike', 'aws:SourceArn', ['arn:aws:sns:*:999988887777:*']],
  ['Null', 'aws:PrincipalOrgID', ['false']],
  ['Null', 'aws:SourceAccount', ['true']],
  ['Bool', 'aws:PrincipalIsAWSService', ['false']],
  ['Bool', 'aws:PrincipalIsAWSService', ['true']],
  ['StringLike', 'ses:FromAddress', ['*@example.com']],
  ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24']],
  ['StringEquals', 'sts:ExternalId', ['partner-7f3a']],
  ['StringEqualsIfExists', 'sts:ExternalId', ['partner-7f3a']],
  ['StringNotEquals', 'sts:ExternalId', ['partner-7f3a']],
];

const PRINCIPALS: unknown[] = [
  '*',
  { AWS: '*' },
  { AWS: '999988887777' },
  { AWS: 'arn:aws:iam::999988887777:role/partner' },
  { AWS: 'arn:aws:iam::999988887777:root' },
  { AWS: '111122223333' },
  { AWS: 'arn:aws:iam::444455556666:root' },
  { AWS: ['123456789012', 'arn:aws:iam::111122223333:role/app'] },
  { Service: 'cognito-idp.amazonaws.com' },
  { Service: ['sns.amazonaws.com', 'cognito-idp.amazonaws.com'] },
];

/** Unknown markers for a value of a given kind, or a hole in a partly known value. */
const UNKNOWN_VALUES: Record<string, unknown[]> = {
  action: [marker('unknown action')],
  resource: [marker('unknown resource'), { $unknown: 'partly known', parts: ['arn:aws:ses:eu-west-1:111122223333:identity/', marker('unknown name')] }],
  ownResource: [marker('unknown own resource')],
  cidr: [marker('unknown cidr')],
  vpce: [marker('unknown vpce')],
  'vpce pattern': [marker('unknown vpce pattern')],
  from: [marker('unknown from')],
  'from pattern': [marker('unknown from pattern')],
  principal: [{ AWS: marker('unknown principal') }, { AWS: { $unknown: 'partly known', parts: ['arn:aws:iam::', marker('unknown account'), ':root'] } }],
  org: [marker('unknown org')],
  'org pattern': [marker('unknown org pattern')],
};

function maybeUnknown<T>(arb: fc.Arbitrary<T>, kind: string): fc.Arbitrary<T | unknown> {
  // A new marker object each time: two Unknowns of a policy are two unknown values.
  const unknowns = fc.constantFrom(...UNKNOWN_VALUES[kind]).map((v) => structuredClone(v));
  return fc.oneof({ weight: 19, arbitrary: arb }, { weight: 1, arbitrary: unknowns });
}

const CIDR_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);

function valueKind(operator: string, key: string): string | null {
  const k = key.toLowerCase();
  const pattern = /like/i.test(operator) ? ' pattern' : '';
  if (/^null/i.test(operator)) return null;
  if (CIDR_KEYS.has(k)) return 'cidr';
  if (k === 'aws:sourcevpce') return `vpce${pattern}`;
  if (k === 'ses:fromaddress') return `from${pattern}`;
  if (k === 'aws:principalorgid') return `org${pattern}`;
  return null;
}

function conditionArb(atoms: Atom[]): fc.Arbitrary<Json | undefined> {
  return fc.array(fc.constantFrom(...atoms), { maxLength: 2 }).chain((chosen) => {
    if (chosen.length === 0) return fc.constant(undefined);
    return fc
      .tuple(
        ...chosen.map(([op, key, values]) => {
          const kind = valueKind(op, key);
          const vals = kind ? fc.array(maybeUnknown(fc.constantFrom(...values), kind), { minLength: 1, maxLength: 1 }) : fc.constant(values);
          return vals.map((v) => [op, key, v] as const);
        }),
      )
      .map((entries) => {
        const condition: Record<string, Record<string, unknown>> = {};
        for (const [op, key, values] of entries) (condition[op] ??= {})[key] = values.length === 1 ? values[0] : values;
        return condition;
      });
  });
}

function statementArb(options: {
  actions: string[];
  resources: string[] | null;
  conditions: Atom[];
  principals: boolean;
}): fc.Arbitrary<Json> {
  const resourceKind = options.principals ? 'ownResource' : 'resource';
  return fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      notAction: fc.constantFrom(false, false, false, true),
      actions: fc.array(maybeUnknown(fc.constantFrom(...options.actions), 'action'), { minLength: 1, maxLength: 3 }),
      notResource: fc.constantFrom(false, false, false, true),
      resources: options.resources
        ? fc.array(maybeUnknown(fc.constantFrom(...options.resources), resourceKind), { minLength: 1, maxLength: 2 })
        : fc.constant(null),
      notPrincipal: fc.constantFrom(false, false, false, false, true),
      principal: options.principals ? maybeUnknown(fc.constantFrom(...PRINCIPALS), 'principal') : fc.constant(null),
      condition: conditionArb(options.conditions),
    })
    .map((r) => {
      const s: Json = { Effect: r.Effect };
      s[r.notAction ? 'NotAction' : 'Action'] = r.actions.length === 1 ? r.actions[0] : r.actions;
      if (r.resources) s[r.notResource ? 'NotResource' : 'Resource'] = r.resources.length === 1 ? r.resources[0] : r.resources;
      if (r.principal !== null) s[r.notPrincipal ? 'NotPrincipal' : 'Principal'] = r.principal;
      if (r.condition) s.Condition = r.condition;
      return s;
    });
}

function documentArb(statement: fc.Arbitrary<Json>, unknownKind: string): fc.Arbitrary<Json | Marker> {
  return fc.oneof(
    { weight: 24, arbitrary: fc.array(statement, { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: '2012-10-17', Statement })) },
    { weight: 1, arbitrary: fc.constant(null).map(() => marker(unknownKind)) },
  );
}

function countMarkers(value: unknown): number {
  if (value && typeof value === 'object') {
    if (typeof (value as Marker).$unknown === 'string') return (value as Marker).parts ? countMarkers((value as Marker).parts) : 1;
    return Object.values(value).reduce((n: number, v) => n + countMarkers(v), 0);
  }
  return 0;
}

/** A principal's identity policies: one to three documents. */
export const identityCase = fc
  .array(documentArb(statementArb({ actions: IDENTITY_ACTIONS, resources: IDENTITY_RESOURCES, conditions: IDENTITY_CONDITIONS, principals: false }), 'unknown identity document'), {
    minLength: 1,
    maxLength: 3,
  })
  .filter((docs) => countMarkers(docs) <= 2);

const SEND_AUTH_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail', 'ses:Send*', 'ses:*', '*', 'SES:sendrawemail', 'ses:GetEmailIdentity'];
const SEND_AUTH_RESOURCES = [
  '*',
  IDENTITY_ARN,
  'arn:aws:ses:us-east-1:111122223333:identity/other.org',
  'arn:aws:ses:*:*:identity/*',
  'arn:aws:ses:eu-west-1:111122223333:identity/example.com',
];

export const scopeArb: fc.Arbitrary<Scope> = fc.record({
  organizationId: fc.constantFrom<string | null>(OUR_ORG, null),
  orgAccounts: fc.constantFrom<string[]>([], ['444455556666']),
  trusted: fc.constantFrom<string[]>([], ['123456789012']),
});

/** An identity's sending-authorization policies and the run's account scope. */
export const sendingCase = fc
  .record({
    documents: fc.array(
      documentArb(statementArb({ actions: SEND_AUTH_ACTIONS, resources: SEND_AUTH_RESOURCES, conditions: GUARD_CONDITIONS, principals: true }), 'unknown resource document'),
      { minLength: 1, maxLength: 2 },
    ),
    scope: scopeArb,
  })
  .filter((c) => countMarkers(c.documents) <= 2);

const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRole', 'sts:*', '*', 'sts:TagSession', 'sts:AssumeRoleWithWebIdentity'];

/** A role: its trust policy, whether its permissions let it send, and the run's account scope. */
export const trustCase = fc
  .record({
    trust: fc
      .array(statementArb({ actions: TRUST_ACTIONS, resources: null, conditions: GUARD_CONDITIONS, principals: true }), { minLength: 1, maxLength: 3 })
      .map((Statement) => ({ Version: '2012-10-17', Statement }) as Json),
    permissions: fc.constantFrom<Json | Marker>(
      { Statement: [{ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' }] },
      { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] },
      { $unknown: 'unknown identity document' },
    ).map((v) => structuredClone(v)),
    scope: scopeArb,
  })
  .filter((c) => countMarkers(c) <= 2);
