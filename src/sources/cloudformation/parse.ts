// Reads a CloudFormation template's text (YAML with short-form tags, or JSON, which is YAML) into a syntax
// tree with positions, once, and decides whether it is a template at all. Everything that makes a file
// unreadable — not text, malformed YAML/JSON, several documents, `Resources` that is not a map, an alias
// bomb — is a SourceError naming the file and line. Converting the tree to values is convert.ts's job.
import { type Document, LineCounter, type Node, type YAMLMap, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { YAMLError } from 'yaml';
import { SourceError } from '../../errors.js';
import { pairOf } from './convert.js';
import { INTRINSIC_TAGS } from './intrinsics.js';

/** Resource type names as CloudFormation writes them: `AWS::SES::EmailIdentity`, `Custom::Thing`. */
const RESOURCE_TYPE = /^(?:[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9:]+|Custom::[A-Za-z0-9_@-]+)$/;
/** A `Fn::ForEach` loop among the resources (AWS::LanguageExtensions) also marks a template. */
const LOOP = 'Fn::ForEach::';
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

/** A template's syntax tree, read and recognised, not yet converted. */
export interface LoadedTemplate {
  file: string;
  doc: Document.Parsed;
  root: YAMLMap;
  lines: LineCounter;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

function fromYamlError(file: string, error: YAMLError): SourceError {
  const at = error.linePos?.[0];
  return new SourceError(`not valid YAML/JSON: ${firstLine(error.message)}`, file, at?.line, at?.col);
}

/** Recognition on the syntax tree, before any conversion: the same test as `isCloudFormationTemplate`. */
function looksLikeTemplate(root: unknown): boolean {
  if (!isMap(root)) return false;
  if (pairOf(root, 'AWSTemplateFormatVersion')) return true;
  const resources = pairOf(root, 'Resources')?.value;
  if (!isMap(resources)) return false;
  return resources.items.some((pair) => {
    if (isScalar(pair.key) && String(pair.key.value).startsWith(LOOP)) return true;
    const type = pairOf(pair.value, 'Type')?.value;
    return isScalar(type) && typeof type.value === 'string' && RESOURCE_TYPE.test(type.value);
  });
}

/** Recognition by content: a `Resources` map with typed entries or loops, or `AWSTemplateFormatVersion`. */
export function isCloudFormationTemplate(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const template = value as Record<string, unknown>;
  if ('AWSTemplateFormatVersion' in template) return true;
  const resources = template.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return false;
  return Object.entries(resources).some(([key, entry]) => {
    if (key.startsWith(LOOP)) return true;
    const type = (entry as Record<string, unknown> | null)?.Type;
    return typeof type === 'string' && RESOURCE_TYPE.test(type);
  });
}

/**
 * Reads a template's text into its syntax tree. Returns null when the text is YAML/JSON but not a
 * template; throws SourceError (with file, line, column) when it cannot be read.
 */
export function loadTemplate(file: string, input: string): LoadedTemplate | null {
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
  const resources = pairOf(root, 'Resources')?.value as Node | undefined | null;
  if (resources !== undefined && resources !== null && !isMap(resources)) {
    const at = resources.range ? lines.linePos(resources.range[0]) : undefined;
    throw new SourceError('Resources is not a map of logical ids to resources', file, at?.line, at?.col);
  }
  return { file, doc, root, lines };
}

/** Applies yaml's own alias-expansion limit (billion laughs), which it only enforces in `toJS`. */
export function checkAliases(file: string, doc: Document.Parsed, lines: LineCounter, first: number | undefined): void {
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const at = first === undefined ? undefined : lines.linePos(first);
    const reason = error instanceof ReferenceError ? 'too many YAML alias expansions (alias bomb)' : firstLine(String((error as Error).message));
    throw new SourceError(`not a usable template: ${reason}`, file, at?.line, at?.col);
  }
}
