// `Fn::ForEach` (the AWS::LanguageExtensions transform) expanded as CloudFormation expands it: for each item
// of the collection (a literal list, a CommaDelimitedList / List<…> parameter, anything that evaluates to a
// list of strings), the fragment's entries are produced with the identifier bound to the item — `${Id}` in
// keys and Fn::Sub strings becomes the item, `&{Id}` the item without its non-alphanumeric characters,
// `Ref: Id` the item — and nested loops inside the fragment are expanded in turn. Expansion works on the
// syntax tree: an entry keeps its own node, so what a loop generates carries the line where it is written.
// When the collection is not known the loop is returned unexpanded, with its entries under an identifier
// bound to that Unknown, so a caller can still tell what kind of things it would have produced.
import { type Node, type Pair, isMap, isScalar, isSeq } from 'yaml';
import { type Unknown, isUnknown, unknown } from '../../inventory/types.js';
import type { Converter } from './convert.js';

/** Loop identifier → the current item (or, for an unexpanded loop, the Unknown collection). */
export type Bindings = ReadonlyMap<string, string | Unknown>;
export const NO_BINDINGS: Bindings = new Map();

/** CloudFormation's own quota is 500 resources per stack; far beyond that a loop is a mistake or an attack. */
export const MAX_GENERATED = 10_000;

const LOOP_PREFIX = 'Fn::ForEach::';

export function isLoopKey(key: string): boolean {
  return key.startsWith(LOOP_PREFIX);
}

/** One key/value a loop produces (or, outside loops, one key/value as written). */
export interface LoopEntry {
  key: string;
  keyNode: Node | null;
  value: unknown;
  bindings: Bindings;
}

export interface UnexpandedLoop {
  name: string;
  keyNode: Node | null;
  reason: string;
  /** The fragment's entries with the identifier bound to an Unknown: what one item would give. */
  entries: LoopEntry[];
}

export interface Expansion {
  entries: LoopEntry[];
  unexpanded: UnexpandedLoop[];
}

/** `${Id}` → the item, `&{Id}` → the item with only its letters and digits, for every bound identifier. */
export function substitute(text: string, bindings: Bindings): string {
  if (bindings.size === 0 || !/[$&]\{/.test(text)) return text;
  return text.replace(/([$&])\{([A-Za-z0-9.:_]+)\}/g, (whole, sigil: string, name: string) => {
    const value = bindings.get(name);
    if (typeof value !== 'string') return whole;
    return sigil === '&' ? value.replace(/[^0-9A-Za-z]+/g, '') : value;
  });
}

/** The items of an evaluated collection, or why they are not known. */
function items(collection: unknown): string[] | Unknown {
  if (isUnknown(collection)) return { $unknown: collection.$unknown };
  if (!Array.isArray(collection)) return unknown('its collection is not a list');
  const out: string[] = [];
  for (const item of collection) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else if (isUnknown(item)) return { $unknown: item.$unknown };
    else return unknown('its collection holds a value that is not text');
  }
  return out;
}

/** The entries of a fragment map (a loop's third argument) with `bindings` in effect. */
export function fragmentEntries(converter: Converter, fragment: Node & { items: Pair[] }, bindings: Bindings): Expansion {
  const out: Expansion = { entries: [], unexpanded: [] };
  for (const pair of fragment.items) {
    const raw = isScalar(pair.key) ? String(pair.key.value) : '';
    if (isLoopKey(raw)) {
      const inner = expandLoop(converter, pair, bindings);
      out.entries.push(...inner.entries);
      out.unexpanded.push(...inner.unexpanded);
    } else {
      out.entries.push({ key: substitute(raw, bindings), keyNode: pair.key as Node | null, value: pair.value, bindings });
      converter.generated++;
    }
  }
  return out;
}

/**
 * Expands one `Fn::ForEach::Name: [Identifier, Collection, Fragment]` pair. A loop CloudFormation would
 * reject (wrong shape, runaway size) fails the template.
 */
export function expandLoop(converter: Converter, pair: Pair, bindings: Bindings): Expansion {
  const keyNode = pair.key as Node | null;
  const name = isScalar(keyNode) ? String(keyNode.value) : LOOP_PREFIX;
  const args = pair.value;
  if (!isSeq(args) || args.items.length !== 3) converter.fail(`${name} needs a list of [identifier, collection, fragment]`, keyNode);
  const [idNode, collectionNode, fragment] = args.items as Node[];
  const identifier = isScalar(idNode) && typeof idNode.value === 'string' ? idNode.value : undefined;
  if (!identifier || !/^[A-Za-z0-9]+$/.test(identifier)) converter.fail(`${name}: the identifier must be alphanumeric text`, idNode ?? keyNode);
  if (!isMap(fragment)) converter.fail(`${name}: the fragment must be a map of keys to values`, fragment ?? keyNode);

  const values = items(converter.convert(collectionNode, bindings));
  if (isUnknown(values)) {
    const inner = fragmentEntries(converter, fragment, new Map([...bindings, [identifier, values]]));
    return { entries: [], unexpanded: [{ name, keyNode, reason: values.$unknown, entries: inner.entries }] };
  }
  const out: Expansion = { entries: [], unexpanded: [] };
  for (const value of values) {
    const inner = fragmentEntries(converter, fragment, new Map([...bindings, [identifier, value]]));
    out.entries.push(...inner.entries);
    out.unexpanded.push(...inner.unexpanded);
    if (converter.generated > MAX_GENERATED) {
      converter.fail(`${name} generates more than ${MAX_GENERATED} entries (CloudFormation allows 500 resources per stack)`, keyNode);
    }
  }
  return out;
}
