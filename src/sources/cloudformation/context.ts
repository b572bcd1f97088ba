// What every per-type normalizer shares: the template's resources indexed by logical id and type,
// positions, the stack's account and region when known, and how to build provenance and resolve a
// reference to another resource of the template; and what other templates of the scanned set write for
// this template's resources (a separate egress rule on one of its security groups).
import type { Provenance } from '../../inventory/types.js';
import type { Locator, Position, RawResource } from './parse.js';
import type { StackIdentity } from './template.js';
import { isObj, linkedId } from './values.js';

/** What other scanned templates write for resources of this one, by this template's logical id. */
export interface WrittenElsewhere {
  /** Security group → the separate egress rules (`file#LogicalId`) other templates write for it. */
  egressRules: ReadonlyMap<string, string[]>;
}

export class TemplateContext {
  readonly byId = new Map<string, RawResource>();
  private readonly byType = new Map<string, RawResource[]>();

  constructor(
    readonly file: string,
    readonly resources: RawResource[],
    readonly locator: Locator,
    readonly identity: StackIdentity = {},
    readonly elsewhere: WrittenElsewhere = { egressRules: new Map() },
  ) {
    for (const resource of resources) {
      this.byId.set(resource.logicalId, resource);
      const same = this.byType.get(resource.type);
      if (same) same.push(resource);
      else this.byType.set(resource.type, [resource]);
    }
  }

  ofType(type: string): RawResource[] {
    return this.byType.get(type) ?? [];
  }

  provenance(resource: RawResource): Provenance {
    const provenance: Provenance = {
      source: 'cloudformation',
      file: this.file,
      line: resource.line,
      column: resource.column,
      logicalId: resource.logicalId,
    };
    if (this.identity.account) provenance.account = this.identity.account;
    if (this.identity.region) provenance.region = this.identity.region;
    const cdkPath = isObj(resource.metadata) ? resource.metadata['aws:cdk:path'] : undefined;
    if (typeof cdkPath === 'string') provenance.cdkPath = cdkPath;
    return provenance;
  }

  id(resource: RawResource): string {
    return `${this.file}#${resource.logicalId}`;
  }

  /** Position of a converted map/list, falling back to the resource's own line. */
  at(value: unknown, resource: RawResource): Position {
    return this.locator.of(value) ?? { line: resource.line, column: resource.column };
  }

  /**
   * The template resource of one of `types` a value refers to: a Ref/GetAtt link, or a literal physical
   * name equal to the resource's `nameProperty`.
   */
  target(value: unknown, types: string[], nameProperty?: string): RawResource | undefined {
    const id = linkedId(value);
    if (id !== undefined) {
      const resource = this.byId.get(id);
      return resource && types.includes(resource.type) ? resource : undefined;
    }
    if (typeof value !== 'string' || !nameProperty) return undefined;
    for (const type of types) {
      const match = this.ofType(type).find((r) => r.properties[nameProperty] === value);
      if (match) return match;
    }
    return undefined;
  }
}

/** Positions of a resource-level value as plain fields for a sub-object. */
export function located(position: Position | undefined): { line?: number; column?: number } {
  return position ? { line: position.line, column: position.column } : {};
}
