// IAM collector (global): roles, users and groups with every policy that applies to them, from one paginated
// GetAccountAuthorizationDetails (documents arrive URL-encoded), plus every user's access keys from the credential
// report — or, with `credentialReport: false` (--no-credential-report), per user with ListAccessKeys and
// GetAccessKeyLastUsed for the users that may use SES.
import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  type AttachedPolicy as SdkAttachedPolicy,
  type GetAccountAuthorizationDetailsCommandOutput,
  type ManagedPolicyDetail,
  type PolicyDetail,
} from '@aws-sdk/client-iam';
import { awsManagedPolicy } from '../../../inventory/aws-managed-policies.js';
import { normalizePolicyDocument } from '../../../inventory/policy-document.js';
import type { AccessKey, AttachedPolicy, Maybe, PolicyDocument, Resource } from '../../../inventory/types.js';
import { isUnknown, unknown } from '../../../inventory/types.js';
import type { AccountScope, Collected } from '../types.js';
import { fetchCredentialReport, type ReportResult } from './credential-report.js';
import { GLOBAL, attempt, attemptPages, callError, clientOf, failed, homeRegion, iso, mapAll, provenance } from './util.js';

const SERVICE = 'iam';
const DETAILS = 'iam:GetAccountAuthorizationDetails';

/** IAM returns policy documents percent-encoded (RFC 3986): decode, then parse and normalize. */
export function decodePolicyDocument(encoded: string | undefined, what: string): Maybe<PolicyDocument> {
  if (encoded === undefined) return unknown(`${DETAILS} returned no document for ${what}`);
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return unknown(`${DETAILS} returned a document for ${what} that is not URL-encoded`);
  }
  return normalizePolicyDocument(text);
}

function inlinePolicies(list: PolicyDetail[] | undefined, owner: string, definedAt?: AttachedPolicy['definedAt']): AttachedPolicy[] {
  return (list ?? []).map((p) => ({
    name: p.PolicyName ?? '(unnamed)',
    kind: 'inline' as const,
    ...(definedAt ? { definedAt } : {}),
    document: decodePolicyDocument(p.PolicyDocument, `inline policy ${p.PolicyName} of ${owner}`),
  }));
}

/** The document of a managed policy's default version. */
function defaultVersionDocument(policy: ManagedPolicyDetail): Maybe<PolicyDocument> {
  const versions = policy.PolicyVersionList ?? [];
  const version = versions.find((v) => v.IsDefaultVersion) ?? versions.find((v) => v.VersionId === policy.DefaultVersionId);
  return decodePolicyDocument(version?.Document, `the default version of ${policy.Arn}`);
}

/**
 * Cheap pre-filter for the access-key calls: a policy statement that names an `ses:` action, a wildcard
 * service (`*`, `s*:…`), or allows through `NotAction` could grant sending. Only users with such a statement
 * (or a document that could not be read) get ListAccessKeys / GetAccessKeyLastUsed, so the number of IAM
 * calls follows the number of SES-capable users, not of all principals. Other users get `accessKeys: []`:
 * SESG-IAM-005 only concerns users that can send, and its `sendGrants` is empty for them anyway.
 */
export function mayUseSes(policies: AttachedPolicy[]): boolean {
  return policies.some((policy) => {
    if (isUnknown(policy.document)) return true;
    return policy.document.statements.some((s) => {
      if (s.effect !== 'Allow') return false;
      if (s.notAction !== undefined) return true;
      return (s.action ?? []).some((a) => {
        if (isUnknown(a)) return true;
        const service = a.split(':')[0].toLowerCase();
        return a === '*' || service === 'ses' || (service.includes('*') && globMatches(service, 'ses'));
      });
    });
  });
}

function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

export interface IamOptions {
  /** Keys from the credential report (default); false: ListAccessKeys / GetAccessKeyLastUsed per SES-capable user. */
  credentialReport?: boolean;
  /** Waits between credential report polls (tests shorten them). */
  reportPollMs?: readonly number[];
}

export async function collectIam(scope: AccountScope, options: IamOptions = {}): Promise<Collected> {
  const client = clientOf(scope, IAMClient, homeRegion(scope.partition));
  const useReport = options.credentialReport ?? true;
  // The report does not depend on the principals: fetched alongside them (a generation can take seconds).
  const reportFetch: Promise<ReportResult> | undefined = useReport ? fetchCredentialReport(scope, client, options.reportPollMs) : undefined;
  const details = await attemptPages(
    scope,
    SERVICE,
    DETAILS,
    // 1,000 entries a page, IAM's maximum (its default is 100): one call for most accounts, whatever their principals.
    paginateGetAccountAuthorizationDetails({ client, pageSize: 1000 }, { Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] }),
  );
  if (!details.ok) {
    await reportFetch;
    // A partial listing would hide principals: nothing IAM is built for the account.
    return { resources: [], errors: [callError(scope, GLOBAL, DETAILS, details.error, ['aws.iam.role', 'aws.iam.user', 'aws.iam.group'])] };
  }
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = details.value;
  const users = pages.flatMap((p) => p.UserDetailList ?? []);
  const groups = pages.flatMap((p) => p.GroupDetailList ?? []);
  const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
  const managed = new Map(pages.flatMap((p) => p.Policies ?? []).filter((p) => p.Arn).map((p) => [p.Arn as string, p]));

  const awsManagedPrefix = `arn:${scope.partition}:iam::aws:policy/`;
  function attachedPolicies(list: SdkAttachedPolicy[] | undefined): AttachedPolicy[] {
    return (list ?? []).map((a) => {
      const arn = a.PolicyArn ?? '';
      const policy = managed.get(arn);
      return {
        name: a.PolicyName ?? arn,
        kind: arn.startsWith(awsManagedPrefix) ? ('aws-managed' as const) : ('managed' as const),
        arn,
        document: policy
          ? defaultVersionDocument(policy)
          : arn.startsWith(awsManagedPrefix)
            ? awsManagedPolicy(arn)
            : unknown(`${DETAILS} did not return managed policy ${arn}`),
      };
    });
  }

  const resources: Resource[] = [];
  const groupPolicies = new Map<string, AttachedPolicy[]>();
  for (const g of groups) {
    const name = g.GroupName ?? '';
    const id = g.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:group${g.Path ?? '/'}${name}`;
    const definedAt = provenance(scope, id, GLOBAL);
    const policies = [...inlinePolicies(g.GroupPolicyList, `group ${name}`, definedAt), ...attachedPolicies(g.AttachedManagedPolicies).map((p) => ({ ...p, definedAt }))];
    groupPolicies.set(name, policies);
    resources.push({ type: 'aws.iam.group', id, name, provenance: definedAt, props: { groupName: name, policies } });
  }

  for (const r of roles) {
    const name = r.RoleName ?? '';
    const id = r.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:role${r.Path ?? '/'}${name}`;
    resources.push({
      type: 'aws.iam.role',
      id,
      name,
      provenance: provenance(scope, id, GLOBAL),
      props: {
        roleName: name,
        trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument, `the trust policy of role ${name}`),
        policies: [...inlinePolicies(r.RolePolicyList, `role ${name}`), ...attachedPolicies(r.AttachedManagedPolicies)],
        serviceLinked: r.Path === '/aws-service-role/',
      },
    });
  }

  const iamUsers = users.map((u) => {
    const name = u.UserName ?? '';
    const id = u.Arn ?? `arn:${scope.partition}:iam::${scope.accountId}:user${u.Path ?? '/'}${name}`;
    const groupNames = u.GroupList ?? [];
    const policies: AttachedPolicy[] = [
      ...inlinePolicies(u.UserPolicyList, `user ${name}`),
      ...attachedPolicies(u.AttachedManagedPolicies),
      ...groupNames.flatMap(
        (g): AttachedPolicy[] =>
          groupPolicies.get(g) ?? [{ name: `group ${g}`, kind: 'inline', document: unknown(`${DETAILS} did not return group ${g}`) }],
      ),
    ];
    return { name, id, groupNames, policies };
  });

  const report = reportFetch ? await reportFetch : undefined;
  const keysOf = async (u: { name: string; id: string; policies: AttachedPolicy[] }): Promise<AccessKey[]> => {
    if (report) return reportKeys(report, u.id);
    return mayUseSes(u.policies) ? accessKeys(scope, client, u.name) : [];
  };
  const userResources = await mapAll(iamUsers, async (u): Promise<Resource<'aws.iam.user'>> => ({
    type: 'aws.iam.user',
    id: u.id,
    name: u.name,
    provenance: provenance(scope, u.id, GLOBAL),
    props: {
      userName: u.name,
      policies: u.policies,
      groups: u.groupNames,
      accessKeys: await keysOf(u),
    },
  }));
  resources.push(...userResources);
  return { resources, errors: [] };
}

/**
 * A user's keys from the credential report. A report that could not be had, a user not in it (created after
 * IAM generated it) or an unreadable row make the user's key list Unknown: its key checks are not assessed.
 */
function reportKeys(result: ReportResult, arn: string): AccessKey[] {
  if (!result.ok) return unknown(`${result.reason} (--no-credential-report reads the keys per user instead)`) as unknown as AccessKey[];
  const row = result.report.users.get(arn);
  if (row === undefined) return unknown(`${arn} is not in the credential report generated at ${result.report.generatedAt}`) as unknown as AccessKey[];
  if (!Array.isArray(row)) return unknown(`iam:GetCredentialReport: ${row.unreadable}`) as unknown as AccessKey[];
  return row;
}

/**
 * Keys of one user with their last use (--no-credential-report). A failed listing makes the whole list Unknown (the model types it as an
 * array; the engine reads the marker wherever it sits); a failed last-use lookup makes that key's `lastUsedAt`
 * Unknown, so the idle-key test is not assessed rather than guessed from the creation date.
 */
async function accessKeys(scope: AccountScope, client: IAMClient, userName: string): Promise<AccessKey[]> {
  const listed = await attemptPages(scope, SERVICE, 'iam:ListAccessKeys', paginateListAccessKeys({ client }, { UserName: userName }));
  if (!listed.ok) return failed(listed) as unknown as AccessKey[];
  const metadata = listed.value.flatMap((p) => p.AccessKeyMetadata ?? []).filter((k) => k.AccessKeyId);
  return mapAll(metadata, async (k): Promise<AccessKey> => {
    const key: AccessKey = {
      id: k.AccessKeyId as string,
      status: k.Status === 'Active' ? 'Active' : 'Inactive',
      createdAt: iso(k.CreateDate) ?? '',
    };
    const used = await attempt(scope, SERVICE, 'iam:GetAccessKeyLastUsed', () =>
      client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.id })),
    );
    if (!used.ok) {
      key.lastUsedAt = failed(used) as unknown as string;
      return key;
    }
    const last = used.value.AccessKeyLastUsed;
    const lastUsedAt = iso(last?.LastUsedDate);
    if (lastUsedAt) key.lastUsedAt = lastUsedAt;
    if (last?.ServiceName && last.ServiceName !== 'N/A') key.lastUsedService = last.ServiceName;
    return key;
  });
}
