// EC2 (ec2Query): security groups, network interfaces, network ACLs and regions. EC2 answers in
// lowerCamel XML with `<item>` lists; filters supported: group-id, vpc-id, network-interface-id.
import { ApiError } from '../protocol.js';
import type { IpPermissionScenario } from '../scenario.js';
import { paginate, type FakeRequest, type World } from '../world.js';

type Handler = (req: FakeRequest, world: World) => unknown;

/** EC2 list parameters: `GroupId.1`, `GroupId.2`, … */
export function ec2List(form: URLSearchParams, name: string): string[] {
  const out: { i: number; v: string }[] = [];
  for (const [key, value] of form) {
    const m = new RegExp(`^${name}\\.(\\d+)$`).exec(key);
    if (m) out.push({ i: Number(m[1]), v: value });
  }
  return out.sort((a, b) => a.i - b.i).map((x) => x.v);
}

/** `Filter.N.Name` / `Filter.N.Value.M` → name → values. */
export function ec2Filters(form: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [key, value] of form) {
    const m = /^Filter\.(\d+)\.Name$/.exec(key);
    if (m) filters.set(value, ec2List(form, `Filter\\.${m[1]}\\.Value`));
  }
  return filters;
}

function matches(filters: Map<string, string[]>, name: string, values: (string | undefined)[]): boolean {
  const wanted = filters.get(name);
  return !wanted || values.some((v) => v !== undefined && wanted.includes(v));
}

function page<T>(req: FakeRequest, world: World, items: T[]) {
  return paginate(items, req.form.get('NextToken') ?? undefined, req.form.get('MaxResults') ?? undefined, world.pageSizeFor(req.operation), () =>
    new ApiError('InvalidParameterValue', 'Invalid value for nextToken', 400),
  );
}

function permission(p: IpPermissionScenario) {
  return {
    ipProtocol: p.IpProtocol,
    fromPort: p.FromPort,
    toPort: p.ToPort,
    groups: (p.UserIdGroupPairs ?? []).map((g) => ({ groupId: g.GroupId, userId: g.UserId })),
    ipRanges: (p.IpRanges ?? []).map((r) => ({ cidrIp: r.CidrIp, description: r.Description })),
    ipv6Ranges: (p.Ipv6Ranges ?? []).map((r) => ({ cidrIpv6: r.CidrIpv6, description: r.Description })),
    prefixListIds: (p.PrefixListIds ?? []).map((r) => ({ prefixListId: r.PrefixListId })),
  };
}

export const ec2Handlers: Record<string, Handler> = {
  DescribeSecurityGroups(req, world) {
    const ids = ec2List(req.form, 'GroupId');
    const filters = ec2Filters(req.form);
    const groups = (world.region(req.account, req.region).ec2?.securityGroups ?? []).filter(
      (g) => (ids.length === 0 || ids.includes(g.GroupId)) && matches(filters, 'group-id', [g.GroupId]) && matches(filters, 'vpc-id', [g.VpcId]),
    );
    const missing = ids.find((id) => !groups.some((g) => g.GroupId === id));
    if (missing) throw new ApiError('InvalidGroup.NotFound', `The security group '${missing}' does not exist`, 400);
    const p = page(req, world, groups);
    return {
      securityGroupInfo: p.items.map((g) => ({
        ownerId: req.account,
        groupId: g.GroupId,
        groupName: g.GroupName,
        groupDescription: g.Description ?? g.GroupName,
        vpcId: g.VpcId,
        securityGroupArn: `arn:aws:ec2:${req.region}:${req.account}:security-group/${g.GroupId}`,
        ipPermissions: (g.IpPermissions ?? []).map(permission),
        ipPermissionsEgress: (g.IpPermissionsEgress ?? []).map(permission),
      })),
      nextToken: p.next,
    };
  },

  DescribeNetworkInterfaces(req, world) {
    const ids = ec2List(req.form, 'NetworkInterfaceId');
    const filters = ec2Filters(req.form);
    const groupNames = new Map((world.region(req.account, req.region).ec2?.securityGroups ?? []).map((g) => [g.GroupId, g.GroupName]));
    const enis = (world.region(req.account, req.region).ec2?.networkInterfaces ?? []).filter(
      (n) =>
        (ids.length === 0 || ids.includes(n.NetworkInterfaceId)) &&
        matches(filters, 'group-id', n.Groups) &&
        matches(filters, 'vpc-id', [n.VpcId]) &&
        matches(filters, 'network-interface-id', [n.NetworkInterfaceId]),
    );
    const p = page(req, world, enis);
    return {
      networkInterfaceSet: p.items.map((n) => ({
        networkInterfaceId: n.NetworkInterfaceId,
        subnetId: n.SubnetId,
        vpcId: n.VpcId,
        description: n.Description ?? '',
        ownerId: req.account,
        status: n.Status ?? 'in-use',
        interfaceType: n.InterfaceType ?? 'interface',
        groupSet: n.Groups.map((id) => ({ groupId: id, groupName: groupNames.get(id) ?? id })),
        availabilityZone: n.AvailabilityZone,
        requesterId: n.RequesterId,
        requesterManaged: n.RequesterId !== undefined,
        privateIpAddress: n.PrivateIpAddress,
        privateIpAddressesSet: n.PrivateIpAddress ? [{ privateIpAddress: n.PrivateIpAddress, primary: true }] : undefined,
        ipv6AddressesSet: n.Ipv6Addresses?.map((a) => ({ ipv6Address: a })),
        attachment: n.InstanceId
          ? { attachmentId: `eni-attach-${n.NetworkInterfaceId.slice(4)}`, instanceId: n.InstanceId, instanceOwnerId: req.account, deviceIndex: 0, status: 'attached', deleteOnTermination: true }
          : undefined,
        association: n.PublicIp ? { publicIp: n.PublicIp, ipOwnerId: 'amazon' } : undefined,
      })),
      nextToken: p.next,
    };
  },

  DescribeFlowLogs(req, world) {
    const filters = ec2Filters(req.form);
    const flowLogs = (world.region(req.account, req.region).ec2?.flowLogs ?? []).filter(
      (f) => matches(filters, 'log-group-name', [f.LogGroupName]) && matches(filters, 'resource-id', [f.ResourceId]),
    );
    const p = page(req, world, flowLogs);
    return {
      flowLogSet: p.items.map((f) => ({
        flowLogId: f.FlowLogId,
        resourceId: f.ResourceId,
        logDestinationType: f.LogDestinationType ?? (f.LogGroupName ? 'cloud-watch-logs' : 's3'),
        logGroupName: f.LogGroupName,
        logFormat: f.LogFormat ?? '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
        flowLogStatus: 'ACTIVE',
        deliverLogsStatus: 'SUCCESS',
        trafficType: 'ALL',
        maxAggregationInterval: 60,
      })),
      nextToken: p.next,
    };
  },

  DescribeNetworkAcls(req, world) {
    const ids = ec2List(req.form, 'NetworkAclId');
    const filters = ec2Filters(req.form);
    const acls = (world.region(req.account, req.region).ec2?.networkAcls ?? []).filter(
      (a) => (ids.length === 0 || ids.includes(a.NetworkAclId)) && matches(filters, 'vpc-id', [a.VpcId]),
    );
    const p = page(req, world, acls);
    return {
      networkAclSet: p.items.map((a) => ({
        networkAclId: a.NetworkAclId,
        vpcId: a.VpcId,
        default: a.IsDefault ?? false,
        ownerId: req.account,
        entrySet: a.Entries.map((e) => ({
          ruleNumber: e.RuleNumber,
          protocol: e.Protocol,
          ruleAction: e.RuleAction,
          egress: e.Egress,
          cidrBlock: e.CidrBlock,
          ipv6CidrBlock: e.Ipv6CidrBlock,
          portRange: e.PortRange ? { from: e.PortRange.From, to: e.PortRange.To } : undefined,
        })),
        associationSet: [],
        tagSet: [],
      })),
      nextToken: p.next,
    };
  },

  DescribeRegions(req, world) {
    const all = req.form.get('AllRegions') === 'true';
    const names = ec2List(req.form, 'RegionName');
    const regions = world
      .regionNames()
      .filter((name) => names.length === 0 || names.includes(name))
      .map((name) => {
        const enabled = world.isRegionEnabled(req.account, name);
        const optInStatus = enabled ? (world.isOptInRegion(name) ? 'opted-in' : 'opt-in-not-required') : 'not-opted-in';
        return { regionName: name, regionEndpoint: `ec2.${name}.amazonaws.com`, optInStatus };
      })
      .filter((r) => all || r.optInStatus !== 'not-opted-in');
    return { regionInfo: regions };
  },
};
