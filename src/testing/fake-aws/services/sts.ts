// STS (awsQuery) and Account (restJson1): role assumption into member accounts, caller identity,
// and the region opt-in list.
import { ApiError } from '../protocol.js';
import { fakeId, paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

export const stsHandlers: Record<string, Handler> = {
  AssumeRole(req, world) {
    const roleArn = req.form.get('RoleArn') ?? '';
    const sessionName = req.form.get('RoleSessionName') ?? '';
    const externalId = req.form.get('ExternalId') ?? undefined;
    const match = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    if (!match || !sessionName) {
      throw new ApiError('ValidationError', 'RoleArn and RoleSessionName must be valid', 400);
    }
    const [, accountId, roleName] = match;
    const denied = new ApiError(
      'AccessDenied',
      `User: arn:aws:iam::${req.account}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    );
    const target = world.accounts.get(accountId);
    if (!target || (target.Status ?? 'ACTIVE') !== 'ACTIVE') throw denied;
    const role = (target.assumableRoles ?? []).find((r) => r.RoleName === roleName);
    if (!role) throw denied;
    if (role.ExternalId !== undefined && role.ExternalId !== externalId) throw denied;
    const credentials = world.issueKey(accountId, roleName, sessionName);
    const duration = Number(req.form.get('DurationSeconds') ?? 3600);
    const roleId = fakeId('AROA', `${accountId}/${roleName}`);
    return {
      Credentials: { ...credentials, Expiration: new Date(Date.now() + duration * 1000) },
      AssumedRoleUser: {
        AssumedRoleId: `${roleId}:${sessionName}`,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      },
    };
  },

  GetCallerIdentity(req, world) {
    const assumed = world.issued.get(req.accessKeyId);
    if (assumed) {
      return {
        UserId: `${fakeId('AROA', `${assumed.account}/${assumed.roleName}`)}:${assumed.sessionName}`,
        Account: assumed.account,
        Arn: `arn:aws:sts::${assumed.account}:assumed-role/${assumed.roleName}/${assumed.sessionName}`,
      };
    }
    return {
      UserId: fakeId('AIDA', `${req.account}/scanner`),
      Account: req.account,
      Arn: `arn:aws:iam::${req.account}:user/scanner`,
    };
  },
};

export const accountHandlers: Record<string, Handler> = {
  ListRegions(req, world) {
    const accountId = req.json.AccountId === undefined ? req.account : String(req.json.AccountId);
    if (accountId !== req.account && req.account !== world.managementAccountId) {
      throw new ApiError('AccessDeniedException', 'only the management account may name another account', 403);
    }
    if (!world.accounts.has(accountId)) throw new ApiError('ResourceNotFoundException', `account ${accountId} not found`, 404);
    const filter = Array.isArray(req.json.RegionOptStatusContains) ? (req.json.RegionOptStatusContains as string[]) : undefined;
    const regions = world
      .regionNames()
      .map((name) => ({
        RegionName: name,
        RegionOptStatus: world.isRegionEnabled(accountId, name)
          ? world.isOptInRegion(name)
            ? 'ENABLED'
            : 'ENABLED_BY_DEFAULT'
          : 'DISABLED',
      }))
      .filter((r) => !filter || filter.includes(r.RegionOptStatus));
    const p = paginate(regions, req.json.NextToken, req.json.MaxResults, world.pageSizeFor(req.operation), () =>
      new ApiError('ValidationException', 'invalid NextToken', 400),
    );
    return { Regions: p.items, NextToken: p.next };
  },
};
