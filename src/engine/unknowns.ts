// Three-valued evaluation (SPEC §8): what CEL sees of a resource, so that an Unknown raises when an
// expression touches it and cel-js's own commutative logic decides the rest (`error || true` is true,
// `error && false` is false, `exists` with a true element is true, `all` with a false one is false).
//
// The view of a value is the value itself when nothing below it is Unknown (most live data: no copy, no
// cost after the first walk). Otherwise it is a copy in which
// - each Unknown marker becomes a *poison*: a proxy that throws UnknownTouched from every trap, so a field
//   access, a comparison (cel-js asks every operand for its type first), a call or an `instanceof` on it
//   raises — it never compares silently unequal;
// - a list holding Unknown elements iterates (`x in list`) over its known elements and raises at the end
//   if it had to skip one, so a known match decides and a miss depends on the Unknown;
// - every poison handed out to cel-js is recorded. A built-in that only compares references or types
//   (`isEqual` of two lists or maps, `has()`) can hold a poison without touching it: a decided outcome
//   whose evaluation handed out a poison that was never touched is not trusted (not assessed), so no
//   built-in can silently treat an Unknown as "different".
// Domain functions receive the raw values (Unknown markers included: they answer three-valued themselves)
// and their results are viewed again.
import type { Unknown } from '../inventory/types.js';
import { isUnknown } from '../inventory/types.js';

/** Thrown when an expression touches an Unknown: the pair's outcome depends on it. */
export class UnknownTouched extends Error {
  constructor(
    readonly marker: Unknown,
    readonly path: string,
  ) {
    super(describe(path, marker));
    this.name = 'UnknownTouched';
  }
}

/** `path: reason`, with the resource's `props.` prefix left out (paths read like a check's `reads`). */
export function describe(path: string, marker: Unknown): string {
  const shown = path.startsWith('props.') ? path.slice('props.'.length) : path;
  return shown ? `${shown}: ${marker.$unknown}` : marker.$unknown;
}

interface Poison {
  marker: Unknown;
  path: string;
}

/** What one evaluation handed out and touched. */
interface Session {
  handed: object[] | null;
  touched: Set<object> | null;
}

let session: Session | null = null;

/**
 * Whether CEL may hold a view (a copy or a poison) in the current evaluation. False when the resource and
 * the context are their own views (no Unknown anywhere, the common case) and no domain function result has
 * needed one since: every value CEL hands a domain function is then raw already, and is passed as is.
 */
let viewsInPlay = true;

/** Data that holds no view and no Unknown: its own view, and its own raw value. */
const CLEAN = Symbol('clean');
interface Copy {
  raw: object;
}
/** What an object CEL may see is: clean data, a copy standing for a raw object, or a poison. One lookup. */
const meta = new WeakMap<object, typeof CLEAN | Copy | Poison>();
/** raw object holding an Unknown (or an Unknown marker) → its copy (or poison). */
const views = new WeakMap<object, object>();
/** raw objects found to hold an Unknown somewhere below (so a copy's children need no second walk). */
const dirty = new WeakSet<object>();

function touch(proxy: object): void {
  if (session) (session.touched ??= new Set()).add(proxy);
}

function handOut(proxy: object): object {
  if (session) (session.handed ??= []).push(proxy);
  return proxy;
}

/**
 * A poison throws from every trap. A list element's poison answers `constructor` (as a plain object)
 * so that cel-js can bind it to a macro's variable (`list.exists(x, …)` checks the variable's type that
 * way); anything the predicate then does with it — compare it, read a field, pass it on — raises.
 */
function poison(marker: Unknown, path: string, element = false): object {
  const raise = (): never => {
    touch(proxy);
    throw new UnknownTouched(marker, path);
  };
  const proxy: object = new Proxy(Object.freeze(Object.create(null)) as object, {
    get: element ? (_target, key) => (key === 'constructor' ? Object : raise()) : raise,
    has: raise,
    ownKeys: raise,
    getOwnPropertyDescriptor: raise,
    getPrototypeOf: raise,
    set: raise,
    defineProperty: raise,
    deleteProperty: raise,
    isExtensible: raise,
    preventExtensions: raise,
  });
  meta.set(proxy, { marker, path });
  return proxy;
}

/**
 * True when an Unknown marker sits at or below `value`. Objects that hold one are remembered (`dirty`);
 * clean ones are not (a WeakMap entry per nested object would cost more than the walk), so building a
 * copy treats every child the walk did not mark dirty as clean.
 */
function holdsUnknown(value: object, depth: number): boolean {
  if (typeof (value as Partial<Unknown>).$unknown === 'string') return true;
  if (depth >= 64) return false;
  let found = false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && holdsUnknown(item, depth + 1)) found = true;
    }
  } else {
    for (const key in value) {
      const item: unknown = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null && holdsUnknown(item, depth + 1)) found = true;
    }
  }
  if (found) dirty.add(value);
  return found;
}

// Lists with Unknown elements: an array exotic object (Array.isArray, `length`, index access and
// `constructor === Array` as cel-js expects) whose prototype is not Array.prototype, so that cel-js probes
// its element type through values() — known elements only — instead of touching element 0.
const SKIPPED = Symbol('skipped unknown elements');
const UNKNOWN_LIST_PROTO: object = Object.create(null, {
  constructor: { value: Array },
  values: {
    value: function* values(this: unknown[]) {
      const skipped = (this as unknown as Record<symbol, Set<number>>)[SKIPPED];
      for (let i = 0; i < this.length; i++) if (!skipped.has(i)) yield this[i];
    },
  },
  [Symbol.iterator]: {
    value: function* iterate(this: unknown[]) {
      const skipped = (this as unknown as Record<symbol, Set<number>>)[SKIPPED];
      let first = -1;
      for (let i = 0; i < this.length; i++) {
        if (!skipped.has(i)) yield this[i];
        else if (first === -1) first = i;
      }
      // Reached only when the consumer looked at every known element without stopping: the answer
      // depends on the skipped ones.
      if (first !== -1) {
        const proxy = (this as unknown as Record<number, object>)[first];
        const info = meta.get(proxy) as Poison;
        touch(proxy);
        throw new UnknownTouched(info.marker, info.path);
      }
    },
  },
});

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function build(value: object, path: string, depth: number): unknown {
  if (Array.isArray(value)) {
    const unknownAt = new Set<number>();
    value.forEach((item, i) => {
      if (isUnknown(item)) unknownAt.add(i);
    });
    const copy: unknown[] = new Array(value.length);
    if (unknownAt.size > 0) {
      Object.setPrototypeOf(copy, UNKNOWN_LIST_PROTO);
      Object.defineProperty(copy, SKIPPED, { value: unknownAt });
    }
    value.forEach((item, i) => {
      if (unknownAt.has(i)) {
        const proxy = poison(item as Unknown, path, true);
        Object.defineProperty(copy, i, { get: () => handOut(proxy), enumerable: true });
      } else {
        copy[i] = childView(item, path, depth + 1);
      }
    });
    return copy;
  }
  // Known properties first: cel-js probes a map's type through its first entry, and that probe must not
  // touch an Unknown (key order means nothing in a CEL map).
  const copy: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (isUnknown(item)) unknownKeys.push(key);
    else copy[key] = childView(item, childPath(path, key), depth + 1);
  }
  for (const key of unknownKeys) {
    const proxy = poison((value as Record<string, Unknown>)[key], childPath(path, key));
    Object.defineProperty(copy, key, { get: () => handOut(proxy), enumerable: true });
  }
  return copy;
}

/** A child of a copy: the walk of its parent marked it dirty if an Unknown sits below it. */
function childView(value: unknown, path: string, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (!dirty.has(value)) {
    // Clean data inside a copy: rawValue hands it to domain functions without walking it again.
    meta.set(value, CLEAN);
    return value;
  }
  return viewAt(value, path, depth);
}

function viewAt(value: unknown, path: string, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (meta.has(value)) return value;
  const cached = views.get(value);
  if (cached !== undefined) return cached;
  if (isUnknown(value)) {
    const proxy = poison(value, path);
    views.set(value, proxy);
    return proxy;
  }
  if (depth >= 64 || !holdsUnknown(value, depth)) {
    meta.set(value, CLEAN);
    return value;
  }
  const copy = build(value, path, depth) as object;
  views.set(value, copy);
  meta.set(copy, { raw: value });
  return copy;
}

/** What CEL sees of a domain function's result: fresh results are walked each time, never remembered. */
export function celResult(value: unknown, path: string): unknown {
  if (typeof value !== 'object' || value === null || meta.has(value)) return value;
  let view = views.get(value);
  if (view === undefined) {
    if (!holdsUnknown(value, 0)) return value;
    view = viewAt(value, path, 0) as object;
  }
  viewsInPlay = true;
  return view;
}

/**
 * What CEL sees of a value (a resource, the config, a function's result). `path` names where Unknowns
 * sit in reasons (`props.alarms.threshold` is shown as `alarms.threshold`).
 */
export function celView(value: unknown, path = ''): unknown {
  return viewAt(value, path, 0);
}

function isPoison(m: typeof CLEAN | Copy | Poison): m is Poison {
  return m !== CLEAN && 'marker' in m;
}

/** A view's raw value; a poison handed to a domain function counts as touched (it answers three-valued). */
function rawOfView(value: object, m: typeof CLEAN | Copy | Poison): unknown {
  if (m === CLEAN) return value;
  if (isPoison(m)) {
    touch(value);
    return m.marker;
  }
  return m.raw;
}

/** Containers this big are remembered as clean once unwrapped (the Organization's account list). */
const REMEMBER_FROM = 8;

/**
 * The raw value behind a view, for domain functions. Lists and maps that CEL built (`[a, b]`, `filter`)
 * are unwrapped element-wise; whatever holds no view is returned as is.
 */
export function rawValue(value: unknown): unknown {
  if (!viewsInPlay || typeof value !== 'object' || value === null) return value;
  const m = meta.get(value);
  if (m !== undefined) return rawOfView(value, m);
  const out = unwrapInside(value, 0);
  if (out === value && (Array.isArray(value) ? value.length : Object.keys(value).length) >= REMEMBER_FROM) meta.set(value, CLEAN);
  return out;
}

function unwrapInside(value: object, depth: number): unknown {
  const m = meta.get(value);
  if (m !== undefined) return rawOfView(value, m);
  // Deeper than this a leftover view is still safe: reading an Unknown through it raises.
  if (depth >= 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      const r = unwrapInside(item, depth + 1);
      if (r !== item) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | null = null;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== 'object' || item === null) continue;
    const r = unwrapInside(item, depth + 1);
    if (r !== item) (out ??= { ...value })[key] = r;
  }
  return out ?? value;
}

const NOTHING: { untouched: UnknownTouched[]; touched: UnknownTouched[] } = Object.freeze({ untouched: [], touched: [] }) as never;
const idle: Session = { handed: null, touched: null };

/**
 * Starts recording what one evaluation hands out and touches (evaluations do not nest). `withViews`: false
 * only when every variable of the evaluation is its own view (celView returned the value itself).
 */
export function beginSession(withViews = true): void {
  idle.handed = null;
  idle.touched = null;
  session = idle;
  viewsInPlay = withViews;
}

/**
 * Stops recording. `untouched`: poisons handed out and never touched (a built-in may have compared them
 * without looking); `touched`: the Unknowns the evaluation ran into.
 */
export function endSession(): { untouched: UnknownTouched[]; touched: UnknownTouched[] } {
  const current = session;
  session = null;
  if (!current || (current.handed === null && current.touched === null)) return NOTHING;
  const named = (proxy: object): UnknownTouched => {
    const info = meta.get(proxy) as Poison;
    return new UnknownTouched(info.marker, info.path);
  };
  const touched = [...(current.touched ?? [])];
  const untouched = (current.handed ?? []).filter((proxy) => !current.touched?.has(proxy));
  return { untouched: [...new Set(untouched)].map(named), touched: touched.map(named) };
}
