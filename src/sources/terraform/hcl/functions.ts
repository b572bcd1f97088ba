// The Terraform functions configurations use to build policies and names, evaluated statically. Each
// returns an Unknown when its answer depends on one (keeping the known text of strings where it can);
// `file` and `templatefile` read only files inside the scanned repository. Functions not listed here make
// their result Unknown, naming the function.
import { isUnknown, partialString, unknown, type Unknown } from '../../../inventory/types.js';
import { MAX_COLLECTION, type FunctionImpl } from './evaluate.js';
import type { Pos } from './syntax.js';
import {
  EvalError,
  JsonText,
  concatText,
  containsUnknown,
  findUnknown,
  isLazy,
  isPlainObject,
  plainJson,
  sameValue,
  toNumber,
  toText,
  unknownOf,
} from './values.js';

export interface FileAccess {
  /** A repository file's text, by path relative to the module directory; undefined when outside or unreadable. */
  read(path: string): string | undefined;
  /** Evaluates template text (templatefile) with the given variables. */
  template(text: string, vars: Record<string, unknown>, at: Pos): unknown;
}

const list = (value: unknown, fn: string): unknown[] | Unknown => {
  if (isUnknown(value)) return value;
  if (isLazy(value)) return unknown(`${fn}: ${value.label} is not a plain value`);
  if (Array.isArray(value)) return value;
  throw new EvalError(`${fn}: expected a list, got ${value === null ? 'null' : isPlainObject(value) ? 'an object' : typeof value}`);
};
const object = (value: unknown, fn: string): Record<string, unknown> | Unknown => {
  if (isUnknown(value)) return value;
  if (isLazy(value)) {
    const whole = value.whole();
    return isPlainObject(whole) ? whole : unknownOf(whole);
  }
  if (isPlainObject(value)) return value;
  throw new EvalError(`${fn}: expected a map or object`);
};
const text = (value: unknown, fn: string): string | Unknown => toText(value, `${fn} argument`);
const known = <T>(value: T | Unknown): value is T => !isUnknown(value);

function dedupe(items: unknown[]): unknown[] | Unknown {
  const out: unknown[] = [];
  for (const item of items) {
    // Whether an unknown element equals another is unknown, so the set's size is too.
    if (containsUnknown(item)) return unknownOf(findUnknown(item));
    if (!out.some((o) => sameValue(o, item))) out.push(item);
  }
  return out;
}

function decodeJson(value: unknown): unknown {
  if (value instanceof JsonText) return value.value;
  const source = text(value, 'jsondecode');
  if (isUnknown(source)) return source;
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new EvalError('jsondecode: the text is not valid JSON');
  }
}

/** `format`: %s %d %v %q %%, with unknown arguments left as holes of a partly known string. */
function format(args: unknown[]): unknown {
  const spec = text(args[0], 'format');
  if (isUnknown(spec)) return spec;
  const pieces: (string | Unknown)[] = [];
  let next = 1;
  const verb = /%(?:\[(\d+)\])?([-+# 0]*\d*(?:\.\d+)?)([sdvqtfeg%])/g;
  let last = 0;
  for (let m = verb.exec(spec); m !== null; m = verb.exec(spec)) {
    pieces.push(spec.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[3] === '%') {
      pieces.push('%');
      continue;
    }
    const index = m[1] ? Number(m[1]) : next;
    next = index + 1;
    if (index >= args.length) throw new EvalError('format: not enough arguments');
    const arg = args[index];
    if (isUnknown(arg)) {
      pieces.push(arg);
      continue;
    }
    if (m[3] === 'q') pieces.push(JSON.stringify(text(arg, 'format')));
    else if (m[3] === 'd') {
      const n = toNumber(arg);
      pieces.push(isUnknown(n) ? n : String(Math.trunc(n)));
    } else if (m[3] === 'v' && (Array.isArray(arg) || isPlainObject(arg))) pieces.push(JSON.stringify(plainJson(arg)));
    else pieces.push(text(arg, 'format'));
  }
  pieces.push(spec.slice(last));
  return partialString(pieces);
}

/** Maps the known text of a (partly known) string, keeping its holes. */
function mapText(value: unknown, fn: string, map: (s: string) => string): unknown {
  const t = text(value, fn);
  if (!isUnknown(t)) return map(t);
  if (!t.parts) return t;
  return partialString(t.parts.map((p) => (typeof p === 'string' ? map(p) : p)));
}

export function terraformFunctions(files: () => FileAccess): Record<string, FunctionImpl> {
  const fns: Record<string, FunctionImpl> = {
    jsonencode: ([value]) => new JsonText(value),
    jsondecode: ([value]) => decodeJson(value),
    format: (args) => format(args),
    formatlist: (args) => {
      const lists = args.slice(1).filter(Array.isArray) as unknown[][];
      if (args.slice(1).some(isUnknown)) return unknownOf(...args);
      const n = lists.length > 0 ? lists[0]!.length : 1;
      return Array.from({ length: n }, (_, i) => format([args[0], ...args.slice(1).map((a) => (Array.isArray(a) ? a[i] : a))]));
    },
    join: ([sep, ...lists]) => {
      const s = text(sep, 'join');
      if (isUnknown(s)) return s;
      const items: unknown[] = [];
      for (const l of lists) {
        const v = list(l, 'join');
        if (isUnknown(v)) return v;
        items.push(...v);
      }
      const pieces: (string | Unknown)[] = [];
      items.forEach((item, i) => {
        if (i > 0) pieces.push(s);
        pieces.push(text(item, 'join'));
      });
      // A concatenation: holes that stand for exactly one resource attribute still do.
      return concatText(pieces);
    },
    split: ([sep, value]) => {
      const s = text(sep, 'split');
      const v = text(value, 'split');
      if (isUnknown(s) || isUnknown(v)) return unknownOf(s, v);
      return v.split(s);
    },
    concat: (args) => {
      const out: unknown[] = [];
      for (const a of args) {
        const v = list(a, 'concat');
        if (isUnknown(v)) return v;
        out.push(...v);
      }
      return out;
    },
    merge: (args) => {
      const out: Record<string, unknown> = {};
      for (const a of args) {
        if (a === null) continue;
        const v = object(a, 'merge');
        if (isUnknown(v)) return v;
        for (const [k, value] of Object.entries(v)) if (k !== '__proto__') out[k] = value;
      }
      return out;
    },
    lookup: ([map, key, fallback]) => {
      const m = object(map, 'lookup');
      const k = text(key, 'lookup');
      if (isUnknown(m)) return m;
      if (isUnknown(k)) return k;
      if (Object.prototype.hasOwnProperty.call(m, k)) return m[k];
      if (fallback === undefined) throw new EvalError(`lookup: no key "${k}"`);
      return fallback;
    },
    toset: ([value]) => {
      const v = list(value, 'toset');
      return isUnknown(v) ? v : dedupe(v);
    },
    tolist: ([value]) => list(value, 'tolist'),
    tomap: ([value]) => object(value, 'tomap'),
    tostring: ([value]) => (value === null ? null : text(value, 'tostring')),
    tonumber: ([value]) => (value === null ? null : toNumber(value)),
    tobool: ([value]) => (typeof value === 'boolean' || value === null || isUnknown(value) ? value : value === 'true' ? true : value === 'false' ? false : fail('tobool: not a bool')),
    flatten: ([value]) => {
      const out: unknown[] = [];
      const visit = (v: unknown, depth: number): Unknown | undefined => {
        if (isUnknown(v)) return v;
        if (!Array.isArray(v)) {
          out.push(v);
          return undefined;
        }
        if (depth > 50) throw new EvalError('flatten: nested too deeply');
        for (const item of v) {
          const bad = visit(item, depth + 1);
          if (bad) return bad;
        }
        if (out.length > MAX_COLLECTION) throw new EvalError(`flatten: more than ${MAX_COLLECTION} elements`);
        return undefined;
      };
      const top = list(value, 'flatten');
      if (isUnknown(top)) return top;
      const bad = visit(top, 0);
      return bad ? unknown(`flatten: an element is unknown (${bad.$unknown})`) : out;
    },
    distinct: ([value]) => {
      const v = list(value, 'distinct');
      return isUnknown(v) ? v : dedupe(v);
    },
    keys: ([value]) => {
      const v = object(value, 'keys');
      return isUnknown(v) ? v : Object.keys(v).sort();
    },
    values: ([value]) => {
      const v = object(value, 'values');
      return isUnknown(v) ? v : Object.keys(v).sort().map((k) => v[k]);
    },
    length: ([value]) => {
      if (isUnknown(value)) return value;
      if (typeof value === 'string') return [...value].length;
      if (Array.isArray(value)) return value.length;
      const v = object(value, 'length');
      return isUnknown(v) ? v : Object.keys(v).length;
    },
    replace: ([value, search, replacement]) => {
      const [v, s, r] = [text(value, 'replace'), text(search, 'replace'), text(replacement, 'replace')];
      if (isUnknown(v) || isUnknown(s) || isUnknown(r)) return unknownOf(v, s, r);
      const re = /^\/(.*)\/$/.exec(s);
      if (re) {
        try {
          return v.replace(new RegExp(re[1]!, 'g'), r.replace(/\$\{(\w+)\}/g, '$<$1>'));
        } catch {
          throw new EvalError('replace: the regular expression is not supported');
        }
      }
      return v.split(s).join(r);
    },
    lower: ([value]) => mapText(value, 'lower', (s) => s.toLowerCase()),
    upper: ([value]) => mapText(value, 'upper', (s) => s.toUpperCase()),
    trimspace: ([value]) => mapText(value, 'trimspace', (s) => s.trim()),
    coalesce: (args) => {
      for (const a of args) {
        if (isUnknown(a)) return unknown(`coalesce: an argument is unknown (${a.$unknown})`);
        if (a !== null && a !== '') return a;
      }
      throw new EvalError('coalesce: every argument is null or empty');
    },
    coalescelist: (args) => {
      for (const a of args) {
        if (isUnknown(a)) return a;
        if (Array.isArray(a) && a.length > 0) return a;
      }
      throw new EvalError('coalescelist: every list is empty');
    },
    compact: ([value]) => {
      const v = list(value, 'compact');
      if (isUnknown(v)) return v;
      if (v.some(isUnknown)) return unknownOf(...v);
      return v.filter((x) => x !== null && x !== '');
    },
    contains: ([value, item]) => {
      const v = list(value, 'contains');
      if (isUnknown(v)) return v;
      if (v.some((x) => sameValue(x, item))) return true;
      return containsUnknown(v) || containsUnknown(item) ? unknownOf(item, ...v) : false;
    },
    element: ([value, index]) => {
      const v = list(value, 'element');
      const i = toNumber(index);
      if (isUnknown(v) || isUnknown(i)) return unknownOf(v, i);
      if (v.length === 0) throw new EvalError('element: the list is empty');
      return v[((Math.trunc(i) % v.length) + v.length) % v.length];
    },
    one: ([value]) => {
      const v = list(value, 'one');
      if (isUnknown(v)) return v;
      if (v.length > 1) throw new EvalError('one: the list has more than one element');
      return v.length === 0 ? null : v[0];
    },
    range: (args) => {
      const nums = args.map(toNumber);
      if (nums.some(isUnknown)) return unknownOf(...nums);
      const [a, b, step] = nums as number[];
      const [start, end, by] = nums.length === 1 ? [0, a!, 1] : [a!, b!, step ?? (a! <= b! ? 1 : -1)];
      if (by === 0) throw new EvalError('range: the step is 0');
      const n = Math.max(0, Math.ceil((end - start) / by));
      if (n > MAX_COLLECTION) throw new EvalError(`range of ${n} elements (more than ${MAX_COLLECTION})`);
      return Array.from({ length: n }, (_, i) => start + i * by);
    },
    zipmap: ([keys, vals]) => {
      const k = list(keys, 'zipmap');
      const v = list(vals, 'zipmap');
      if (isUnknown(k) || isUnknown(v)) return unknownOf(k, v);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < k.length; i++) {
        const key = text(k[i], 'zipmap');
        if (isUnknown(key)) return key;
        out[key] = v[i];
      }
      return out;
    },
    sort: ([value]) => {
      const v = list(value, 'sort');
      if (isUnknown(v)) return v;
      const texts = v.map((x) => text(x, 'sort'));
      if (!texts.every(known)) return unknownOf(...texts);
      return [...(texts as string[])].sort();
    },
    setunion: (args) => {
      const all: unknown[] = [];
      for (const a of args) {
        const v = list(a, 'setunion');
        if (isUnknown(v)) return v;
        all.push(...v);
      }
      return dedupe(all);
    },
    startswith: ([value, prefix]) => {
      const [v, p] = [text(value, 'startswith'), text(prefix, 'startswith')];
      return isUnknown(v) || isUnknown(p) ? unknownOf(v, p) : v.startsWith(p);
    },
    endswith: ([value, suffix]) => {
      const [v, s] = [text(value, 'endswith'), text(suffix, 'endswith')];
      return isUnknown(v) || isUnknown(s) ? unknownOf(v, s) : v.endsWith(s);
    },
    base64encode: ([value]) => {
      const v = text(value, 'base64encode');
      return isUnknown(v) ? v : Buffer.from(v, 'utf8').toString('base64');
    },
    file: ([path]) => {
      const p = text(path, 'file');
      if (isUnknown(p)) return p;
      const content = files().read(p);
      if (content === undefined) return unknown(`file ${p} is not in the scanned repository`);
      return content;
    },
    templatefile: ([path, vars], at) => {
      const p = text(path, 'templatefile');
      if (isUnknown(p)) return p;
      const v = object(vars ?? {}, 'templatefile');
      if (isUnknown(v)) return unknown(`the variables of templatefile ${p} are unknown (${v.$unknown})`);
      const content = files().read(p);
      if (content === undefined) return unknown(`template ${p} is not in the scanned repository`);
      return files().template(content, v, at);
    },
  };
  return fns;
}

function fail(message: string): never {
  throw new EvalError(message);
}

