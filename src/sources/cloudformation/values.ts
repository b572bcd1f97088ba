// Reading converted template values as the normalized model wants them: strings, booleans, numbers and
// lists, where a resource link becomes its symbolic text and anything unusable becomes an Unknown.
import { type Maybe, type Unknown, isUnknown, unknown } from '../../inventory/types.js';
import { Link } from './intrinsics.js';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Link) && !isUnknown(value);
}

/**
 * Properties that are wholly Unknown (`Properties: !Rain::Include props.yaml`): every property a
 * normalizer reads is that Unknown, so nothing is taken for absent (and given AWS's default).
 */
export function unknownProperties(reason: Unknown): Obj {
  return new Proxy({} as Obj, { get: (_target, key) => (typeof key === 'string' ? reason : undefined) });
}

/** A sub-object, or an empty one when absent or not a map (so optional nesting reads simply). */
export function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

/** A string property; undefined when absent. */
export function str(value: unknown): Maybe<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Link) return value.toString();
  if (isUnknown(value)) return value;
  return unknown('expected a string');
}

/** A boolean property (CloudFormation also accepts "true"/"false"), with the default AWS applies. */
export function bool(value: unknown, fallback: boolean): Maybe<boolean> {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (isUnknown(value)) return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return unknown('expected true or false');
}

/** A number property (strings of digits are numbers to CloudFormation); undefined when absent. */
export function num(value: unknown): Maybe<number> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (isUnknown(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return unknown('expected a number');
}

/** A list property: always an array (a lone value becomes a one-item list), or Unknown. */
export function list(value: unknown): unknown[] | Unknown {
  if (value === undefined || value === null) return [];
  if (isUnknown(value)) return value;
  return Array.isArray(value) ? value : [value];
}

/** A list of strings; Unknown when the list itself is. */
export function strings(value: unknown): Maybe<string>[] | Unknown {
  const items = list(value);
  if (isUnknown(items)) return items;
  return items.map((item) => str(item) ?? unknown('empty list item'));
}

/**
 * A deep copy where links become their symbolic text: what policy-document normalization reads. With
 * `from` (the template the value was read in), links are kept as links of that template instead, so a value
 * crossing into another template still says which resource it names.
 */
export function materialize(value: unknown, from?: string): unknown {
  if (value instanceof Link) return from === undefined ? value.toString() : value.file !== undefined ? value : new Link(value.logicalId, value.attribute, from);
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) return value.map((item) => materialize(item, from));
  if (isObj(value)) {
    const out: Obj = {};
    for (const [key, item] of Object.entries(value)) out[key] = materialize(item, from);
    return out;
  }
  return value;
}

/** The logical id a value links to, when it is a Ref / GetAtt of a resource of this template. */
export function linkedId(value: unknown): string | undefined {
  return value instanceof Link && value.file === undefined ? value.logicalId : undefined;
}

/** The other scanned template and logical id a value links to, when it crossed over from there. */
export function foreignLink(value: unknown): { file: string; logicalId: string } | undefined {
  return value instanceof Link && value.file !== undefined ? { file: value.file, logicalId: value.logicalId } : undefined;
}
