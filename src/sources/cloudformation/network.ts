// EC2 network resources of a template → aws.ec2.security-group (the egress rules written inline and as
// separate rule resources, and whether the group keeps the allow-all rule AWS adds when none is written) and
// aws.ec2.network-acl (with its entries). A rule or entry written for a group or ACL that is not in the
// template is evaluated on its own (see docs/iac.md, "References that do not resolve").
import { type EgressRule, type Maybe, type NaclEntry, type Resource, type Unknown, isUnknown, unknown } from '../../inventory/types.js';
import { type TemplateContext, located } from './context.js';
import type { Position, RawResource } from './parse.js';
import { bool, foreignLink, list, num, obj, str } from './values.js';
import { physicalName } from './iam.js';

const SECURITY_GROUP = 'AWS::EC2::SecurityGroup';
const SECURITY_GROUP_EGRESS = 'AWS::EC2::SecurityGroupEgress';
const NETWORK_ACL = 'AWS::EC2::NetworkAcl';
const NETWORK_ACL_ENTRY = 'AWS::EC2::NetworkAclEntry';

/** The CloudFormation resource types this adapter reads. */
export const NETWORK_RESOURCE_TYPES: readonly string[] = [SECURITY_GROUP, SECURITY_GROUP_EGRESS, NETWORK_ACL, NETWORK_ACL_ENTRY];

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

/** A rule the template does not decide (an unresolved `Fn::If`, a parameter): every field it could open is Unknown. */
function unknownRule(reason: Unknown, at: Position): EgressRule {
  return { protocol: reason, fromPort: reason, toPort: reason, cidrIpv4: reason, cidrIpv6: reason, ...located(at) };
}

/** How a reference to something outside the template reads in names and reasons. */
function describeReference(value: unknown): string | undefined {
  const text = str(value);
  return typeof text === 'string' && text !== '' ? text : undefined;
}

function outsideReason(what: string, value: unknown): string {
  const other = foreignLink(value);
  if (other) return `${what} ${other.logicalId} is defined in another scanned template (${other.file}), not in this one`;
  const text = describeReference(value);
  if (text !== undefined) return `${what} ${text} is not defined in this template`;
  const reason = isUnknown(value) ? `: ${value.$unknown}` : '';
  return `the ${what} is not defined in this template${reason}`;
}

function add<T>(map: Map<string, T[]>, key: string, item: T): void {
  const items = map.get(key);
  if (items) items.push(item);
  else map.set(key, [item]);
}

function securityGroups(context: TemplateContext): Resource[] {
  const out: Resource[] = [];
  const written = new Map<string, EgressRule[]>();
  /** Groups for which a rule is surely written (the default rule is then removed). */
  const replaced = new Set<string>();
  /** Groups whose inline list the template does not decide, with the reason. */
  const undecided = new Map<string, Unknown>();

  for (const group of context.ofType(SECURITY_GROUP)) {
    const rules = list(group.properties.SecurityGroupEgress);
    const at = context.at(group.properties.SecurityGroupEgress, group);
    if (isUnknown(rules)) {
      add(written, group.logicalId, unknownRule(rules, at));
      undecided.set(group.logicalId, rules);
      continue;
    }
    for (const rule of rules) {
      if (isUnknown(rule)) {
        add(written, group.logicalId, unknownRule(rule, context.at(rule, group)));
        if (!undecided.has(group.logicalId)) undecided.set(group.logicalId, rule);
        continue;
      }
      add(written, group.logicalId, egressRule(obj(rule), context.at(rule, group)));
      replaced.add(group.logicalId);
    }
  }

  for (const resource of context.ofType(SECURITY_GROUP_EGRESS)) {
    const rule = egressRule(resource.properties, { line: resource.line, column: resource.column });
    const group = context.target(resource.properties.GroupId, [SECURITY_GROUP]);
    if (group) {
      // CloudFormation removes the allow-all rule of the group before it adds a separate rule to it.
      add(written, group.logicalId, rule);
      replaced.add(group.logicalId);
      continue;
    }
    out.push(outsideGroupRule(context, resource, rule));
  }

  // A separate rule another stack writes for the group (on its exported id) removes the default rule as well.
  for (const logicalId of context.elsewhere.egressRules.keys()) replaced.add(logicalId);

  for (const group of context.ofType(SECURITY_GROUP)) {
    const defaultEgress: Maybe<boolean> = replaced.has(group.logicalId)
      ? false
      : (undecided.get(group.logicalId) ?? true);
    const props = {
      groupName: physicalName(group.properties.GroupName, 'GroupName'),
      egress: written.get(group.logicalId) ?? [],
      defaultEgress,
      attached: true,
    };
    assign(props as { vpcId?: Maybe<string> }, 'vpcId', str(group.properties.VpcId));
    const name = str(group.properties.GroupName);
    out.push({
      type: 'aws.ec2.security-group',
      id: context.id(group),
      name: typeof name === 'string' ? name : group.logicalId,
      provenance: context.provenance(group),
      props,
    });
  }
  return out;
}

/**
 * The security groups of other scanned templates that separate egress rules of this one are written for
 * (a `GroupId` read through `Fn::ImportValue`, `Fn::GetStackOutput` or a nested stack's parameter or output):
 * file → group logical id → the rules (`file#LogicalId`).
 */
export function egressRulesForOtherTemplates(context: TemplateContext): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const resource of context.ofType(SECURITY_GROUP_EGRESS)) {
    const other = foreignLink(resource.properties.GroupId);
    if (!other) continue;
    const groups = out.get(other.file) ?? new Map<string, string[]>();
    add(groups, other.logicalId, context.id(resource));
    out.set(other.file, groups);
  }
  return out;
}

/**
 * A rule on a group defined elsewhere (`sg-…`, `Fn::ImportValue`, a parameter, a VPC's default group): evaluated
 * on its own, as a group holding that one rule, under the rule's id, line and suppressions. What the group's
 * other rules allow is judged where the group is defined; whether it keeps a default rule is not known here.
 */
function outsideGroupRule(context: TemplateContext, resource: RawResource, rule: EgressRule): Resource<'aws.ec2.security-group'> {
  const reference = resource.properties.GroupId;
  const text = describeReference(reference);
  return {
    type: 'aws.ec2.security-group',
    id: context.id(resource),
    name: text ?? `egress rule ${resource.logicalId}`,
    provenance: context.provenance(resource),
    props: {
      groupName: unknown(outsideReason('security group', reference)),
      groupId: str(reference) ?? unknown('GroupId is not set'),
      egress: [rule],
      attached: true,
    },
  };
}

function naclEntry(resource: RawResource): NaclEntry {
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
  return entry;
}

function networkAcls(context: TemplateContext): Resource[] {
  const out: Resource[] = [];
  const entries = new Map<string, NaclEntry[]>();
  for (const resource of context.ofType(NETWORK_ACL_ENTRY)) {
    const entry = naclEntry(resource);
    const acl = context.target(resource.properties.NetworkAclId, [NETWORK_ACL]);
    if (acl) {
      add(entries, acl.logicalId, entry);
      continue;
    }
    // An entry of an ACL defined elsewhere: first-match evaluation needs that ACL's other entries, so
    // SESG-NET-003 is not assessed here, with the reason; the entry stays in the model under its own id and line.
    const reference = resource.properties.NetworkAclId;
    const missing = unknown(outsideReason('network ACL', reference));
    out.push({
      type: 'aws.ec2.network-acl',
      id: context.id(resource),
      name: describeReference(reference) ?? `network ACL entry ${resource.logicalId}`,
      provenance: context.provenance(resource),
      props: { networkAclId: str(reference) ?? unknown('NetworkAclId is not set'), entries: [entry, missing], isDefault: missing },
    });
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

export function adaptNetwork(context: TemplateContext): Resource[] {
  return [...securityGroups(context), ...networkAcls(context)];
}
