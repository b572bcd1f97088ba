// EC2 collector (one account, one region): security groups with one egress rule per destination, whether
// each group is attached to a network interface (live SESG-NET-001/002 only judge attached groups), network
// ACLs with their entries (SESG-NET-003), and the network interfaces themselves (what `sesguard trail
// --snapshot` names the workload behind a flow log interface by).
import {
  EC2Client,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  type IpPermission,
  type NetworkAclEntry,
  type NetworkInterface,
} from '@aws-sdk/client-ec2';
import type { EgressRule, Maybe, NaclEntry, NetworkInterfaceProps, Resource } from '../../../inventory/types.js';
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

/** `AWS Lambda VPC ENI-<function>` (older interfaces add `-<uuid>`): the function that created the interface. */
function lambdaFunctionOf(description: string | undefined): string | undefined {
  const match = /^AWS Lambda VPC ENI-(.+?)(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/.exec(description ?? '');
  return match?.[1];
}

export function networkInterfaceProps(n: NetworkInterface & { NetworkInterfaceId: string }): NetworkInterfaceProps {
  const props: NetworkInterfaceProps = {
    networkInterfaceId: n.NetworkInterfaceId,
    securityGroups: (n.Groups ?? []).filter((g) => g.GroupId).map((g) => ({ groupId: g.GroupId as string, ...(g.GroupName ? { groupName: g.GroupName } : {}) })),
    privateIpAddresses: [...new Set([n.PrivateIpAddress, ...(n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)].filter((a): a is string => !!a))],
    ipv6Addresses: (n.Ipv6Addresses ?? []).map((a) => a.Ipv6Address).filter((a): a is string => !!a),
  };
  if (n.InterfaceType) props.interfaceType = n.InterfaceType;
  if (n.Description) props.description = n.Description;
  if (n.Status) props.status = n.Status;
  if (n.SubnetId) props.subnetId = n.SubnetId;
  if (n.VpcId) props.vpcId = n.VpcId;
  if (n.AvailabilityZone) props.availabilityZone = n.AvailabilityZone;
  if (n.Attachment?.InstanceId) props.instanceId = n.Attachment.InstanceId;
  const lambda = n.InterfaceType === 'lambda' || /^AWS Lambda VPC ENI-/.test(n.Description ?? '') ? lambdaFunctionOf(n.Description) : undefined;
  if (lambda) props.lambdaFunction = lambda;
  if (n.RequesterId) props.requesterId = n.RequesterId;
  if (n.RequesterManaged !== undefined) props.requesterManaged = n.RequesterManaged;
  if (n.Association?.PublicIp) props.publicIp = n.Association.PublicIp;
  return props;
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

  // Without the interfaces the groups' `attached` is Unknown (above); the interfaces themselves are context for
  // `sesguard trail --snapshot`, read by no check: their absence is recorded (trail says why it cannot name a
  // workload) and affects no verdict.
  if (!interfaces.ok) errors.push(callError(scope, region, 'ec2:DescribeNetworkInterfaces', interfaces.error, ['aws.ec2.network-interface']));
  else {
    for (const n of interfaces.value.flatMap((p) => p.NetworkInterfaces ?? [])) {
      if (!n.NetworkInterfaceId) continue;
      const owner = n.OwnerId ?? scope.accountId;
      const id = arn(scope, 'ec2', region, `network-interface/${n.NetworkInterfaceId}`, owner);
      resources.push({
        type: 'aws.ec2.network-interface',
        id,
        name: n.NetworkInterfaceId,
        provenance: provenance(scope, id, region, owner),
        props: networkInterfaceProps(n as NetworkInterface & { NetworkInterfaceId: string }),
      });
    }
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
