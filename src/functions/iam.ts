// IAM statement semantics over the normalized PolicyStatement (src/inventory/types.ts): which statements
// grant SES send / control actions after explicit Deny, with which network and From-address limits; which
// trust-policy statements let outsiders assume a role; which sending-authorization statements are public or
// foreign. Pure: no IO, no clock.
//
// Unknown values (markers, unresolved `${…}` in actions) are answered three-valued: yes / no / maybe.
// Only certain findings are returned; every "maybe" that could change an answer is recorded in
// `uncertain`, and the CEL layer turns it into NotAssessedError when no certain violation is visible.
import {
  isUnknown,
  type Maybe,
  type PolicyDocument,
  type PolicyStatement,
  type Principal,
} from '../inventory/types.js';
import { ASSUME_ROLE_ACTION, CONTROL_ACTIONS, SEND_ACTIONS, globMatch, hasWildcard, patternCovers } from './iam-actions.js';

export type Tri = 'yes' | 'no' | 'maybe';

function anyTri(values: Iterable<Tri>): Tri {
  let maybe = false;
  for (const v of values) {
    if (v === 'yes') return 'yes';
    if (v === 'maybe') maybe = true;
  }
  return maybe ? 'maybe' : 'no';
}

/** A policy document with the name and line findings should carry. */
export interface NamedDocument {
  name: string;
  line: number;
  document: Maybe<PolicyDocument>;
}

/** Placeholders `${…}` left in a string the source could not resolve. */
const PLACEHOLDER = /\$\{[^}]*\}/g;

function isOpaque(item: Maybe<string>): boolean {
  return isUnknown(item) || (typeof item === 'string' && item.includes('${'));
}

// ---------------------------------------------------------------------------------------------
// Actions

/** Does the statement's Action / NotAction cover `action`? */
export function actionStatus(statement: PolicyStatement, action: string): Tri {
  if (statement.action) {
    let maybe = false;
    for (const item of statement.action) {
      if (isOpaque(item)) maybe = true;
      else if (patternCovers(item as string, action)) return 'yes';
    }
    return maybe ? 'maybe' : 'no';
  }
  if (statement.notAction) {
    // NotAction grants every action it does not list.
    let maybe = false;
    for (const item of statement.notAction) {
      if (isOpaque(item)) maybe = true;
      else if (patternCovers(item as string, action)) return 'no';
    }
    return maybe ? 'maybe' : 'yes';
  }
  return 'no';
}

/** True when the statement reaches `action` only through a wildcard pattern or NotAction. */
export function viaWildcard(statement: PolicyStatement, action: string): boolean {
  if (statement.notAction) return true;
  return (statement.action ?? []).some(
    (item) => typeof item === 'string' && hasWildcard(item) && patternCovers(item, action),
  );
}

// ---------------------------------------------------------------------------------------------
// Resources (SES identities)

export interface IdentityScope {
  /** Could the statement apply to some SES identity? */
  touches: Tri;
  /** Does it apply to every identity? */
  all: Tri;
}

const SAMPLE_ACCOUNT = '111111111111';

/** One Resource item against the SES identity space. */
export function resourceItemScope(item: Maybe<string>): IdentityScope {
  if (isUnknown(item)) return { touches: 'maybe', all: 'maybe' };
  // An unresolved `${…}` stands for one concrete value (a parameter, a pseudo parameter such as
  // ${AWS::Region}/${AWS::AccountId}), never a wildcard.
  const text = item.replace(PLACEHOLDER, 'x');
  if (text === '*') return { touches: 'yes', all: 'yes' };
  const parts = text.split(':');
  if (parts.length < 6) {
    // Not a full ARN: only a trailing-wildcard pattern like `arn:*` can reach identities.
    const all = text.endsWith('*') && globMatch(text, `arn:aws:ses:us-east-1:${SAMPLE_ACCOUNT}:identity/`);
    return { touches: all ? 'yes' : 'no', all: all ? 'yes' : 'no' };
  }
  if (!globMatch(parts[0], 'arn') || !globMatch(parts[2], 'ses', true)) return { touches: 'no', all: 'no' };
  const rest = parts.slice(5).join(':');
  const firstWild = rest.search(/[*?]/);
  const literal = firstWild === -1 ? rest : rest.slice(0, firstWild);
  const touches = literal.startsWith('identity/') || 'identity/'.startsWith(literal);
  const all = rest.endsWith('*') && globMatch(rest, 'identity/');
  return { touches: touches ? 'yes' : 'no', all: all ? 'yes' : 'no' };
}

/** Resource / NotResource of a statement against the identity space. NotResource covers every identity (SPEC §8). */
export function identityScope(statement: PolicyStatement): IdentityScope {
  if (statement.notResource) return { touches: 'yes', all: 'yes' };
  if (!statement.resource) return { touches: 'no', all: 'no' };
  const scopes = statement.resource.map(resourceItemScope);
  return { touches: anyTri(scopes.map((s) => s.touches)), all: anyTri(scopes.map((s) => s.all)) };
}

/** True when the statement's resources include `*` itself (any service, any resource). */
function onEverything(statement: PolicyStatement): Tri {
  if (statement.notResource) return 'yes';
  return anyTri(
    (statement.resource ?? []).map((item): Tri => {
      if (isUnknown(item)) return 'maybe';
      const text = item.replace(PLACEHOLDER, 'x');
      if (text === '*') return 'yes';
      const parts = text.split(':');
      return parts.length >= 6 && parts.slice(5).join(':') === '*' && globMatch(parts[2], 'ses', true) ? 'yes' : 'no';
    }),
  );
}

/** Does an (unconditional) Deny's Resource cover everything the Allow reaches in the identity space? */
export function denyCovers(deny: PolicyStatement, allow: PolicyStatement): Tri {
  // NotResource Denies are handled by the caller (they narrow the grant); no Resource at all is invalid.
  if (!deny.resource) return 'no';
  const denyAll = anyTri(deny.resource.map((item) => resourceItemScope(item).all));
  if (denyAll === 'yes') return 'yes';
  if (allow.notResource || !allow.resource) return denyAll;
  const perItem = allow.resource
    .filter((item) => resourceItemScope(item).touches !== 'no')
    .map((item): Tri => {
      if (isUnknown(item)) return 'maybe';
      let maybe = false;
      for (const d of deny.resource ?? []) {
        if (isUnknown(d)) maybe = true;
        // The allow item is taken literally: a `*` in it is only covered by a `*` in the deny pattern.
        else if (globMatch(d, item)) return 'yes';
      }
      return maybe ? 'maybe' : 'no';
    });
  if (perItem.includes('no')) return denyAll === 'maybe' ? 'maybe' : 'no';
  if (perItem.includes('maybe')) return 'maybe';
  return 'yes';
}

// ---------------------------------------------------------------------------------------------
// Conditions

interface ConditionEntry {
  /** Operator, lower case, without `ForAnyValue:`/`ForAllValues:` and `IfExists`. */
  op: string;
  key: string;
  values: Maybe<string>[];
}

export function conditionEntries(statement: PolicyStatement): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const [operator, keys] of Object.entries(statement.condition ?? {})) {
    const op = operator
      .toLowerCase()
      .replace(/^for(any|all)values:/, '')
      .replace(/ifexists$/, '');
    for (const [key, values] of Object.entries(keys ?? {})) out.push({ op, key: key.toLowerCase(), values: values ?? [] });
  }
  return out;
}

const WORLD_CIDRS = new Set(['0.0.0.0/0', '::/0', '::0/0']);
const IP_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);
const VPC_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc']);
const POSITIVE_STRING_OPS = new Set(['stringequals', 'stringlike', 'stringequalsignorecase', 'arnequals', 'arnlike']);
const NEGATIVE_STRING_OPS = new Set(['stringnotequals', 'stringnotlike', 'stringnotequalsignorecase', 'arnnotequals', 'arnnotlike']);

/** Only wildcards (and `@`): matches any value, so it restricts nothing. */
function isWideValue(value: string): boolean {
  return value.replace(/[*?@]/g, '') === '';
}

/** Values that restrict: non-empty, none matching everything. Unknown values make it maybe. */
function restrictiveValues(values: Maybe<string>[], wide: (v: string) => boolean): Tri {
  if (values.length === 0) return 'no';
  if (values.some((v) => typeof v === 'string' && wide(v))) return 'no';
  return values.some(isUnknown) ? 'maybe' : 'yes';
}

function isWorld(cidr: string): boolean {
  return WORLD_CIDRS.has(cidr.trim());
}

/** An Allow condition entry that limits the caller's network. */
function allowNetworkEntry(entry: ConditionEntry): Tri {
  if (IP_KEYS.has(entry.key) && entry.op === 'ipaddress') return restrictiveValues(entry.values, isWorld);
  if (VPC_KEYS.has(entry.key) && POSITIVE_STRING_OPS.has(entry.op)) return restrictiveValues(entry.values, isWideValue);
  return 'no';
}

/** A Deny condition entry that denies calls from outside a network (so the Allow becomes network-bound). */
function denyNetworkEntry(entry: ConditionEntry): Tri {
  if (IP_KEYS.has(entry.key) && entry.op === 'notipaddress') return restrictiveValues(entry.values, isWorld);
  if (VPC_KEYS.has(entry.key) && NEGATIVE_STRING_OPS.has(entry.op)) return restrictiveValues(entry.values, isWideValue);
  // Deny when no VPC endpoint/VPC is present at all.
  if (VPC_KEYS.has(entry.key) && entry.op === 'null') {
    if (entry.values.some(isUnknown)) return 'maybe';
    return entry.values.some((v) => typeof v === 'string' && v.toLowerCase() === 'true') ? 'yes' : 'no';
  }
  return 'no';
}

function allowFromEntry(entry: ConditionEntry): Tri {
  if (entry.key !== 'ses:fromaddress' || !POSITIVE_STRING_OPS.has(entry.op)) return 'no';
  return restrictiveValues(entry.values, isWideValue);
}

function denyFromEntry(entry: ConditionEntry): Tri {
  if (entry.key !== 'ses:fromaddress' || !NEGATIVE_STRING_OPS.has(entry.op)) return 'no';
  return restrictiveValues(entry.values, isWideValue);
}

/** Does an Allow statement carry a network condition (SPEC SESG-IAM-002)? */
export function hasNetworkCondition(statement: PolicyStatement): Tri {
  return anyTri(conditionEntries(statement).map(allowNetworkEntry));
}

/** Does an Allow statement carry an `ses:FromAddress` condition narrower than `*` (SESG-IAM-003)? */
export function hasFromAddressCondition(statement: PolicyStatement): Tri {
  return anyTri(conditionEntries(statement).map(allowFromEntry));
}

/** What a Deny does when it applies: always, only outside a network, only for other From addresses. */
export type DenyKind = 'unconditional' | 'network' | 'from' | 'other' | 'maybe';

export function denyKind(statement: PolicyStatement): DenyKind {
  const entries = conditionEntries(statement);
  if (entries.length === 0) return 'unconditional';
  // Every entry must hold for the Deny to apply, so it restricts only when all entries are of one kind.
  for (const [kind, test] of [
    ['network', denyNetworkEntry],
    ['from', denyFromEntry],
  ] as const) {
    const results = entries.map(test);
    if (results.every((r) => r === 'yes')) return kind;
    if (results.every((r) => r !== 'no')) return 'maybe';
  }
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Grants through identity policies (roles, users, groups, standalone policies)

export interface SendGrant {
  policy: string;
  sid: string;
  line: number;
  actions: string[];
  allIdentities: boolean;
  networkCondition: boolean;
  fromAddressCondition: boolean;
}

export interface ControlGrant {
  policy: string;
  sid: string;
  line: number;
  actions: string[];
  viaWildcard: boolean;
  onAllResources: boolean;
}

export interface Analysis<T> {
  items: T[];
  /** Why the answer may be incomplete (empty when it is certain). */
  uncertain: string[];
}

interface Located {
  doc: NamedDocument;
  statement: PolicyStatement;
}

function where(doc: NamedDocument, statement: PolicyStatement): string {
  return statement.sid ? `${doc.name} (statement ${statement.sid})` : doc.name;
}

function lineOf(doc: NamedDocument, statement: PolicyStatement): number {
  return statement.line ?? doc.line ?? 0;
}

function knownStatements(docs: NamedDocument[], uncertain: string[]): Located[] {
  const out: Located[] = [];
  for (const doc of docs) {
    if (isUnknown(doc.document)) {
      uncertain.push(`policy ${doc.name}: ${doc.document.$unknown}`);
      continue;
    }
    for (const statement of doc.document?.statements ?? []) out.push({ doc, statement });
  }
  return out;
}

interface ActionVerdict {
  action: string;
  /** Allowed and not removed by an unconditional Deny. */
  granted: Tri;
  networkDenied: Tri;
  fromDenied: Tri;
  narrowed: Tri;
}

/** Applies every Deny of the principal to one allowed action of one Allow statement. */
function judge(allow: PolicyStatement, action: string, denies: PolicyStatement[]): ActionVerdict {
  const verdict: ActionVerdict = { action, granted: actionStatus(allow, action), networkDenied: 'no', fromDenied: 'no', narrowed: 'no' };
  if (verdict.granted === 'no') return verdict;
  for (const deny of denies) {
    const matches = actionStatus(deny, action);
    if (matches === 'no') continue;
    const kind = denyKind(deny);
    if (kind === 'other') continue;
    if (deny.notResource && kind === 'unconditional') {
      // Deny everything except the listed resources: the grant survives but no longer covers every identity.
      verdict.narrowed = matches === 'yes' ? 'yes' : verdict.narrowed === 'yes' ? 'yes' : 'maybe';
      continue;
    }
    const covers = denyCovers(deny, allow);
    if (covers === 'no') continue;
    const applies: Tri = matches === 'yes' && covers === 'yes' && kind !== 'maybe' ? 'yes' : 'maybe';
    const bump = (current: Tri): Tri => (current === 'yes' || applies === 'yes' ? 'yes' : 'maybe');
    if (kind === 'unconditional') {
      if (applies === 'yes') verdict.granted = 'no';
      else if (verdict.granted === 'yes') verdict.granted = 'maybe';
    } else if (kind === 'network') verdict.networkDenied = bump(verdict.networkDenied);
    else if (kind === 'from') verdict.fromDenied = bump(verdict.fromDenied);
    else if (verdict.granted === 'yes') verdict.granted = 'maybe';
    if (verdict.granted === 'no') break;
  }
  return verdict;
}

/** Combines a statement-level Tri with per-action deny Tris: restricted if the Allow says so, or every action is. */
function restricted(fromAllow: Tri, perAction: Tri[]): Tri {
  if (fromAllow === 'yes') return 'yes';
  const all: Tri = perAction.every((t) => t === 'yes') ? 'yes' : perAction.some((t) => t === 'no') ? 'no' : 'maybe';
  if (all === 'yes') return 'yes';
  return fromAllow === 'maybe' || all === 'maybe' ? 'maybe' : 'no';
}

/** Statements that grant a send action (SPEC §8), after explicit Deny, with their limits. */
export function analyzeSendGrants(docs: NamedDocument[]): Analysis<SendGrant> {
  const uncertain: string[] = [];
  const statements = knownStatements(docs, uncertain);
  const denies = statements.filter((s) => s.statement.effect === 'Deny').map((s) => s.statement);
  const items: SendGrant[] = [];
  for (const { doc, statement } of statements) {
    if (statement.effect !== 'Allow') continue;
    const scope = identityScope(statement);
    if (scope.touches === 'no') continue;
    const verdicts = SEND_ACTIONS.map((a) => judge(statement, a, denies)).filter((v) => v.granted !== 'no');
    if (verdicts.length === 0) continue;
    const place = where(doc, statement);
    const certain = verdicts.filter((v) => v.granted === 'yes');
    if (certain.length < verdicts.length || scope.touches === 'maybe') {
      uncertain.push(`${place}: whether it grants ${verdicts.filter((v) => v.granted !== 'yes').map((v) => v.action).join(', ') || 'send actions'} depends on unresolved values`);
    }
    if (certain.length === 0 || scope.touches !== 'yes') continue;
    const narrowed = certain.every((v) => v.narrowed === 'yes') ? 'yes' : certain.some((v) => v.narrowed === 'maybe' || v.narrowed === 'yes') ? 'maybe' : 'no';
    const all: Tri = scope.all === 'yes' ? (narrowed === 'yes' ? 'no' : narrowed === 'maybe' ? 'maybe' : 'yes') : scope.all;
    const network = restricted(hasNetworkCondition(statement), certain.map((v) => v.networkDenied));
    const from = restricted(hasFromAddressCondition(statement), certain.map((v) => v.fromDenied));
    const open = [all, network, from].includes('maybe');
    if (open) {
      uncertain.push(`${place}: its resource scope or conditions depend on unresolved values`);
      continue;
    }
    items.push({
      policy: doc.name,
      sid: statement.sid ?? '',
      line: lineOf(doc, statement),
      actions: certain.map((v) => v.action),
      allIdentities: all === 'yes',
      networkCondition: network === 'yes',
      fromAddressCondition: from === 'yes',
    });
  }
  return { items, uncertain };
}

/** Statements that grant SES control actions (SESG-IAM-004) through a wildcard action or on `*`. */
export function analyzeControlGrants(docs: NamedDocument[]): Analysis<ControlGrant> {
  const uncertain: string[] = [];
  const statements = knownStatements(docs, uncertain);
  const denies = statements.filter((s) => s.statement.effect === 'Deny').map((s) => s.statement);
  const items: ControlGrant[] = [];
  for (const { doc, statement } of statements) {
    if (statement.effect !== 'Allow') continue;
    const touches = identityScopeOrAccount(statement);
    if (touches === 'no') continue;
    const verdicts = CONTROL_ACTIONS.map((a) => judge(statement, a, denies)).filter((v) => v.granted !== 'no');
    if (verdicts.length === 0) continue;
    const certain = verdicts.filter((v) => v.granted === 'yes');
    const wildcard = certain.some((v) => viaWildcard(statement, v.action));
    const everything = onEverything(statement);
    const allIds = identityScope(statement).all;
    const onAll = anyTri([everything, allIds]);
    if (certain.length < verdicts.length || touches === 'maybe' || (!wildcard && onAll === 'maybe')) {
      uncertain.push(`${where(doc, statement)}: whether it grants SES control actions broadly depends on unresolved values`);
    }
    if (certain.length === 0 || touches !== 'yes') continue;
    if (!wildcard && onAll !== 'yes') continue;
    items.push({
      policy: doc.name,
      sid: statement.sid ?? '',
      line: lineOf(doc, statement),
      actions: certain.map((v) => v.action),
      viaWildcard: wildcard,
      onAllResources: onAll === 'yes',
    });
  }
  return { items, uncertain };
}

/** Control actions include account-level ones, whose only resource is `*`: any SES ARN or `*` counts. */
function identityScopeOrAccount(statement: PolicyStatement): Tri {
  if (statement.notResource) return 'yes';
  return anyTri(
    (statement.resource ?? []).map((item): Tri => {
      if (isUnknown(item)) return 'maybe';
      const text = item.replace(PLACEHOLDER, 'x');
      if (text === '*') return 'yes';
      const parts = text.split(':');
      if (parts.length < 6) return text.endsWith('*') && globMatch(text, 'arn:aws:ses:') ? 'yes' : 'no';
      return globMatch(parts[2], 'ses', true) ? 'yes' : 'no';
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Principals and accounts

const ACCOUNT_ID = /^\d{12}$/;
const OWN_ACCOUNT = /^\$\{AWS::AccountId\}$/;
const PRINCIPAL_ARN = /^arn:[^:]+:(?:iam|sts)::([^:]+):/;
/** Unique ids (AIDA…, AROA…) that live IAM shows for deleted principals: nobody can use them. */
const UNIQUE_ID = /^A[A-Z0-9]{15,}$/;

export type AccountOf = { kind: 'account'; account: string } | { kind: 'own' } | { kind: 'any' } | { kind: 'none' } | { kind: 'unknown' };

/** The account an AWS principal value stands for. */
export function principalAccount(value: Maybe<string>): AccountOf {
  if (isUnknown(value)) return { kind: 'unknown' };
  const text = value.trim();
  if (text === '*') return { kind: 'any' };
  if (ACCOUNT_ID.test(text)) return { kind: 'account', account: text };
  if (OWN_ACCOUNT.test(text)) return { kind: 'own' };
  // Pseudo parameters hold colons themselves: replace them before splitting the ARN.
  const arn = PRINCIPAL_ARN.exec(text.replace(/\$\{AWS::Partition\}/g, 'aws').replace(/\$\{AWS::AccountId\}/g, 'SELF'));
  if (arn) {
    if (ACCOUNT_ID.test(arn[1])) return { kind: 'account', account: arn[1] };
    if (arn[1] === 'SELF') return { kind: 'own' };
    return { kind: 'unknown' };
  }
  if (UNIQUE_ID.test(text)) return { kind: 'none' };
  return { kind: 'unknown' };
}

/** Accounts a principal may belong to without being an outsider. */
export interface AccountScope {
  own?: string;
  allowed: ReadonlySet<string>;
}

function isInside(account: AccountOf, scope: AccountScope): boolean {
  if (account.kind === 'own' || account.kind === 'none') return true;
  if (account.kind === 'account') return account.account === scope.own || scope.allowed.has(account.account);
  return false;
}

function hasConditionKey(statement: PolicyStatement, keys: readonly string[]): boolean {
  return conditionEntries(statement).some(
    (e) => keys.includes(e.key) && !e.values.every((v) => typeof v === 'string' && isWideValue(v)),
  );
}

function principalLabel(value: Maybe<string>): string {
  return isUnknown(value) ? `(unknown: ${value.$unknown})` : value;
}

export interface PrincipalRisk {
  policy: string;
  sid: string;
  line: number;
  principal: string;
  /** The outside account, or `*`; empty for Service principals. */
  account: string;
  reason: string;
}

/** AWS principals of a statement that are outsiders: `*`, NotPrincipal, or an account outside the scope. */
function outsiders(statement: PolicyStatement, scope: AccountScope): { found: { principal: string; account: string; reason: string }[]; maybe: boolean } {
  const found: { principal: string; account: string; reason: string }[] = [];
  let maybe = false;
  if (statement.notPrincipal) {
    found.push({ principal: 'NotPrincipal', account: '*', reason: 'NotPrincipal allows everyone not listed' });
    return { found, maybe };
  }
  const principal: Principal | undefined = statement.principal;
  if (!principal) return { found, maybe };
  if (principal.wildcard) {
    found.push({ principal: '*', account: '*', reason: 'any principal' });
    return { found, maybe };
  }
  for (const value of principal.aws ?? []) {
    const account = principalAccount(value);
    if (account.kind === 'unknown') maybe = true;
    else if (account.kind === 'any') found.push({ principal: '*', account: '*', reason: 'any principal' });
    else if (!isInside(account, scope) && account.kind === 'account') {
      found.push({ principal: principalLabel(value), account: account.account, reason: 'account outside the Organization and trustedAccounts' });
    }
  }
  return { found, maybe };
}

const TRUST_GUARDS = ['sts:externalid', 'aws:principalorgid'];

/** Trust-policy statements that let outsiders assume the role (SESG-IAM-006). */
export function analyzeTrust(trust: NamedDocument, scope: AccountScope): Analysis<PrincipalRisk> {
  const uncertain: string[] = [];
  const items: PrincipalRisk[] = [];
  for (const { doc, statement } of knownStatements([trust], uncertain)) {
    if (statement.effect !== 'Allow') continue;
    const assume = actionStatus(statement, ASSUME_ROLE_ACTION);
    if (assume === 'no' || hasConditionKey(statement, TRUST_GUARDS)) continue;
    const { found, maybe } = outsiders(statement, scope);
    if (maybe || (assume === 'maybe' && found.length > 0)) {
      uncertain.push(`${where(doc, statement)}: principal or action depends on unresolved values`);
    }
    if (assume !== 'yes') continue;
    for (const f of found) items.push({ policy: doc.name, sid: statement.sid ?? '', line: lineOf(doc, statement), ...f });
  }
  return { items, uncertain };
}

const PUBLIC_GUARDS = ['aws:principalorgid', 'aws:principalaccount', 'aws:sourceaccount', 'aws:sourcearn', 'aws:principalarn'];
const SERVICE_GUARDS = ['aws:sourceaccount', 'aws:sourcearn'];

/** Sending-authorization statements open to everyone (SESG-SES-001). Every statement of every policy. */
export function analyzePublic(docs: NamedDocument[]): Analysis<PrincipalRisk> {
  const uncertain: string[] = [];
  const items: PrincipalRisk[] = [];
  for (const { doc, statement } of knownStatements(docs, uncertain)) {
    if (statement.effect !== 'Allow' || hasConditionKey(statement, PUBLIC_GUARDS)) continue;
    const isPublic = Boolean(statement.notPrincipal) || Boolean(statement.principal?.wildcard);
    if (isPublic) {
      items.push({
        policy: doc.name,
        sid: statement.sid ?? '',
        line: lineOf(doc, statement),
        principal: statement.notPrincipal ? 'NotPrincipal' : '*',
        account: '*',
        reason: 'any principal without an account, organization or source condition',
      });
    } else if (statement.principal?.aws?.some(isUnknown)) {
      uncertain.push(`${where(doc, statement)}: principal depends on unresolved values`);
    }
  }
  return { items, uncertain };
}

/** Sending-authorization statements that admit outside accounts or unconditioned services (SESG-SES-002). */
export function analyzeForeign(docs: NamedDocument[], scope: AccountScope): Analysis<PrincipalRisk> {
  const uncertain: string[] = [];
  const items: PrincipalRisk[] = [];
  for (const { doc, statement } of knownStatements(docs, uncertain)) {
    if (statement.effect !== 'Allow' || !statement.principal) continue;
    const base = { policy: doc.name, sid: statement.sid ?? '', line: lineOf(doc, statement) };
    let maybe = false;
    for (const value of statement.principal.aws ?? []) {
      const account = principalAccount(value);
      if (account.kind === 'unknown') maybe = true;
      // `*` is SESG-SES-001's business.
      else if (account.kind === 'account' && !isInside(account, scope)) {
        items.push({ ...base, principal: principalLabel(value), account: account.account, reason: 'account outside the Organization and trustedAccounts' });
      }
    }
    if (!hasConditionKey(statement, SERVICE_GUARDS)) {
      for (const value of statement.principal.service ?? []) {
        if (isUnknown(value)) maybe = true;
        else items.push({ ...base, principal: value, account: '', reason: 'service principal without aws:SourceAccount or aws:SourceArn' });
      }
    }
    if (maybe) uncertain.push(`${where(doc, statement)}: principal depends on unresolved values`);
  }
  return { items, uncertain };
}

// ---------------------------------------------------------------------------------------------
// Access keys (SESG-IAM-005, live only)

export interface StaleKey {
  id: string;
  ageDays: number;
  idleDays: number;
  reason: string;
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
