// Reading attribute values of a planned Terraform resource. Values come from `change.after`, with the
// places marked in `after_unknown` already replaced by Unknown markers (see plan.ts), so every reader
// here passes Unknowns through and applies the provider's default only to a value that is truly absent.
import { isUnknown, unknown, type Maybe, type Unknown } from '../../inventory/types.js';

export type Values = Record<string, unknown>;

/** The reason shown for every value Terraform only learns while applying. */
export const KNOWN_AFTER_APPLY = 'known after apply';

export function isObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string attribute; numbers and booleans as their text; absent (null) → undefined. */
export function str(value: unknown): Maybe<string> | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isUnknown(value)) return value;
  return undefined;
}

/** A boolean attribute, `fallback` (the provider default) when absent. */
export function bool(value: unknown, fallback: boolean): Maybe<boolean> {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (isUnknown(value)) return value;
  return fallback;
}

/** A number attribute (plans carry numbers as JSON numbers; strings of digits are accepted too). */
export function num(value: unknown): Maybe<number> | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (isUnknown(value)) return value;
  return undefined;
}

/**
 * A list or set of strings. A wholly unknown list stays one Unknown; an element that is unknown (or a
 * `null` hole, which is how some plans print an unknown element) becomes an Unknown element.
 */
export function strList(value: unknown): Maybe<string>[] | Unknown {
  if (isUnknown(value)) return value;
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => str(item) ?? unknown(KNOWN_AFTER_APPLY));
}

/** The same, but a wholly unknown list becomes a list of one Unknown (for props typed `Maybe<string>[]`). */
export function strListFlat(value: unknown): Maybe<string>[] {
  const list = strList(value);
  return isUnknown(list) ? [list] : list;
}

/** The instances of a nested block (Terraform prints blocks as lists of objects). */
export function blocks(value: unknown): (Values | Unknown)[] {
  if (isUnknown(value)) return [value];
  if (!Array.isArray(value)) return isObject(value) ? [value] : [];
  return value.filter((item): item is Values | Unknown => isObject(item));
}

/** The single instance of a `max_items = 1` block, or undefined when it is not set. */
export function block(value: unknown): Values | Unknown | undefined {
  return blocks(value)[0];
}

/** An attribute inside a block that may itself be unknown. */
export function field(container: Values | Unknown | undefined, key: string): unknown {
  if (container === undefined) return undefined;
  if (isUnknown(container)) return container;
  return container[key];
}

/** Upper snake case for SES event types: v1 `renderingFailure` → `RENDERING_FAILURE`, v2 values unchanged. */
export function upperSnake(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
