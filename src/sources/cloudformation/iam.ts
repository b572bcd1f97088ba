// IAM resources of a template → aws.iam.role / user / group / policy. Every policy that applies to a
// principal is folded into it: inline `Policies`, `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`
// resources attached via Roles/Users/Groups, `AWS::IAM::RolePolicy` / `UserPolicy` / `GroupPolicy`,
// `ManagedPolicyArns`, and (for users) their groups' policies. A policy resource attached to a principal
// defined elsewhere stays visible as aws.iam.policy; users added to a group defined elsewhere, as that group.
import { awsManagedPolicy, awsManagedPolicyName } from '../../inventory/aws-managed-policies.js';
import { normalizePolicyDocument } from '../../inventory/policy-document.js';
import {
  type AttachedPolicy,
  type Maybe,
  type PolicyDocument,
  type Resource,
  type Unknown,
  isUnknown,
  unknown,
} from '../../inventory/types.js';
import { type TemplateContext, located } from './context.js';
import type { RawResource } from './parse.js';
import { isObj, list, materialize, obj, str } from './values.js';

const ROLE = 'AWS::IAM::Role';
const USER = 'AWS::IAM::User';
const GROUP = 'AWS::IAM::Group';
const POLICY = 'AWS::IAM::Policy';
const MANAGED_POLICY = 'AWS::IAM::ManagedPolicy';
const USER_TO_GROUP_ADDITION = 'AWS::IAM::UserToGroupAddition';

/** One-principal inline policy resources (CloudFormation, 2023) → the principal type and the property naming it. */
const INLINE_POLICY_TYPES: Record<string, { principalType: string; property: string }> = {
  'AWS::IAM::RolePolicy': { principalType: ROLE, property: 'RoleName' },
  'AWS::IAM::UserPolicy': { principalType: USER, property: 'UserName' },
  'AWS::IAM::GroupPolicy': { principalType: GROUP, property: 'GroupName' },
};

/** The CloudFormation resource types this adapter reads. */
export const IAM_RESOURCE_TYPES: readonly string[] = [
  ROLE,
  USER,
  GROUP,
  POLICY,
  MANAGED_POLICY,
  ...Object.keys(INLINE_POLICY_TYPES),
  USER_TO_GROUP_ADDITION,
];

/** Principal type → the property holding its physical name and the policy property listing it. */
const PRINCIPALS: Record<string, { nameProperty: string; attachField: string }> = {
  [ROLE]: { nameProperty: 'RoleName', attachField: 'Roles' },
  [USER]: { nameProperty: 'UserName', attachField: 'Users' },
  [GROUP]: { nameProperty: 'GroupName', attachField: 'Groups' },
};

/** A policy document with the position of each statement. */
export function policyDocument(raw: unknown, context: TemplateContext): Maybe<PolicyDocument> {
  if (raw === undefined || raw === null) return unknown('no policy document');
  const statements = isObj(raw) ? raw.Statement : undefined;
  const locate = (index: number) =>
    Array.isArray(statements) ? context.locator.of(statements[index]) : context.locator.of(statements);
  return normalizePolicyDocument(materialize(raw), locate);
}

/** The physical name when written literally; CloudFormation generates it otherwise. */
export function physicalName(value: unknown, property: string): Maybe<string> {
  return str(value) ?? unknown(`${property} is not set: CloudFormation generates the name`);
}

function displayName(value: unknown, fallback: string): string {
  const name = str(value);
  return typeof name === 'string' ? name : fallback;
}

function inlinePolicies(resource: RawResource, context: TemplateContext): AttachedPolicy[] {
  const items = list(resource.properties.Policies);
  if (isUnknown(items)) return [{ name: '(Policies)', kind: 'inline', document: items }];
  return items.map((item, index) => {
    const policy = obj(item);
    return {
      name: displayName(policy.PolicyName, `Policies[${index}]`),
      kind: 'inline' as const,
      ...located(context.at(item, resource)),
      document: isUnknown(item) ? item : policyDocument(policy.PolicyDocument, context),
    };
  });
}

interface Folded {
  /** Policies attached to each template principal by separate policy resources. */
  attached: Map<string, AttachedPolicy[]>;
  /** Policy resources that stay visible as aws.iam.policy. */
  standalone: Resource<'aws.iam.policy'>[];
  /** Managed policy resources, by logical id, for `ManagedPolicyArns: [!Ref X]`. */
  managed: Map<string, AttachedPolicy>;
}

/** The principals a policy resource names, per principal type: lists for Policy/ManagedPolicy, one name otherwise. */
function attachments(resource: RawResource): [type: string, values: unknown[] | Unknown][] {
  const inline = INLINE_POLICY_TYPES[resource.type];
  if (inline) {
    const value = resource.properties[inline.property];
    return [[inline.principalType, value === undefined || value === null ? unknown(`${inline.property} is not set`) : [value]]];
  }
  return Object.entries(PRINCIPALS).map(([type, { attachField }]) => [type, list(resource.properties[attachField])]);
}

function foldPolicyResources(context: TemplateContext): Folded {
  const attached = new Map<string, AttachedPolicy[]>();
  const managed = new Map<string, AttachedPolicy>();
  const pending: { resource: RawResource; policy: AttachedPolicy; external: Maybe<string>[]; attachedCount: number }[] = [];
  const policyResources = [POLICY, MANAGED_POLICY, ...Object.keys(INLINE_POLICY_TYPES)].flatMap((type) => context.ofType(type));
  for (const resource of policyResources) {
    const isManaged = resource.type === MANAGED_POLICY;
    const name = displayName(resource.properties[isManaged ? 'ManagedPolicyName' : 'PolicyName'], resource.logicalId);
    const policy: AttachedPolicy = {
      name,
      kind: isManaged ? 'managed' : 'inline',
      line: resource.line,
      column: resource.column,
      definedAt: context.provenance(resource),
      document: policyDocument(resource.properties.PolicyDocument, context),
    };
    if (isManaged) managed.set(resource.logicalId, policy);
    const external: Maybe<string>[] = [];
    let attachedCount = 0;
    for (const [type, targets] of attachments(resource)) {
      if (isUnknown(targets)) {
        external.push(targets);
        continue;
      }
      for (const value of targets) {
        const principal = context.target(value, [type], PRINCIPALS[type].nameProperty);
        if (!principal) {
          external.push(str(value) ?? unknown('empty attachment'));
          continue;
        }
        attachedCount++;
        const policies = attached.get(principal.logicalId) ?? [];
        policies.push(policy);
        attached.set(principal.logicalId, policies);
      }
    }
    pending.push({ resource, policy, external, attachedCount });
  }
  // A managed policy referenced from a principal's ManagedPolicyArns is attached too.
  const referenced = new Set<string>();
  for (const type of Object.keys(PRINCIPALS)) {
    for (const principal of context.ofType(type)) {
      const arns = list(principal.properties.ManagedPolicyArns);
      if (isUnknown(arns)) continue;
      for (const arn of arns) {
        const target = context.target(arn, [MANAGED_POLICY]);
        if (target) referenced.add(target.logicalId);
      }
    }
  }
  const standalone: Resource<'aws.iam.policy'>[] = [];
  for (const { resource, policy, external, attachedCount } of pending) {
    const isAttached = attachedCount > 0 || referenced.has(resource.logicalId);
    if (isAttached && external.length === 0) continue;
    standalone.push({
      type: 'aws.iam.policy',
      id: context.id(resource),
      name: policy.name,
      provenance: context.provenance(resource),
      props: {
        policyName: physicalName(
          resource.properties[resource.type === MANAGED_POLICY ? 'ManagedPolicyName' : 'PolicyName'],
          resource.type === MANAGED_POLICY ? 'ManagedPolicyName' : 'PolicyName',
        ),
        document: policy.document,
        externalAttachments: external,
      },
    });
  }
  return { attached, standalone, managed };
}

function managedPolicies(resource: RawResource, context: TemplateContext, folded: Folded, already: AttachedPolicy[]): AttachedPolicy[] {
  const arns = list(resource.properties.ManagedPolicyArns);
  if (isUnknown(arns)) return [{ name: '(ManagedPolicyArns)', kind: 'managed', document: arns }];
  const out: AttachedPolicy[] = [];
  arns.forEach((value, index) => {
    const at = located(context.locator.item(arns, index) ?? context.locator.key(resource.properties, 'ManagedPolicyArns'));
    const target = context.target(value, [MANAGED_POLICY]);
    if (target) {
      const policy = folded.managed.get(target.logicalId);
      if (policy && !already.includes(policy)) out.push(policy);
      return;
    }
    const arn = str(value);
    const awsManaged = arn === undefined ? null : awsManagedPolicyName(arn);
    if (arn !== undefined && awsManaged !== null) {
      const name = awsManaged.slice(awsManaged.lastIndexOf('/') + 1);
      out.push({ name, kind: 'aws-managed', ...(typeof arn === 'string' ? { arn } : {}), ...at, document: awsManagedPolicy(arn) });
      return;
    }
    if (arn === undefined || isUnknown(arn)) {
      out.push({ name: '(unknown managed policy)', kind: 'managed', ...at, document: arn ?? unknown('empty managed policy ARN') });
      return;
    }
    out.push({
      name: arn.slice(arn.lastIndexOf('/') + 1) || arn,
      kind: 'managed',
      arn,
      ...at,
      document: unknown(`managed policy ${arn} is not defined in the template`),
    });
  });
  return out;
}

/** Inline + attached policy resources + managed policies of one principal. */
function ownPolicies(resource: RawResource, context: TemplateContext, folded: Folded): AttachedPolicy[] {
  const attached = folded.attached.get(resource.logicalId) ?? [];
  return [...inlinePolicies(resource, context), ...attached, ...managedPolicies(resource, context, folded, attached)];
}

export function adaptIam(context: TemplateContext): Resource[] {
  const folded = foldPolicyResources(context);
  const out: Resource[] = [];

  for (const resource of context.ofType(ROLE)) {
    const p = resource.properties;
    out.push({
      type: 'aws.iam.role',
      id: context.id(resource),
      name: displayName(p.RoleName, resource.logicalId),
      provenance: context.provenance(resource),
      props: {
        roleName: physicalName(p.RoleName, 'RoleName'),
        trustPolicy: policyDocument(p.AssumeRolePolicyDocument, context),
        policies: ownPolicies(resource, context, folded),
        serviceLinked: false,
      },
    });
  }

  // Group policies, with definedAt pointing at the group for its inline ones.
  const groupPolicies = new Map<string, AttachedPolicy[]>();
  for (const resource of context.ofType(GROUP)) {
    const policies = ownPolicies(resource, context, folded);
    groupPolicies.set(
      resource.logicalId,
      policies.map((policy) => (policy.definedAt ? policy : { ...policy, definedAt: context.provenance(resource) })),
    );
    out.push({
      type: 'aws.iam.group',
      id: context.id(resource),
      name: displayName(resource.properties.GroupName, resource.logicalId),
      provenance: context.provenance(resource),
      props: { groupName: physicalName(resource.properties.GroupName, 'GroupName'), policies },
    });
  }

  // Memberships: the user's Groups plus AWS::IAM::UserToGroupAddition resources.
  const memberships = new Map<string, unknown[]>();
  const addMembership = (user: RawResource, group: unknown) => {
    const groups = memberships.get(user.logicalId) ?? [];
    groups.push(group);
    memberships.set(user.logicalId, groups);
  };
  for (const user of context.ofType(USER)) {
    const groups = list(user.properties.Groups);
    if (isUnknown(groups)) addMembership(user, groups);
    else for (const group of groups) addMembership(user, group);
  }
  const outsideGroups: Resource<'aws.iam.group'>[] = [];
  for (const addition of context.ofType(USER_TO_GROUP_ADDITION)) {
    const users = list(addition.properties.Users);
    if (!isUnknown(users)) {
      for (const value of users) {
        const user = context.target(value, [USER], 'UserName');
        if (user) addMembership(user, addition.properties.GroupName);
      }
    }
    if (!context.target(addition.properties.GroupName, [GROUP], 'GroupName')) outsideGroups.push(outsideGroupAddition(context, addition));
  }

  for (const resource of context.ofType(USER)) {
    const policies = ownPolicies(resource, context, folded);
    const groups: Maybe<string>[] = [];
    for (const value of memberships.get(resource.logicalId) ?? []) {
      const group = context.target(value, [GROUP], 'GroupName');
      if (group) {
        groups.push(displayName(group.properties.GroupName, group.logicalId));
        for (const policy of groupPolicies.get(group.logicalId) ?? []) if (!policies.includes(policy)) policies.push(policy);
        continue;
      }
      const name = str(value) ?? unknown('empty group name');
      groups.push(name);
      // What a group defined elsewhere grants is not in the template: checks must not pass on it.
      policies.push({
        name: `group ${isUnknown(name) ? '(unknown)' : name}`,
        kind: 'managed',
        ...located(context.locator.key(resource.properties, 'Groups')),
        document: unknown(outsideGroupReason(name)),
      });
    }
    out.push({
      type: 'aws.iam.user',
      id: context.id(resource),
      name: displayName(resource.properties.UserName, resource.logicalId),
      provenance: context.provenance(resource),
      props: {
        userName: physicalName(resource.properties.UserName, 'UserName'),
        policies,
        groups,
        accessKeys: [],
      },
    });
  }

  out.push(...folded.standalone, ...outsideGroups);
  return out;
}

function outsideGroupReason(name: Maybe<string>): string {
  return isUnknown(name) ? `the group is not defined in this template: ${name.$unknown}` : `group ${name} is not defined in this template`;
}

/**
 * Users added to a group defined elsewhere: the addition is evaluated on its own, as that group, whose policies
 * are not in the template — so the IAM checks are not assessed for it, with the reason, rather than skipped.
 * (Template users it names also carry the group's policies as Unknown.)
 */
function outsideGroupAddition(context: TemplateContext, addition: RawResource): Resource<'aws.iam.group'> {
  const reference = addition.properties.GroupName;
  const name = str(reference) ?? unknown('GroupName is not set');
  const reason = outsideGroupReason(name);
  return {
    type: 'aws.iam.group',
    id: context.id(addition),
    name: typeof name === 'string' && name !== '' ? name : `group of ${addition.logicalId}`,
    provenance: context.provenance(addition),
    props: {
      groupName: name,
      policies: [
        {
          name: `group ${typeof name === 'string' ? name : '(unknown)'}`,
          kind: 'managed',
          ...located(context.locator.key(addition.properties, 'GroupName')),
          document: unknown(reason),
        },
      ],
    },
  };
}

