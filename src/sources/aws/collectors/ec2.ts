// EC2 collector (one account, one region): security groups with one egress rule per destination, whether
// each group is attached to a network interface (live SESG-NET-001/002 only judge attached groups), and
// network ACLs with their entries (SESG-NET-003).
import {
  EC2Client,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  type IpPermission,
  type NetworkAclEntry,
} from '@aws-sdk/client-ec2';
import type { EgressRule, Maybe, NaclEntry, Resource } from '../../../inventory/types.js';
import type { AccountScope, CallError, Collected } from '../types.js';
import { arn, attemptPages, callError, clientOf, failed, provenance } from './util.js';

const SERVICE = 'ec2';

/** One rule per destination (IPv4 range, IPv6 range, group, prefix list) of one permission. */
export function egressRules(permission: IpPermission): EgressRule[] {
  const protocol = permission.IpProtocol ?? '-1';
  const ports: Pick<EgressRule, 'fromPort' | 'toPort'> = {};
  // All-protocol and ICMP-any permissions carry -1 or no ports; only real port ranges are kept.
  if (protocol !== '-1' && permission.FromPort !== undefined && permission.FromPort !== -1) ports.fromPort = permission.FromPort;
  if (protocol !== '-1' && permission.ToPort !== undefined && permission.ToPort !== -1) ports.toPort = permission.ToPort;
  const base = { protocol, ...ports };
  return [
    ...(permission.IpRanges ?? []).filter((r) => r.CidrIp).map((r) => ({ ...base, cidrIpv4: r.CidrIp as string })),
    ...(permission.Ipv6Ranges ?? []).filter((r) => r.CidrIpv6).map((r) => ({ ...base, cidrIpv6: r.CidrIpv6 as string })),
    ...(permission.UserIdGroupPairs ?? []).filter((g) => g.GroupId).map((g) => ({ ...base, destinationGroup: g.GroupId as string })),
    ...(permission.PrefixListIds ?? []).filter((p) => p.PrefixListId).map((p) => ({ ...base, prefixListId: p.PrefixListId as string })),
  ];
}

export function naclEntry(e: NetworkAclEntry): NaclEntry {
  const entry: NaclEntry = {
    ruleNumber: e.RuleNumber ?? 0,
    egress: e.Egress === true,
    protocol: e.Protocol ?? '-1',
    ruleAction: e.RuleAction === 'deny' ? 'deny' : 'allow',
  };
  if (e.CidrBlock) entry.cidrBlock = e.CidrBlock;
  if (e.Ipv6CidrBlock) entry.ipv6CidrBlock = e.Ipv6CidrBlock;
  if (e.PortRange?.From !== undefined) entry.fromPort = e.PortRange.From;
  if (e.PortRange?.To !== undefined) entry.toPort = e.PortRange.To;
  return entry;
}

export async function collectEc2(scope: AccountScope, region: string): Promise<Collected> {
  const client = clientOf(scope, EC2Client, region);
  const [groups, interfaces, acls] = await Promise.all([
    attemptPages(scope, SERVICE, 'ec2:DescribeSecurityGroups', paginateDescribeSecurityGroups({ client }, {})),
    attemptPages(scope, SERVICE, 'ec2:DescribeNetworkInterfaces', paginateDescribeNetworkInterfaces({ client }, {})),
    attemptPages(scope, SERVICE, 'ec2:DescribeNetworkAcls', paginateDescribeNetworkAcls({ client }, {})),
  ]);
  const resources: Resource[] = [];
  const errors: CallError[] = [];

  if (groups.ok) {
    // Without the interfaces, whether a group is in use is Unknown: the egress checks become not assessed.
    const attachedIds: Set<string | undefined> | Maybe<boolean> = interfaces.ok
      ? new Set(interfaces.value.flatMap((p) => p.NetworkInterfaces ?? []).flatMap((n) => (n.Groups ?? []).map((g) => g.GroupId)))
      : failed(interfaces);
    for (const g of groups.value.flatMap((p) => p.SecurityGroups ?? [])) {
      if (!g.GroupId) continue;
      const owner = g.OwnerId ?? scope.accountId;
      const id = g.SecurityGroupArn ?? arn(scope, 'ec2', region, `security-group/${g.GroupId}`, owner);
      const attached: Maybe<boolean> = attachedIds instanceof Set ? attachedIds.has(g.GroupId) : attachedIds;
      resources.push({
        type: 'aws.ec2.security-group',
        id,
        name: g.GroupName ?? g.GroupId,
        provenance: provenance(scope, id, region, owner),
        props: {
          groupName: g.GroupName ?? g.GroupId,
          groupId: g.GroupId,
          ...(g.VpcId ? { vpcId: g.VpcId } : {}),
          egress: (g.IpPermissionsEgress ?? []).flatMap(egressRules),
          attached,
        },
      });
    }
  } else {
    errors.push(callError(scope, region, 'ec2:DescribeSecurityGroups', groups.error, ['aws.ec2.security-group']));
  }

  if (acls.ok) {
    for (const a of acls.value.flatMap((p) => p.NetworkAcls ?? [])) {
      if (!a.NetworkAclId) continue;
      const owner = a.OwnerId ?? scope.accountId;
      const id = arn(scope, 'ec2', region, `network-acl/${a.NetworkAclId}`, owner);
      resources.push({
        type: 'aws.ec2.network-acl',
        id,
        name: a.NetworkAclId,
        provenance: provenance(scope, id, region, owner),
        props: {
          networkAclId: a.NetworkAclId,
          entries: (a.Entries ?? []).map(naclEntry).sort((x, y) => Number(x.ruleNumber) - Number(y.ruleNumber)),
          isDefault: a.IsDefault === true,
        },
      });
    }
  } else {
    errors.push(callError(scope, region, 'ec2:DescribeNetworkAcls', acls.error, ['aws.ec2.network-acl']));
  }
  return { resources, errors };
}
