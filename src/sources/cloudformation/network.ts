// EC2 network resources of a template → aws.ec2.security-group (inline and separate egress rules, or
// the allow-all rule AWS adds when there is none) and aws.ec2.network-acl (with its entries).
import { type EgressRule, type Maybe, type NaclEntry, type Resource, isUnknown, unknown } from '../../inventory/types.js';
import { type TemplateContext, located } from './context.js';
import type { Position } from './parse.js';
import { bool, list, num, obj, str } from './values.js';
import { physicalName } from './iam.js';

const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const NETWORK_ACL = 'AWS::EC2::NetworkAcl';

/** `-1`, `tcp`, `6`: lower-cased text, numbers as their decimal string. */
function protocol(value: unknown): Maybe<string> {
  const text = str(value) ?? unknown('IpProtocol is not set');
  return isUnknown(text) ? text : text.trim().toLowerCase();
}

function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function egressRule(raw: Record<string, unknown>, at: Position): EgressRule {
  const rule: EgressRule = { protocol: protocol(raw.IpProtocol), ...located(at) };
  assign(rule, 'fromPort', num(raw.FromPort));
  assign(rule, 'toPort', num(raw.ToPort));
  assign(rule, 'cidrIpv4', str(raw.CidrIp));
  assign(rule, 'cidrIpv6', str(raw.CidrIpv6));
  assign(rule, 'destinationGroup', str(raw.DestinationSecurityGroupId));
  assign(rule, 'prefixListId', str(raw.DestinationPrefixListId));
  return rule;
}

export function normalizeNetwork(context: TemplateContext): Resource[] {
  const out: Resource[] = [];

  const egress = new Map<string, EgressRule[]>();
  const add = <T>(map: Map<string, T[]>, key: string, item: T) => {
    const items = map.get(key);
    if (items) items.push(item);
    else map.set(key, [item]);
  };
  for (const group of context.ofType(SECURITY_GROUP)) {
    const rules = list(group.properties.SecurityGroupEgress);
    if (isUnknown(rules)) {
      add(egress, group.logicalId, { protocol: rules, ...located(context.at(undefined, group)) });
      continue;
    }
    for (const rule of rules) add(egress, group.logicalId, egressRule(obj(rule), context.at(rule, group)));
  }
  // A rule whose group is not in the template describes a group we cannot see: skipped.
  for (const resource of context.ofType('AWS::EC2::SecurityGroupEgress')) {
    const group = context.target(resource.properties.GroupId, [SECURITY_GROUP]);
    if (group) add(egress, group.logicalId, egressRule(resource.properties, { line: resource.line, column: resource.column }));
  }
  for (const group of context.ofType(SECURITY_GROUP)) {
    // With no egress rule at all, AWS creates its default allow-all rule.
    const rules = egress.get(group.logicalId) ?? [
      { protocol: '-1', cidrIpv4: '0.0.0.0/0', line: group.line, column: group.column },
    ];
    const props = {
      groupName: physicalName(group.properties.GroupName, 'GroupName'),
      egress: rules,
      attached: true,
    };
    assign(props as { vpcId?: Maybe<string> }, 'vpcId', str(group.properties.VpcId));
    out.push({
      type: 'aws.ec2.security-group',
      id: context.id(group),
      name: (() => {
        const name = str(group.properties.GroupName);
        return typeof name === 'string' ? name : group.logicalId;
      })(),
      provenance: context.provenance(group),
      props,
    });
  }

  const entries = new Map<string, NaclEntry[]>();
  for (const resource of context.ofType('AWS::EC2::NetworkAclEntry')) {
    const acl = context.target(resource.properties.NetworkAclId, [NETWORK_ACL]);
    if (!acl) continue;
    const p = resource.properties;
    const action = str(p.RuleAction) ?? unknown('RuleAction is not set');
    const lowered = isUnknown(action) ? action : action.toLowerCase();
    const entry: NaclEntry = {
      ruleNumber: num(p.RuleNumber) ?? unknown('RuleNumber is not set'),
      egress: bool(p.Egress, false) === true,
      protocol: protocol(p.Protocol),
      ruleAction:
        isUnknown(lowered) || lowered === 'allow' || lowered === 'deny' ? lowered : unknown(`RuleAction ${lowered} is not allow or deny`),
      line: resource.line,
      column: resource.column,
    };
    assign(entry, 'cidrBlock', str(p.CidrBlock));
    assign(entry, 'ipv6CidrBlock', str(p.Ipv6CidrBlock));
    const range = obj(p.PortRange);
    assign(entry, 'fromPort', num(range.From));
    assign(entry, 'toPort', num(range.To));
    add(entries, acl.logicalId, entry);
  }
  for (const acl of context.ofType(NETWORK_ACL)) {
    out.push({
      type: 'aws.ec2.network-acl',
      id: context.id(acl),
      name: acl.logicalId,
      provenance: context.provenance(acl),
      props: { entries: entries.get(acl.logicalId) ?? [], isDefault: false },
    });
  }
  return out;
}

