// Security groups and network ACLs from a Terraform plan, with the egress rules of separate rule
// resources folded in. Terraform removes the allow-all egress rule AWS adds to a new group, so a group
// without egress blocks has no egress at all.
import {
  isUnknown,
  unknown,
  type EgressRule,
  type Maybe,
  type NaclEntry,
  type Resource,
} from '../../inventory/types.js';
import { namedBy, type Context } from './context.js';
import type { TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, blocks, bool, field, num, str, strList, type Values } from './values.js';

const GROUP_TYPES = ['aws_security_group', 'aws_default_security_group'];
const NACL_TYPES = ['aws_network_acl', 'aws_default_network_acl'];

/** The Terraform resource types this adapter reads. */
export const NETWORK_RESOURCE_TYPES = [...GROUP_TYPES, 'aws_security_group_rule', 'aws_vpc_security_group_egress_rule', ...NACL_TYPES, 'aws_network_acl_rule'];

/** EC2 protocol names lower-case, `all` as `-1`, numbers kept as strings. */
function protocol(value: unknown): Maybe<string> {
  const text = str(value);
  if (text === undefined) return unknown('protocol is not set');
  if (isUnknown(text)) return text;
  const p = text.trim().toLowerCase();
  return p === 'all' ? '-1' : p;
}

function ports(from: unknown, to: unknown): Pick<EgressRule, 'fromPort' | 'toPort'> {
  const fromPort = num(from);
  const toPort = num(to);
  return { ...(fromPort !== undefined ? { fromPort } : {}), ...(toPort !== undefined ? { toPort } : {}) };
}

/** One rule per destination: every CIDR of both lists, each prefix list, each group, `self`. */
function expand(base: EgressRule, destinations: Values | { $unknown: string }, names: {
  v4: string;
  v6: string;
  prefixLists: string;
  groups: string;
  self?: string;
}): EgressRule[] {
  const out: EgressRule[] = [];
  const each = (attribute: string, make: (value: Maybe<string>) => Partial<EgressRule>) => {
    const list = strList(field(destinations, attribute));
    for (const item of isUnknown(list) ? [list] : list) out.push({ ...base, ...make(item) });
  };
  each(names.v4, (v) => ({ cidrIpv4: v }));
  each(names.v6, (v) => ({ cidrIpv6: v }));
  each(names.prefixLists, (v) => ({ prefixListId: v }));
  each(names.groups, (v) => ({ destinationGroup: v }));
  if (names.self && field(destinations, names.self) === true) out.push({ ...base, destinationGroup: 'self' });
  return out;
}

function inlineEgress(ctx: Context, group: TfResource): EgressRule[] {
  const list = blocks(ctx.value(group, 'egress', 'block'));
  return list.flatMap((b, i) => {
    const at = ctx.nestedLine(group, 'egress', i, list.length);
    if (isUnknown(b)) return [{ ...at, protocol: b, fromPort: b, toPort: b, cidrIpv4: b, cidrIpv6: b }];
    const base: EgressRule = { ...at, protocol: protocol(b.protocol), ...ports(b.from_port, b.to_port) };
    return expand(base, b, { v4: 'cidr_blocks', v6: 'ipv6_cidr_blocks', prefixLists: 'prefix_list_ids', groups: 'security_groups', self: 'self' });
  });
}

function ruleResourceEgress(resource: TfResource): EgressRule[] {
  const v = resource.values;
  if (resource.type === 'aws_vpc_security_group_egress_rule') {
    const rule: EgressRule = { protocol: protocol(v.ip_protocol), ...ports(v.from_port, v.to_port) };
    for (const [attribute, key] of [
      ['cidr_ipv4', 'cidrIpv4'],
      ['cidr_ipv6', 'cidrIpv6'],
      ['referenced_security_group_id', 'destinationGroup'],
      ['prefix_list_id', 'prefixListId'],
    ] as const) {
      const value = str(v[attribute]);
      if (value !== undefined) rule[key] = value;
    }
    return [rule];
  }
  // aws_security_group_rule: only egress rules matter here.
  if (v.type !== 'egress') return [];
  const base: EgressRule = { protocol: protocol(v.protocol), ...ports(v.from_port, v.to_port) };
  const rules = expand(base, v, { v4: 'cidr_blocks', v6: 'ipv6_cidr_blocks', prefixLists: 'prefix_list_ids', groups: 'source_security_group_id', self: 'self' });
  return rules;
}

function matchesId(target: TfResource, value: string): boolean {
  return namedBy(target, value, ['id']);
}

export function adaptNetwork(ctx: Context): Resource[] {
  const out: Resource[] = [];

  // Separate egress rules, by the group they belong to; rules on groups outside the plan are kept per group id.
  const extraOf = new Map<string, EgressRule[]>();
  const ruleResourcesOf = new Map<string, TfResource[]>();
  const outsideGroups = new Map<string, { id: Maybe<string>; first: TfResource; rules: EgressRule[]; from: TfResource[] }>();
  for (const rule of ctx.ofType('aws_security_group_rule', 'aws_vpc_security_group_egress_rule')) {
    const rules = ruleResourceEgress(rule);
    if (rules.length === 0) continue;
    const linked = ctx.link(rule, 'security_group_id', GROUP_TYPES, matchesId, true);
    for (const group of linked.targets) {
      const located = rules.map((r) => ({ ...r, ...ctx.lineIn(group, rule) }));
      extraOf.set(group.address, [...(extraOf.get(group.address) ?? []), ...located]);
      ruleResourcesOf.set(group.address, [...(ruleResourcesOf.get(group.address) ?? []), rule]);
    }
    for (const id of linked.outside) {
      const key = isUnknown(id) ? `unknown:${rule.address}` : id;
      const entry = outsideGroups.get(key) ?? { id, first: rule, rules: [], from: [] };
      entry.rules.push(...rules.map((r) => ({ ...r, ...ctx.lineIn(entry.first, rule) })));
      entry.from.push(rule);
      outsideGroups.set(key, entry);
    }
  }

  for (const group of ctx.ofType(...GROUP_TYPES)) {
    const v = group.values;
    const groupName = group.type === 'aws_default_security_group' ? 'default' : (str(v.name) ?? unknown(KNOWN_AFTER_APPLY));
    out.push(
      ctx.emit('aws.ec2.security-group', group, groupName, {
        groupName,
        groupId: str(v.id) ?? unknown(KNOWN_AFTER_APPLY),
        ...(str(v.vpc_id) !== undefined ? { vpcId: str(v.vpc_id) } : {}),
        egress: [...inlineEgress(ctx, group), ...(extraOf.get(group.address) ?? [])],
        attached: true,
      }, ruleResourcesOf.get(group.address)),
    );
  }
  // A rule added to a group defined elsewhere still opens that group: report it under the rule.
  for (const { id: groupId, first, rules, from } of outsideGroups.values()) {
    out.push(
      ctx.emit('aws.ec2.security-group', first, isUnknown(groupId) ? first.address : groupId, {
        groupName: unknown(isUnknown(groupId) ? groupId.$unknown : `security group ${groupId} is not defined in ${ctx.model.scope}`),
        groupId,
        egress: rules,
        attached: true,
      }, from),
    );
  }

  // Network ACLs.
  const entryOf = (b: Values | { $unknown: string }, egress: boolean, at: { line?: number }): NaclEntry => {
    if (isUnknown(b)) return { ...at, egress, ruleNumber: b, protocol: b, ruleAction: b, cidrBlock: b, ipv6CidrBlock: b };
    return naclEntry(b, egress, at, 'rule_no', 'action');
  };
  const ruleEntries = new Map<string, NaclEntry[]>();
  const naclRulesOf = new Map<string, TfResource[]>();
  const outsideAcls = new Map<string, { id: Maybe<string>; first: TfResource; entries: NaclEntry[]; from: TfResource[] }>();
  for (const rule of ctx.ofType('aws_network_acl_rule')) {
    const egress = bool(rule.values.egress, false);
    const linked = ctx.link(rule, 'network_acl_id', NACL_TYPES, matchesId, true);
    const make = (owner: TfResource): NaclEntry => ({
      ...naclEntry(rule.values, egress === true, ctx.lineIn(owner, rule), 'rule_number', 'rule_action'),
      // An unknown direction could be egress: keep it as egress with an unknown action, so it is never guessed.
      ...(isUnknown(egress) ? { egress: true, ruleAction: egress } : {}),
    });
    for (const acl of linked.targets) {
      ruleEntries.set(acl.address, [...(ruleEntries.get(acl.address) ?? []), make(acl)]);
      naclRulesOf.set(acl.address, [...(naclRulesOf.get(acl.address) ?? []), rule]);
    }
    for (const id of linked.outside) {
      const key = isUnknown(id) ? `unknown:${rule.address}` : id;
      const entry = outsideAcls.get(key) ?? { id, first: rule, entries: [], from: [] };
      entry.entries.push(make(entry.first));
      entry.from.push(rule);
      outsideAcls.set(key, entry);
    }
  }
  for (const acl of ctx.ofType(...NACL_TYPES)) {
    const entries: NaclEntry[] = [];
    for (const [name, egress] of [['egress', true], ['ingress', false]] as const) {
      const list = blocks(ctx.value(acl, name, 'block'));
      list.forEach((b, i) => entries.push(entryOf(b, egress, ctx.nestedLine(acl, name, i, list.length))));
    }
    entries.push(...(ruleEntries.get(acl.address) ?? []));
    out.push(
      ctx.emit('aws.ec2.network-acl', acl, str(acl.values.id), {
        networkAclId: str(acl.values.id) ?? unknown(KNOWN_AFTER_APPLY),
        entries,
        isDefault: acl.type === 'aws_default_network_acl',
      }, naclRulesOf.get(acl.address)),
    );
  }
  for (const { id: networkAclId, first, entries, from } of outsideAcls.values()) {
    out.push(
      ctx.emit('aws.ec2.network-acl', first, isUnknown(networkAclId) ? first.address : networkAclId, {
        networkAclId,
        entries,
        isDefault: unknown(isUnknown(networkAclId) ? networkAclId.$unknown : `network ACL ${networkAclId} is not defined in ${ctx.model.scope}`),
      }, from),
    );
  }
  return out;
}

function naclEntry(v: Values, egress: boolean, at: { line?: number }, numberKey: string, actionKey: string): NaclEntry {
  const action = str(v[actionKey]);
  const entry: NaclEntry = {
    ...at,
    ruleNumber: num(v[numberKey]) ?? unknown('rule number is not set'),
    egress,
    protocol: protocol(v.protocol),
    ruleAction: typeof action === 'string' ? (action.toLowerCase() === 'allow' ? 'allow' : 'deny') : (action ?? unknown('rule action is not set')),
    ...ports(v.from_port, v.to_port),
  };
  const v4 = str(v.cidr_block);
  const v6 = str(v.ipv6_cidr_block);
  // The provider prints unset CIDRs as "": leave them out rather than pass an empty destination.
  if (v4 !== undefined && v4 !== '') entry.cidrBlock = v4;
  if (v6 !== undefined && v6 !== '') entry.ipv6CidrBlock = v6;
  return entry;
}
