// CEL bindings of the IAM semantics (src/functions/iam.ts): what checks call on a resource.
// Handlers get the resource as plain values; the list functions return only certain findings, and
// requireKnownPolicies(resource, question) throws NotAssessedError when that question's answer depends on
// something unknown, so checks are written `!bad && requireKnownPolicies(resource, 'question')`: a visible
// violation fails, a clean-looking but undecided resource is not assessed, a decided one passes.
import { NotAssessedError } from '../errors.js';
import { partialString, unknown, type Maybe, type PolicyDocument } from '../inventory/types.js';
import {
  analyzeControlGrants,
  analyzeForeign,
  analyzePublic,
  analyzeSendGrants,
  analyzeTrust,
  staleAccessKeys,
  type AccountScope,
  type NamedDocument,
  type OwnResource,
  type PrincipalContext,
  type Verdict,
} from './iam.js';
import type { CelFunction } from './types.js';

interface ResourceLike {
  type?: string;
  name?: string;
  provenance?: { account?: string; region?: string; arn?: string; line?: number };
  props?: Record<string, unknown>;
}

function asResource(value: unknown): ResourceLike {
  return value && typeof value === 'object' ? (value as ResourceLike) : {};
}

function toLine(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function named(raw: unknown, fallbackName: string): NamedDocument {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const name = typeof p.name === 'string' ? p.name : fallbackName;
  return { name, line: toLine(p.line), document: (p.document ?? { statements: [] }) as Maybe<PolicyDocument> };
}

/** The policy documents that apply to a principal (role/user/group), a standalone policy, or an identity. */
export function policyDocuments(resource: ResourceLike): NamedDocument[] {
  const props = resource.props ?? {};
  if (resource.type === 'aws.iam.policy') {
    const name = typeof props.policyName === 'string' ? props.policyName : (resource.name ?? 'policy');
    return [{ name, line: 0, document: (props.document ?? { statements: [] }) as Maybe<PolicyDocument> }];
  }
  const list = Array.isArray(props.policies) ? props.policies : [];
  return list.map((p, i) => named(p, `policy #${i + 1}`));
}

function trustDocument(resource: ResourceLike): NamedDocument {
  const doc = resource.props?.trustPolicy;
  return { name: 'trust policy', line: 0, document: (doc ?? { statements: [] }) as Maybe<PolicyDocument> };
}

function partitionOf(arn: string | undefined): string | undefined {
  return arn?.startsWith('arn:') ? arn.split(':')[1] : undefined;
}

function principalContext(resource: ResourceLike): PrincipalContext {
  return { account: resource.provenance?.account, partition: partitionOf(resource.provenance?.arn) };
}

/**
 * The ARN of the identity or role a resource policy is attached to: the live ARN, else built from what the
 * source knows, with holes where it does not (region, account, name).
 */
function ownResource(resource: ResourceLike): OwnResource {
  const provenance = resource.provenance ?? {};
  const context = principalContext(resource);
  const live = provenance.arn?.startsWith('arn:') ? provenance.arn : undefined;
  if (live) return { ...context, arn: live };
  const props = resource.props ?? {};
  const piece = (value: unknown, what: string): string | ReturnType<typeof unknown> =>
    typeof value === 'string' && value !== '' ? value : unknown(`the ${what} is not known`);
  const partition = context.partition ?? 'aws';
  const arn =
    resource.type === 'aws.iam.role'
      ? partialString([`arn:${partition}:iam::`, piece(provenance.account, "role's account"), ':role/', piece(props.roleName, 'role name')])
      : partialString([
          `arn:${partition}:ses:`,
          piece(provenance.region, "identity's region"),
          ':',
          piece(provenance.account, "identity's account"),
          ':identity/',
          piece(props.identity, 'identity name'),
        ]);
  return { ...context, arn };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// `org` can hold thousands of account ids and is the same list for every resource of a run: build its set
// (and the cache key naming it) once per (org, trusted) pair of list objects, not once per call.
const allowedCache = new WeakMap<object, WeakMap<object, { allowed: Set<string>; key: string }>>();
let allowedSerial = 0;

function allowedAccounts(org: unknown, trusted: unknown): { allowed: Set<string>; key: string } {
  const build = () => ({ allowed: new Set([...stringList(org), ...stringList(trusted)]), key: `accounts#${++allowedSerial}` });
  if (!org || typeof org !== 'object' || !trusted || typeof trusted !== 'object') return build();
  let inner = allowedCache.get(org);
  if (!inner) {
    inner = new WeakMap();
    allowedCache.set(org, inner);
  }
  let hit = inner.get(trusted);
  if (!hit) {
    hit = build();
    inner.set(trusted, hit);
  }
  return hit;
}

function accountScope(resource: ResourceLike, org: unknown, trusted: unknown, organizationId: unknown): AccountScope & { key: string } {
  const { allowed, key } = allowedAccounts(org, trusted);
  const id = typeof organizationId === 'string' && organizationId !== '' ? organizationId : null;
  return { own: resource.provenance?.account, allowed, organizationId: id, key: `${key}|${id ?? ''}` };
}

// Checks call the same analysis from assert and details: cache it per resource object.
const cache = new WeakMap<object, Map<string, unknown>>();

function cached<T>(resource: ResourceLike, key: string, compute: () => T): T {
  let perResource = cache.get(resource);
  if (!perResource) {
    perResource = new Map();
    cache.set(resource, perResource);
  }
  let hit = perResource.get(key) as T | undefined;
  if (hit === undefined) {
    hit = compute();
    perResource.set(key, hit);
  }
  return hit;
}

// One documents array and one own ARN per resource, shared by its questions (iam-memo.ts builds keys once per array).
const documentsOf = (r: ResourceLike) => cached(r, 'documents', () => policyDocuments(r));
const ownOf = (r: ResourceLike) => cached(r, 'own', () => ownResource(r));

const sendAnalysis = (r: ResourceLike) => cached(r, 'send', () => analyzeSendGrants(documentsOf(r), principalContext(r)));
const controlAnalysis = (r: ResourceLike) => cached(r, 'control', () => analyzeControlGrants(documentsOf(r), principalContext(r)));
const publicAnalysis = (r: ResourceLike) => cached(r, 'public', () => analyzePublic(documentsOf(r), ownOf(r)));

function foreignAnalysis(r: ResourceLike, org: unknown, trusted: unknown, organizationId: unknown) {
  const scope = accountScope(r, org, trusted, organizationId);
  return cached(r, `foreign|${scope.key}`, () => analyzeForeign(documentsOf(r), scope, ownOf(r)));
}

function trustAnalysis(r: ResourceLike, org: unknown, trusted: unknown, organizationId: unknown) {
  const scope = accountScope(r, org, trusted, organizationId);
  return cached(r, `trust|${scope.key}`, () => analyzeTrust(trustDocument(r), scope, ownOf(r)));
}

export type Scope = 'send' | 'identities' | 'network' | 'from' | 'control' | 'public' | 'trust' | 'foreign';
const SCOPES: readonly Scope[] = ['send', 'identities', 'network', 'from', 'control', 'public', 'trust', 'foreign'];

function verdictOf(r: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown, organizationId?: unknown): Verdict {
  switch (scope) {
    case 'send':
    case 'identities':
    case 'network':
    case 'from':
      return sendAnalysis(r)[scope];
    case 'control':
      return controlAnalysis(r).control;
    case 'public':
      return publicAnalysis(r).verdict;
    case 'trust':
      return trustAnalysis(r, org, trusted, organizationId).verdict;
    case 'foreign':
      return foreignAnalysis(r, org, trusted, organizationId).verdict;
  }
}

function numberOf(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return n;
}

/** Stale active keys of a user; NotAssessedError when dates or the reference time are missing. */
function staleKeys(r: unknown, now: unknown, maxAge: unknown, maxIdle: unknown): unknown[] {
  if (typeof now !== 'string' || now === '') throw new NotAssessedError('no reference time (config.now) to age access keys against');
  const keys = asResource(r).props?.accessKeys;
  const { items, uncertain } = staleAccessKeys(Array.isArray(keys) ? keys : [], now, numberOf(maxAge), numberOf(maxIdle));
  if (items.length === 0 && uncertain.length > 0) throw new NotAssessedError(`not assessed: ${uncertain.join('; ')}`);
  return items;
}

function scopeOf(value: unknown): Scope {
  if (typeof value === 'string' && (SCOPES as readonly string[]).includes(value)) return value as Scope;
  throw new Error(`unknown policy scope ${JSON.stringify(value)} (expected one of ${SCOPES.join(', ')})`);
}

function defaultScope(resource: ResourceLike): Scope {
  return resource.type === 'aws.ses.identity' ? 'public' : 'send';
}

function requireKnown(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown, organizationId?: unknown): boolean {
  const { tri, reasons } = verdictOf(resource, scope, org, trusted, organizationId);
  if (tri === 'maybe') throw new NotAssessedError(`not assessed: ${reasons.join('; ') || 'depends on unresolved values'}`);
  return true;
}

function isKnown(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown, organizationId?: unknown): boolean {
  return verdictOf(resource, scope, org, trusted, organizationId).tri !== 'maybe';
}

/** True for a certain violation, false for a certain absence; NotAssessedError when undecided. */
function violation(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown, organizationId?: unknown): boolean {
  const { tri, reasons } = verdictOf(resource, scope, org, trusted, organizationId);
  if (tri === 'maybe') throw new NotAssessedError(`not assessed: ${reasons.join('; ') || 'depends on unresolved values'}`);
  return tri === 'yes';
}

const QUESTIONS =
  '"send" (may send at all), "identities" (on every identity of a region and account), "network" (from the Internet), "from" (with any From address), "control" (SES control broadly), "public" (anyone may send through the identity), "foreign" (a named outsider may), "trust" (an outsider may assume the role)';

export const iamFunctions: CelFunction[] = [
  {
    signature: 'iamViolation(dyn, string): bool',
    handler: (r: unknown, scope: unknown) => violation(asResource(r), scopeOf(scope)),
    description: `Whether the answer to an IAM question about the resource is certainly yes (true) or certainly no (false); not assessed (NotAssessedError, naming the Unknowns) when it depends on unknown values. Questions: ${QUESTIONS}.`,
  },
  {
    signature: 'iamViolation(dyn, string, list, list, dyn): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown, id: unknown) => violation(asResource(r), scopeOf(scope), org, trusted, id),
    description: 'Like iamViolation(resource, question) for "foreign" or "trust", with (org, trusted) accounts and the Organization id (null when unknown).',
  },
  {
    signature: 'iamVerdict(dyn, string): string',
    handler: (r: unknown, scope: unknown) => verdictOf(asResource(r), scopeOf(scope)).tri,
    description: 'The answer to an IAM question about the resource: "yes", "no" or "maybe" (never throws). Questions as for iamViolation.',
  },
  {
    signature: 'iamVerdict(dyn, string, list, list, dyn): string',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown, id: unknown) => verdictOf(asResource(r), scopeOf(scope), org, trusted, id).tri,
    description: 'Like iamVerdict(resource, question) for "foreign" or "trust", with (org, trusted) accounts and the Organization id.',
  },
  {
    signature: 'sendGrants(dyn): list',
    handler: (r: unknown) => sendAnalysis(asResource(r)).items,
    description:
      'Allow statements of a role/user/group (props.policies) or policy (props.document) through which the principal certainly may send (after Deny, on resources of the types each action takes): {policy, sid, line, actions, allIdentities (may send on every identity of a region/account, this statement takes part), networkCondition (false: lets a sender on the Internet send), fromAddressCondition (false: lets it send with any From address)}.',
  },
  {
    signature: 'controlGrants(dyn): list',
    handler: (r: unknown) => controlAnalysis(asResource(r)).items,
    description:
      'Statements certainly granting SES account/identity control actions through a wildcard action or NotAction, or on every resource the action takes: {policy, sid, line, actions, viaWildcard, onAllResources}.',
  },
  {
    signature: 'trustRisks(dyn, list, list): list',
    handler: (r: unknown, org: unknown, trusted: unknown) => trustAnalysis(asResource(r), org, trusted, null).items,
    description: 'Like trustRisks(resource, org, trusted, organizationId) with the Organization id unknown.',
  },
  {
    signature: 'trustRisks(dyn, list, list, dyn): list',
    handler: (r: unknown, org: unknown, trusted: unknown, id: unknown) => trustAnalysis(asResource(r), org, trusted, id).items,
    description:
      'Trust-policy statements of a role that certainly let a principal of an account outside own ∪ org ∪ trusted assume it (conditions read as IAM evaluates them; aws:PrincipalOrgID against organizationId): {policy, sid, line, principal, account, reason}.',
  },
  {
    signature: 'publicGrants(dyn): list',
    handler: (r: unknown) => publicAnalysis(asResource(r)).items,
    description:
      'Statements of the sending-authorization policies of an identity that certainly let anyone send (a principal of any account, or any service acting for any account): {policy, sid, line, principal, account, reason}.',
  },
  {
    signature: 'foreignGrants(dyn, list, list): list',
    handler: (r: unknown, org: unknown, trusted: unknown) => foreignAnalysis(asResource(r), org, trusted, null).items,
    description: 'Like foreignGrants(resource, org, trusted, organizationId) with the Organization id unknown.',
  },
  {
    signature: 'foreignGrants(dyn, list, list, dyn): list',
    handler: (r: unknown, org: unknown, trusted: unknown, id: unknown) => foreignAnalysis(asResource(r), org, trusted, id).items,
    description:
      'Sending-authorization statements that certainly let a principal of an account outside own ∪ org ∪ trusted send, or a service acting for such an account (where anyone may, that is publicGrants): {policy, sid, line, principal, account, reason}.',
  },
  {
    signature: 'staleAccessKeys(dyn, dyn, dyn, dyn): list',
    handler: staleKeys,
    description:
      'Active access keys of a user (props.accessKeys) older than maxAgeDays or idle longer than maxIdleDays at the reference time now (ISO string): (resource, now, maxAgeDays, maxIdleDays) → {id, ageDays, idleDays, reason}.',
  },
  {
    signature: 'requireKnownPolicies(dyn): bool',
    handler: (r: unknown) => {
      const resource = asResource(r);
      return requireKnown(resource, defaultScope(resource));
    },
    description:
      'True, or not assessed (NotAssessedError) when whether the principal may send (identities: whether anyone may send) depends on an unknown value.',
  },
  {
    signature: 'requireKnownPolicies(dyn, string): bool',
    handler: (r: unknown, scope: unknown) => requireKnown(asResource(r), scopeOf(scope)),
    description:
      'Like requireKnownPolicies(resource) for one question: "send", "identities" (every identity), "network" (from the Internet), "from" (any From address), "control", "public".',
  },
  {
    signature: 'requireKnownPolicies(dyn, string, list, list): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown) => requireKnown(asResource(r), scopeOf(scope), org, trusted),
    description: 'Like requireKnownPolicies(resource) for "trust" or "foreign", with (org, trusted) accounts and the Organization id unknown.',
  },
  {
    signature: 'requireKnownPolicies(dyn, string, list, list, dyn): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown, id: unknown) => requireKnown(asResource(r), scopeOf(scope), org, trusted, id),
    description: 'Like requireKnownPolicies(resource) for "trust" or "foreign", with (org, trusted) accounts and the Organization id (null when unknown).',
  },
  {
    signature: 'knownPolicies(dyn, string): bool',
    handler: (r: unknown, scope: unknown) => isKnown(asResource(r), scopeOf(scope)),
    description: 'Whether the answer to a question ("send", "identities", "network", "from", "control", "public") is decided; never throws for unknowns.',
  },
  {
    signature: 'knownPolicies(dyn, string, list, list): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown) => isKnown(asResource(r), scopeOf(scope), org, trusted),
    description: 'Whether the answer to "trust" or "foreign" with (org, trusted) accounts is decided.',
  },
  {
    signature: 'knownPolicies(dyn, string, list, list, dyn): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown, id: unknown) => isKnown(asResource(r), scopeOf(scope), org, trusted, id),
    description: 'Whether the answer to "trust" or "foreign" with (org, trusted) accounts and the Organization id is decided.',
  },
];
