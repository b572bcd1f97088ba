// Reference IAM evaluator for the differential tests: decides ONE concrete request against raw policy JSON,
// written from AWS's documentation, independently of src/functions (no code shared):
// - reference_policies_evaluation-logic: an explicit Deny wins; otherwise an Allow allows; otherwise denied.
// - reference_policies_elements_action / _notaction: case-insensitive, `*` and `?` wildcards.
// - reference_policies_elements_resource / _notresource: case-sensitive, `*` and `?` wildcards.
// - reference_policies_elements_principal / _notprincipal: `*`, an account (id or root ARN) for every principal
//   of it, an exact principal ARN, a service name.
// - reference_policies_elements_condition_operators and _condition-single-vs-multi-valued-context-keys:
//   operators, `IfExists`, `Null`, `ForAnyValue:` / `ForAllValues:`, and what a key absent from the request does.
// Only plain values: no Unknowns (the checks reference substitutes them before asking).
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type Json = Record<string, unknown>;

/** Who sends the request: the principal of identity policies (`self`), an AWS principal, or a service. */
export type RefPrincipal = { kind: 'self' } | { kind: 'aws'; account: string; arn: string } | { kind: 'service'; service: string };

export interface RefRequest {
  action: string;
  resource: string;
  principal: RefPrincipal;
  /** Condition keys present in the request (lower-case names) and their values; absent keys are missing. */
  context: Record<string, string[]>;
}

/** The Internet attacker's source address: inside a world-sized range (IPv4 < /8, IPv6 < /16), outside any other. */
export const ATTACKER = 'attacker';

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function field(statement: Json, name: string): unknown {
  for (const [k, v] of Object.entries(statement)) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

const regexCache = new Map<string, RegExp>();

/** `*` = any run of characters, `?` = exactly one. */
export function wildcard(pattern: string, text: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(`^${escape(pattern).replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's');
    regexCache.set(key, re);
  }
  return re.test(text);
}

function principalMatches(spec: unknown, who: RefPrincipal): boolean {
  if (spec === '*') return true;
  if (!spec || typeof spec !== 'object') return false;
  const entries = spec as Json;
  for (const [kind, value] of Object.entries(entries)) {
    for (const entry of list(value)) {
      if (kind.toUpperCase() === 'AWS') {
        if (entry === '*') return true;
        if (who.kind !== 'aws') continue;
        if (entry === who.account || entry === `arn:aws:iam::${who.account}:root` || entry === who.arn) return true;
      } else if (kind.toLowerCase() === 'service') {
        if (who.kind === 'service' && entry.toLowerCase() === who.service.toLowerCase()) return true;
      }
    }
  }
  return false;
}

const containsCache = new Map<string, boolean>();

function cidrContains(cidr: string, address: string): boolean {
  const key = `${cidr} ${address}`;
  let hit = containsCache.get(key);
  if (hit === undefined) containsCache.set(key, (hit = computeContains(cidr, address)));
  return hit;
}

function computeContains(cidr: string, address: string): boolean {
  const [net, maskText] = cidr.split('/');
  if (address === ATTACKER) {
    const version = isIPv4(net) ? 4 : isIPv6(net) ? 6 : 0;
    const mask = maskText === undefined ? (version === 4 ? 32 : 128) : Number(maskText);
    return version === 4 ? mask < 8 : version === 6 ? mask < 16 : false;
  }
  const family = isIPv4(net) ? 'ipv4' : isIPv6(net) ? 'ipv6' : null;
  const addressFamily = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family || family !== addressFamily) return false;
  const blocks = new BlockList();
  blocks.addSubnet(net, maskText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(maskText), family);
  return blocks.check(address, family);
}

function asNumber(text: string, date: boolean): number {
  if (!date) return Number(text);
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

/** Does one request value satisfy the base (non-negated) operator against one policy value? */
function baseMatch(base: string, policyValue: string, requestValue: string): boolean {
  switch (base) {
    case 'stringequals':
      return policyValue === requestValue;
    case 'stringequalsignorecase':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'stringlike':
    case 'arnlike':
    case 'arnequals':
      return wildcard(policyValue, requestValue, false);
    case 'ipaddress':
      return cidrContains(policyValue, requestValue);
    case 'bool':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'numericequals':
      return asNumber(requestValue, false) === asNumber(policyValue, false);
    case 'numericlessthan':
      return asNumber(requestValue, false) < asNumber(policyValue, false);
    case 'numericgreaterthan':
      return asNumber(requestValue, false) > asNumber(policyValue, false);
    case 'datelessthan':
      return asNumber(requestValue, true) < asNumber(policyValue, true);
    case 'dategreaterthan':
      return asNumber(requestValue, true) > asNumber(policyValue, true);
    default:
      throw new Error(`reference evaluator: operator ${base} not implemented`);
  }
}

const NEGATED: Record<string, string> = {
  stringnotequals: 'stringequals',
  stringnotequalsignorecase: 'stringequalsignorecase',
  stringnotlike: 'stringlike',
  arnnotlike: 'arnlike',
  arnnotequals: 'arnequals',
  notipaddress: 'ipaddress',
  numericnotequals: 'numericequals',
};

/** One `Operator: { key: values }` pair against the request. */
function conditionHolds(operator: string, key: string, policyValues: string[], context: Record<string, string[]>): boolean {
  let op = operator.toLowerCase();
  let set: 'any' | 'all' | null = null;
  if (op.startsWith('foranyvalue:')) {
    set = 'any';
    op = op.slice(12);
  } else if (op.startsWith('forallvalues:')) {
    set = 'all';
    op = op.slice(13);
  }
  const present = Object.prototype.hasOwnProperty.call(context, key.toLowerCase());
  const values = present ? context[key.toLowerCase()] : [];
  if (op === 'null') {
    // "true": the key must be absent; "false": present.
    return policyValues.some((v) => (v.toLowerCase() === 'true' ? !present : present));
  }
  let ifExists = false;
  if (op.endsWith('ifexists')) {
    ifExists = true;
    op = op.slice(0, -8);
  }
  const negatedBase = NEGATED[op];
  const base = negatedBase ?? op;
  if (!present) {
    // Missing key: false, except IfExists (true), ForAllValues (true, "no values to fail"), negated operators
    // (true: "the key is not matched") — ForAnyValue has no value that could match (false).
    if (ifExists || set === 'all') return true;
    if (set === 'any') return false;
    return negatedBase !== undefined;
  }
  // One request value: for a positive operator it must match one of the policy values; for a negated one,
  // none of them.
  const one = (requestValue: string): boolean => {
    const matched = policyValues.some((pv) => baseMatch(base, pv, requestValue));
    return negatedBase !== undefined ? !matched : matched;
  };
  if (set === 'all') return values.every(one);
  return values.some(one);
}

/** A statement read once: its parts as predicates, each memoized per input. */
interface Compiled {
  deny: boolean;
  action: (action: string) => boolean;
  resource: (resource: string, kind: 'identity' | 'resource') => boolean;
  principal: (who: RefPrincipal) => boolean;
  conditions: { operator: string; key: string; values: string[] }[];
}

const compiledCache = new WeakMap<Json, Compiled>();

function memoized(test: (text: string) => boolean): (text: string) => boolean {
  const memo = new Map<string, boolean>();
  return (text) => {
    let hit = memo.get(text);
    if (hit === undefined) memo.set(text, (hit = test(text)));
    return hit;
  };
}

function compile(statement: Json): Compiled {
  let hit = compiledCache.get(statement);
  if (hit) return hit;
  const action = field(statement, 'Action');
  const notAction = field(statement, 'NotAction');
  const actionTest = memoized((a) => {
    if (action !== undefined) return list(action).some((p) => wildcard(p, a, true));
    if (notAction !== undefined) return !list(notAction).some((p) => wildcard(p, a, true));
    return false;
  });
  const resource = field(statement, 'Resource');
  const notResource = field(statement, 'NotResource');
  const resourceTest = memoized((r) => {
    if (resource !== undefined) return list(resource).some((p) => wildcard(p, r, false));
    if (notResource !== undefined) return !list(notResource).some((p) => wildcard(p, r, false));
    return true;
  });
  const principal = field(statement, 'Principal');
  const notPrincipal = field(statement, 'NotPrincipal');
  const condition = (field(statement, 'Condition') ?? {}) as Record<string, Record<string, unknown>>;
  hit = {
    deny: String(field(statement, 'Effect')).toLowerCase() === 'deny',
    action: actionTest,
    // No Resource at all: a resource policy's statement is about its resource; an identity policy's is invalid.
    resource: (r, kind) => (resource === undefined && notResource === undefined ? kind === 'resource' : resourceTest(r)),
    principal: (who) => {
      if (principal !== undefined) return principalMatches(principal, who);
      if (notPrincipal !== undefined) return !principalMatches(notPrincipal, who);
      return false;
    },
    conditions: Object.entries(condition).flatMap(([operator, keys]) => Object.entries(keys).map(([key, values]) => ({ operator, key, values: list(values) }))),
  };
  compiledCache.set(statement, hit);
  return hit;
}

/** Action, Resource and Principal of a statement against a request (conditions aside). */
export function appliesIgnoringConditions(statement: Json, request: Omit<RefRequest, 'context'>, kind: 'identity' | 'resource'): boolean {
  const c = compile(statement);
  if (!c.action(request.action) || !c.resource(request.resource, kind)) return false;
  return kind === 'identity' || c.principal(request.principal);
}

/** The statement's Condition against a request context. */
export function conditionsHold(statement: Json, context: Record<string, string[]>): boolean {
  return compile(statement).conditions.every((c) => conditionHolds(c.operator, c.key, c.values, context));
}

function statementApplies(statement: Json, request: RefRequest, kind: 'identity' | 'resource'): boolean {
  return appliesIgnoringConditions(statement, request, kind) && conditionsHold(statement, request.context);
}

/** The statements of documents. */
export function statementsOf(documents: readonly Json[]): Json[] {
  return documents.flatMap((document) => {
    const raw = field(document, 'Statement');
    return (Array.isArray(raw) ? raw : raw ? [raw] : []) as Json[];
  });
}

export function isDeny(statement: Json): boolean {
  return compile(statement).deny;
}

/** Condition keys a statement tests (lower case). */
export function conditionKeysOf(statement: Json): string[] {
  return compile(statement).conditions.map((c) => c.key.toLowerCase());
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Decides a request against the statements of every document (identity policies, or one resource's policies). */
export function decide(documents: readonly Json[], request: RefRequest, kind: 'identity' | 'resource'): Decision {
  let allowed = false;
  for (const statement of statementsOf(documents)) {
    if (!statementApplies(statement, request, kind)) continue;
    if (isDeny(statement)) return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
