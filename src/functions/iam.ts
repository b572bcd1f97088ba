// IAM semantics for the checks, asked of the statement-evaluation core (iam-eval.ts) as questions about
// requests: may this principal send at all, on every identity, from the Internet, with any From address; may it
// change SES control broadly; may anyone / a named outsider send through an identity's sending-authorization
// policies; may an outsider assume a role. Each answer is a Verdict (yes / no / maybe, with the Unknowns a
// "maybe" depends on) and the statements that make a "yes", for evidence. Pure: no IO, no clock.
//
// Deciding with Unknowns: the core evaluates three-valued (Kleene). When that says "maybe", the elements holding
// the Unknowns it met (an Action / Resource item, a Principal entry, a condition, an unreadable document) are
// each taken to match every request and then none: every question here is monotone in each element (more
// allowed → more found; more denied → less), so the answer of every real filling lies between those corners.
// All corners agree → that answer; otherwise "maybe", naming the Unknowns.
//
// Stable entry point for other modules (CloudTrail detections): `maySend(documents)`.
import { isUnknown, type Maybe, type PolicyDocument, type PolicyStatement } from '../inventory/types.js';
import { normalizePolicyDocument } from '../inventory/policy-document.js';
import { ASSUME_ROLE_ACTION, CONTROL_ACTIONS, SEND_ACTIONS, actionSpec } from './iam-actions.js';
import {
  ANY,
  ANY_FROM,
  ATTACKER,
  PolicySet,
  SELF,
  compileStatements,
  reasonsOf,
  resetReasons,
  type NamedDocument,
  type Requester,
  type Scenario,
  type Stmt,
} from './iam-eval.js';
import { OWN_ACCOUNT, TokenTable, and, or, type Tri } from './iam-match.js';
import { identityKey, memoized, memoizedPlaced, resourceKey, setId } from './iam-memo.js';
import { Requesters, type AccountScope } from './iam-requesters.js';

export type { AccountScope, NamedDocument, Tri };

/** An answer: yes / no / maybe, and when maybe, what it depends on. */
export interface Verdict {
  tri: Tri;
  /** Empty unless `tri` is maybe. */
  reasons: string[];
}

/** Where the principal lives, so that `${AWS::AccountId}` / `${AWS::Partition}` mean its account and partition. */
export interface PrincipalContext {
  account?: string;
  partition?: string;
}

type Forced = ReadonlyMap<string, Tri>;

/** More elements than this holding Unknowns: the corners (2^n evaluations) are not tried. */
const CORNER_ELEMENTS = 4;

interface Settled<T> extends Verdict {
  items: T;
}

/** Answers a question three-valued, then settles a "maybe" at the corners of the elements holding Unknowns. */
function settle<T>(base: PolicySet, make: (forced: Forced) => PolicySet, ask: (set: PolicySet) => { tri: Tri; items: T }, merge: (a: T, b: T) => T): Settled<T> {
  resetReasons(base);
  const first = ask(base);
  if (first.tri !== 'maybe') return { ...first, reasons: [] };
  const reasons = reasonsOf(base);
  const elements = base.elementsOf();
  const undecided: Settled<T> = { tri: 'maybe', reasons, items: first.items };
  if (elements.length === 0 || elements.length > CORNER_ELEMENTS) return undecided;
  let seen: Tri | null = null;
  let items: T | null = null;
  for (let mask = 0; mask < 1 << elements.length; mask++) {
    const set = make(new Map(elements.map((e, i): [string, Tri] => [e, mask & (1 << i) ? 'yes' : 'no'])));
    resetReasons(set);
    const answer = ask(set);
    if (answer.tri === 'maybe' || (seen !== null && answer.tri !== seen)) return undecided;
    seen = answer.tri;
    if (answer.tri === 'yes') items = items === null ? answer.items : merge(items, answer.items);
  }
  return { tri: seen as Tri, reasons: [], items: items ?? first.items };
}

function union<T>(a: Set<T>, b: Set<T>): Set<T> {
  return new Set([...a, ...b]);
}

function place(stmt: Stmt): { policy: string; sid: string; line: number } {
  return { policy: stmt.policy, sid: stmt.sid, line: stmt.line };
}

/** The compiled statements of identity policies, and policy sets over them (optionally with forced elements). */
function identitySets(docs: readonly NamedDocument[], context: PrincipalContext): { base: PolicySet; make: (forced: Forced) => PolicySet } {
  const tokens = new TokenTable(context);
  const statements = compileStatements(docs, tokens);
  const make = (forced?: Forced) => new PolicySet(statements, tokens, 'identity', { partition: context.partition, ...(forced ? { forced } : {}) });
  return { base: make(), make };
}

// ---------------------------------------------------------------------------------------------
// Identity policies: sending

/** An Allow statement through which the principal may send, with what it takes part in. */
export interface SendGrant {
  policy: string;
  sid: string;
  line: number;
  /** Send actions it grants (on some identity, in some request context). */
  actions: string[];
  /** The principal may send on every identity of some region and account, and this statement takes part. */
  allIdentities: boolean;
  /** False when this statement lets a sender on the Internet (any address but narrow ranges) send. */
  networkCondition: boolean;
  /** False when this statement lets the principal send with a From address nobody listed. */
  fromAddressCondition: boolean;
}

export interface SendAnalysis {
  items: SendGrant[];
  /** May the principal use a send action at all? */
  send: Verdict;
  /** …on every identity of some region and account (SESG-IAM-001)? */
  identities: Verdict;
  /** …from the Internet, outside narrow source ranges (SESG-IAM-002)? */
  network: Verdict;
  /** …with any From address (SESG-IAM-003)? */
  from: Verdict;
}

/** Which Allow statements let a send request of the scenario through (not denied), and the overall answer. */
function sendThrough(set: PolicySet, requester: Requester, scenario: Scenario): { tri: Tri; items: Map<Stmt, Set<string>> } {
  let tri: Tri = 'no';
  const items = new Map<Stmt, Set<string>>();
  for (const action of SEND_ACTIONS) {
    const found = set.exists(action, requester, scenario);
    tri = or(tri, found.tri);
    for (const [stmt, t] of found.per) if (t === 'yes') items.set(stmt, new Set([...(items.get(stmt) ?? []), action]));
  }
  return { tri, items };
}

function mergeGrants(a: Map<Stmt, Set<string>>, b: Map<Stmt, Set<string>>): Map<Stmt, Set<string>> {
  const out = new Map(a);
  for (const [stmt, actions] of b) out.set(stmt, union(out.get(stmt) ?? new Set(), actions));
  return out;
}

/** The send questions of SPEC §8 for one principal's policies (or one standalone policy). */
export function analyzeSendGrants(docs: readonly NamedDocument[], context: PrincipalContext = {}): SendAnalysis {
  const asked = identityKey('send', docs, context);
  return memoizedPlaced(asked, () => computeSendGrants(asked.docs, context));
}

function computeSendGrants(docs: readonly NamedDocument[], context: PrincipalContext): SendAnalysis {
  const { base, make } = identitySets(docs, context);
  const strip = ({ tri, reasons }: Verdict): Verdict => ({ tri, reasons });
  const send = settle(base, make, (set) => sendThrough(set, SELF, ANY), mergeGrants);
  const identities = settle(
    base,
    make,
    (set) => {
      let tri: Tri = 'no';
      const items = new Set<Stmt>();
      for (const action of SEND_ACTIONS) {
        const found = set.everywhere(action);
        tri = or(tri, found.tri);
        for (const [stmt, t] of found.per) if (t === 'yes') items.add(stmt);
      }
      return { tri, items };
    },
    union,
  );
  const network = settle(base, make, (set) => sendThrough(set, SELF, ATTACKER), mergeGrants);
  const from = settle(base, make, (set) => sendThrough(set, SELF, ANY_FROM), mergeGrants);

  const items: SendGrant[] = [];
  for (const stmt of base.allows) {
    const actions = send.items.get(stmt);
    const all = identities.tri === 'yes' && identities.items.has(stmt);
    const open = network.tri === 'yes' && network.items.has(stmt);
    const anyFrom = from.tri === 'yes' && from.items.has(stmt);
    if (!(send.tri !== 'no' && actions) && !all && !open && !anyFrom) continue;
    items.push({
      ...place(stmt),
      actions: SEND_ACTIONS.filter((a) => actions?.has(a) || network.items.get(stmt)?.has(a) || from.items.get(stmt)?.has(a)),
      allIdentities: all,
      networkCondition: !open,
      fromAddressCondition: !anyFrom,
    });
  }
  return { items, send: strip(send), identities: strip(identities), network: strip(network), from: strip(from) };
}

/**
 * May a principal with these policy documents use an SES send action at all (on some identity, in some request
 * context)? Documents are normalized PolicyDocuments (or raw policy JSON, text or object), Unknown where not
 * known; an Unknown document may allow anything. Stable entry point for the CloudTrail detections.
 */
export function maySend(documents: readonly unknown[], context: PrincipalContext = {}): Tri {
  const docs: NamedDocument[] = documents.map((raw, i) => ({ name: `policy #${i + 1}`, line: 0, document: asDocument(raw) }));
  const { base, make } = identitySets(docs, context);
  return settle(base, make, (set) => sendThrough(set, SELF, ANY), mergeGrants).tri;
}

function asDocument(raw: unknown): Maybe<PolicyDocument> {
  if (isUnknown(raw)) return raw;
  if (raw && typeof raw === 'object' && Array.isArray((raw as PolicyDocument).statements)) return raw as PolicyDocument;
  return normalizePolicyDocument(raw);
}

// ---------------------------------------------------------------------------------------------
// Identity policies: SES control (SESG-IAM-004)

export interface ControlGrant {
  policy: string;
  sid: string;
  line: number;
  /** Control actions it grants broadly. */
  actions: string[];
  /** Granted through a wildcard action pattern or NotAction. */
  viaWildcard: boolean;
  /** Granted on every resource of the action's type (for account-level actions: on `*`). */
  onAllResources: boolean;
}

export interface ControlAnalysis {
  items: ControlGrant[];
  control: Verdict;
}

interface ControlUse {
  actions: Set<string>;
  viaWildcard: boolean;
  onAllResources: boolean;
}

function controlQuestion(set: PolicySet): { tri: Tri; items: Map<Stmt, ControlUse> } {
  let tri: Tri = 'no';
  const items = new Map<Stmt, ControlUse>();
  const note = (stmt: Stmt, action: string, how: 'viaWildcard' | 'onAllResources'): void => {
    const entry = items.get(stmt) ?? { actions: new Set<string>(), viaWildcard: false, onAllResources: false };
    entry.actions.add(action);
    entry[how] = true;
    items.set(stmt, entry);
  };
  for (const action of CONTROL_ACTIONS) {
    if (!set.allows.some((s) => set.actionTri(s, action) !== 'no')) continue;
    const accountLevel = actionSpec(action).required?.length === 0;
    for (const [stmt, grants] of set.exists(action, SELF, ANY).per) {
      const wildcard = set.viaWildcard(stmt, action);
      const broad = accountLevel ? grants : and(grants, wildcard);
      tri = or(tri, broad);
      if (broad !== 'yes') continue;
      if (wildcard === 'yes') note(stmt, action, 'viaWildcard');
      if (accountLevel) note(stmt, action, 'onAllResources');
    }
    if (!accountLevel) {
      const everywhere = set.everywhere(action);
      tri = or(tri, everywhere.tri);
      for (const [stmt, t] of everywhere.per) if (t === 'yes') note(stmt, action, 'onAllResources');
    }
  }
  return { tri, items };
}

/**
 * SES control actions the principal may use broadly: through a wildcard or NotAction, or on every resource
 * the action takes (`*` for account-level actions; every identity / configuration set of a region otherwise).
 * An action granted only on resources of a type it does not take grants nothing.
 */
export function analyzeControlGrants(docs: readonly NamedDocument[], context: PrincipalContext = {}): ControlAnalysis {
  const asked = identityKey('control', docs, context);
  return memoizedPlaced(asked, () => computeControlGrants(asked.docs, context));
}

function computeControlGrants(docs: readonly NamedDocument[], context: PrincipalContext): ControlAnalysis {
  const { base, make } = identitySets(docs, context);
  const control = settle(base, make, controlQuestion, (a, b) => {
    const out = new Map(a);
    for (const [stmt, use] of b) {
      const prior = out.get(stmt);
      out.set(stmt, prior ? { actions: union(prior.actions, use.actions), viaWildcard: prior.viaWildcard || use.viaWildcard, onAllResources: prior.onAllResources || use.onAllResources } : use);
    }
    return out;
  });
  const items: ControlGrant[] = [];
  if (control.tri === 'yes') {
    for (const stmt of base.allows) {
      const use = control.items.get(stmt);
      if (use) items.push({ ...place(stmt), actions: [...use.actions], viaWildcard: use.viaWildcard, onAllResources: use.onAllResources });
    }
  }
  return { items, control: { tri: control.tri, reasons: control.reasons } };
}

// ---------------------------------------------------------------------------------------------
// Resource policies: sending authorization (SESG-SES-001/002) and role trust (SESG-IAM-006)

export interface PrincipalRisk {
  policy: string;
  sid: string;
  line: number;
  /** The Principal entry that admits it (`*`, `NotPrincipal`, an ARN, a service). */
  principal: string;
  /** The outside account, `*` for any account; empty for service principals. */
  account: string;
  reason: string;
}

export interface RiskAnalysis {
  items: PrincipalRisk[];
  verdict: Verdict;
}

/** The resource a policy is attached to: its ARN (partly unknown in IaC) and its account / partition. */
export interface OwnResource extends PrincipalContext {
  arn: Maybe<string>;
}

function display(value: Maybe<string>): string {
  return isUnknown(value) ? `(unknown: ${value.$unknown})` : value;
}

/** The Principal entry that lets a requester in, for evidence. */
function principalLabel(stmt: Stmt, requester: Requester, set: PolicySet): string {
  const principal = stmt.principal;
  if (!principal) return '(unknown)';
  if (principal.not) return 'NotPrincipal';
  if (principal.spec.any) return '*';
  const [entries, raw] =
    requester.kind === 'service'
      ? [principal.spec.service, principal.raw.service]
      : [principal.spec.aws, principal.raw.aws.filter((v) => v !== '*')];
  const i = entries.findIndex((e) => set.entryTri(e, requester) === 'yes');
  return i >= 0 && raw[i] !== undefined ? display(raw[i]) : '(unknown)';
}

/** For each Allow statement: does it let one of the requesters use one of the actions (not denied)? */
function admits(
  set: PolicySet,
  actions: readonly string[],
  requesters: Requester[],
  reason: (r: Requester) => string,
): { tri: Tri; items: PrincipalRisk[] } {
  let tri: Tri = 'no';
  const items = new Map<string, PrincipalRisk>();
  // Actions no statement tells apart have one answer: ask once per kind.
  const distinct = [...new Set(actions.map((a) => set.representative(a)))];
  for (const requester of requesters) {
    for (const action of distinct) {
      const found = set.exists(action, requester, ANY);
      tri = or(tri, found.tri);
      for (const [stmt, t] of found.per) {
        if (t !== 'yes') continue;
        const item: PrincipalRisk = {
          ...place(stmt),
          principal: principalLabel(stmt, requester, set),
          account: requester.kind === 'service' ? '' : requester.accountLabel,
          reason: reason(requester),
        };
        items.set(riskKey(item), item);
      }
    }
  }
  return { tri, items: [...items.values()] };
}

function riskKey(item: PrincipalRisk): string {
  return `${item.policy}\u0000${item.sid}\u0000${item.line}\u0000${item.principal}\u0000${item.account}`;
}

function mergeRisks(a: PrincipalRisk[], b: PrincipalRisk[]): PrincipalRisk[] {
  const out = new Map(a.map((i) => [riskKey(i), i]));
  for (const i of b) out.set(riskKey(i), i);
  return [...out.values()];
}

/** A question about a resource's policies, with its requesters, settled (once per key, see iam-memo.ts). */
function resourceQuestion(
  question: string,
  docs: readonly NamedDocument[],
  own: OwnResource,
  scope: AccountScope,
  ask: (set: PolicySet, who: Requesters) => { tri: Tri; items: PrincipalRisk[] },
): RiskAnalysis {
  const key = resourceKey(question, docs, own, [scope.own, own.account], `${setId(scope.allowed)}|${scope.organizationId ?? ''}`);
  return memoized(key, () => computeResourceQuestion(docs, own, scope, ask));
}

function computeResourceQuestion(
  docs: readonly NamedDocument[],
  own: OwnResource,
  scope: AccountScope,
  ask: (set: PolicySet, who: Requesters) => { tri: Tri; items: PrincipalRisk[] },
): RiskAnalysis {
  const tokens = new TokenTable(own);
  const statements = compileStatements(docs, tokens);
  // Without an Allow statement (an unreadable document counts as one) nobody is allowed anything.
  if (!statements.some((s) => s.effect === 'Allow')) return { items: [], verdict: { tri: 'no', reasons: [] } };
  const ownResource = tokens.text(own.arn, 'the resource itself');
  const ownAccount = own.account ?? OWN_ACCOUNT;
  const make = (forced?: Forced) =>
    new PolicySet(statements, tokens, 'resource', { partition: own.partition, ownResource, ...(forced ? { forced } : {}) });
  const settled = settle(make(), make, (set) => ask(set, new Requesters(set, scope, ownAccount)), mergeRisks);
  return { items: settled.tri === 'yes' ? settled.items : [], verdict: { tri: settled.tri, reasons: settled.reasons } };
}

const NO_ACCOUNTS: AccountScope = { allowed: new Set() };

/**
 * SESG-SES-001: may *anyone* send through the identity's sending-authorization policies — an AWS principal of
 * any account, or any AWS service acting for any account? Every statement of every policy; Deny statements,
 * actions, resources and conditions are read.
 */
export function analyzePublic(docs: readonly NamedDocument[], own: OwnResource): RiskAnalysis {
  return resourceQuestion('public', docs, own, NO_ACCOUNTS, (set, who) => {
    const aws = admits(set, SEND_ACTIONS, who.anyoneAws(), () => 'any principal, of any account');
    const services = admits(set, SEND_ACTIONS, who.anyoneService(), () => 'any AWS service, acting for any account');
    return { tri: or(aws.tri, services.tri), items: [...aws.items, ...services.items] };
  });
}

/**
 * SESG-SES-002: may a principal of an outside account the policies name send (named as principal, or through a
 * `*` bound to it by a condition — aws:PrincipalAccount / PrincipalArn / PrincipalOrgID of another
 * Organization), or a service the policies name, or any service acting for a named outside account? Anyone at
 * all is SESG-SES-001's finding; both can hold.
 */
export function analyzeForeign(docs: readonly NamedDocument[], scope: AccountScope, own: OwnResource): RiskAnalysis {
  return resourceQuestion('foreign', docs, own, scope, (set, who) => {
    const aws = admits(set, SEND_ACTIONS, who.namedOutsideAws(), () => 'account outside the Organization and trustedAccounts');
    const services = admits(
      set,
      SEND_ACTIONS,
      who.namedOutsideServices(),
      () => 'service acting for an account outside the Organization and trustedAccounts (no binding aws:SourceAccount / aws:SourceArn)',
    );
    return { tri: or(aws.tri, services.tri), items: [...aws.items, ...services.items] };
  });
}

/**
 * SESG-IAM-006 (trust half): may a principal of an account outside ours assume the role? A condition such a
 * principal cannot satisfy binds it; negated operators, `IfExists` and `ForAllValues:` do not.
 */
export function analyzeTrust(trust: NamedDocument, scope: AccountScope, own: OwnResource): RiskAnalysis {
  return resourceQuestion('trust', [trust], own, scope, (set, who) =>
    admits(set, [ASSUME_ROLE_ACTION], who.outsideAws(), (r) =>
      r.accountLabel === '*' ? 'any principal, of any account' : 'account outside the Organization and trustedAccounts',
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Single statements (SCP checks in ses.ts)

/** Does the statement's Action / NotAction cover `action`? */
export function actionStatus(statement: PolicyStatement, action: string): Tri {
  const tokens = new TokenTable();
  const [stmt] = compileStatements([{ name: 'statement', line: 0, document: { statements: [statement] } }], tokens);
  return new PolicySet([stmt], tokens, 'identity').actionTri(stmt, action);
}

interface ConditionEntry {
  /** Operator, lower case, without `ForAnyValue:` / `ForAllValues:` and `IfExists`. */
  op: string;
  key: string;
  values: Maybe<string>[];
}

export function conditionEntries(statement: PolicyStatement): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(statement.condition ?? {})) {
    const op = operator
      .toLowerCase()
      .replace(/^for(anyvalue|allvalues):/, '')
      .replace(/ifexists$/, '');
    for (const [key, values] of Object.entries(keys ?? {})) out.push({ op, key: key.toLowerCase(), values: values ?? [] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Access keys (SESG-IAM-005, live only)

export interface StaleKey {
  id: string;
  ageDays: number;
  idleDays: number;
  reason: string;
}

export interface Analysis<T> {
  items: T[];
  /** Why the answer may be incomplete (empty when it is certain). */
  uncertain: string[];
}

const DAY_MS = 86_400_000;

/**
 * Active access keys older than `maxAgeDays` or unused for `maxIdleDays`, measured against `now` (the
 * scan's reference time, passed in so that evaluation stays clock-free and reproducible). A key never
 * used is idle since its creation.
 */
export function staleAccessKeys(
  keys: { id: string; status: string; createdAt?: unknown; lastUsedAt?: unknown }[],
  now: string,
  maxAgeDays: number,
  maxIdleDays: number,
): Analysis<StaleKey> {
  const reference = Date.parse(now);
  if (Number.isNaN(reference)) return { items: [], uncertain: [`reference time ${JSON.stringify(now)} is not a date`] };
  const items: StaleKey[] = [];
  const uncertain: string[] = [];
  for (const key of keys) {
    if (key.status !== 'Active') continue;
    const created = typeof key.createdAt === 'string' ? Date.parse(key.createdAt) : NaN;
    const used = typeof key.lastUsedAt === 'string' ? Date.parse(key.lastUsedAt) : created;
    if (Number.isNaN(created) || Number.isNaN(used)) {
      uncertain.push(`access key ${key.id}: creation or last-use date unknown`);
      continue;
    }
    const ageDays = Math.floor((reference - created) / DAY_MS);
    const idleDays = Math.floor((reference - used) / DAY_MS);
    const reasons: string[] = [];
    if (ageDays > maxAgeDays) reasons.push(`${ageDays} days old`);
    if (idleDays > maxIdleDays) reasons.push(key.lastUsedAt ? `unused for ${idleDays} days` : `never used in ${idleDays} days`);
    if (reasons.length > 0) items.push({ id: key.id, ageDays, idleDays, reason: reasons.join(', ') });
  }
  return { items, uncertain };
}
