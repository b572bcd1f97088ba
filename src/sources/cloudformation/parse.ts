// Parses a CloudFormation template (YAML with short-form tags, or JSON, which is YAML) once with `yaml`
// and converts the syntax tree to plain values in one walk, evaluating intrinsics on the way and
// remembering which tree node each converted map/list came from, so positions are looked up on demand.
import { type Alias, type Document, LineCounter, type Node, type Pair, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { YAMLError } from 'yaml';
import { SourceError } from '../../errors.js';
import { isUnknown, unknown } from '../../inventory/types.js';
import { INTRINSIC_TAGS, NO_VALUE, type Scope, applyIntrinsic, isIntrinsicName } from './intrinsics.js';

/** Resource type names as CloudFormation writes them: `AWS::SES::EmailIdentity`, `Custom::Thing`. */
const RESOURCE_TYPE = /^(?:[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+|Custom::[A-Za-z0-9_@-]+)$/;
/** yaml's own `maxAliasCount`; CloudFormation itself rejects aliases, so a small budget is plenty. */
const MAX_ALIAS_COUNT = 100;

/** Every short-form tag as scalar, sequence and mapping, so `!Sub 'x'` and `!Sub [x, {}]` both parse. */
const CUSTOM_TAGS = Object.keys(INTRINSIC_TAGS).flatMap((tag) => [
  { tag, resolve: (source: string) => source },
  { tag, collection: 'seq' as const },
  { tag, collection: 'map' as const },
]);

export interface Position {
  line: number;
  column: number;
}

/** Positions of converted maps and lists, looked up only when a normalizer asks. */
export class Locator {
  constructor(
    private readonly lines: LineCounter,
    private readonly nodes: WeakMap<object, Node>,
  ) {}

  at(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /** Where a converted map or list starts. */
  of(value: unknown): Position | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const node = this.nodes.get(value);
    return node?.range ? this.at(node.range[0]) : undefined;
  }

  /** Where item `index` of a converted list starts (only when no item was dropped by AWS::NoValue). */
  item(list: unknown, index: number): Position | undefined {
    if (!Array.isArray(list)) return undefined;
    const node = this.nodes.get(list);
    if (!isSeq(node) || node.items.length !== list.length) return this.of(list);
    const item = node.items[index] as Node | undefined;
    return item?.range ? this.at(item.range[0]) : this.of(list);
  }

  /** Where key `key` of a converted map is written. */
  key(map: unknown, key: string): Position | undefined {
    if (typeof map !== 'object' || map === null) return undefined;
    const node = this.nodes.get(map);
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (isScalar(k) && String(k.value) === key && k.range) return this.at(k.range[0]);
    }
    return undefined;
  }
}

/** One entry of `Resources`, with its converted Properties and Metadata. */
export interface RawResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: unknown;
  line: number;
  column: number;
}

export interface ParsedTemplate {
  resources: RawResource[];
  locator: Locator;
  /** Problems that leave the rest of the template usable (e.g. an unexpanded Fn::ForEach). */
  problems: { line: number; column: number; message: string }[];
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

function fromYamlError(file: string, error: YAMLError): SourceError {
  const at = error.linePos?.[0];
  return new SourceError(`not valid YAML/JSON: ${firstLine(error.message)}`, file, at?.line, at?.col);
}

function scalarKey(pair: Pair): string {
  const key = pair.key as Node | null;
  if (isScalar(key)) return String(key.value);
  return key === null ? '' : String(key);
}

function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => scalarKey(pair) === key);
}

function isStandardTag(tag: string): boolean {
  return tag.startsWith('tag:yaml.org,2002:');
}

/** Recognition on the syntax tree, before any conversion: the same test as `isCloudFormationTemplate`. */
function looksLikeTemplate(root: unknown): boolean {
  if (!isMap(root)) return false;
  if (pairOf(root, 'AWSTemplateFormatVersion')) return true;
  const resources = pairOf(root, 'Resources')?.value;
  if (!isMap(resources)) return false;
  return resources.items.some((pair) => {
    const type = pairOf(pair.value, 'Type')?.value;
    return isScalar(type) && typeof type.value === 'string' && RESOURCE_TYPE.test(type.value);
  });
}

/** Recognition by content: a `Resources` map with typed entries, or `AWSTemplateFormatVersion`. */
export function isCloudFormationTemplate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const template = value as Record<string, unknown>;
  if ('AWSTemplateFormatVersion' in template) return true;
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return false;
  return Object.values(resources).some((entry) => {
    const type = (entry as Record<string, unknown> | null)?.Type;
    return typeof type === 'string' && RESOURCE_TYPE.test(type);
  });
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key must become data, not the object's prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The one walk from syntax tree to plain values. */
class Converter {
  readonly nodes = new WeakMap<object, Node>();
  private readonly anchors = new Map<string, unknown>();
  aliases = 0;
  firstAlias: number | undefined;

  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    public scope: Scope,
  ) {}

  private fail(message: string, node: Node | null | undefined): never {
    const offset = node?.range?.[0];
    const at = offset === undefined ? undefined : this.lines.linePos(offset);
    throw new SourceError(message, this.file, at?.line, at?.col);
  }

  convert(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node);
    const value = this.convertNode(node as Node);
    const anchor = (node as Node).anchor;
    if (anchor) this.anchors.set(anchor, value);
    return value;
  }

  private alias(node: Alias): unknown {
    this.aliases++;
    this.firstAlias ??= node.range?.[0];
    // The value is shared, not copied, so the walk itself stays linear; yaml's own limit is applied after.
    if (this.anchors.has(node.source)) return this.anchors.get(node.source);
    // An anchor in a part of the template the walk skips (e.g. an unknown top-level key).
    const target = node.resolve(this.doc);
    if (!target) this.fail(`alias *${node.source} has no anchor before it`, node);
    return this.convert(target);
  }

  private convertNode(node: Node): unknown {
    const tag = node.tag;
    let fn: string | undefined;
    if (tag !== undefined && !isStandardTag(tag)) {
      fn = INTRINSIC_TAGS[tag];
      if (fn === undefined) this.fail(`unknown intrinsic function tag ${tag}`, node);
    }
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
      if (fn === 'Fn::GetAtt' && typeof value === 'string') value = value.split(/\.(.*)/s, 2);
    } else if (isMap(node)) {
      if (!fn && node.items.length === 1) {
        const key = scalarKey(node.items[0]);
        if (key === 'Ref' || key.startsWith('Fn::')) {
          if (key.startsWith('Fn::ForEach::')) return unknown('Fn::ForEach is not expanded');
          if (!isIntrinsicName(key)) this.fail(`unknown intrinsic function ${key}`, node.items[0].key as Node);
          return applyIntrinsic(key, this.convert(node.items[0].value), this.scope);
        }
      }
      const map: Record<string, unknown> = {};
      for (const pair of node.items) {
        const item = this.convert(pair.value);
        if (item !== NO_VALUE) setKey(map, scalarKey(pair), item);
      }
      this.nodes.set(map, node);
      value = map;
    } else if (isSeq(node)) {
      const list: unknown[] = [];
      for (const item of node.items) {
        const converted = this.convert(item);
        if (converted !== NO_VALUE) list.push(converted);
      }
      this.nodes.set(list, node);
      value = list;
    } else {
      value = null;
    }
    return fn ? applyIntrinsic(fn, value, this.scope) : value;
  }
}

function parameterValue(definition: unknown): unknown {
  if (typeof definition !== 'object' || definition === null) return unknown('parameter has no definition');
  const { Type: type, Default: fallback } = definition as Record<string, unknown>;
  const typeName = typeof type === 'string' ? type : '';
  if (typeName.startsWith('AWS::SSM::Parameter::Value')) return unknown('parameter is read from SSM at deployment');
  if (fallback === undefined || fallback === null) return undefined;
  if (isUnknown(fallback)) return fallback;
  if (typeName === 'CommaDelimitedList' || typeName.startsWith('List<')) {
    return String(fallback)
      .split(',')
      .map((s) => s.trim());
  }
  return fallback;
}

/**
 * Parses and converts a template. Returns null when the text is YAML/JSON but not a template; throws
 * SourceError (with file, line, column) when it cannot be used.
 */
export function parseTemplate(file: string, input: string): ParsedTemplate | null {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const nul = text.indexOf('\0');
  const lines = new LineCounter();
  if (nul >= 0) {
    const before = text.slice(0, nul);
    const line = before.split('\n').length;
    throw new SourceError('not a text file (binary content)', file, line, nul - before.lastIndexOf('\n'));
  }
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, lineCounter: lines, prettyErrors: true });
  const root = doc.contents;
  if (doc.errors.length > 0) {
    // A multi-document file (Kubernetes manifests) is not a template unless its first document is one.
    if (doc.errors.every((e) => e.code === 'MULTIPLE_DOCS') && !looksLikeTemplate(root)) return null;
    if (doc.errors[0].code === 'MULTIPLE_DOCS') {
      const at = doc.errors[0].linePos?.[0];
      throw new SourceError('a template must be a single YAML document', file, at?.line, at?.col);
    }
    throw fromYamlError(file, doc.errors[0]);
  }
  if (!looksLikeTemplate(root) || !isMap(root)) {
    // `Resources: *bomb` is not recognisable without expanding it; a bomb is an error, not "not a template".
    const resources = pairOf(root, 'Resources')?.value as Node | undefined;
    if (isAlias(resources)) checkAliases(file, doc, lines, resources.range?.[0]);
    return null;
  }

  const scope: Scope = { parameters: new Map(), resources: new Set(), mappings: {} };
  const converter = new Converter(file, doc, lines, scope);
  const section = (name: string) => pairOf(root, name);

  // Parameters and Mappings hold literals; they are converted first so Resources can use them.
  const parameters = converter.convert(section('Parameters')?.value);
  if (typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)) {
    for (const [name, definition] of Object.entries(parameters)) {
      const value = parameterValue(definition);
      scope.parameters.set(name, value === undefined ? unknown(`parameter ${name} has no default`) : value);
    }
  }
  const mappings = converter.convert(section('Mappings')?.value);
  if (typeof mappings === 'object' && mappings !== null && !Array.isArray(mappings)) {
    scope.mappings = mappings as Record<string, unknown>;
  }

  const resourcesPair = section('Resources');
  const resourcesNode = resourcesPair?.value as Node | undefined;
  if (resourcesNode !== undefined && resourcesNode !== null && !isMap(resourcesNode)) {
    const at = resourcesNode.range ? lines.linePos(resourcesNode.range[0]) : undefined;
    throw new SourceError('Resources is not a map of logical ids to resources', file, at?.line, at?.col);
  }
  const problems: ParsedTemplate['problems'] = [];
  const entries = isMap(resourcesNode) ? resourcesNode.items : [];
  for (const pair of entries) scope.resources.add(scalarKey(pair));

  const resources: RawResource[] = [];
  for (const pair of entries) {
    const logicalId = scalarKey(pair);
    const keyNode = pair.key as Node | null;
    const { line, col } = lines.linePos(keyNode?.range?.[0] ?? 0);
    if (logicalId.startsWith('Fn::ForEach::')) {
      problems.push({ line, column: col, message: `${logicalId} is not expanded: the resources it generates are not scanned` });
      continue;
    }
    const body = pair.value as Node | null;
    const typeNode = pairOf(body, 'Type')?.value as Node | undefined;
    if (!isScalar(typeNode) || typeof typeNode.value !== 'string' || typeNode.tag !== undefined) {
      throw new SourceError(`resource ${logicalId} has no Type string`, file, line, col);
    }
    const properties = converter.convert(pairOf(body, 'Properties')?.value);
    const metadata = converter.convert(pairOf(body, 'Metadata')?.value);
    resources.push({
      logicalId,
      type: typeNode.value,
      properties:
        typeof properties === 'object' && properties !== null && !Array.isArray(properties) && !isUnknown(properties)
          ? (properties as Record<string, unknown>)
          : {},
      metadata,
      line,
      column: col,
    });
  }
  // Converted only to reject unknown intrinsics there; their values are not needed.
  converter.convert(section('Conditions')?.value);
  converter.convert(section('Outputs')?.value);

  if (converter.aliases > 0) checkAliases(file, doc, lines, converter.firstAlias);
  return { resources, locator: new Locator(lines, converter.nodes), problems };
}

/** Applies yaml's own alias-expansion limit (billion laughs), which it only enforces in `toJS`. */
function checkAliases(file: string, doc: ReturnType<typeof parseDocument>, lines: LineCounter, first: number | undefined): void {
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const at = first === undefined ? undefined : lines.linePos(first);
    const reason = error instanceof ReferenceError ? 'too many YAML alias expansions (alias bomb)' : firstLine(String((error as Error).message));
    throw new SourceError(`not a usable template: ${reason}`, file, at?.line, at?.col);
  }
}
