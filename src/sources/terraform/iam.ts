// IAM from a Terraform plan: roles, users and groups with every policy that applies to them (inline
// blocks, *_policy resources, attachments, managed_policy_arns, group policies for members), and the
// policies that attach to no principal of the plan, judged on their own document (aws.iam.policy): an
// aws_iam_policy, an inline *_policy or an attachment whose principal is defined elsewhere. A membership
// of a user defined elsewhere gives that user a placeholder carrying its groups' policies.
import { awsManagedPolicy } from '../../inventory/aws-managed-policies.js';
import { isUnknown, unknown, type AttachedPolicy, type Maybe, type Resource } from '../../inventory/types.js';
import { arnName, namedBy, type Context } from './context.js';
import type { TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, blocks, field, str, type Values } from './values.js';

const PRINCIPAL_TYPES = { role: 'aws_iam_role', user: 'aws_iam_user', group: 'aws_iam_group' } as const;

/** The Terraform resource types this adapter reads. */
export const IAM_RESOURCE_TYPES = [
  'aws_iam_role',
  'aws_iam_user',
  'aws_iam_group',
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
  'aws_iam_user_group_membership',
  'aws_iam_group_membership',
] as const;
type PrincipalKind = keyof typeof PRINCIPAL_TYPES;

function matchesPrincipal(kind: PrincipalKind) {
  return (target: TfResource, value: string): boolean => namedBy(target, value, ['name', 'id'], kind);
}

/** A customer managed policy ARN names a plan policy by its ARN or its name; AWS managed ones never do. */
function matchesPolicy(target: TfResource, value: string): boolean {
  if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(value)) return false;
  return namedBy(target, value, ['id'], 'policy') || (arnName(value, 'policy') !== undefined && target.values.name === arnName(value, 'policy'));
}

function policyName(resource: TfResource): string {
  const name = str(resource.values.name);
  return typeof name === 'string' && name !== '' ? name : resource.address;
}

interface Grant {
  /** The resource that makes the grant (a *_policy, an attachment, a role). */
  source: TfResource;
  /** Plan principals it applies to, by address. */
  principals: TfResource[];
  policy: AttachedPolicy;
  /** The aws_iam_policy of the plan behind a managed grant. */
  planPolicy?: TfResource;
  /** Principals (names, ARNs, Unknowns) it applies to that are not defined in the plan. */
  outside: Maybe<string>[];
}

export function adaptIam(ctx: Context): Resource[] {
  const grants: Grant[] = [];

  const managedFrom = (policy: TfResource): AttachedPolicy => {
    const arn = str(policy.values.arn);
    return {
      name: policyName(policy),
      kind: 'managed',
      ...(typeof arn === 'string' ? { arn } : {}),
      definedAt: ctx.provenance(policy),
      document: ctx.document(policy, policy.values.policy, 'the policy document is not set'),
    };
  };
  const external = (arn: Maybe<string>): AttachedPolicy => {
    if (isUnknown(arn)) return { name: '(policy ARN known after apply)', kind: 'managed', document: arn };
    const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
    return {
      name: arnName(arn, 'policy') ?? arn,
      kind: awsManaged ? 'aws-managed' : 'managed',
      arn,
      document: awsManaged ? awsManagedPolicy(arn) : unknown(`customer managed policy ${arn} is not defined in ${ctx.model.scope}`),
    };
  };

  /** Grants of the policy ARNs in `attribute` (a single ARN or a list) to `principals`. */
  const grantArns = (source: TfResource, attribute: string, principals: TfResource[], outside: Maybe<string>[]): void => {
    // A single policy_arn always names a policy; managed_policy_arns may be empty.
    const linked = ctx.link(source, attribute, ['aws_iam_policy'], matchesPolicy, attribute === 'policy_arn');
    for (const policy of linked.targets) grants.push({ source, principals, policy: managedFrom(policy), planPolicy: policy, outside });
    for (const arn of linked.outside) grants.push({ source, principals, policy: external(arn), outside });
  };
  const inline = (source: TfResource): AttachedPolicy => ({
    name: policyName(source),
    kind: 'inline',
    definedAt: ctx.provenance(source),
    document: ctx.document(source, source.values.policy, 'the policy document is not set'),
  });

  // Separate policy and attachment resources.
  for (const kind of ['role', 'user', 'group'] as const) {
    for (const source of ctx.ofType(`aws_iam_${kind}_policy`)) {
      const to = ctx.link(source, kind, [PRINCIPAL_TYPES[kind]], matchesPrincipal(kind), true);
      grants.push({ source, principals: to.targets, policy: inline(source), outside: to.outside });
    }
    for (const source of ctx.ofType(`aws_iam_${kind}_policy_attachment`)) {
      const to = ctx.link(source, kind, [PRINCIPAL_TYPES[kind]], matchesPrincipal(kind), true);
      grantArns(source, 'policy_arn', to.targets, to.outside);
    }
  }
  for (const source of ctx.ofType('aws_iam_policy_attachment')) {
    const principals: TfResource[] = [];
    const outside: Maybe<string>[] = [];
    for (const [attribute, kind] of [['roles', 'role'], ['users', 'user'], ['groups', 'group']] as const) {
      const to = ctx.link(source, attribute, [PRINCIPAL_TYPES[kind]], matchesPrincipal(kind));
      principals.push(...to.targets);
      outside.push(...to.outside);
    }
    grantArns(source, 'policy_arn', principals, outside);
  }
  // Roles: inline_policy blocks and managed_policy_arns.
  for (const role of ctx.ofType('aws_iam_role')) {
    const inlineBlocks = blocks(ctx.value(role, 'inline_policy', 'block'));
    inlineBlocks.forEach((b, i) => {
      const name = str(field(b, 'name'));
      const policy = field(b, 'policy');
      // The provider prints an empty inline_policy block for roles that have none.
      if (!isUnknown(b) && (policy === undefined || policy === null || policy === '') && !name) return;
      grants.push({
        source: role,
        principals: [role],
        policy: {
          name: typeof name === 'string' && name !== '' ? name : `inline_policy[${i}]`,
          kind: 'inline',
          definedAt: ctx.provenance(role),
          ...ctx.nestedLine(role, 'inline_policy', i, inlineBlocks.length),
          document: ctx.document(role, policy, 'the policy document is not set'),
        },
        outside: [],
      });
    });
    if (ctx.value(role, 'managed_policy_arns') !== undefined) grantArns(role, 'managed_policy_arns', [role], []);
  }

  const policiesOf = new Map<string, AttachedPolicy[]>();
  const attachedInPlan = new Set<string>();
  const externalOf = new Map<string, Maybe<string>[]>();
  // The resources whose data each principal (or standalone policy) carries: their suppressions apply there.
  const foldedInto = new Map<string, TfResource[]>();
  const fold = (address: string, ...parts: (TfResource | undefined)[]): void => {
    const list = foldedInto.get(address) ?? [];
    for (const part of parts) if (part) list.push(part);
    foldedInto.set(address, list);
  };
  for (const grant of grants) {
    for (const principal of grant.principals) {
      fold(principal.address, grant.source, grant.planPolicy);
      const list = policiesOf.get(principal.address) ?? [];
      const duplicate = list.some(
        (p) => p.kind === grant.policy.kind && p.name === grant.policy.name && p.definedAt?.logicalId === grant.policy.definedAt?.logicalId && p.arn === grant.policy.arn,
      );
      if (!duplicate) list.push(grant.policy);
      policiesOf.set(principal.address, list);
    }
    if (grant.planPolicy) {
      if (grant.principals.length > 0) attachedInPlan.add(grant.planPolicy.address);
      else fold(grant.planPolicy.address, grant.source);
      const list = externalOf.get(grant.planPolicy.address) ?? [];
      list.push(...grant.outside);
      externalOf.set(grant.planPolicy.address, list);
    }
  }

  const out: Resource[] = [];
  const groupPolicies = (group: TfResource): AttachedPolicy[] => policiesOf.get(group.address) ?? [];

  for (const role of ctx.ofType('aws_iam_role')) {
    const roleName = str(role.values.name) ?? unknown(KNOWN_AFTER_APPLY);
    out.push(
      ctx.emit('aws.iam.role', role, roleName, {
        roleName,
        trustPolicy: ctx.document(role, role.values.assume_role_policy, 'assume_role_policy is not set'),
        policies: policiesOf.get(role.address) ?? [],
        serviceLinked: typeof roleName === 'string' && roleName.startsWith('AWSServiceRoleFor'),
      }, foldedInto.get(role.address)),
    );
  }

  // Group membership, from both membership resources. A member defined elsewhere is keyed by its name
  // (or, when unknown, by the membership resource) and becomes a placeholder user below.
  interface Membership {
    plan: TfResource[];
    names: Maybe<string>[];
    /** The membership resources that say so. */
    via: TfResource[];
    /** For a user outside the plan: its name and the membership resource that names it first. */
    outside?: { name: Maybe<string>; first: TfResource };
  }
  const groupsOfUser = new Map<string, Membership>();
  const addMembership = (membership: TfResource, userAttribute: string, groupAttribute: string): void => {
    const users = ctx.link(membership, userAttribute, ['aws_iam_user'], matchesPrincipal('user'), true);
    const groups = ctx.link(membership, groupAttribute, ['aws_iam_group'], matchesPrincipal('group'), true);
    const keys: [string, Membership['outside']][] = [
      ...users.targets.map((u): [string, Membership['outside']] => [u.address, undefined]),
      ...users.outside.map((name): [string, Membership['outside']] => [
        isUnknown(name) ? `unknown:${membership.address}` : `outside:${name}`,
        { name, first: membership },
      ]),
    ];
    for (const [key, outside] of keys) {
      const entry = groupsOfUser.get(key) ?? { plan: [], names: [], via: [], ...(outside ? { outside } : {}) };
      entry.plan.push(...groups.targets);
      entry.names.push(...groups.outside);
      entry.via.push(membership);
      groupsOfUser.set(key, entry);
    }
  };
  for (const membership of ctx.ofType('aws_iam_user_group_membership')) addMembership(membership, 'user', 'groups');
  for (const membership of ctx.ofType('aws_iam_group_membership')) addMembership(membership, 'users', 'group');

  const userProps = (userName: Maybe<string>, own: AttachedPolicy[], membership: Membership) => {
    const planGroups = [...new Map(membership.plan.map((g) => [g.address, g])).values()];
    const policies = [...own];
    for (const group of planGroups) policies.push(...groupPolicies(group));
    // A group defined elsewhere may grant anything: its policies are unknown, never assumed empty.
    for (const name of membership.names) {
      const shown = isUnknown(name) ? '(known after apply)' : name;
      policies.push({
        name: `group ${shown}`,
        kind: 'managed',
        document: unknown(`the policies of group ${shown} are not defined in ${ctx.model.scope}`),
      });
    }
    return {
      userName,
      policies,
      groups: [...planGroups.map((g) => str(g.values.name) ?? unknown(KNOWN_AFTER_APPLY)), ...membership.names],
      accessKeys: [],
    };
  };
  // A user carries its own grants, its memberships and what its plan groups' policies are made of (not
  // the groups themselves: they are judged on their own).
  const foldedIntoUser = (address: string | undefined, membership: Membership): TfResource[] => [
    ...(address !== undefined ? (foldedInto.get(address) ?? []) : []),
    ...membership.via,
    ...membership.plan.flatMap((g) => foldedInto.get(g.address) ?? []),
  ];
  for (const user of ctx.ofType('aws_iam_user')) {
    const userName = str(user.values.name) ?? unknown(KNOWN_AFTER_APPLY);
    const membership = groupsOfUser.get(user.address) ?? { plan: [], names: [], via: [] };
    out.push(ctx.emit('aws.iam.user', user, userName, userProps(userName, policiesOf.get(user.address) ?? [], membership), foldedIntoUser(user.address, membership)));
  }
  // Users defined elsewhere that the plan puts into groups: judged on what those groups grant them.
  for (const membership of groupsOfUser.values()) {
    if (!membership.outside) continue;
    const { name, first } = membership.outside;
    out.push(ctx.emit('aws.iam.user', first, isUnknown(name) ? undefined : name, userProps(name, [], membership), foldedIntoUser(undefined, membership)));
  }

  for (const group of ctx.ofType('aws_iam_group')) {
    const groupName = str(group.values.name) ?? unknown(KNOWN_AFTER_APPLY);
    out.push(ctx.emit('aws.iam.group', group, groupName, { groupName, policies: groupPolicies(group) }, foldedInto.get(group.address)));
  }

  // Inline policies and attachments of policies from elsewhere whose principals are all outside the
  // plan: nothing else carries their document, so it is judged on its own, at the resource that grants it.
  const standalone = new Set<string>();
  for (const grant of grants) {
    if (grant.principals.length > 0 || grant.planPolicy || standalone.has(grant.source.address)) continue;
    standalone.add(grant.source.address);
    const name = grant.policy.kind === 'inline' ? (str(grant.source.values.name) ?? grant.policy.name) : grant.policy.name;
    out.push(
      ctx.emit('aws.iam.policy', grant.source, name, {
        policyName: name,
        document: grant.policy.document,
        externalAttachments: grant.outside,
      }),
    );
  }

  for (const policy of ctx.ofType('aws_iam_policy')) {
    if (attachedInPlan.has(policy.address)) continue;
    const name = str(policy.values.name) ?? unknown(KNOWN_AFTER_APPLY);
    const values: Values = policy.values;
    out.push(
      ctx.emit('aws.iam.policy', policy, name, {
        policyName: name,
        document: ctx.document(policy, values.policy, 'the policy document is not set'),
        externalAttachments: externalOf.get(policy.address) ?? [],
      }, foldedInto.get(policy.address)),
    );
  }
  return out;
}
