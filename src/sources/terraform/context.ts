// What the per-service adapters share, over one Terraform model (from a plan or from .tf sources): the
// resources by type, their provenance, and linking (by configuration references first, by literal
// names/ids/ARNs second).
import { normalizePolicyDocument } from '../../inventory/policy-document.js';
import { isUnknown, unknown, type Maybe, type PolicyDocument, type Provenance, type Resource, type ResourceType, type PropsOf, type SourceNotice } from '../../inventory/types.js';
import type { Placed, TfModel, TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, isObject } from './values.js';

export class Context {
  private readonly byType = new Map<string, TfResource[]>();
  readonly resources: TfResource[];

  constructor(readonly model: TfModel) {
    this.resources = model.resources;
    for (const resource of model.resources) {
      const list = this.byType.get(resource.type) ?? [];
      list.push(resource);
      this.byType.set(resource.type, list);
    }
  }

  private readonly ofTypes = new Map<string, TfResource[]>();

  ofType(...types: string[]): TfResource[] {
    const key = types.join(',');
    let found = this.ofTypes.get(key);
    if (!found) {
      found = types.flatMap((t) => this.byType.get(t) ?? []);
      this.ofTypes.set(key, found);
    }
    return found;
  }

  provenance(resource: TfResource): Provenance {
    return { ...this.place(resource).provenance };
  }

  place(resource: TfResource): Placed {
    return this.model.place(resource);
  }

  /**
   * A policy document attribute, normalized; statements written as HCL objects (or `statement` blocks)
   * in the same file as `owner` carry their line.
   */
  document(owner: TfResource, raw: unknown, missing: string): Maybe<PolicyDocument> {
    if (raw === undefined || raw === null) return unknown(missing);
    const statements = isObject(raw) ? (raw.Statement ?? raw.statement) : undefined;
    const file = this.place(owner).provenance.file;
    return normalizePolicyDocument(raw, (index) => {
      const item = Array.isArray(statements) ? statements[index] : index === 0 ? statements : undefined;
      const at = item !== undefined ? this.model.locate?.(item) : undefined;
      return at && at.file === file ? { line: at.line, ...(at.column !== undefined ? { column: at.column } : {}) } : undefined;
    });
  }

  /**
   * The line of a sub-object defined by another resource, when it sits in the same file as `owner`
   * (a `Located` line is read relative to the owner's file).
   */
  lineIn(owner: TfResource, part: TfResource): { line?: number } {
    const a = this.place(owner).provenance;
    const b = this.place(part).provenance;
    return a.file === b.file && b.line !== undefined ? { line: b.line } : {};
  }

  /** Line of the i-th nested block `name` of a resource, when the `.tf` block has as many as the plan. */
  nestedLine(resource: TfResource, name: string, index: number, count: number): { line?: number } {
    const lines = this.place(resource).nested.get(name);
    return lines && lines.length === count && lines[index] !== undefined ? { line: lines[index] } : {};
  }

  /**
   * An attribute's value, except that a wholly unknown value of an Optional+Computed attribute the
   * configuration does not set is taken as not set: the provider computes it from nothing the user
   * wrote (e.g. `egress` of a security group, `managed_policy_arns` of a role). The `.tf` block decides
   * when present; otherwise the plan's configuration, which is trusted only for plain attributes.
   */
  value(resource: TfResource, attribute: string, kind: 'attribute' | 'block' = 'attribute'): unknown {
    const raw = resource.values[attribute];
    if (!isUnknown(raw)) return raw;
    const written = this.place(resource).written;
    if (written) return written.has(attribute) ? raw : undefined;
    if (kind === 'attribute' && this.model.sets(resource, attribute) === false) return undefined;
    return raw;
  }

  /** Resources whose inline suppressions reached a normalized resource: their own, or one they are folded into. */
  private readonly delivered = new Set<TfResource>();

  /**
   * A normalized resource with the common fields filled. `folded`: the other resources whose data it
   * carries (an `aws_iam_role_policy` in its role, event destinations in their set); their inline
   * suppressions apply to its findings, marked with where they are written.
   */
  emit<T extends ResourceType>(type: T, resource: TfResource, name: Maybe<string> | undefined, props: PropsOf<T>, folded: Iterable<TfResource> = []): Resource<T> {
    const placed = this.place(resource);
    const out: Resource<T> = {
      type,
      id: `${this.model.idPrefix}#${resource.address}`,
      name: typeof name === 'string' && name !== '' ? name : resource.address,
      provenance: { ...placed.provenance },
      props,
    };
    this.delivered.add(resource);
    const suppressions = placed.suppressions.map((s) => ({ ...s }));
    for (const part of new Set(folded)) {
      if (part === resource) continue;
      this.delivered.add(part);
      const from = this.place(part).provenance;
      for (const s of this.place(part).suppressions) {
        suppressions.push({ ...s, foldedFrom: { logicalId: part.address, ...(from.file !== undefined ? { file: from.file } : {}) } });
      }
    }
    if (suppressions.length > 0) out.suppressions = suppressions;
    return out;
  }

  /**
   * Inline suppressions written on resources that reached no normalized resource (a type no check judges,
   * an ingress rule, a resource folded nowhere): they can never match a finding, so each is a notice.
   */
  undeliveredSuppressions(): SourceNotice[] {
    const out: SourceNotice[] = [];
    for (const resource of this.resources) {
      if (this.delivered.has(resource)) continue;
      const placed = this.place(resource);
      for (const s of placed.suppressions) {
        out.push({
          ...(placed.provenance.file !== undefined ? { file: placed.provenance.file } : {}),
          ...(s.line ?? placed.provenance.line ? { line: s.line ?? placed.provenance.line } : {}),
          message: `inline suppression of ${s.check} on ${resource.address} matches no finding: no check judges this resource, and it is folded into no resource that one judges`,
        });
      }
    }
    return out;
  }

  /**
   * The resources of `types` an attribute links to: those its configuration expression refers to,
   * plus those whose identifying value equals a literal in it. `outside` lists the literal values that
   * name nothing in the plan, and an Unknown for values only known after apply that no reference explains.
   * A `required` attribute always links somewhere: when it names nothing at all (unset, null), `outside`
   * holds an Unknown saying so, so the resource is still evaluated against a placeholder.
   */
  link(
    resource: TfResource,
    attribute: string,
    types: readonly string[],
    matches: (target: TfResource, value: string) => boolean,
    required = false,
  ): { targets: TfResource[]; outside: Maybe<string>[] } {
    const viaRefs = this.model.references(resource, attribute).filter((t) => types.includes(t.type));
    const found = new Map(viaRefs.map((t) => [t.address, t]));
    const outside: Maybe<string>[] = [];
    const raw = resource.values[attribute];
    const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
    let unresolved = 0;
    let why: string | undefined;
    const candidates = this.ofType(...types);
    for (const item of items) {
      if (typeof item === 'string') {
        // A value its reference explains needs no search among every candidate.
        if (viaRefs.some((t) => matches(t, item))) continue;
        const hits = candidates.filter((t) => t !== resource && matches(t, item));
        if (hits.length > 0) for (const hit of hits) found.set(hit.address, hit);
        else outside.push(item);
      } else if (isUnknown(item) || item === null) {
        unresolved++;
        if (isUnknown(item) && item.$unknown !== KNOWN_AFTER_APPLY) why ??= item.$unknown;
      }
    }
    const referencedKeys = new Set(viaRefs.map((t) => `${t.modulePath}.${t.localKey}`)).size;
    if (unresolved > referencedKeys) {
      outside.push(unknown(why ? `${attribute} of ${resource.address}: ${why}` : `${attribute} of ${resource.address} is ${KNOWN_AFTER_APPLY}`));
    }
    if (required && found.size === 0 && outside.length === 0) outside.push(unknown(`${attribute} of ${resource.address} is not set`));
    return { targets: [...found.values()], outside };
  }
}

/** The last path segment of an ARN resource (`arn:aws:iam::1:role/path/name` → `name`). */
const ARN_PATTERNS = new Map<string, RegExp>();

export function arnName(value: string, kind: string): string | undefined {
  if (!value.startsWith('arn:')) return undefined;
  let pattern = ARN_PATTERNS.get(kind);
  if (!pattern) {
    pattern = new RegExp(`^arn:aws[a-z-]*:[a-z0-9-]+:[^:]*:[^:]*:${kind}/(?:.*/)?([^/]+)$`);
    ARN_PATTERNS.set(kind, pattern);
  }
  const m = pattern.exec(value);
  return m ? m[1] : undefined;
}

/** True when `value` names the target by one of its attributes, or by an ARN of `arnKind` ending in it. */
export function namedBy(target: TfResource, value: string, attributes: readonly string[], arnKind?: string): boolean {
  const fromArn = arnKind ? arnName(value, arnKind) : undefined;
  for (const attribute of attributes) {
    const own = target.values[attribute];
    if (typeof own !== 'string' || own === '') continue;
    if (own === value || (fromArn !== undefined && own === fromArn)) return true;
  }
  return typeof target.values.arn === 'string' && target.values.arn === value;
}
