// The statement-evaluation core: given a principal's identity policies, or a resource's policy (sending
// authorization, role trust), may a request be allowed — and for which requests? A request is an action, the
// resources it is authorized against (one per resource type the action requires, per the Service Authorization
// Reference via iam-data), the requester (the principal itself, an AWS principal of some account, or an AWS
// service acting for some account) and a request context (condition keys). The decision is IAM's: allowed when
// some Allow statement matches and no Deny does (reference_policies_evaluation-logic).
//
// Questions quantify over requests: "is there a send request on some identity, from the Internet, allowed?".
// They are answered by evaluating *witness* requests: the values the policies themselves name (instances of
// their patterns, with wildcards filled by characters no policy contains), plus fresh values nobody named. Two
// requests that no statement tells apart get the same answer, so the witnesses stand for every request.
//
// Three-valued throughout: unknown policy text is token text (iam-match.ts) and every answer is yes / no /
// maybe; `maybe` only when an Unknown could change it. A document (or statement) that could not be read at all
// counts as one that may allow anything and denies nothing: a violation visible in the rest stays certain.
// Pure: no IO.
import { isUnknown, type Maybe, type PolicyDocument, type PolicyStatement, type Principal } from '../inventory/types.js';
import { actionSpec, type ActionSpec, type ResourceTypeSpec } from './iam-actions.js';
import { MULTIVALUED_KEYS, evaluateAtom, nextAtomId, parseOperator, valueWitnesses, type ConditionAtom } from './iam-conditions.js';
import {
  ATTACKER_IP,
  FRESH,
  FRESH_RUN,
  TokenTable,
  and,
  hasTokens,
  instance,
  isLoneHole,
  matchTri,
  mayHaveWildcard,
  not,
  or,
  overlapWitness,
  type Tri,
} from './iam-match.js';

/** A policy document with the name and line findings should carry. */
export interface NamedDocument {
  name: string;
  line: number;
  document: Maybe<PolicyDocument>;
}

interface Items {
  not: boolean;
  /** Token text. */
  items: string[];
}

interface CompiledPrincipal {
  any: boolean;
  aws: string[];
  service: string[];
}

/** A statement ready for evaluation. */
export interface Stmt {
  effect: 'Allow' | 'Deny';
  policy: string;
  sid: string;
  line: number;
  /** Policy and statement, for reasons. */
  where: string;
  action: Items | null;
  resource: Items | null;
  principal: { not: boolean; spec: CompiledPrincipal; raw: Principal } | null;
  atoms: ConditionAtom[];
  /** Set for a document or statement that could not be read: it may allow anything. */
  unknown?: string;
  /** Position among the compiled statements (element names). */
  id: number;
}

/** Who sends the request. */
export interface Requester {
  kind: 'self' | 'aws' | 'service';
  /** AWS principal: its account; service: the account it acts for. Token text. */
  account: string;
  /** AWS principal: its ARN. */
  arn: string;
  /** Service principal name. */
  service: string;
  /** Does a requester of this description exist among those asked about (e.g. "outside")? */
  weight: Tri;
  /** Condition keys whose values follow from who the requester is. */
  keys: Map<string, (string[] | undefined)[]>;
  /** For findings: the account, or `*` for one nobody named. */
  accountLabel: string;
  /**
   * Accounts this requester's account is known not to be (ours, when it stands for "the outside account an
   * unknown value names"): a Principal entry naming one of them does not name it.
   */
  notAccounts?: ReadonlySet<string>;
  /** Unknown text (tokens) taken to have a value for this requester (the outside account it stands for). */
  substitute?: ReadonlyMap<string, string>;
}

/** Which request contexts a question ranges over. */
export interface Scenario {
  /** `attacker`: from the Internet (no VPC keys), from an address inside world-sized ranges only. */
  network: 'any' | 'attacker';
  /** `fresh`: with a From address nobody named in a condition. */
  from: 'any' | 'fresh';
}

export const ANY: Scenario = { network: 'any', from: 'any' };
export const ATTACKER: Scenario = { network: 'attacker', from: 'any' };
export const ANY_FROM: Scenario = { network: 'any', from: 'fresh' };

export const SELF: Requester = { kind: 'self', account: '', arn: '', service: '', weight: 'yes', keys: new Map(), accountLabel: '' };

/** Result of a search: the answer, and per Allow statement whether requests are allowed through it. */
export interface Found {
  tri: Tri;
  per: Map<Stmt, Tri>;
}

const NO: Found = { tri: 'no', per: new Map() };

/** The account a Principal entry names: an account id, or the account segment of an IAM / STS ARN. */
const ACCOUNT_OF_ENTRY = /^(?:(\d{12})|arn:[^:]*:(?:iam|sts)::(\d{12}):.*)$/;
const NETWORK_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip', 'aws:sourcevpc', 'aws:sourcevpce']);
/** Keys present only when an AWS service calls on someone's behalf (global condition keys page). */
const SERVICE_CALL_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths']);
const ADDRESS_KEYS = new Set(['ses:fromaddress', 'ses:feedbackaddress', 'ses:recipients']);
/** Keys SES always sets on its requests that carry them. */
const MANDATORY_KEYS = new Set(['ses:fromaddress', 'ses:recipients', 'ses:apiversion']);
export const FRESH_ADDRESS = `${FRESH_RUN}@${FRESH_RUN}`;
export const FRESH_ACCOUNT = FRESH.repeat(12);
export const FRESH_ORG = `o-${FRESH_RUN}`;
export const FRESH_SERVICE = `${FRESH_RUN}.amazonaws.com`;

/** More combinations of condition values than this for one request: the answer is left undecided. */
const LEAF_LIMIT = 20_000;

function where(doc: NamedDocument, statement: PolicyStatement): string {
  return statement.sid ? `${doc.name} (statement ${statement.sid})` : doc.name;
}

function compilePrincipal(principal: Principal, tokens: TokenTable, at: string): CompiledPrincipal {
  const aws = (principal.aws ?? []).map((v) => tokens.text(v, at));
  return {
    any: principal.wildcard || aws.includes('*'),
    aws: aws.filter((v) => v !== '*'),
    service: (principal.service ?? []).map((v) => tokens.text(v, at)),
  };
}

/** Statements of the documents, with unreadable documents as "may allow anything". */
export function compileStatements(docs: readonly NamedDocument[], tokens: TokenTable): Stmt[] {
  const out: Stmt[] = [];
  for (const doc of docs) {
    if (isUnknown(doc.document)) {
      // It may name any principal: its Unknown stands for whom (an account, a service) it may let in.
      const who = tokens.hole(doc.document, `policy ${doc.name}`);
      out.push({
        effect: 'Allow',
        policy: doc.name,
        sid: '',
        line: doc.line,
        where: `policy ${doc.name}`,
        action: null,
        resource: null,
        principal: {
          not: false,
          spec: { any: false, aws: [who], service: [who] },
          raw: { wildcard: false, aws: [doc.document], service: [doc.document], federated: [], canonicalUser: [] },
        },
        atoms: [],
        unknown: doc.document.$unknown,
        id: out.length,
      });
      continue;
    }
    for (const statement of doc.document?.statements ?? []) {
      const at = where(doc, statement);
      const items = (list: Maybe<string>[] | undefined, isNot: boolean): Items | null =>
        list ? { not: isNot, items: list.map((v) => tokens.text(v, at)) } : null;
      const atoms: ConditionAtom[] = [];
      for (const [operator, keys] of Object.entries(statement.condition ?? {})) {
        const parsed = parseOperator(operator);
        for (const [key, values] of Object.entries(keys ?? {})) {
          const unreadable = key === '$unknown' || operator === '$unknown';
          atoms.push({
            id: nextAtomId(),
            operator,
            ...parsed,
            ...(unreadable ? { spec: { family: 'unknown', negated: false, glob: false, ignoreCase: false } } : {}),
            key: key.toLowerCase(),
            values: (Array.isArray(values) ? values : [values as Maybe<string>]).map((v) => tokens.text(v, at)),
          } as ConditionAtom);
        }
      }
      out.push({
        effect: statement.effect === 'Deny' ? 'Deny' : 'Allow',
        policy: doc.name,
        sid: statement.sid ?? '',
        line: statement.line ?? doc.line ?? 0,
        where: at,
        action: items(statement.action, false) ?? items(statement.notAction, true),
        resource: items(statement.resource, false) ?? items(statement.notResource, true),
        principal: statement.principal
          ? { not: false, spec: compilePrincipal(statement.principal, tokens, at), raw: statement.principal }
          : statement.notPrincipal
            ? { not: true, spec: compilePrincipal(statement.notPrincipal, tokens, at), raw: statement.notPrincipal }
            : null,
        atoms,
        id: out.length,
      });
    }
  }
  return out;
}

interface Group {
  /** `arn:<partition>:<service>:<region>:<account>:` */
  base: string;
  names: string[];
}

const NOTHING_TOUCHED: ReadonlySet<string> = new Set();
const NOTHING_NOTED: ReadonlySet<string> = new Set();
const NO_STATEMENTS: ReadonlySet<Stmt> = new Set();

/** A memoized result, with what it met (see PolicySet.recorded). */
interface Recorded<T> {
  value: T;
  touched: ReadonlySet<string>;
  notes: ReadonlySet<string>;
  statements: ReadonlySet<Stmt>;
}

interface Prepared {
  list: Relevant[];
  signature: string;
  anyAllow: boolean;
}

interface Relevant {
  stmt: Stmt;
  /** Action ∧ resource ∧ principal. */
  base: Tri;
}

/**
 * A policy set under evaluation. `kind` decides how Resource / Principal are read: identity policies have no
 * Principal and need a Resource; a resource policy is about its own resource (`ownResource`), which an item of
 * a statement's Resource / NotResource is taken to name unless it certainly names something else: SES accepts
 * in a sending-authorization policy only the identity's own ARN, so an item that may be it (an unresolved
 * reference to the identity, a region or account the input does not know) is it.
 */
export class PolicySet {
  notes = new Set<string>();
  private readonly universes = new Map<string, Group[]>();
  private readonly byAction = new Map<string, Stmt[]>();
  private readonly actionCache = new Map<Stmt, Map<string, Tri>>();
  private readonly resourceCache = new Map<Stmt, Map<string, Tri>>();
  private touchedStatements = new Set<Stmt>();
  private forcedTokenCache: Set<string> | undefined;
  private readonly candidateCache = new Map<string, (string[] | undefined)[]>();
  private readonly existing = new Map<string, Recorded<Found>>();
  private readonly everywhereMemo = new Map<string, Recorded<Found>>();
  private readonly representatives = new Map<string, string>();
  private readonly actionClasses = new Map<string, string>();
  private readonly actionKeys = new Map<string, Set<string>>();
  private readonly preparedCache = new Map<string, Recorded<Prepared>>();
  private readonly atomCache = new Map<ConditionAtom, Map<string[] | undefined, Tri>>();
  private readonly resourceSetCache = new Map<string, { group: string; resources: string[][] }[]>();
  private readonly searches = new Map<string, Recorded<Found>>();
  private readonly requesterIds = new WeakMap<Requester, number>();
  private requesterSerial = 0;
  private readonly statementIds = new Map<Stmt, number>();
  readonly allows: Stmt[];
  readonly denies: Stmt[];

  constructor(
    readonly statements: Stmt[],
    readonly tokens: TokenTable,
    readonly kind: 'identity' | 'resource',
    readonly options: {
      partition?: string;
      ownResource?: string;
      /** Elements (see elementsOf) taken to match every request ('yes') or none ('no'). */
      forced?: ReadonlyMap<string, Tri>;
    } = {},
  ) {
    this.allows = statements.filter((s) => s.effect === 'Allow');
    this.denies = statements.filter((s) => s.effect === 'Deny');
    this.fullyKnown =
      tokens.info.size === 0 && statements.every((s) => s.unknown === undefined && s.atoms.every((a) => a.spec.family !== 'unknown'));
  }

  /**
   * No Unknown anywhere in the statements or the resource when the set is made: no memoized computation can
   * touch a token, so only notes need recording. (A token allocated later — the stand-in for an unknown
   * Organization id in iam-requesters.ts — is compared only while requesters are built, outside them.)
   */
  private readonly fullyKnown: boolean;

  /** Marks an unreadable statement as taking part in an undecided answer. */
  private unreadable(stmt: Stmt): Tri {
    const forced = this.forced(`${stmt.id}*`);
    if (forced) return forced;
    this.notes.add(`${stmt.where}: ${stmt.unknown}`);
    this.touchedStatements.add(stmt);
    return 'maybe';
  }

  /** The value an element is forced to in this evaluation (see `elementsOf`), if any. */
  private forced(element: string): Tri | undefined {
    return this.options.forced?.get(element);
  }

  private cacheOf(caches: Map<Stmt, Map<string, Tri>>, stmt: Stmt): Map<string, Tri> {
    let cache = caches.get(stmt);
    if (!cache) {
      cache = new Map();
      caches.set(stmt, cache);
    }
    return cache;
  }

  actionTri(stmt: Stmt, action: string): Tri {
    if (stmt.unknown !== undefined) return this.unreadable(stmt);
    const cache = this.cacheOf(this.actionCache, stmt);
    let hit = cache.get(action);
    if (hit === undefined) {
      if (!stmt.action) hit = 'no';
      else {
        let any: Tri = 'no';
        stmt.action.items.forEach((item, i) => {
          if (any === 'yes') return;
          any = or(any, this.forced(`${stmt.id}a${i}`) ?? matchTri(item, action, true, true));
        });
        hit = stmt.action.not ? not(any) : any;
      }
      cache.set(action, hit);
    }
    if (hit === 'maybe') this.touchItems(stmt, 'a', stmt.action);
    return hit;
  }

  /** Records the tokens of the (unforced) items of a list whose answer came out "maybe". */
  private touchItems(stmt: Stmt, kind: string, items: Items | null): void {
    items?.items.forEach((item, i) => {
      if (!this.forced(`${stmt.id}${kind}${i}`)) this.tokens.touch(item);
    });
  }

  resourceTri(stmt: Stmt, resource: string): Tri {
    if (stmt.unknown !== undefined) return this.unreadable(stmt);
    const cache = this.cacheOf(this.resourceCache, stmt);
    let hit = cache.get(resource);
    if (hit === undefined) {
      if (!stmt.resource) hit = this.kind === 'resource' ? 'yes' : 'no';
      else {
        const own = this.kind === 'resource' && resource === this.options.ownResource;
        let any: Tri = 'no';
        stmt.resource.items.forEach((item, i) => {
          if (any === 'yes') return;
          let t = this.forced(`${stmt.id}r${i}`) ?? matchTri(item, resource, true, false);
          if (t === 'maybe' && own) t = 'yes';
          any = or(any, t);
        });
        hit = stmt.resource.not ? not(any) : any;
      }
      cache.set(resource, hit);
    }
    if (hit === 'maybe') this.touchItems(stmt, 'r', stmt.resource);
    return hit;
  }

  principalTri(stmt: Stmt, requester: Requester): Tri {
    if (this.kind === 'identity' || requester.kind === 'self') return 'yes';
    if (stmt.unknown !== undefined) return this.unreadable(stmt);
    if (!stmt.principal) return 'no';
    const spec = stmt.principal.spec;
    let matches: Tri = spec.any ? 'yes' : 'no';
    const [entries, kind] = requester.kind === 'aws' ? [spec.aws, 'p'] : [spec.service, 's'];
    entries.forEach((entry, i) => {
      if (matches === 'yes') return;
      matches = or(matches, this.forced(`${stmt.id}${kind}${i}`) ?? this.entryTri(entry, requester));
    });
    // `{"AWS": "*"}` is everyone, services included (and an AWS entry nothing is known of may be it).
    if (requester.kind === 'service' && matches !== 'yes') {
      spec.aws.forEach((entry, i) => {
        const forced = this.forced(`${stmt.id}p${i}`);
        if (forced === 'yes' || entry === '*') matches = 'yes';
        else if (!forced && isLoneHole(entry)) {
          this.tokens.touch(entry);
          matches = or(matches, 'maybe');
        }
      });
    }
    return stmt.principal.not ? not(matches) : matches;
  }

  /**
   * Elements of the statements (an Action / Resource item, a Principal entry, a condition, an unreadable
   * statement) that took part in the last "maybe": those holding an Unknown it touched.
   */
  elementsOf(): string[] {
    const touched = this.tokens.touched;
    const holds = (text: string) => [...text].some((c) => touched.has(c));
    const out: string[] = [];
    for (const stmt of this.statements) {
      if (stmt.unknown !== undefined) {
        if (this.touchedStatements.has(stmt)) out.push(`${stmt.id}*`);
        continue;
      }
      stmt.action?.items.forEach((t, i) => holds(t) && out.push(`${stmt.id}a${i}`));
      stmt.resource?.items.forEach((t, i) => holds(t) && out.push(`${stmt.id}r${i}`));
      stmt.principal?.spec.aws.forEach((t, i) => holds(t) && out.push(`${stmt.id}p${i}`));
      stmt.principal?.spec.service.forEach((t, i) => holds(t) && out.push(`${stmt.id}s${i}`));
      for (const atom of stmt.atoms) if (atom.values.some(holds) || atom.spec.family === 'unknown') out.push(`c${atom.id}`);
    }
    return out.filter((e) => !this.options.forced?.has(e));
  }

  /** Tokens held by forced elements: witnesses built from them no longer stand for anything. */
  private get forcedTokens(): Set<string> {
    if (!this.forcedTokenCache) {
      const out = new Set<string>();
      const add = (text: string) => {
        for (const c of text) if (hasTokens(c)) out.add(c);
      };
      for (const element of this.options.forced?.keys() ?? []) {
        const m = /^(\d+)([arps])(\d+)$/.exec(element);
        if (!m) continue;
        const stmt = this.statements.find((s) => s.id === Number(m[1]));
        const i = Number(m[3]);
        const text =
          m[2] === 'a' ? stmt?.action?.items[i] : m[2] === 'r' ? stmt?.resource?.items[i] : m[2] === 'p' ? stmt?.principal?.spec.aws[i] : stmt?.principal?.spec.service[i];
        if (text) add(text);
      }
      this.forcedTokenCache = out;
    }
    return this.forcedTokenCache;
  }

  /** Is the witness value built from a forced element's Unknown? */
  fromForced(text: string): boolean {
    if (!this.options.forced || this.options.forced.size === 0) return false;
    const forced = this.forcedTokens;
    for (const c of text) if (forced.has(c)) return true;
    return false;
  }

  /** Starts a question: forget which Unknowns took part in the previous one. */
  resetReasons(): void {
    this.tokens.touched = new Set();
    this.notes = new Set();
    this.touchedStatements = new Set();
  }

  /**
   * One Principal entry against a requester: an AWS entry names an account (id or root ARN: every principal
   * of it) or one principal's ARN; a Service entry names a service. Principal entries take no wildcards.
   */
  entryTri(raw: string, requester: Requester): Tri {
    const entry = substituted(raw, requester.substitute);
    if (entry === '*') return 'yes';
    // A Principal entry nothing is known of may be `*`.
    if (isLoneHole(entry)) {
      this.tokens.touch(entry);
      return 'maybe';
    }
    if (requester.kind === 'service') return matchTri(entry, requester.service, false, true, this.tokens);
    if (requester.notAccounts) {
      const m = ACCOUNT_OF_ENTRY.exec(entry);
      const named = m?.[1] ?? m?.[2];
      if (named !== undefined && requester.notAccounts.has(named)) return 'no';
    }
    const root = `arn:${this.options.partition ?? 'aws'}:iam::${requester.account}:root`;
    return or(
      or(matchTri(entry, requester.account, false, false, this.tokens), matchTri(entry, root, false, false, this.tokens)),
      matchTri(entry, requester.arn, false, false, this.tokens),
    );
  }

  /** The current requester's substitutions, while its contexts are searched. */
  private substitute: ReadonlyMap<string, string> | undefined;

  private conditionTri(stmt: Stmt, context: Map<string, string[] | undefined>): Tri {
    let result: Tri = 'yes';
    for (const atom of stmt.atoms) {
      const t = this.atomTri(atom, context.get(atom.key));
      if (t === 'no') return 'no';
      if (t === 'maybe') result = 'maybe';
    }
    return result;
  }

  /** One atom against one request value; cached per value list (candidate lists are shared objects). */
  private atomTri(atom: ConditionAtom, value: string[] | undefined): Tri {
    const forced = this.forced(`c${atom.id}`);
    if (forced) return forced;
    if (this.substitute && atom.values.some((v) => substituted(v, this.substitute) !== v)) {
      return evaluateAtom({ ...atom, values: atom.values.map((v) => substituted(v, this.substitute)) }, value, this.tokens);
    }
    let cache = this.atomCache.get(atom);
    if (!cache) {
      cache = new Map();
      this.atomCache.set(atom, cache);
    }
    let hit = cache.get(value);
    if (hit === undefined) {
      hit = evaluateAtom(atom, value, this.tokens);
      cache.set(value, hit);
    }
    // Which Unknowns a "maybe" rests on: the atom's and the request value's.
    if (hit === 'maybe') this.tokens.touch(...atom.values, ...(value ?? []));
    return hit;
  }

  // -------------------------------------------------------------------------------------------
  // Witness resources (identity policies)

  /**
   * ARNs of one resource type, grouped by partition/region/account, that tell apart the patterns of the
   * statements that may cover the action.
   */
  universe(type: ResourceTypeSpec, action: string): Group[] {
    const key = `${type.service}:${type.prefix}|${action}`;
    const hit = this.universes.get(key);
    if (hit) return hit;
    const partitions = new Set([this.options.partition ?? 'aws']);
    const regions = new Set([type.regional ? FRESH_RUN : '']);
    const accounts = new Set([FRESH_RUN]);
    const names = new Set([FRESH_RUN]);
    const namePatterns: string[] = [];
    for (const stmt of this.forAction(action)) {
      for (const pattern of stmt.resource?.items ?? []) {
        if (this.fromForced(pattern)) continue;
        const segs = pattern.split(':');
        if (segs.length >= 2 && hasTokens(segs[1]) && !/[*?]/.test(segs[1])) partitions.add(segs[1]);
        if (type.regional && segs.length >= 4) regions.add(instance(segs[3]));
        if (segs.length >= 5) accounts.add(instance(segs[4]));
        if (segs.length >= 6) {
          const rest = segs.slice(5).join(':');
          if (rest.startsWith(type.prefix)) {
            const name = rest.slice(type.prefix.length);
            names.add(instance(name));
            if (/[*?]/.test(name) || hasTokens(name)) namePatterns.push(name);
          }
        }
      }
    }
    // Names matched by two patterns at once (`a*` and `*b`): a Deny and an Allow may both need them.
    const wild = namePatterns.slice(0, 40);
    for (let i = 0; i < wild.length; i++) {
      for (let j = i + 1; j < wild.length; j++) {
        const w = overlapWitness(wild[i], wild[j]);
        if (w !== null) names.add(w);
      }
    }
    const groups: Group[] = [];
    const nameList = [...names];
    for (const p of partitions) {
      for (const r of regions) for (const a of accounts) groups.push({ base: `arn:${p}:${type.service}:${r}:${a}:`, names: nameList });
    }
    this.universes.set(key, groups);
    return groups;
  }

  private groupResources(type: ResourceTypeSpec, base: string, action: string): string[] {
    const group = this.universe(type, action).find((g) => g.base === base);
    return (group?.names ?? [FRESH_RUN]).map((n) => `${base}${type.prefix}${n}`);
  }

  // -------------------------------------------------------------------------------------------
  // Search over request contexts

  /** Statements whose Action / NotAction may cover the action (cached per action). */
  private forAction(action: string): Stmt[] {
    let hit = this.byAction.get(action);
    if (!hit) {
      hit = this.statements.filter((s) => this.actionTri(s, action) !== 'no');
      this.byAction.set(action, hit);
    }
    return hit;
  }

  private relevant(action: string, resource: string, requester: Requester): Relevant[] {
    const list: Relevant[] = [];
    for (const stmt of this.forAction(action)) {
      let base = this.actionTri(stmt, action);
      base = and(base, this.resourceTri(stmt, resource));
      if (base === 'no') continue;
      base = and(base, this.principalTri(stmt, requester));
      if (base === 'no') continue;
      list.push({ stmt, base });
    }
    return list;
  }

  /**
   * Is a request allowed, for some context of the scenario? `resources`: for each required resource type,
   * the alternatives (any one of them will do, in the same context). Also answers, per Allow statement, whether
   * it is one that lets the request through (allows the first resource, nothing denies it).
   */
  search(action: string, spec: ActionSpec, resources: string[][], requester: Requester, scenario: Scenario): Found {
    if (requester.weight === 'no') return NO;
    const relevant: Relevant[][][] = [];
    let signature = `${action}|${this.requesterId(requester)}|${scenario.network}|${scenario.from}`;
    for (const alternatives of resources) {
      const perAlternative: Relevant[][] = [];
      let anyAllow = false;
      signature += ';';
      for (const resource of alternatives) {
        const prepared = this.prepared(action, resource, requester);
        if (prepared.anyAllow) anyAllow = true;
        signature += prepared.signature;
        perAlternative.push(prepared.list);
      }
      if (!anyAllow) return NO;
      relevant.push(perAlternative);
    }
    // Requests that no statement tells apart (same statements match, alike) have the same answer.
    return this.recorded(this.searches, signature, () => {
      this.substitute = requester.substitute;
      try {
        return this.searchContexts(action, spec, relevant, requester, scenario);
      } finally {
        this.substitute = undefined;
      }
    });
  }

  /** The statements that may apply to (action, resource, requester), and a signature of them (cached). */
  private prepared(action: string, resource: string, requester: Requester): Prepared {
    return this.recorded(this.preparedCache, `${this.requesterId(requester)}|${action}|${resource}`, () => {
      const list = this.relevant(action, resource, requester);
      let signature = '/';
      for (const r of list) signature += `${this.statementId(r.stmt)}${r.base[0]},`;
      return { list, signature, anyAllow: list.some((r) => r.stmt.effect === 'Allow') };
    });
  }

  /**
   * A memoized computation, with the Unknowns (and notes) it met recorded and replayed whenever its result is
   * reused, so that an undecided answer still names everything it depends on.
   */
  private recorded<T>(memo: Map<string, Recorded<T>>, key: string, compute: () => T): T {
    let entry = memo.get(key);
    if (!entry) {
      if (this.fullyKnown) {
        // Nothing unknown to record: only notes (a search too large to decide) may arise. They are collected
        // apart, so that one the outer question already holds is still replayed by a later question.
        const outerNotes = this.notes;
        this.notes = new Set();
        try {
          const value = compute();
          entry = { value, touched: NOTHING_TOUCHED, notes: this.notes.size > 0 ? this.notes : NOTHING_NOTED, statements: NO_STATEMENTS };
        } finally {
          this.notes = outerNotes;
        }
      } else {
        const outer = { touched: this.tokens.touched, notes: this.notes, statements: this.touchedStatements };
        this.tokens.touched = new Set();
        this.notes = new Set();
        this.touchedStatements = new Set();
        try {
          entry = { value: compute(), touched: this.tokens.touched, notes: this.notes, statements: this.touchedStatements };
        } finally {
          this.tokens.touched = outer.touched;
          this.notes = outer.notes;
          this.touchedStatements = outer.statements;
        }
      }
      memo.set(key, entry);
    }
    if (entry.touched.size > 0) for (const t of entry.touched) this.tokens.touched.add(t);
    if (entry.notes.size > 0) for (const n of entry.notes) this.notes.add(n);
    if (entry.statements.size > 0) for (const st of entry.statements) this.touchedStatements.add(st);
    return entry.value;
  }

  private requesterId(requester: Requester): number {
    let id = this.requesterIds.get(requester);
    if (id === undefined) this.requesterIds.set(requester, (id = ++this.requesterSerial));
    return id;
  }

  private statementId(stmt: Stmt): number {
    let id = this.statementIds.get(stmt);
    if (id === undefined) this.statementIds.set(stmt, (id = this.statementIds.size));
    return id;
  }

  private searchContexts(action: string, spec: ActionSpec, relevant: Relevant[][][], requester: Requester, scenario: Scenario): Found {
    const atomsByKey = new Map<string, ConditionAtom[]>();
    for (const perAlternative of relevant) {
      for (const list of perAlternative) {
        for (const { stmt } of list) {
          for (const atom of stmt.atoms) {
            const l = atomsByKey.get(atom.key);
            if (l) l.push(atom);
            else atomsByKey.set(atom.key, [atom]);
          }
        }
      }
    }
    const keys = [...atomsByKey.keys()];
    const networks: ('internet' | 'vpc' | 'none')[] = keys.some((k) => NETWORK_KEYS.has(k))
      ? scenario.network === 'attacker'
        ? ['internet']
        : ['internet', 'vpc']
      : ['none'];
    let result: Tri = 'no';
    const per = new Map<Stmt, Tri>();
    let leaves = 0;
    const context = new Map<string, string[] | undefined>();
    const allowsOf = (list: Relevant[]): number => list.filter((r) => r.stmt.effect === 'Allow').length;
    const candidatesFirst = relevant[0].reduce((n, list) => n + allowsOf(list), 0);
    const leaf = (): void => {
      let others: Tri = 'yes';
      for (let r = 1; r < relevant.length && others !== 'no'; r++) {
        let any: Tri = 'no';
        for (const list of relevant[r]) {
          any = or(any, this.allowedAt(list, context));
          if (any === 'yes') break;
        }
        others = and(others, any);
      }
      if (others === 'no') return;
      let first: Tri = 'no';
      for (const list of relevant[0]) {
        let deny: Tri = 'no';
        for (const { stmt, base } of list) {
          if (stmt.effect !== 'Deny') continue;
          deny = or(deny, and(base, this.conditionTri(stmt, context)));
          if (deny === 'yes') break;
        }
        if (deny === 'yes') continue;
        const through = and(not(deny), others);
        for (const { stmt, base } of list) {
          if (stmt.effect !== 'Allow') continue;
          const t = and(and(base, this.conditionTri(stmt, context)), through);
          if (t === 'no') continue;
          first = or(first, t);
          const before = per.get(stmt) ?? 'no';
          per.set(stmt, or(before, t));
        }
      }
      result = or(result, first);
    };
    const done = (): boolean => result === 'yes' && per.size === candidatesFirst && [...per.values()].every((t) => t === 'yes');
    const walk = (dims: { key: string; values: (string[] | undefined)[] }[], index: number): boolean => {
      if (index === dims.length) {
        if (++leaves > LEAF_LIMIT) {
          this.notes.add(`${action}: too many combinations of condition values to decide`);
          result = or(result, 'maybe');
          return true;
        }
        leaf();
        return done();
      }
      const dim = dims[index];
      for (const value of dim.values) {
        context.set(dim.key, value);
        if (walk(dims, index + 1)) return true;
      }
      context.delete(dim.key);
      return false;
    };
    for (const network of networks) {
      const dims = keys.map((key) => ({ key, values: this.cachedCandidates(key, atomsByKey.get(key) ?? [], action, spec, requester, scenario, network) }));
      if (walk(dims, 0)) break;
    }
    if (requester.weight === 'maybe') {
      for (const [stmt, t] of per) per.set(stmt, and(t, 'maybe'));
    }
    return { tri: and(result, requester.weight), per };
  }

  /** Allowed, for one resource's relevant statements in one context: some Allow and no Deny. */
  private allowedAt(list: Relevant[], context: Map<string, string[] | undefined>): Tri {
    let allow: Tri = 'no';
    let deny: Tri = 'no';
    for (const { stmt, base } of list) {
      if (stmt.effect === 'Allow') {
        if (allow !== 'yes') allow = or(allow, and(base, this.conditionTri(stmt, context)));
      } else if (deny !== 'yes') deny = or(deny, and(base, this.conditionTri(stmt, context)));
    }
    return and(allow, not(deny));
  }

  private cachedCandidates(
    key: string,
    atoms: ConditionAtom[],
    action: string,
    spec: ActionSpec,
    requester: Requester,
    scenario: Scenario,
    network: 'internet' | 'vpc' | 'none',
  ): (string[] | undefined)[] {
    const governed = requester.keys.get(key);
    if (governed) return governed;
    const cacheKey = `${key}|${action}|${requester.kind}|${scenario.network}|${scenario.from}|${network}|${atoms.map((a) => a.id).join(',')}`;
    let hit = this.candidateCache.get(cacheKey);
    if (!hit) {
      hit = this.candidates(key, atoms, action, spec, requester, scenario, network);
      this.candidateCache.set(cacheKey, hit);
    }
    return hit;
  }

  /** The values a condition key can take in the request, given who asks, from where, for which action. */
  private candidates(
    key: string,
    atoms: ConditionAtom[],
    action: string,
    spec: ActionSpec,
    requester: Requester,
    scenario: Scenario,
    network: 'internet' | 'vpc' | 'none',
  ): (string[] | undefined)[] {
    const witnesses = (): string[][] => {
      let singles = valueWitnesses(atoms);
      // Address keys hold e-mail addresses: a value without `@` is no request anyone can make.
      if (ADDRESS_KEYS.has(key)) singles = [...singles.filter((v) => v.includes('@') || hasTokens(v)), FRESH_ADDRESS];
      const out = singles.map((v) => [v]);
      if (MULTIVALUED_KEYS.has(key)) {
        for (let i = 0; i < singles.length && out.length < 60; i++) {
          for (let j = i + 1; j < singles.length && out.length < 60; j++) out.push([singles[i], singles[j]]);
        }
      }
      return out;
    };
    const free = (): (string[] | undefined)[] => [undefined, ...witnesses()];
    switch (key) {
      case 'aws:sourceip':
        if (network !== 'internet') return [undefined];
        return scenario.network === 'attacker' ? [[ATTACKER_IP]] : witnesses();
      case 'aws:vpcsourceip':
      case 'aws:sourcevpc':
      case 'aws:sourcevpce':
        return network === 'vpc' ? witnesses() : [undefined];
    }
    const governed = requester.keys.get(key);
    if (governed) return governed;
    if (requester.kind === 'self') {
      // The principal itself calls: not a service acting for someone.
      if (SERVICE_CALL_KEYS.has(key) || key === 'aws:principalservicename' || key === 'aws:principalservicenameslist') return [undefined];
      if (key === 'aws:principalisawsservice') return [['false']];
    }
    const prefix = key.split(':')[0];
    if (prefix === 'aws') return free();
    if (prefix !== action.split(':')[0].toLowerCase()) return [undefined];
    if (spec.required === null) return free();
    if (!spec.keys.has(key)) return [undefined];
    if (key === 'ses:fromaddress' && scenario.from === 'fresh') return [[FRESH_ADDRESS]];
    return MANDATORY_KEYS.has(key) ? witnesses() : free();
  }

  // -------------------------------------------------------------------------------------------
  // Questions over resources

  /** Resources (per required type) an `action` request may name; identity policies only. */
  private resourceSets(action: string, spec: ActionSpec): { group: string; resources: string[][] }[] {
    let hit = this.resourceSetCache.get(action);
    if (!hit) {
      hit = this.computeResourceSets(action, spec);
      this.resourceSetCache.set(action, hit);
    }
    return hit;
  }

  private computeResourceSets(action: string, spec: ActionSpec): { group: string; resources: string[][] }[] {
    const required = spec.required ?? [];
    if (required.length === 0) return [{ group: '*', resources: [['*']] }];
    const [first, ...rest] = required;
    const out: { group: string; resources: string[][] }[] = [];
    for (const group of this.universe(first, action)) {
      const others = rest.map((type) => this.groupResources(type, group.base.replace(`:${first.service}:`, `:${type.service}:`), action));
      for (const name of group.names) out.push({ group: group.base, resources: [[`${group.base}${first.prefix}${name}`], ...others] });
    }
    return out;
  }

  /**
   * Is some request for `action` (some resource, some context of the scenario) allowed? `per`: for each Allow
   * statement, whether some such request is allowed through it.
   */
  exists(requested: string, requester: Requester, scenario: Scenario): Found {
    const action = this.representative(requested);
    // A scenario only narrows the keys it is about: where no statement tests them, the answer is the same.
    const keys = this.keysFor(action);
    const narrowed: Scenario = {
      network: scenario.network === 'attacker' && [...NETWORK_KEYS].some((k) => keys.has(k)) ? 'attacker' : 'any',
      from: scenario.from === 'fresh' && keys.has('ses:fromaddress') ? 'fresh' : 'any',
    };
    const memoKey = `${action}|${this.requesterId(requester)}|${narrowed.network}|${narrowed.from}`;
    return this.recorded(this.existing, memoKey, () => this.computeExists(action, requester, narrowed));
  }

  /**
   * Actions no statement tells apart (covered alike by every statement, the same resource types, the same
   * catalogue facts about the keys the statements test) have the same answers: one stands for the others.
   */
  representative(action: string): string {
    let hit = this.representatives.get(action);
    if (hit === undefined) {
      const spec = actionSpec(action);
      const service = action.split(':')[0].toLowerCase();
      const keys = [...this.keysFor(action)].sort();
      const statements = this.forAction(action).map((s) => `${this.statementId(s)}${this.actionTri(s, action)[0]}`);
      const facts = keys.filter((k) => k.split(':')[0] === service).map((k) => `${k}=${spec.keys.has(k) ? 1 : 0}`);
      // A resource policy authorizes its own resource only: the types an action takes do not tell actions apart.
      const types =
        spec.required === null ? 'unknown' : this.kind === 'resource' ? '' : spec.required.map((t) => `${t.service}:${t.prefix}`).join(' ');
      const key = `${service}|${types}|${statements.join(',')}|${facts.join(',')}`;
      hit = this.actionClasses.get(key);
      if (hit === undefined) {
        hit = action;
        this.actionClasses.set(key, action);
      }
      this.representatives.set(action, hit);
    }
    return hit;
  }

  /** Condition keys tested by the statements that may cover the action. */
  private keysFor(action: string): Set<string> {
    let hit = this.actionKeys.get(action);
    if (!hit) {
      hit = new Set(this.forAction(action).flatMap((s) => s.atoms.map((a) => a.key)));
      this.actionKeys.set(action, hit);
    }
    return hit;
  }

  private computeExists(action: string, requester: Requester, scenario: Scenario): Found {
    const spec = actionSpec(action);
    if (spec.required === null) {
      this.notes.add(`the action catalogue does not describe ${action}`);
      return { tri: 'maybe', per: new Map() };
    }
    if (this.kind === 'resource') return this.search(action, spec, [[this.options.ownResource ?? '*']], requester, scenario);
    const allows = this.forAction(action).filter((s) => s.effect === 'Allow').length;
    let tri: Tri = 'no';
    const per = new Map<Stmt, Tri>();
    for (const { resources } of this.resourceSets(action, spec)) {
      const found = this.search(action, spec, resources, requester, scenario);
      tri = or(tri, found.tri);
      for (const [stmt, t] of found.per) per.set(stmt, or(per.get(stmt) ?? 'no', t));
      if (tri === 'yes' && per.size === allows && [...per.values()].every((t) => t === 'yes')) break;
    }
    return { tri, per };
  }

  /**
   * Is `action` allowed on every resource of its (first) type in some partition, region and account — each
   * resource in some context? Identity policies only; an action whose only resource is `*` is "every resource"
   * as soon as it is allowed at all. `per`: the Allow statements that take part, where it is yes.
   */
  everywhere(requested: string): Found {
    const action = this.representative(requested);
    return this.recorded(this.everywhereMemo, action, () => this.computeEverywhere(action));
  }

  private computeEverywhere(action: string): Found {
    const spec = actionSpec(action);
    if (spec.required === null) {
      this.notes.add(`the action catalogue does not describe ${action}`);
      return { tri: 'maybe', per: new Map() };
    }
    if (!this.forAction(action).some((s) => s.effect === 'Allow')) return NO;
    const groups = new Map<string, string[][][]>();
    for (const set of this.resourceSets(action, spec)) {
      const members = groups.get(set.group);
      if (members) members.push(set.resources);
      else groups.set(set.group, [set.resources]);
    }
    let result: Tri = 'no';
    for (const members of groups.values()) {
      let tri: Tri = 'yes';
      const per = new Map<Stmt, Tri>();
      for (const resources of members) {
        const found = this.search(action, spec, resources, SELF, ANY);
        tri = and(tri, found.tri);
        if (tri === 'no') break;
        for (const [stmt, t] of found.per) if (t === 'yes') per.set(stmt, 'yes');
      }
      if (tri === 'yes') return { tri, per };
      result = or(result, tri);
    }
    return { tri: result, per: new Map() };
  }

  /** Does the statement reach `action` through a wildcard pattern or NotAction (as opposed to naming it)? */
  viaWildcard(stmt: Stmt, action: string): Tri {
    if (stmt.unknown !== undefined) return this.unreadable(stmt);
    if (!stmt.action) return 'no';
    if (stmt.action.not) return 'yes';
    let result: Tri = 'no';
    for (const item of stmt.action.items) {
      result = or(result, and(matchTri(item, action, true, true, this.tokens), mayHaveWildcard(item)));
      if (result === 'yes') break;
    }
    return result;
  }
}

/** Text with the given tokens replaced. */
function substituted(text: string, substitute: ReadonlyMap<string, string> | undefined): string {
  if (!substitute || substitute.size === 0) return text;
  let out = text;
  for (const [token, value] of substitute) if (out.includes(token)) out = out.split(token).join(value);
  return out;
}

/** Reasons an undecided answer depends on: the Unknowns that took part, and other notes. */
export function reasonsOf(set: PolicySet): string[] {
  const out = new Set<string>();
  for (const token of set.tokens.touched) {
    const info = set.tokens.info.get(token);
    if (info) out.add(`${info.where}: ${info.reason}`);
  }
  for (const note of set.notes) out.add(note);
  return [...out];
}

/** Starts a question: forget which Unknowns took part in the previous one. */
export function resetReasons(set: PolicySet): void {
  set.resetReasons();
}

export type { Tri };
