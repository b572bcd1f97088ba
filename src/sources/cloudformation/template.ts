// One template evaluated for its stack: the pseudo parameters its environment makes known (a CDK
// manifest's account and region), its parameters (defaults, or what a parent stack passes), mappings,
// resources with Fn::ForEach expanded, and outputs — each output read only when asked for, by this template
// or by another one, so stacks that refer to each other need no fixed order of evaluation.
import { type Node, type Pair, isMap, isScalar } from 'yaml';
import { SourceError } from '../../errors.js';
import { isUnknown, unknown } from '../../inventory/types.js';
import { Converter, type Notice, pairOf, scalarKey } from './convert.js';
import { type Expansion, type LoopEntry, NO_BINDINGS, type UnexpandedLoop, expandLoop, isLoopKey } from './foreach.js';
import type { Scope, StackLinks } from './intrinsics.js';
import { type LoadedTemplate, Locator, type RawResource, checkAliases } from './parse.js';
import { isObj, unknownProperties } from './values.js';

/** What is known of the stack a template is deployed as. */
export interface StackIdentity {
  stackName?: string;
  account?: string;
  region?: string;
}

export interface TemplateEnvironment {
  identity: StackIdentity;
  links?: StackLinks;
  /** What a parent stack passes to this nested stack's parameters, when there is exactly one parent. */
  parentParameters?: () => Record<string, unknown> | undefined;
}

/** A Fn::ForEach over an unknown collection in Resources, with what one of its items would give. */
export interface UnexpandedResources {
  name: string;
  line: number;
  column: number;
  reason: string;
  resources: RawResource[];
}

export interface ParsedTemplate {
  resources: RawResource[];
  locator: Locator;
  notices: Notice[];
  unexpanded: UnexpandedResources[];
}

/** A nested stack resource and the template file it names (CDK's `aws:asset:path`, or a local TemplateURL). */
export interface NestedStackRef {
  logicalId: string;
  path: string;
  line: number;
  column: number;
}

/** `aws`, `aws-cn`, `aws-us-gov`: what `AWS::Partition` is in a region. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

function pseudoParameters(identity: StackIdentity): Map<string, string> {
  const pseudo = new Map<string, string>();
  if (identity.account) pseudo.set('AWS::AccountId', identity.account);
  if (identity.stackName) pseudo.set('AWS::StackName', identity.stackName);
  if (identity.region) {
    pseudo.set('AWS::Region', identity.region);
    pseudo.set('AWS::Partition', partitionOf(identity.region));
    pseudo.set('AWS::URLSuffix', identity.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');
  }
  return pseudo;
}

function parameterValue(name: string, definition: unknown): unknown {
  if (!isObj(definition)) return unknown(`parameter ${name} has no definition`);
  const { Type: type, Default: fallback } = definition;
  const typeName = typeof type === 'string' ? type : '';
  if (typeName.startsWith('AWS::SSM::Parameter::Value')) return unknown('parameter is read from SSM at deployment');
  if (fallback === undefined || fallback === null) return unknown(`parameter ${name} has no default`);
  if (isUnknown(fallback)) return fallback;
  if (typeName === 'CommaDelimitedList' || typeName.startsWith('List<')) {
    return String(fallback)
      .split(',')
      .map((s) => s.trim());
  }
  return fallback;
}

/** The nested stack resources whose template is a file: CDK's `aws:asset:path`, or a local TemplateURL. */
export function nestedStacksOf(template: LoadedTemplate): NestedStackRef[] {
  const out: NestedStackRef[] = [];
  const resources = pairOf(template.root, 'Resources')?.value;
  if (!isMap(resources)) return out;
  const text = (node: unknown): string | undefined => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
  for (const pair of resources.items) {
    if (text(pairOf(pair.value, 'Type')?.value) !== 'AWS::CloudFormation::Stack') continue;
    const asset = text(pairOf(pairOf(pair.value, 'Metadata')?.value, 'aws:asset:path')?.value);
    const url = text(pairOf(pairOf(pair.value, 'Properties')?.value, 'TemplateURL')?.value);
    // A TemplateURL that is a path, not a URL: the template before `aws cloudformation package`.
    const path = asset ?? (url && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : undefined);
    const { line, col } = template.lines.linePos((pair.key as Node | null)?.range?.[0] ?? 0);
    if (path) out.push({ logicalId: scalarKey(pair), path, line, column: col });
  }
  return out;
}

function isStandardTag(tag: string | undefined): boolean {
  return tag === undefined || tag.startsWith('tag:yaml.org,2002:');
}

/** How a Type that is not a plain string is written, for the notice. */
function describeType(node: Node): string {
  const tag = isStandardTag(node.tag) ? '' : `${node.tag} `;
  const text = isScalar(node) ? String(node.value) : isMap(node) ? '{…}' : '[…]';
  return `${tag}${text}`.trim();
}

export class TemplateEvaluator {
  private converter: Converter | undefined;
  private entries: LoopEntry[] = [];
  private unexpandedLoops: UnexpandedLoop[] = [];
  private outputIndex: Map<string, LoopEntry> | undefined;
  private exportIndex: Map<string, string> | undefined;
  private readonly outputValues = new Map<string, unknown>();
  private readonly reading = new Set<string>();

  constructor(
    readonly template: LoadedTemplate,
    readonly env: TemplateEnvironment,
  ) {}

  get file(): string {
    return this.template.file;
  }

  private section(name: string): Pair | undefined {
    return pairOf(this.template.root, name);
  }

  /** The converter with parameters, mappings and resource ids in scope (set up once, on first use). */
  private prepared(): Converter {
    if (this.converter) return this.converter;
    const { file, doc, lines } = this.template;
    const scope: Scope = { parameters: new Map(), resources: new Set(), mappings: {}, pseudo: pseudoParameters(this.env.identity), links: this.env.links };
    const converter = new Converter(file, doc, lines, scope);
    // Parameters and Mappings hold literals; they are converted first so everything else can use them.
    const parameters = converter.convert(this.section('Parameters')?.value);
    if (isObj(parameters)) {
      for (const [name, definition] of Object.entries(parameters)) scope.parameters.set(name, parameterValue(name, definition));
    }
    const passed = this.env.parentParameters?.();
    for (const [name, value] of Object.entries(passed ?? {})) if (scope.parameters.has(name)) scope.parameters.set(name, value);
    const mappings = converter.convert(this.section('Mappings')?.value);
    if (isObj(mappings)) scope.mappings = mappings;
    // Kept only once complete: a failure here (reported when this template is read) leaves nothing half set.
    const { entries, unexpanded } = this.resourceEntries(converter);
    for (const entry of entries) scope.resources.add(entry.key);
    this.entries = entries;
    this.unexpandedLoops = unexpanded;
    this.converter = converter;
    return converter;
  }

  /** The entries of Resources, loops expanded; what is not a resource at all is noted and left out. */
  private resourceEntries(converter: Converter): Expansion {
    const out: Expansion = { entries: [], unexpanded: [] };
    const resources = this.section('Resources')?.value;
    if (!isMap(resources)) return out;
    const seen = new Set<string>();
    const add = (entry: LoopEntry) => {
      if (seen.has(entry.key)) converter.fail(`resource ${entry.key} is defined more than once`, entry.keyNode);
      seen.add(entry.key);
      out.entries.push(entry);
    };
    for (const pair of resources.items) {
      const key = scalarKey(pair);
      if (isLoopKey(key)) {
        const expansion = expandLoop(converter, pair, NO_BINDINGS);
        expansion.entries.forEach(add);
        out.unexpanded.push(...expansion.unexpanded);
      } else if (key.startsWith('Fn::')) {
        converter.notice(pair.key as Node, `${key} inside Resources is not expanded: the resources it adds are not scanned`);
      } else {
        add({ key, keyNode: pair.key as Node | null, value: pair.value, bindings: NO_BINDINGS });
      }
    }
    return out;
  }

  /** One Resources entry as a raw resource; null (with a notice) when its Type is not a plain string. */
  private rawResource(entry: LoopEntry, converter: Converter): RawResource | null {
    const logicalId = entry.key;
    const { line, column } = converter.position(entry.keyNode);
    const body = entry.value as Node | null;
    if (body && !isStandardTag(body.tag)) {
      converter.notice(entry.keyNode, `resource ${logicalId} is skipped: it is written as ${describeType(body)}, which sesguard does not evaluate`);
      return null;
    }
    const typeNode = pairOf(body, 'Type')?.value as Node | null | undefined;
    if (typeNode === undefined || typeNode === null || (isScalar(typeNode) && (typeNode.value === null || typeNode.value === ''))) {
      throw new SourceError(`resource ${logicalId} has no Type string`, this.file, line, column);
    }
    if (!isScalar(typeNode) || typeof typeNode.value !== 'string' || !isStandardTag(typeNode.tag)) {
      converter.notice(
        entry.keyNode,
        `resource ${logicalId} is skipped: its Type is not a plain string (${describeType(typeNode)}, e.g. a pre-processor's module)`,
      );
      return null;
    }
    const properties = converter.convert(pairOf(body, 'Properties')?.value, entry.bindings);
    const metadata = converter.convert(pairOf(body, 'Metadata')?.value, entry.bindings);
    return {
      logicalId,
      type: typeNode.value,
      properties: isUnknown(properties) ? unknownProperties(properties) : isObj(properties) ? properties : {},
      metadata,
      line,
      column,
    };
  }

  /** Outputs by name, loops expanded. */
  private outputs(): Map<string, LoopEntry> {
    if (this.outputIndex) return this.outputIndex;
    const converter = this.prepared();
    const index = new Map<string, LoopEntry>();
    const outputs = this.section('Outputs')?.value;
    if (isMap(outputs)) {
      for (const pair of outputs.items) {
        const key = scalarKey(pair);
        if (!isLoopKey(key)) {
          index.set(key, { key, keyNode: pair.key as Node | null, value: pair.value, bindings: NO_BINDINGS });
          continue;
        }
        const expansion = expandLoop(converter, pair, NO_BINDINGS);
        for (const entry of expansion.entries) index.set(entry.key, entry);
        for (const loop of expansion.unexpanded) {
          converter.notice(loop.keyNode, `${loop.name} is not expanded (${loop.reason}): the outputs it generates are Unknown`);
        }
      }
    }
    this.outputIndex = index;
    return index;
  }

  /** The value of output `name`; undefined when the template has no such output. */
  output(name: string): unknown {
    const entry = this.outputs().get(name);
    if (!entry) return undefined;
    if (this.outputValues.has(name)) return this.outputValues.get(name);
    if (this.reading.has(name)) return unknown(`output ${name} of ${this.file} refers back to itself through other stacks`);
    this.reading.add(name);
    try {
      const valueNode = pairOf(entry.value, 'Value')?.value;
      const value = valueNode === undefined ? unknown(`output ${name} of ${this.file} has no Value`) : this.prepared().convert(valueNode, entry.bindings);
      this.outputValues.set(name, value);
      return value;
    } finally {
      this.reading.delete(name);
    }
  }

  /** Export name → output name, for the exports whose names are known text. */
  exportNames(): Map<string, string> {
    if (this.exportIndex) return this.exportIndex;
    this.exportIndex = new Map();
    const converter = this.prepared();
    for (const [name, entry] of this.outputs()) {
      const nameNode = pairOf(pairOf(entry.value, 'Export')?.value, 'Name')?.value;
      if (nameNode === undefined) continue;
      const exportName = converter.convert(nameNode, entry.bindings);
      if (typeof exportName === 'string') this.exportIndex.set(exportName, name);
    }
    return this.exportIndex;
  }

  /** What this template passes to the parameters of its nested stack `logicalId`. */
  nestedParameters(logicalId: string): Record<string, unknown> | undefined {
    const converter = this.prepared();
    const entry = this.entries.find((e) => e.key === logicalId);
    if (!entry) return undefined;
    const parameters = converter.convert(pairOf(pairOf(entry.value, 'Properties')?.value, 'Parameters')?.value, entry.bindings);
    return isObj(parameters) ? parameters : undefined;
  }

  /** Everything the normalizers need; throws SourceError when the template cannot be used. */
  read(): ParsedTemplate {
    const converter = this.prepared();
    const resources: RawResource[] = [];
    for (const entry of this.entries) {
      const resource = this.rawResource(entry, converter);
      if (resource) resources.push(resource);
    }
    const unexpanded: UnexpandedResources[] = this.unexpandedLoops.map((loop) => {
      converter.notice(loop.keyNode, `${loop.name} is not expanded (${loop.reason}): the resources it generates are not assessed`);
      return {
        name: loop.name,
        ...converter.position(loop.keyNode),
        reason: `${loop.name} is not expanded (${loop.reason})`,
        resources: loop.entries.map((entry) => this.rawResource(entry, converter)).filter((r): r is RawResource => r !== null),
      };
    });
    // Read for what they cannot evaluate (notices) and for other stacks; their values are kept for those.
    for (const name of this.outputs().keys()) this.output(name);
    if (converter.aliases > 0) checkAliases(this.file, this.template.doc, this.template.lines, converter.firstAlias);
    return { resources, locator: new Locator(this.template.lines, converter.nodes), notices: converter.notices(), unexpanded };
  }
}

