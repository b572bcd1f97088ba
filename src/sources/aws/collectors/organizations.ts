// Organizations collector: the active accounts of the Organization and, per account, the service control
// policies in effect along its path root → OUs → account (SESG-ORG-001/002). Runs with the management
// account's scope; every lookup shared between accounts (parents, policies per target, documents) is made once.
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListParents,
  paginateListPoliciesForTarget,
  paginateListRoots,
  type Account,
  type PolicySummary,
} from '@aws-sdk/client-organizations';
import { normalizePolicyDocument } from '../../../inventory/policy-document.js';
import type { Maybe, PolicyDocument, Resource, ScpPolicy } from '../../../inventory/types.js';
import { unknown } from '../../../inventory/types.js';
import type { AccountScope, CallError, Collected } from '../types.js';
import { GLOBAL, attempt, clientOf, attemptPages, callError, failed, homeRegion, mapAll, memo, provenance, type Attempt } from './util.js';

const SERVICE = 'organizations';
const SCP = 'SERVICE_CONTROL_POLICY';

export interface OrganizationAccount {
  id: string;
  name: string;
}

export interface OrganizationCollected extends Collected {
  /** Active accounts, in ListAccounts order: the accounts the orchestrator scans. */
  accounts: OrganizationAccount[];
  /** From DescribeOrganization (or the account ARNs when that call fails); undefined when neither is known. */
  managementAccountId?: string;
  /** The Organization's id (`o-…`), from DescribeOrganization or the account ARNs; aws:PrincipalOrgID is judged against it. */
  organizationId?: string;
}

/** The management account id embedded in an account ARN: `arn:aws:organizations::<mgmt>:account/o-…/<id>`. */
function managementFromArn(accountArn: string | undefined): string | undefined {
  return /^arn:[^:]+:organizations::(\d{12}):account\//.exec(accountArn ?? '')?.[1];
}

/** The Organization id embedded in an account ARN: `arn:aws:organizations::<mgmt>:account/<o-…>/<id>`. */
function organizationFromArn(accountArn: string | undefined): string | undefined {
  return /^arn:[^:]+:organizations::\d{12}:account\/(o-[a-z0-9]+)\//.exec(accountArn ?? '')?.[1];
}

/**
 * `onAccounts` is called as soon as the active accounts are known, before the SCP chains are walked, so the
 * scan can start entering accounts while the (rate-limited) Organizations walk goes on.
 */
export async function collectOrganization(
  scope: AccountScope,
  onAccounts?: (accounts: OrganizationAccount[]) => void,
): Promise<OrganizationCollected> {
  const client = clientOf(scope, OrganizationsClient, homeRegion(scope.partition));
  const errors: CallError[] = [];

  const [orgResult, accountsResult, rootsResult] = await Promise.all([
    attempt(scope, SERVICE, 'organizations:DescribeOrganization', () => client.send(new DescribeOrganizationCommand({}))),
    attemptPages(scope, SERVICE, 'organizations:ListAccounts', paginateListAccounts({ client }, {})),
    attemptPages(scope, SERVICE, 'organizations:ListRoots', paginateListRoots({ client }, {})),
  ]);

  if (!accountsResult.ok) {
    errors.push(callError(scope, GLOBAL, 'organizations:ListAccounts', accountsResult.error, ['aws.organizations.account']));
    return { resources: [], errors, accounts: [] };
  }
  // `State` replaces the deprecated `Status`; either says ACTIVE for an account that can be scanned.
  const active = accountsResult.value
    .flatMap((page) => page.Accounts ?? [])
    .filter((a): a is Account & { Id: string } => !!a.Id && (a.State ?? a.Status) === 'ACTIVE');

  onAccounts?.(active.map((a) => ({ id: a.Id, name: a.Name ?? a.Id })));

  let managementAccountId = orgResult.ok ? orgResult.value.Organization?.MasterAccountId : undefined;
  const organizationId = (orgResult.ok ? orgResult.value.Organization?.Id : undefined) ?? active.map((a) => organizationFromArn(a.Arn)).find((id) => id !== undefined);
  if (!orgResult.ok) {
    // Not fatal: account ARNs carry the management account id. Reported without affected types.
    managementAccountId = active.map((a) => managementFromArn(a.Arn)).find((id) => id !== undefined);
    errors.push(
      callError(scope, GLOBAL, 'organizations:DescribeOrganization', orgResult.error, managementAccountId ? [] : ['aws.organizations.account']),
    );
    if (!managementAccountId) {
      return { resources: [], errors, accounts: active.map((a) => ({ id: a.Id, name: a.Name ?? a.Id })), organizationId };
    }
  }

  const rootIds = new Set(rootsResult.ok ? rootsResult.value.flatMap((p) => p.Roots ?? []).map((r) => r.Id ?? '') : []);

  // One parent per child in Organizations; cached because accounts share their OUs.
  const parentOf = memo(async (childId: string): Promise<Attempt<{ id: string; isRoot: boolean }>> => {
    const result = await attemptPages(scope, SERVICE, 'organizations:ListParents', paginateListParents({ client }, { ChildId: childId }));
    if (!result.ok) return result;
    const parent = result.value.flatMap((p) => p.Parents ?? [])[0];
    if (!parent?.Id) return { ok: false, error: new Error(`no parent for ${childId}`), reason: `organizations:ListParents returned no parent for ${childId}` };
    return { ok: true, value: { id: parent.Id, isRoot: parent.Type === 'ROOT' || rootIds.has(parent.Id) } };
  });

  const policiesFor = memo((targetId: string) =>
    attemptPages(scope, SERVICE, 'organizations:ListPoliciesForTarget', paginateListPoliciesForTarget({ client }, { TargetId: targetId, Filter: SCP })),
  );

  const documentOf = memo(async (policyId: string): Promise<Maybe<PolicyDocument>> => {
    const result = await attempt(scope, SERVICE, 'organizations:DescribePolicy', () => client.send(new DescribePolicyCommand({ PolicyId: policyId })));
    if (!result.ok) return failed(result);
    const content = result.value.Policy?.Content;
    return content === undefined ? unknown(`organizations:DescribePolicy returned no content for ${policyId}`) : normalizePolicyDocument(content);
  });

  /** Targets from the root down to the account itself, or the reason the path could not be walked. */
  async function pathOf(accountId: string): Promise<string[] | { reason: string }> {
    const path = [accountId];
    let child = accountId;
    // Organizations nests OUs at most five deep; the bound guards against a cycle in a broken answer.
    for (let depth = 0; depth < 10; depth++) {
      const parent = await parentOf(child);
      if (!parent.ok) return { reason: parent.reason };
      path.unshift(parent.value.id);
      if (parent.value.isRoot) return path;
      child = parent.value.id;
    }
    return { reason: `organizations:ListParents did not reach the root from ${accountId}` };
  }

  async function scpsOf(accountId: string): Promise<Maybe<ScpPolicy[]>> {
    const path = await pathOf(accountId);
    if (!Array.isArray(path)) return unknown(path.reason);
    const perTarget = await mapAll(path, (target) => policiesFor(target));
    const scps: ScpPolicy[] = [];
    for (const [i, result] of perTarget.entries()) {
      if (!result.ok) return failed(result);
      const summaries = result.value.flatMap((p) => p.Policies ?? []).filter((s): s is PolicySummary & { Id: string } => !!s.Id);
      const documents = await mapAll(summaries, (s) => documentOf(s.Id));
      summaries.forEach((s, j) => scps.push({ id: s.Id, name: s.Name ?? s.Id, target: path[i], document: documents[j] }));
    }
    return scps;
  }

  const resources: Resource<'aws.organizations.account'>[] = await mapAll(active, async (account) => {
    const id = account.Arn ?? `arn:${scope.partition}:organizations::${managementAccountId}:account/${account.Id}`;
    // Without the roots the walk cannot tell where it ends; every chain is then unknown.
    const scps: Maybe<ScpPolicy[]> = rootsResult.ok ? await scpsOf(account.Id) : failed(rootsResult);
    return {
      type: 'aws.organizations.account',
      id,
      name: account.Name ?? account.Id,
      provenance: provenance(scope, id, GLOBAL, account.Id),
      props: {
        accountId: account.Id,
        accountName: account.Name ?? account.Id,
        isManagementAccount: account.Id === managementAccountId,
        scps,
      },
    };
  });

  return {
    resources,
    errors,
    accounts: active.map((a) => ({ id: a.Id, name: a.Name ?? a.Id })),
    managementAccountId,
    organizationId,
  };
}

