// Static evaluation of Terraform expressions: what Terraform itself knows before apply. Names resolve
// through a Scope (variables, locals, resources, modules, data sources, for-variables); whatever depends
// on something unknown is an Unknown carrying the reason, and a partly known string keeps its known text.
// Work is bounded: collections, iterations and evaluation steps are capped, so a hostile configuration
// costs a bounded amount of time and memory and what lies beyond a cap is Unknown, said so.
import { isUnknown, unknown, type Unknown } from '../../../inventory/types.js';
import type { Expr, Pos, TemplatePart } from './syntax.js';
import {
  EvalError,
  JsonText,
  concatText,
  exactHoles,
  isLazy,
  isPlainObject,
  sameValue,
  toNumber,
  toText,
  truthy,
  unknownOf,
} from './values.js';

/** Most elements a collection may have (lists built by for, range, count/for_each). */
export const MAX_COLLECTION = 10_000;
/** Evaluation steps for a whole run: far above any real configuration, low enough to stop a hostile one. */
export const MAX_STEPS = 20_000_000;

/** The budget of steps was spent: everything still to evaluate is Unknown. */
export class BudgetError extends Error {}

export interface Scope {
  /** The value of a root name, or undefined when the name is not defined here. */
  lookup(name: string): unknown;
}

/** A scope with a few names bound on top of another (for-variables, each, count, splat elements). */
export class Bound implements Scope {
  constructor(
    private readonly names: Record<string, unknown>,
    private readonly parent: Scope,
  ) {}

  lookup(name: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.names, name) ? this.names[name] : this.parent.lookup(name);
  }
}

export type FunctionImpl = (args: unknown[], at: Pos, evaluator: Evaluator) => unknown;

export class Evaluator {
  private steps = 0;
  private readonly collectors: Set<string>[] = [];
  private readonly memos = new Map<string, { value: unknown; refs: Set<string> } | 'busy'>();

  constructor(readonly functions: Record<string, FunctionImpl>) {}

  // -------------------------------------------------------------------------------------------
  // References and memoized values

  /** Notes that the expression being evaluated reads the resource instance at `address`. */
  reference(address: string): void {
    for (const collector of this.collectors) collector.add(address);
  }

  /** Evaluates `compute`, returning the resource addresses it read (through memoized values too). */
  track<T>(compute: () => T): { value: T; refs: Set<string> } {
    const refs = new Set<string>();
    this.collectors.push(refs);
    try {
      return { value: compute(), refs };
    } finally {
      this.collectors.pop();
    }
  }

  /**
   * A value computed once per key (a local, a variable, an output, a resource attribute); reading it again
   * replays the references it made. A value that needs itself (`local.a = local.a`) is Unknown.
   */
  memo(key: string, compute: () => unknown, cycle: () => unknown): unknown {
    const hit = this.memos.get(key);
    if (hit === 'busy') return cycle();
    if (hit) {
      for (const ref of hit.refs) this.reference(ref);
      return hit.value;
    }
    this.memos.set(key, 'busy');
    let result: { value: unknown; refs: Set<string> };
    try {
      result = this.track(compute);
    } catch (error) {
      this.memos.delete(key);
      throw error;
    }
    this.memos.set(key, result);
    for (const ref of result.refs) this.reference(ref);
    return result.value;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  evaluate(expr: Expr, scope: Scope): unknown {
    if (++this.steps > MAX_STEPS) throw new BudgetError(`evaluation stopped after ${MAX_STEPS} steps`);
    switch (expr.k) {
      case 'lit':
        return expr.v;
      case 'tpl':
        return this.template(expr.parts, scope);
      case 'var': {
        const value = scope.lookup(expr.name);
        if (value === undefined) throw new EvalError(`${expr.name} is not defined`);
        return value;
      }
      case 'attr':
        return this.getAttr(this.evaluate(expr.obj, scope), expr.name);
      case 'index':
        return this.getIndex(this.evaluate(expr.obj, scope), this.evaluate(expr.key, scope));
      case 'splat':
        return this.splat(this.evaluate(expr.obj, scope), expr.each, scope);
      case 'tuple':
        return expr.items.map((item) => this.evaluate(item, scope));
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const item of expr.items) {
          const key = this.evaluate(item.key, scope);
          const text = toText(key, 'object key');
          if (isUnknown(text)) return unknown(`an object key is unknown (${text.$unknown})`);
          if (text === '__proto__') continue;
          out[text] = this.evaluate(item.value, scope);
        }
        origins.set(out, expr.at);
        return out;
      }
      case 'call':
        return this.call(expr, scope);
      case 'cond':
        return this.conditional(expr.test, expr.then, expr.else, scope);
      case 'unary': {
        const value = this.evaluate(expr.operand, scope);
        if (expr.op === '!') {
          const b = truthy(value);
          return isUnknown(b) ? b : !b;
        }
        const n = toNumber(value);
        return isUnknown(n) ? n : -n;
      }
      case 'binary':
        return this.binary(expr.op, expr.left, expr.right, scope);
      case 'for':
        return this.forExpr(expr, scope);
      case 'error':
        throw new EvalError(expr.message);
    }
  }

  getAttr(value: unknown, name: string): unknown {
    if (isUnknown(value)) return value;
    if (isLazy(value)) return value.get(name);
    if (isPlainObject(value)) {
      if (!Object.prototype.hasOwnProperty.call(value, name)) throw new EvalError(`the object has no attribute "${name}"`);
      return value[name];
    }
    if (value instanceof JsonText) throw new EvalError(`a string has no attribute "${name}"`);
    if (value === null) throw new EvalError(`attribute "${name}" of a null value`);
    throw new EvalError(`a ${Array.isArray(value) ? 'list' : typeof value} has no attribute "${name}"`);
  }

  getIndex(value: unknown, key: unknown): unknown {
    if (isUnknown(value)) return value;
    if (isUnknown(key)) return unknown(`the index is unknown (${key.$unknown})`);
    if (Array.isArray(value)) {
      const i = toNumber(key);
      if (isUnknown(i)) return i;
      if (!Number.isInteger(i) || i < 0 || i >= value.length) throw new EvalError(`index ${i} is out of range (${value.length} elements)`);
      return value[i];
    }
    const name = toText(key, 'key');
    if (isUnknown(name)) return name;
    return this.getAttr(value, name);
  }

  private splat(value: unknown, each: Expr, scope: Scope): unknown {
    if (isUnknown(value)) return value;
    if (value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    if (list.length > MAX_COLLECTION) throw new EvalError(`a splat over more than ${MAX_COLLECTION} elements`);
    return list.map((item) => this.evaluate(each, new Bound({ $: item }, scope)));
  }

  private template(parts: TemplatePart[], scope: Scope): unknown {
    // A template that is one interpolation keeps the value's type (`"${var.list}"` is the list).
    if (parts.length === 1 && typeof parts[0] !== 'string' && 'at' in parts[0]!) return this.evaluate(parts[0], scope);
    const pieces: (string | Unknown)[] = [];
    this.templateInto(parts, scope, pieces);
    return concatText(pieces);
  }

  private templateInto(parts: TemplatePart[], scope: Scope, pieces: (string | Unknown)[]): void {
    for (const part of parts) {
      if (typeof part === 'string') pieces.push(part);
      else if (part.k === 'if') {
        const test = truthy(this.evaluate(part.test, scope));
        if (isUnknown(test)) pieces.push(test);
        else this.templateInto(test ? part.then : part.else, scope, pieces);
      } else if (part.k === 'tfor') {
        const coll = this.evaluate(part.coll, scope);
        const entries = this.entries(coll);
        if (isUnknown(entries)) pieces.push(entries);
        else for (const [k, v] of entries) this.templateInto(part.body, new Bound(part.keyVar ? { [part.keyVar]: k, [part.valVar]: v } : { [part.valVar]: v }, scope), pieces);
      } else {
        pieces.push(this.interpolated(part, scope));
      }
    }
  }

  /**
   * An interpolated value as text. A resource attribute unknown before apply, interpolated as it is
   * (`${aws_cloudwatch_metric_alarm.bounce.arn}`), becomes a hole marked as exactly that attribute (exactHoles).
   */
  private interpolated(part: Expr, scope: Scope): string | Unknown {
    if (part.k !== 'attr') return toText(this.evaluate(part, scope), 'interpolated value');
    if (++this.steps > MAX_STEPS) throw new BudgetError(`evaluation stopped after ${MAX_STEPS} steps`);
    const obj = this.evaluate(part.obj, scope);
    const value = this.getAttr(obj, part.name);
    if (isLazy(obj) && obj.instance !== undefined && isUnknown(value) && !value.parts) {
      const hole = unknown(value.$unknown);
      exactHoles.set(hole, { address: obj.instance, attribute: part.name });
      return hole;
    }
    return toText(value, 'interpolated value');
  }

  /** Key/value pairs of a collection: list indexes, or object keys in lexical order (as Terraform iterates). */
  entries(coll: unknown): [unknown, unknown][] | Unknown {
    if (isUnknown(coll)) return coll;
    if (isLazy(coll)) return this.entries(coll.whole());
    let pairs: [unknown, unknown][];
    if (Array.isArray(coll)) pairs = coll.map((v, i) => [i, v]);
    else if (isPlainObject(coll)) pairs = Object.keys(coll).sort().map((k) => [k, coll[k]]);
    else if (coll === null) throw new EvalError('cannot iterate over a null value');
    else throw new EvalError(`cannot iterate over a ${typeof coll}`);
    if (pairs.length > MAX_COLLECTION) throw new EvalError(`a collection of ${pairs.length} elements (more than ${MAX_COLLECTION})`);
    return pairs;
  }

  private forExpr(expr: Extract<Expr, { k: 'for' }>, scope: Scope): unknown {
    const entries = this.entries(this.evaluate(expr.coll, scope));
    if (isUnknown(entries)) return unknown(`the collection of a for expression is unknown (${entries.$unknown})`);
    const list: unknown[] = [];
    const object: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const inner = new Bound(expr.keyVar ? { [expr.keyVar]: k, [expr.valVar]: v } : { [expr.valVar]: v }, scope);
      if (expr.cond) {
        const keep = truthy(this.evaluate(expr.cond, inner));
        if (isUnknown(keep)) return unknown(`which elements a for expression keeps is unknown (${keep.$unknown})`);
        if (!keep) continue;
      }
      const value = this.evaluate(expr.value, inner);
      if (!expr.object) {
        list.push(value);
        continue;
      }
      const key = toText(this.evaluate(expr.key!, inner), 'key');
      if (isUnknown(key)) return unknown(`a key of a for expression is unknown (${key.$unknown})`);
      if (expr.group) ((object[key] ??= []) as unknown[]).push(value);
      else if (Object.prototype.hasOwnProperty.call(object, key)) throw new EvalError(`duplicate key "${key}" in a for expression (use ... to group)`);
      else object[key] = value;
    }
    return expr.object ? object : list;
  }

  private conditional(testExpr: Expr, thenExpr: Expr, elseExpr: Expr, scope: Scope): unknown {
    const test = truthy(this.evaluate(testExpr, scope));
    if (!isUnknown(test)) return this.evaluate(test ? thenExpr : elseExpr, scope);
    // Both branches agree: the condition does not matter.
    const a = this.evaluate(thenExpr, scope);
    const b = this.evaluate(elseExpr, scope);
    return sameValue(a, b) ? a : unknown(`the condition is unknown (${test.$unknown})`);
  }

  private binary(op: string, leftExpr: Expr, rightExpr: Expr, scope: Scope): unknown {
    if (op === '&&' || op === '||') {
      // Kleene logic: false && unknown is false, true || unknown is true.
      const left = truthy(this.evaluate(leftExpr, scope));
      if (left === (op === '||')) return left;
      const right = truthy(this.evaluate(rightExpr, scope));
      if (right === (op === '||')) return right;
      if (isUnknown(left) || isUnknown(right)) return unknownOf(left, right);
      return op === '&&' ? left && right : left || right;
    }
    const left = this.evaluate(leftExpr, scope);
    const right = this.evaluate(rightExpr, scope);
    if (op === '==' || op === '!=') {
      if (isUnknown(left) || isUnknown(right) || isLazy(left) || isLazy(right)) return unknownOf(left, right);
      const equal = sameValue(left, right);
      return op === '==' ? equal : !equal;
    }
    const a = toNumber(left);
    const b = toNumber(right);
    if (isUnknown(a) || isUnknown(b)) return unknownOf(a, b);
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new EvalError('division by zero');
        return a / b;
      case '%':
        if (b === 0) throw new EvalError('division by zero');
        return a % b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
      default:
        throw new EvalError(`unsupported operator ${op}`);
    }
  }

  private call(expr: Extract<Expr, { k: 'call' }>, scope: Scope): unknown {
    const name = expr.name.startsWith('provider::') ? expr.name : expr.name.replace(/^core::/, '');
    // try and can look at failures, so they evaluate their own arguments.
    if (name === 'try') {
      let last = 'no argument succeeded';
      for (const arg of expr.args) {
        try {
          return this.evaluate(arg, scope);
        } catch (error) {
          if (!(error instanceof EvalError)) throw error;
          last = error.message;
        }
      }
      throw new EvalError(`try: ${last}`);
    }
    if (name === 'can') {
      try {
        const value = this.evaluate(expr.args[0] ?? { k: 'error', message: 'can needs an argument', at: expr.at }, scope);
        return isUnknown(value) ? value : true;
      } catch (error) {
        if (!(error instanceof EvalError)) throw error;
        return false;
      }
    }
    const impl = this.functions[name];
    if (!impl) return unknown(`function ${expr.name} is not evaluated by sesguard`);
    let args = expr.args.map((arg) => this.evaluate(arg, scope));
    if (expr.expand && args.length > 0) {
      const last = args[args.length - 1];
      if (isUnknown(last)) return unknown(`the expanded arguments of ${name} are unknown (${last.$unknown})`);
      if (!Array.isArray(last)) throw new EvalError(`${name}: the argument expanded with ... is not a list`);
      args = [...args.slice(0, -1), ...last];
    }
    return impl(args, expr.at, this);
  }
}

/** Where object values were written (for positions of policy statements written as HCL objects). */
export const origins = new WeakMap<object, Pos>();
