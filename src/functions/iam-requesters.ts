// Who may send a request to a resource policy (sending authorization, role trust), as witness requesters for
// the core (iam-eval.ts): an AWS principal of some account — one nobody named, or an account the policy names —
// and an AWS service acting for some account. Each carries the request-context facts that follow from who it
// is (global condition keys page): an AWS principal has aws:PrincipalAccount / aws:PrincipalArn, and
// aws:PrincipalOrgID only when its account is in an Organization; only a service acting on someone's behalf
// carries aws:SourceAccount / aws:SourceArn (and may leave them out), and a service principal never carries
// aws:PrincipalOrgID. An outsider does not know the sts:ExternalId issued to a partner.
import { FRESH_ACCOUNT, FRESH_ORG, FRESH_SERVICE, type PolicySet, type Requester, type Stmt } from './iam-eval.js';
import { FRESH, FRESH_RUN, and, hasTokens, instance, isLoneHole, matchTri, not, type Tri } from './iam-match.js';

/** Accounts that are not outsiders, and our Organization's id when it is known. */
export interface AccountScope {
  /** The resource's own account, when known. */
  own?: string;
  /** Organization accounts and trustedAccounts. */
  allowed: ReadonlySet<string>;
  /** Our Organization's id (`o-…`); null or absent when not known. */
  organizationId?: string | null;
}

/** What the policies name: accounts, principal and source ARNs, Organizations, services. */
interface Named {
  accounts: Set<string>;
  arns: Set<string>;
  sourceArns: Set<string>;
  orgs: Set<string>;
  services: Set<string>;
}

const PRINCIPAL_ARN = /^arn:[^:]*:(?:iam|sts)::([^:]*):(.*)$/;
const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:\uE100-\uF8FF]*:iam::\d{12}:root$/;

function accountOfArn(arn: string): string | undefined {
  const segs = arn.split(':');
  return segs.length >= 6 ? segs[4] : undefined;
}

function withAccount(arn: string, account: string): string {
  const segs = arn.split(':');
  if (segs.length < 6) return arn;
  segs[4] = account;
  return segs.join(':');
}

function named(statements: readonly Stmt[]): Named {
  const out: Named = { accounts: new Set(), arns: new Set(), sourceArns: new Set(), orgs: new Set(), services: new Set() };
  for (const stmt of statements) {
    for (const entry of stmt.principal?.spec.aws ?? []) {
      // An entry nothing is known of may name an account (it stands for that account's principals).
      if (ACCOUNT_ID.test(entry) || isLoneHole(entry)) out.accounts.add(entry);
      const arn = PRINCIPAL_ARN.exec(entry);
      if (arn) {
        out.accounts.add(arn[1]);
        if (arn[2] !== 'root') out.arns.add(entry);
      }
    }
    for (const service of stmt.principal?.spec.service ?? []) out.services.add(service);
    for (const atom of stmt.atoms) {
      // Only values compared as strings or ARNs name anything (a Null or Bool value does not).
      if (atom.spec.family !== 'string' && atom.spec.family !== 'arn') continue;
      for (const value of atom.values) {
        const v = instance(value);
        const account = (a: string | undefined) => {
          if (a !== undefined && (ACCOUNT_ID.test(a) || isLoneHole(a))) out.accounts.add(a);
        };
        switch (atom.key) {
          case 'aws:principalaccount':
          case 'aws:sourceaccount':
            account(v);
            break;
          case 'aws:principalarn':
            out.arns.add(v);
            account(accountOfArn(v));
            break;
          case 'aws:sourcearn':
            out.sourceArns.add(v);
            account(accountOfArn(v));
            break;
          case 'aws:principalorgid':
          case 'aws:sourceorgid':
            out.orgs.add(v);
            break;
        }
      }
    }
  }
  return out;
}

function merge(a?: Map<string, string>, b?: Map<string, string>): Map<string, string> | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Map([...a, ...b]);
}

interface Outside {
  account: string;
  weight: Tri;
  label: string;
  /** Unknown text (token) → the value it is taken to have for this requester. */
  substitute?: Map<string, string>;
}

/** Requester universes of one resource policy under an account scope. */
export class Requesters {
  private readonly names: Named;
  private readonly ownAccount: string;
  private readonly oursToken: string | null;

  /** Which facts about a requester any statement can tell apart (others need no separate requesters). */
  private readonly tells: { arn: boolean; org: boolean; sourceOrg: boolean };

  constructor(
    private readonly set: PolicySet,
    private readonly scope: AccountScope,
    ownAccountToken: string,
  ) {
    this.names = named(set.statements);
    const keys = new Set(set.statements.flatMap((s) => s.atoms.map((a) => a.key)));
    const unreadable = set.statements.some((s) => s.unknown !== undefined || s.atoms.some((a) => a.spec.family === 'unknown'));
    this.tells = {
      // A Principal entry other than `*`, an account or an account's root may name one principal of it.
      arn:
        unreadable ||
        this.names.arns.size > 0 ||
        keys.has('aws:principalarn') ||
        set.statements.some((s) => s.principal?.spec.aws.some((e) => !isLoneHole(e) && !ACCOUNT_ID.test(e) && !ROOT_ARN.test(e))),
      // A named Organization (also one named through aws:SourceOrgID) is asked about by SESG-SES-002.
      org: unreadable || this.names.orgs.size > 0 || keys.has('aws:principalorgid') || keys.has('aws:principalorgpaths'),
      sourceOrg: unreadable || keys.has('aws:sourceorgid') || keys.has('aws:sourceorgpaths'),
    };
    this.ownAccount = scope.own ?? ownAccountToken;
    this.oursToken = scope.organizationId
      ? null
      : set.tokens.text({ $unknown: "the Organization's id is not known: set organizationId in sesguard.yaml (a live scan with --org reads it)" }, 'aws:PrincipalOrgID');
  }

  /** Accounts that are not outsiders. */
  private get inside(): ReadonlySet<string> {
    return new Set([this.ownAccount, ...this.scope.allowed]);
  }

  private get partition(): string {
    return this.set.options.partition ?? 'aws';
  }

  /** Is the account outside ours (own, Organization, trustedAccounts)? An unknown one only maybe is. */
  private outside(account: string): Tri {
    if (account === this.ownAccount || this.scope.allowed.has(account)) return 'no';
    if (hasTokens(account)) {
      this.set.tokens.touch(account);
      return 'maybe';
    }
    return 'yes';
  }

  /** Is the Organization id not ours? A fresh one never is; without our id, a named one maybe is. */
  private notOurs(org: string): Tri {
    if (org.includes(FRESH)) return 'yes';
    const ours = this.scope.organizationId ?? this.oursToken ?? '';
    return not(matchTri(org, ours, false, false, this.set.tokens));
  }

  /**
   * An outsider's Organization: none, one nobody named, or one the policies name that is not ours. An
   * Organization named through an unknown value is asked about as "that Organization, not being ours":
   * a stand-in id the unknown is taken to hold wherever it occurs.
   */
  private orgChoices(includeNamed: boolean, told: boolean): { org: string | undefined; weight: Tri; substitute?: Map<string, string> }[] {
    const out: { org: string | undefined; weight: Tri; substitute?: Map<string, string> }[] = [{ org: undefined, weight: 'yes' }];
    // No statement tests the Organization: being in one changes nothing.
    if (!told) return out;
    out.push({ org: FRESH_ORG, weight: 'yes' });
    if (!includeNamed) return out;
    let unknowns = 0;
    for (const org of this.names.orgs) {
      if (org.includes(FRESH)) continue;
      const weight = this.notOurs(org);
      if (isLoneHole(org)) {
        const stand = `o-${FRESH_RUN}${String.fromCharCode(0xe0a0 + (unknowns++ % 0x40))}`;
        out.push({ org: stand, weight, substitute: new Map([[org, stand]]) });
      } else out.push({ org, weight });
    }
    return out;
  }

  /** A service the policies name through an unknown value may not be named at all (and is a stand-in). */
  private serviceChoice(service: string): { service: string; weight: Tri; substitute?: Map<string, string> } {
    if (!isLoneHole(service)) return { service, weight: 'yes' };
    this.set.tokens.touch(service);
    const stand = `${FRESH_RUN}\uE0E0.amazonaws.com`;
    return { service: stand, weight: 'maybe', substitute: new Map([[service, stand]]) };
  }

  /** Outside accounts the policies name (not ours), with whether each certainly is outside. */
  private outsideAccounts(): Outside[] {
    const out: Outside[] = [];
    let unknowns = 0;
    for (const account of this.names.accounts) {
      if (account.includes(FRESH)) continue;
      const weight = this.outside(account);
      if (weight === 'no') continue;
      if (!hasTokens(account)) {
        out.push({ account, weight, label: account });
        continue;
      }
      // An account the policies name through an unknown value: asked about as "that account, being outside":
      // an account nobody else named, which the unknown stands for wherever it occurs.
      const stand = `${FRESH.repeat(11)}${String.fromCharCode(0xe003 + (unknowns++ % 0xf0))}`;
      const substitute = new Map<string, string>();
      const generic = account.replace(/[^\uE100-\uF8FF]/g, '');
      if (generic.length === account.length && account.length === 1) substitute.set(account, stand);
      out.push({ account: generic.length === account.length && account.length === 1 ? stand : account, weight, label: '(unknown)', substitute });
    }
    return out;
  }

  private aws(account: string, accountWeight: Tri, label: string, includeNamedOrgs: boolean, substitute?: Map<string, string>): Requester[] {
    const arns = new Set([`arn:${this.partition}:iam::${account}:root`]);
    // Other principals of the account only where a statement can tell them from the account itself.
    if (this.tells.arn) {
      arns.add(`arn:${this.partition}:iam::${account}:role/${FRESH_RUN}`);
      arns.add(`arn:${this.partition}:iam::${account}:user/${FRESH_RUN}`);
      for (const arn of this.names.arns) arns.add(withAccount(arn, account));
    }
    const out: Requester[] = [];
    for (const arn of arns) {
      for (const { org, weight, substitute: orgSubstitute } of this.orgChoices(includeNamedOrgs, this.tells.org)) {
        const substitutes = merge(substitute, orgSubstitute);
        out.push({
          kind: 'aws',
          account,
          arn,
          service: '',
          weight: and(weight, accountWeight),
          accountLabel: label,
          ...(hasTokens(account) ? { notAccounts: this.inside } : {}),
          ...(substitutes ? { substitute: substitutes } : {}),
          keys: new Map<string, (string[] | undefined)[]>([
            ['aws:principalaccount', [[account]]],
            ['aws:principalarn', [[arn]]],
            ['aws:principalorgid', [org ? [org] : undefined]],
            ['aws:principalorgpaths', [org ? [`${org}/${FRESH_RUN}/`] : undefined]],
            ['aws:principalisawsservice', [['false']]],
            ['aws:principalservicename', [undefined]],
            ['aws:principalservicenameslist', [undefined]],
            ['aws:sourceaccount', [undefined]],
            ['aws:sourcearn', [undefined]],
            ['aws:sourceorgid', [undefined]],
            ['aws:sourceorgpaths', [undefined]],
            ['sts:externalid', [undefined, [FRESH_RUN]]],
          ]),
        });
      }
    }
    return out;
  }

  private service(named: string, account: string, accountWeight: Tri, includeNamedOrgs: boolean, substitute?: Map<string, string>): Requester[] {
    const { service, weight: serviceWeight, substitute: serviceSubstitute } = this.serviceChoice(named);
    const sourceArns: (string[] | undefined)[] = [undefined, [`arn:${this.partition}:${FRESH_RUN}:${FRESH_RUN}:${account}:${FRESH_RUN}`]];
    for (const arn of this.names.sourceArns) sourceArns.push([withAccount(arn, account)]);
    return this.orgChoices(includeNamedOrgs, this.tells.sourceOrg).map(({ org, weight, substitute: orgSubstitute }) => ({
      kind: 'service' as const,
      account,
      arn: '',
      service,
      weight: and(and(weight, accountWeight), serviceWeight),
      accountLabel: service.includes(FRESH) ? '*' : '',
      ...(hasTokens(account) ? { notAccounts: this.inside } : {}),
      ...(merge(merge(substitute, orgSubstitute), serviceSubstitute) ? { substitute: merge(merge(substitute, orgSubstitute), serviceSubstitute) } : {}),
      keys: new Map<string, (string[] | undefined)[]>([
        ['aws:sourceaccount', [undefined, [account]]],
        ['aws:sourcearn', sourceArns],
        ['aws:sourceorgid', org ? [undefined, [org]] : [undefined]],
        ['aws:sourceorgpaths', org ? [undefined, [`${org}/${FRESH_RUN}/`]] : [undefined]],
        ['aws:principalisawsservice', [['true']]],
        ['aws:principalservicename', [[service]]],
        ['aws:principalservicenameslist', [[service]]],
        ['aws:principalaccount', [undefined]],
        ['aws:principalarn', [undefined]],
        ['aws:principalorgid', [undefined]],
        ['aws:principalorgpaths', [undefined]],
        ['sts:externalid', [undefined, [FRESH_RUN]]],
      ]),
    }));
  }

  /** "Anyone": an AWS principal of an account nobody named, in no Organization or one nobody named. */
  anyoneAws(): Requester[] {
    return this.aws(FRESH_ACCOUNT, 'yes', '*', false);
  }

  /** "Any service for anyone": a service nobody named, acting for such an account. */
  anyoneService(): Requester[] {
    return this.service(FRESH_SERVICE, FRESH_ACCOUNT, 'yes', false);
  }

  /** Every outside AWS principal: of a named outside account or a fresh one, in any Organization but ours. */
  outsideAws(): Requester[] {
    const out = this.aws(FRESH_ACCOUNT, 'yes', '*', true);
    for (const { account, weight, label, substitute } of this.outsideAccounts()) out.push(...this.aws(account, weight, label, true, substitute));
    return out;
  }

  /**
   * Outside AWS principals the policies name: of an outside account they name (as principal or in a
   * condition), or of any account in another Organization they name.
   */
  namedOutsideAws(): Requester[] {
    const out = this.aws(FRESH_ACCOUNT, 'yes', '*', true).filter((r) => r.keys.get('aws:principalorgid')?.[0]?.[0]?.includes(FRESH) === false);
    for (const { account, weight, label, substitute } of this.outsideAccounts()) out.push(...this.aws(account, weight, label, true, substitute));
    return out;
  }

  /** Services acting for an outside account, where the policies name the service or the account. */
  namedOutsideServices(): Requester[] {
    const out: Requester[] = [];
    const named = this.outsideAccounts();
    for (const service of this.names.services) {
      for (const { account, weight, substitute } of [{ account: FRESH_ACCOUNT, weight: 'yes' as Tri }, ...named]) {
        out.push(...this.service(service, account, weight, true, substitute));
      }
    }
    for (const { account, weight, substitute } of named) out.push(...this.service(FRESH_SERVICE, account, weight, true, substitute));
    return out;
  }
}
