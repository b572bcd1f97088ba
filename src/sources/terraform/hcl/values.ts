// The values Terraform expressions evaluate to, statically: strings, numbers, booleans, null, lists and
// objects as plain JSON values, Unknown markers (with the known pieces of partly known strings), and two
// kinds of stand-in: `JsonText` (the result of jsonencode, kept structured so a policy document with a
// reference in it stays a document, not an opaque string) and `Lazy` (a resource, data source or module
// instance whose attributes are evaluated only when read).
import { isUnknown, partialString, unknown, type Unknown } from '../../../inventory/types.js';

/** `jsonencode(value)`: a string whose content is the JSON of `value`. */
export class JsonText {
  constructor(readonly value: unknown) {}
}

/** An object whose attributes are evaluated on demand (resource, data source and module instances). */
export interface Lazy {
  readonly lazy: true;
  /** What it is, for reasons (`aws_iam_role.sender`, `module.mail`). */
  readonly label: string;
  /** The address of the resource instance it is (resources only: a data source or a module is not one). */
  readonly instance?: string;
  get(name: string): unknown;
  /** Every attribute, when the whole object is needed (a `for` over it, jsonencode of it). */
  whole(): unknown;
}

export function isLazy(value: unknown): value is Lazy {
  return typeof value === 'object' && value !== null && (value as Lazy).lazy === true;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value) && !(value instanceof JsonText) && !isLazy(value);
}

/** An error the evaluator turns into an Unknown of the smallest enclosing value (with a notice when it is the user's). */
export class EvalError extends Error {}

/** The combined Unknown of several values (reasons joined once each). */
export function unknownOf(...values: unknown[]): Unknown {
  const reasons = new Set<string>();
  for (const value of values) if (isUnknown(value)) reasons.add(value.$unknown);
  return unknown([...reasons].join('; ') || 'unknown');
}

/** True when the value holds an Unknown anywhere (a partly known string counts). */
export function containsUnknown(value: unknown, depth = 0): boolean {
  if (isUnknown(value) || isLazy(value)) return true;
  if (depth > 100) return false;
  if (value instanceof JsonText) return containsUnknown(value.value, depth + 1);
  if (Array.isArray(value)) return value.some((v) => containsUnknown(v, depth + 1));
  if (isPlainObject(value)) return Object.values(value).some((v) => containsUnknown(v, depth + 1));
  return false;
}

/** Text of a primitive value as Terraform converts it to string; Unknown / partial strings pass through. */
export function toText(value: unknown, what = 'value'): string | Unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isUnknown(value)) return value;
  if (value instanceof JsonText) {
    if (containsUnknown(value.value)) return unknownOf(findUnknown(value.value) ?? unknown('a value inside jsonencode is unknown'));
    return JSON.stringify(plainJson(value.value));
  }
  if (isLazy(value)) return unknown(`${value.label} is not a string`);
  if (value === null) throw new EvalError(`a null ${what} cannot be used as a string`);
  throw new EvalError(`a ${Array.isArray(value) ? 'list' : 'object'} cannot be used as a string`);
}

/** The first Unknown inside a value. */
export function findUnknown(value: unknown, depth = 0): Unknown | undefined {
  if (isUnknown(value)) return value;
  if (isLazy(value)) return unknown(`${value.label} is not a plain value`);
  if (depth > 100) return undefined;
  if (value instanceof JsonText) return findUnknown(value.value, depth + 1);
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : [];
  for (const item of items) {
    const found = findUnknown(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A fully known value as plain JSON (JsonText becomes its JSON string). */
export function plainJson(value: unknown): unknown {
  if (value instanceof JsonText) return JSON.stringify(plainJson(value.value));
  if (Array.isArray(value)) return value.map(plainJson);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plainJson(v);
    return out;
  }
  return value;
}

/**
 * Holes of partly known strings that stand for exactly one attribute of one resource instance: the value of
 * `aws_cloudwatch_metric_alarm.bounce.arn`, known only after apply, interpolated as it is. A reader can then tell
 * which resource a string names (a composite alarm's rule) though not its text. Set by templates, kept by
 * concatenation (templates, `join`); whatever transforms text (`lower`, `format`, `replace`) makes unmarked holes.
 */
export const exactHoles = new WeakMap<Unknown, { address: string; attribute: string }>();

function holesOf(piece: string | Unknown): Unknown[] {
  if (typeof piece === 'string') return [];
  return piece.parts ? piece.parts.flatMap(holesOf) : [piece];
}

/** Concatenation of template pieces, keeping the known text of partly known results (and which holes are exact). */
export function concatText(pieces: (string | Unknown)[]): string | Unknown {
  const out = partialString(pieces);
  if (!isUnknown(out) || !out.parts) return out;
  // partialString copies the holes, in order: carry the marks over.
  const marks = pieces.flatMap(holesOf).map((hole) => exactHoles.get(hole));
  if (marks.some((mark) => mark !== undefined)) {
    out.parts.filter(isUnknown).forEach((hole, i) => {
      const mark = marks[i];
      if (mark) exactHoles.set(hole, mark);
    });
  }
  return out;
}

export function truthy(value: unknown): boolean | Unknown {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (isUnknown(value)) return value;
  throw new EvalError(`a ${value === null ? 'null' : typeof value} value cannot be used as a condition`);
}

export function toNumber(value: unknown): number | Unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (isUnknown(value)) return value;
  throw new EvalError(`${JSON.stringify(value)} is not a number`);
}

/** Deep equality of known values (Unknowns never equal anything). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b) || isLazy(a) || isLazy(b)) return false;
  if (a instanceof JsonText || b instanceof JsonText) {
    return a instanceof JsonText && b instanceof JsonText && sameValue(a.value, b.value);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return a === b;
}
