// IAM (awsQuery): GetAccountAuthorizationDetails with URL-encoded policy documents as IAM returns
// them, ListAccessKeys and GetAccessKeyLastUsed.
import { ApiError } from '../protocol.js';
import type { AttachedManagedPolicy, IamManagedPolicyScenario, InlinePolicy, PolicyDocumentJson } from '../scenario.js';
import { DEFAULT_DATE, date, fakeId, paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

const badMarker = (): ApiError => new ApiError('ValidationError', 'Invalid Marker', 400);

/** IAM returns documents percent-encoded (RFC 3986); clients must decodeURIComponent them. */
export function encodePolicyDocument(doc: PolicyDocumentJson): string {
  return encodeURIComponent(JSON.stringify(doc));
}

function inline(list: InlinePolicy[] | undefined) {
  return (list ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: encodePolicyDocument(p.PolicyDocument) }));
}

function attached(list: AttachedManagedPolicy[] | undefined) {
  return (list ?? []).map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.PolicyArn }));
}

function policyArn(account: string, p: IamManagedPolicyScenario): string {
  return p.Arn ?? `arn:aws:iam::${account}:policy${p.Path ?? '/'}${p.PolicyName}`;
}

/** `member.N` list parameters of the query protocol (`Filter.member.1`, …), in order. */
export function memberList(form: URLSearchParams, name: string): string[] {
  const out: { i: number; v: string }[] = [];
  for (const [key, value] of form) {
    const m = new RegExp(`^${name}\\.member\\.(\\d+)$`).exec(key);
    if (m) out.push({ i: Number(m[1]), v: value });
  }
  return out.sort((a, b) => a.i - b.i).map((x) => x.v);
}

function findUser(req: FakeRequest, world: World, userName: string | null) {
  const user = (world.account(req.account).iam?.users ?? []).find((u) => u.UserName === userName);
  if (!user) throw new ApiError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404);
  return user;
}

function queryPage<T>(req: FakeRequest, world: World, items: T[]) {
  const p = paginate(items, req.form.get('Marker') ?? undefined, req.form.get('MaxItems') ?? undefined, world.pageSize, badMarker);
  return { items: p.items, IsTruncated: p.next !== undefined, Marker: p.next };
}

export const iamHandlers: Record<string, Handler> = {
  GetAccountAuthorizationDetails(req, world) {
    const account = req.account;
    const iam = world.account(account).iam ?? {};
    const filters = memberList(req.form, 'Filter');
    const wants = (f: string): boolean => filters.length === 0 || filters.includes(f);
    const attachments = new Map<string, number>();
    for (const holder of [...(iam.users ?? []), ...(iam.groups ?? []), ...(iam.roles ?? [])]) {
      for (const a of holder.AttachedManagedPolicies ?? []) attachments.set(a.PolicyArn, (attachments.get(a.PolicyArn) ?? 0) + 1);
    }
    type Entry = { list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'; value: Record<string, unknown> };
    const entries: Entry[] = [];
    if (wants('User')) {
      for (const u of iam.users ?? []) {
        const path = u.Path ?? '/';
        entries.push({
          list: 'UserDetailList',
          value: {
            Path: path,
            UserName: u.UserName,
            UserId: u.UserId ?? fakeId('AIDA', `${account}/${u.UserName}`),
            Arn: `arn:aws:iam::${account}:user${path}${u.UserName}`,
            CreateDate: date(u.CreateDate ?? DEFAULT_DATE),
            UserPolicyList: inline(u.UserPolicyList),
            GroupList: u.GroupList ?? [],
            AttachedManagedPolicies: attached(u.AttachedManagedPolicies),
          },
        });
      }
    }
    if (wants('Group')) {
      for (const g of iam.groups ?? []) {
        const path = g.Path ?? '/';
        entries.push({
          list: 'GroupDetailList',
          value: {
            Path: path,
            GroupName: g.GroupName,
            GroupId: g.GroupId ?? fakeId('AGPA', `${account}/${g.GroupName}`),
            Arn: `arn:aws:iam::${account}:group${path}${g.GroupName}`,
            CreateDate: date(g.CreateDate ?? DEFAULT_DATE),
            GroupPolicyList: inline(g.GroupPolicyList),
            AttachedManagedPolicies: attached(g.AttachedManagedPolicies),
          },
        });
      }
    }
    if (wants('Role')) {
      for (const r of iam.roles ?? []) {
        const path = r.Path ?? '/';
        entries.push({
          list: 'RoleDetailList',
          value: {
            Path: path,
            RoleName: r.RoleName,
            RoleId: r.RoleId ?? fakeId('AROA', `${account}/${r.RoleName}`),
            Arn: `arn:aws:iam::${account}:role${path}${r.RoleName}`,
            CreateDate: date(r.CreateDate ?? DEFAULT_DATE),
            AssumeRolePolicyDocument: encodePolicyDocument(r.AssumeRolePolicyDocument),
            InstanceProfileList: [],
            RolePolicyList: inline(r.RolePolicyList),
            AttachedManagedPolicies: attached(r.AttachedManagedPolicies),
          },
        });
      }
    }
    for (const p of iam.policies ?? []) {
      const arn = policyArn(account, p);
      const awsManaged = arn.startsWith('arn:aws:iam::aws:');
      // Like IAM: AWS managed policies are listed only when something in the account uses them.
      if (awsManaged ? !wants('AWSManagedPolicy') || !attachments.has(arn) : !wants('LocalManagedPolicy')) continue;
      const created = date(p.CreateDate ?? DEFAULT_DATE);
      entries.push({
        list: 'Policies',
        value: {
          PolicyName: p.PolicyName,
          PolicyId: p.PolicyId ?? fakeId('ANPA', arn),
          Arn: arn,
          Path: p.Path ?? '/',
          DefaultVersionId: 'v1',
          AttachmentCount: attachments.get(arn) ?? 0,
          PermissionsBoundaryUsageCount: 0,
          IsAttachable: true,
          CreateDate: created,
          UpdateDate: created,
          PolicyVersionList: [
            { Document: encodePolicyDocument(p.Document), VersionId: 'v1', IsDefaultVersion: true, CreateDate: created },
          ],
        },
      });
    }
    const p = queryPage(req, world, entries);
    const out: Record<string, unknown> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const e of p.items) (out[e.list] as unknown[]).push(e.value);
    return { ...out, IsTruncated: p.IsTruncated, Marker: p.Marker };
  },

  ListAccessKeys(req, world) {
    const user = findUser(req, world, req.form.get('UserName'));
    const p = queryPage(req, world, user.AccessKeys ?? []);
    return {
      AccessKeyMetadata: p.items.map((k) => ({
        UserName: user.UserName,
        AccessKeyId: k.AccessKeyId,
        Status: k.Status,
        CreateDate: date(k.CreateDate),
      })),
      IsTruncated: p.IsTruncated,
      Marker: p.Marker,
    };
  },

  GetAccessKeyLastUsed(req, world) {
    const id = req.form.get('AccessKeyId');
    for (const user of world.account(req.account).iam?.users ?? []) {
      const key = (user.AccessKeys ?? []).find((k) => k.AccessKeyId === id);
      if (!key) continue;
      return {
        UserName: user.UserName,
        AccessKeyLastUsed: {
          LastUsedDate: date(key.LastUsedDate),
          ServiceName: key.LastUsedServiceName ?? 'N/A',
          Region: key.LastUsedRegion ?? 'N/A',
        },
      };
    }
    // IAM answers AccessDenied for a key id that is not in the caller's account.
    throw new ApiError('AccessDenied', `The access key ${id} does not belong to this account`, 403);
  },
};
