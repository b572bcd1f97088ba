// CEL bindings of the IAM statement semantics (src/functions/iam.ts): what checks call on a resource.
// Handlers get the resource as plain values; the list functions return only certain findings, and
// requireKnownPolicies throws NotAssessedError when an answer depends on something unknown, so checks are
// written `!bad && requireKnownPolicies(resource)`: a visible violation fails, a clean-looking but
// incomplete principal is not assessed.
import { NotAssessedError } from '../errors.js';
import type { Maybe, PolicyDocument } from '../inventory/types.js';
import {
  analyzeControlGrants,
  analyzeForeign,
  analyzePublic,
  analyzeSendGrants,
  analyzeTrust,
  staleAccessKeys,
  type AccountScope,
  type Analysis,
  type NamedDocument,
} from './iam.js';
import type { CelFunction } from './types.js';

interface ResourceLike {
  type?: string;
  name?: string;
  provenance?: { account?: string; line?: number };
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

function accountScope(resource: ResourceLike, org: unknown, trusted: unknown): AccountScope & { key: string } {
  const { allowed, key } = allowedAccounts(org, trusted);
  return { own: resource.provenance?.account, allowed, key };
}

// Checks call the same analysis from assert and details: cache it per resource object.
const cache = new WeakMap<object, Map<string, Analysis<unknown>>>();

function cached<T>(resource: ResourceLike, key: string, compute: () => Analysis<T>): Analysis<T> {
  let perResource = cache.get(resource);
  if (!perResource) {
    perResource = new Map();
    cache.set(resource, perResource);
  }
  let hit = perResource.get(key) as Analysis<T> | undefined;
  if (!hit) {
    hit = compute();
    perResource.set(key, hit as Analysis<unknown>);
  }
  return hit;
}

export type Scope = 'send' | 'control' | 'public' | 'trust' | 'foreign';
const SCOPES: readonly Scope[] = ['send', 'control', 'public', 'trust', 'foreign'];

function analysis(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown): Analysis<unknown> {
  const accounts = scope === 'trust' || scope === 'foreign' ? accountScope(resource, org, trusted) : undefined;
  const key = accounts ? `${scope}|${accounts.key}` : scope;
  return cached<unknown>(resource, key, (): Analysis<unknown> => {
    switch (scope) {
      case 'send':
        return analyzeSendGrants(policyDocuments(resource));
      case 'control':
        return analyzeControlGrants(policyDocuments(resource));
      case 'public':
        return analyzePublic(policyDocuments(resource));
      case 'trust':
        return analyzeTrust(trustDocument(resource), accounts!);
      case 'foreign':
        return analyzeForeign(policyDocuments(resource), accounts!);
    }
  });
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

function requireKnown(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown): boolean {
  const { uncertain } = analysis(resource, scope, org, trusted);
  if (uncertain.length > 0) throw new NotAssessedError(`not assessed: ${uncertain.join('; ')}`);
  return true;
}

function isKnown(resource: ResourceLike, scope: Scope, org?: unknown, trusted?: unknown): boolean {
  return analysis(resource, scope, org, trusted).uncertain.length === 0;
}

export const iamFunctions: CelFunction[] = [
  {
    signature: 'sendGrants(dyn): list',
    handler: (r: unknown) => analysis(asResource(r), 'send').items,
    description:
      'Allowing statements of a role/user/group (props.policies) or policy (props.document) that grant a send action after explicit Deny: {policy, sid, line, actions, allIdentities, networkCondition, fromAddressCondition}.',
  },
  {
    signature: 'controlGrants(dyn): list',
    handler: (r: unknown) => analysis(asResource(r), 'control').items,
    description:
      'Statements granting SES account/identity control actions via a wildcard action or on every resource: {policy, sid, line, actions, viaWildcard, onAllResources}.',
  },
  {
    signature: 'trustRisks(dyn, list, list): list',
    handler: (r: unknown, org: unknown, trusted: unknown) => analysis(asResource(r), 'trust', org, trusted).items,
    description:
      'Trust-policy statements of a role letting `*` or an account outside org ∪ trusted ∪ own assume it without sts:ExternalId / aws:PrincipalOrgID: {policy, sid, line, principal, account, reason}.',
  },
  {
    signature: 'publicGrants(dyn): list',
    handler: (r: unknown) => analysis(asResource(r), 'public').items,
    description:
      'Statements of any sending-authorization policy of an identity allowing Principal "*" without an account/organization/source condition: {policy, sid, line, principal, account, reason}.',
  },
  {
    signature: 'foreignGrants(dyn, list, list): list',
    handler: (r: unknown, org: unknown, trusted: unknown) => analysis(asResource(r), 'foreign', org, trusted).items,
    description:
      'Sending-authorization statements allowing an AWS account outside org ∪ trusted ∪ own, or a Service principal without aws:SourceAccount/aws:SourceArn: {policy, sid, line, principal, account, reason}.',
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
      'True, or not assessed (NotAssessedError) when a policy document is Unknown or an unresolved value could change the send analysis (identities: the public-statement analysis).',
  },
  {
    signature: 'requireKnownPolicies(dyn, string): bool',
    handler: (r: unknown, scope: unknown) => requireKnown(asResource(r), scopeOf(scope)),
    description: 'Like requireKnownPolicies(resource) for the scope "send", "control" or "public".',
  },
  {
    signature: 'requireKnownPolicies(dyn, string, list, list): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown) => requireKnown(asResource(r), scopeOf(scope), org, trusted),
    description: 'Like requireKnownPolicies(resource) for the scope "trust" or "foreign", with (org, trusted) accounts.',
  },
  {
    signature: 'knownPolicies(dyn, string): bool',
    handler: (r: unknown, scope: unknown) => isKnown(asResource(r), scopeOf(scope)),
    description: 'Whether the analysis of the scope ("send", "control", "public") is certain; never throws for unknowns.',
  },
  {
    signature: 'knownPolicies(dyn, string, list, list): bool',
    handler: (r: unknown, scope: unknown, org: unknown, trusted: unknown) => isKnown(asResource(r), scopeOf(scope), org, trusted),
    description: 'Whether the analysis of the scope ("trust", "foreign") with (org, trusted) accounts is certain.',
  },
];
