// Organizations (awsJson1_1): the org tree, accounts and service control policies.
import { ApiError } from '../protocol.js';
import type { AccountScenario } from '../scenario.js';
import { date, paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

const badToken = (): ApiError => new ApiError('InvalidInputException', 'You specified an invalid value for nextToken.');

function requireManagement(req: FakeRequest, world: World): void {
  if (req.account !== world.managementAccountId) {
    throw new ApiError(
      'AccessDeniedException',
      'You don’t have permissions to access this resource. This operation can be called only from the organization’s management account.',
    );
  }
}

function orgArn(world: World, kind: string, id: string): string {
  const org = world.scenario.organization;
  return `arn:aws:organizations::${org.MasterAccountId}:${kind}/${org.Id}/${id}`;
}

function accountOut(world: World, a: AccountScenario): Record<string, unknown> {
  const status = a.Status ?? 'ACTIVE';
  return {
    Id: a.Id,
    Arn: orgArn(world, 'account', a.Id),
    Email: a.Email ?? `aws+${a.Id}@example.com`,
    Name: a.Name,
    Status: status,
    State: status === 'ACTIVE' ? 'ACTIVE' : status === 'SUSPENDED' ? 'SUSPENDED' : 'PENDING_CLOSURE',
    JoinedMethod: a.JoinedMethod ?? (a.Id === world.managementAccountId ? 'CREATED' : 'INVITED'),
    JoinedTimestamp: date(a.JoinedTimestamp ?? '2023-06-01T00:00:00Z'),
  };
}

function page<T>(req: FakeRequest, world: World, items: T[]) {
  return paginate(items, req.json.NextToken, req.json.MaxResults, world.pageSizeFor(req.operation), badToken);
}

function parentExists(world: World, id: string): boolean {
  const org = world.scenario.organization;
  return org.roots.some((r) => r.Id === id) || (org.organizationalUnits ?? []).some((o) => o.Id === id);
}

function targetExists(world: World, id: string): boolean {
  return parentExists(world, id) || world.accounts.has(id);
}

export const organizationsHandlers: Record<string, Handler> = {
  DescribeOrganization(_req, world) {
    const org = world.scenario.organization;
    const master = world.account(org.MasterAccountId);
    return {
      Organization: {
        Id: org.Id,
        Arn: `arn:aws:organizations::${org.MasterAccountId}:organization/${org.Id}`,
        FeatureSet: org.FeatureSet ?? 'ALL',
        MasterAccountArn: orgArn(world, 'account', org.MasterAccountId),
        MasterAccountId: org.MasterAccountId,
        MasterAccountEmail: org.MasterAccountEmail ?? master.Email ?? `aws+${master.Id}@example.com`,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    };
  },

  ListAccounts(req, world) {
    requireManagement(req, world);
    const p = page(req, world, world.scenario.accounts);
    return { Accounts: p.items.map((a) => accountOut(world, a)), NextToken: p.next };
  },

  ListRoots(req, world) {
    requireManagement(req, world);
    const p = page(req, world, world.scenario.organization.roots);
    return {
      Roots: p.items.map((r) => ({
        Id: r.Id,
        Arn: orgArn(world, 'root', r.Id),
        Name: r.Name ?? 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      })),
      NextToken: p.next,
    };
  },

  ListOrganizationalUnitsForParent(req, world) {
    requireManagement(req, world);
    const parentId = String(req.json.ParentId ?? '');
    if (!parentExists(world, parentId)) throw new ApiError('ParentNotFoundException', `parent ${parentId} not found`);
    const ous = (world.scenario.organization.organizationalUnits ?? []).filter((o) => o.parentId === parentId);
    const p = page(req, world, ous);
    return {
      OrganizationalUnits: p.items.map((o) => ({ Id: o.Id, Arn: orgArn(world, 'ou', o.Id), Name: o.Name })),
      NextToken: p.next,
    };
  },

  ListAccountsForParent(req, world) {
    requireManagement(req, world);
    const parentId = String(req.json.ParentId ?? '');
    if (!parentExists(world, parentId)) throw new ApiError('ParentNotFoundException', `parent ${parentId} not found`);
    const p = page(req, world, world.scenario.accounts.filter((a) => a.parentId === parentId));
    return { Accounts: p.items.map((a) => accountOut(world, a)), NextToken: p.next };
  },

  ListParents(req, world) {
    requireManagement(req, world);
    const childId = String(req.json.ChildId ?? '');
    const org = world.scenario.organization;
    const parentId =
      world.accounts.get(childId)?.parentId ?? (org.organizationalUnits ?? []).find((o) => o.Id === childId)?.parentId;
    if (!parentId) throw new ApiError('ChildNotFoundException', `child ${childId} not found`);
    const type = org.roots.some((r) => r.Id === parentId) ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
    const p = page(req, world, [{ Id: parentId, Type: type }]);
    return { Parents: p.items, NextToken: p.next };
  },

  ListPoliciesForTarget(req, world) {
    requireManagement(req, world);
    const targetId = String(req.json.TargetId ?? '');
    const filter = String(req.json.Filter ?? '');
    if (filter !== 'SERVICE_CONTROL_POLICY') {
      throw new ApiError('InvalidInputException', `this fake only serves SERVICE_CONTROL_POLICY, not ${filter}`);
    }
    if (!targetExists(world, targetId)) throw new ApiError('TargetNotFoundException', `target ${targetId} not found`);
    const policies = (world.scenario.organization.policies ?? []).filter((p) => p.targets.includes(targetId));
    const p = page(req, world, policies);
    return { Policies: p.items.map((pol) => policySummary(world, pol)), NextToken: p.next };
  },

  DescribePolicy(req, world) {
    requireManagement(req, world);
    const id = String(req.json.PolicyId ?? '');
    const pol = (world.scenario.organization.policies ?? []).find((p) => p.Id === id);
    if (!pol) throw new ApiError('PolicyNotFoundException', `policy ${id} not found`);
    return { Policy: { PolicySummary: policySummary(world, pol), Content: JSON.stringify(pol.document) } };
  },
};

function policySummary(world: World, pol: { Id: string; Name: string; Description?: string; AwsManaged?: boolean }) {
  const org = world.scenario.organization;
  return {
    Id: pol.Id,
    Arn: pol.AwsManaged
      ? `arn:aws:organizations::aws:policy/service_control_policy/${pol.Id}`
      : `arn:aws:organizations::${org.MasterAccountId}:policy/${org.Id}/service_control_policy/${pol.Id}`,
    Name: pol.Name,
    Description: pol.Description ?? '',
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: pol.AwsManaged ?? false,
  };
}
