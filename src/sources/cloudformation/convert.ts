// The one walk from a template's YAML syntax tree to plain values: intrinsic functions are evaluated on
// the way, `Fn::ForEach` loops expanded (identifiers bound while their fragment is converted), and what
// cannot be evaluated — an unknown function, a YAML tag of a pre-processor — becomes an Unknown for that
// value alone, with a notice naming it and its line. Remembers which tree node each converted map or list
// came from, so positions are looked up on demand.
import { type Alias, type Document, type LineCounter, type Node, type Pair, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { SourceError } from '../../errors.js';
import { type Unknown, unknown } from '../../inventory/types.js';
import { type Bindings, NO_BINDINGS, expandLoop, isLoopKey, substitute } from './foreach.js';
import { INTRINSIC_TAGS, NO_VALUE, type Report, type Scope, applyIntrinsic, isIntrinsicName } from './intrinsics.js';

export interface Notice {
  line: number;
  column: number;
  message: string;
}

export function scalarKey(pair: Pair): string {
  const key = pair.key as Node | null;
  if (isScalar(key)) return String(key.value);
  return key === null ? '' : String(key);
}

export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((pair) => scalarKey(pair) === key);
}

function isStandardTag(tag: string): boolean {
  return tag.startsWith('tag:yaml.org,2002:');
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  // A `__proto__` key must become data, not the object's prototype.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export class Converter {
  readonly nodes = new WeakMap<object, Node>();
  private readonly anchors = new Map<string, unknown>();
  private readonly noticed = new Map<string, Notice>();
  aliases = 0;
  firstAlias: number | undefined;
  /** Entries Fn::ForEach loops have generated so far (bounded: a loop of loops must not run away). */
  generated = 0;
  /** Loop identifiers in effect for the node being converted. */
  private bindings: Bindings = NO_BINDINGS;

  constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    readonly scope: Scope,
  ) {}

  position(node: Node | null | undefined): { line: number; column: number } {
    const { line, col } = this.lines.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  }

  fail(message: string, node: Node | null | undefined): never {
    const offset = node?.range?.[0];
    const at = offset === undefined ? undefined : this.lines.linePos(offset);
    throw new SourceError(message, this.file, at?.line, at?.col);
  }

  /** A notice at `node`; the same one at the same place is kept once (an output read twice). */
  notice(node: Node | null | undefined, message: string): void {
    const at = this.position(node);
    this.noticed.set(`${at.line}:${at.column}:${message}`, { ...at, message });
  }

  notices(): Notice[] {
    return [...this.noticed.values()].sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** Converts `node` with `bindings` (loop identifiers) in effect, or those of the enclosing conversion. */
  convert(node: unknown, bindings: Bindings = this.bindings): unknown {
    if (node === null || node === undefined) return null;
    const outer = this.bindings;
    this.bindings = bindings;
    try {
      if (isAlias(node)) return this.alias(node);
      const value = this.convertNode(node as Node);
      const anchor = (node as Node).anchor;
      if (anchor) this.anchors.set(anchor, value);
      return value;
    } finally {
      this.bindings = outer;
    }
  }

  /** A key with the loop identifiers in effect substituted. */
  key(pair: Pair, bindings: Bindings = this.bindings): string {
    return substitute(scalarKey(pair), bindings);
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

  private unknownConstruct(node: Node, construct: string, kind: string): Unknown {
    const { line } = this.position(node);
    this.notice(node, `${construct} is not evaluated (${kind}): the value there is Unknown`);
    return unknown(`${construct} at line ${line} is not evaluated`);
  }

  private convertNode(node: Node): unknown {
    const tag = node.tag;
    let fn: string | undefined;
    if (tag !== undefined && !isStandardTag(tag)) {
      fn = INTRINSIC_TAGS[tag];
      if (fn === undefined) return this.unknownConstruct(node, tag, "a YAML tag sesguard does not know, such as a pre-processor's directive");
    }
    let value: unknown;
    if (isScalar(node)) {
      value = node.value;
      if (fn === 'Fn::GetAtt' && typeof value === 'string') value = value.split(/\.(.*)/s, 2);
    } else if (isMap(node)) {
      // `{ Fn::X: … }` is a function call, also as the argument of a short form (`!Base64 { Fn::Sub: … }`).
      const key = node.items.length === 1 ? scalarKey(node.items[0]) : '';
      if ((key === 'Ref' || key.startsWith('Fn::')) && !isLoopKey(key)) {
        value = isIntrinsicName(key)
          ? this.intrinsic(key, this.convert(node.items[0].value), node)
          : this.unknownConstruct(node.items[0].key as Node, key, 'an intrinsic function sesguard does not know');
      } else {
        value = this.map(node);
      }
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
    return fn ? this.intrinsic(fn, value, node) : value;
  }

  /** A map, with its `Fn::ForEach::*` keys expanded into the entries they generate. */
  private map(node: Node & { items: Pair[] }): unknown {
    const map: Record<string, unknown> = {};
    let unexpanded: Unknown | undefined;
    for (const pair of node.items) {
      const raw = scalarKey(pair);
      if (isLoopKey(raw)) {
        const expansion = expandLoop(this, pair, this.bindings);
        for (const loop of expansion.unexpanded) {
          this.notice(loop.keyNode, `${loop.name} is not expanded (${loop.reason}): the values it generates are Unknown`);
          unexpanded ??= unknown(`${loop.name} is not expanded (${loop.reason})`);
        }
        for (const entry of expansion.entries) {
          const item = this.convert(entry.value, entry.bindings);
          if (item !== NO_VALUE) setKey(map, entry.key, item);
        }
        continue;
      }
      const item = this.convert(pair.value);
      if (item !== NO_VALUE) setKey(map, this.bindings.size > 0 ? substitute(raw, this.bindings) : raw, item);
    }
    // Keys a loop would add are not known, so the map as a whole is not.
    if (unexpanded) return unexpanded;
    this.nodes.set(map, node);
    return map;
  }

  private intrinsic(fn: string, arg: unknown, node: Node): unknown {
    // Inside a Fn::ForEach fragment the loop identifiers stand for the current item.
    if (this.bindings.size > 0) {
      if (fn === 'Ref' && typeof arg === 'string' && this.bindings.has(arg)) return this.bindings.get(arg);
      if (fn === 'Fn::Sub') {
        if (typeof arg === 'string') arg = substitute(arg, this.bindings);
        else if (Array.isArray(arg) && typeof arg[0] === 'string') arg = [substitute(arg[0], this.bindings), ...arg.slice(1)];
      }
    }
    const report: Report = (message) => this.notice(node, message);
    return applyIntrinsic(fn, arg, this.scope, report);
  }
}

