// IAM (awsQuery): GetAccountAuthorizationDetails with URL-encoded policy documents as IAM returns
// them, ListAccessKeys and GetAccessKeyLastUsed, and the credential report (GenerateCredentialReport starts
// a generation that takes `pollsUntilReady` polls, none by default; GetCredentialReport serves the CSV, base64,
// as IAM does).
import { ApiError } from '../protocol.js';
import type { AccessKeyScenario, AttachedManagedPolicy, IamManagedPolicyScenario, IamUserScenario, InlinePolicy, PolicyDocumentJson } from '../scenario.js';
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
  const p = paginate(items, req.form.get('Marker') ?? undefined, req.form.get('MaxItems') ?? undefined, world.pageSizeFor(req.operation), badMarker);
  return { items: p.items, IsTruncated: p.next !== undefined, Marker: p.next };
}

/** IAM regenerates a credential report at most every four hours; an older one is expired. */
const REPORT_LIFETIME_MS = 4 * 3_600_000;

const REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation',
  'mfa_active', 'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region',
  'access_key_1_last_used_service', 'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'access_key_2_last_used_region', 'access_key_2_last_used_service', 'cert_1_active', 'cert_1_last_rotated', 'cert_2_active',
  'cert_2_last_rotated',
];

/** ISO 8601 the way the report writes it (`2024-01-01T00:00:00+00:00`), or `N/A`. */
function reportDate(iso: string | undefined): string {
  return iso === undefined ? 'N/A' : new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function keyCells(key: AccessKeyScenario | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  return [
    String(key.Status === 'Active'),
    reportDate(key.CreateDate),
    reportDate(key.LastUsedDate),
    key.LastUsedDate ? (key.LastUsedRegion ?? 'N/A') : 'N/A',
    key.LastUsedDate ? (key.LastUsedServiceName ?? 'N/A') : 'N/A',
  ];
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV of a report generated at `at`: the root row, then every user that existed then. */
function credentialReportCsv(account: string, users: IamUserScenario[], at: Date): string {
  const root = ['<root_account>', `arn:aws:iam::${account}:root`, reportDate(DEFAULT_DATE), 'not_supported', 'no_information', 'not_supported', 'not_supported', 'true', ...keyCells(undefined), ...keyCells(undefined), 'false', 'N/A', 'false', 'N/A'];
  const rows = users
    .filter((u) => Date.parse(u.CreateDate ?? DEFAULT_DATE) <= at.getTime())
    .map((u) => [
      u.UserName,
      `arn:aws:iam::${account}:user${u.Path ?? '/'}${u.UserName}`,
      reportDate(u.CreateDate ?? DEFAULT_DATE),
      'false', 'N/A', 'N/A', 'N/A', 'false',
      ...keyCells(u.AccessKeys?.[0]),
      ...keyCells(u.AccessKeys?.[1]),
      'false', 'N/A', 'false', 'N/A',
    ]);
  return [REPORT_COLUMNS, root, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
}

/** The account's report state, seeded from the scenario on first use. */
function reportState(req: FakeRequest, world: World): { generatedAt?: Date; pollsLeft?: number } {
  let state = world.credentialReports.get(req.account);
  if (!state) {
    const seeded = world.account(req.account).iam?.credentialReport?.GeneratedTime;
    state = { generatedAt: seeded ? new Date(seeded) : undefined };
    world.credentialReports.set(req.account, state);
  }
  return state;
}

/** A poll during a generation: counts down, and completes it when no poll is left. */
function pollGeneration(state: { generatedAt?: Date; pollsLeft?: number }): 'in-progress' | 'ready' | 'idle' {
  if (state.pollsLeft === undefined) return 'idle';
  if (state.pollsLeft > 0) {
    state.pollsLeft--;
    return 'in-progress';
  }
  state.pollsLeft = undefined;
  state.generatedAt = new Date();
  return 'ready';
}

export const iamHandlers: Record<string, Handler> = {
  GenerateCredentialReport(req, world) {
    const state = reportState(req, world);
    const poll = pollGeneration(state);
    if (poll === 'in-progress') return { State: 'INPROGRESS', Description: 'The credential report is being generated.' };
    if (poll === 'ready' || (state.generatedAt && Date.now() - state.generatedAt.getTime() < REPORT_LIFETIME_MS)) return { State: 'COMPLETE' };
    state.pollsLeft = world.account(req.account).iam?.credentialReport?.pollsUntilReady ?? 0;
    if (state.pollsLeft === 0) {
      pollGeneration(state);
      return { State: 'COMPLETE' };
    }
    return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
  },

  GetCredentialReport(req, world) {
    const state = reportState(req, world);
    if (pollGeneration(state) === 'in-progress') throw new ApiError('ReportInProgress', 'Report generation in progress', 404);
    const at = state.generatedAt;
    if (!at) throw new ApiError('ReportNotPresent', 'Credential report not present', 410);
    if (Date.now() - at.getTime() >= REPORT_LIFETIME_MS) throw new ApiError('ReportExpired', 'Credential report expired', 410);
    const csv = credentialReportCsv(req.account, world.account(req.account).iam?.users ?? [], at);
    return { Content: Buffer.from(csv, 'utf8').toString('base64'), ReportFormat: 'text/csv', GeneratedTime: at };
  },

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
