// A Terraform configuration evaluated statically, module instance by module instance: variables (inputs,
// tfvars, defaults), locals, resources and data sources with their count / for_each instances, local module
// calls (with their own count / for_each), outputs, dynamic blocks. Values are computed on demand and once;
// what Terraform would only learn while applying, or from the cloud, or from a module it would download,
// is Unknown with the reason. Produces the resource instances of the Terraform model.
import { isUnknown, unknown, type Unknown } from '../../../inventory/types.js';
import { joinPath } from '../plan.js';
import { Bound, BudgetError, MAX_COLLECTION, origins, type Evaluator, type Scope } from './evaluate.js';
import { policyDocument } from './policy-document.js';
import type { Attribute, Block, Body, Expr, ParsedFile, Pos } from './syntax.js';
import { EvalError, JsonText, isLazy, isPlainObject, toText, type Lazy } from './values.js';

/** Instances of one resource, data source or module call beyond this are not evaluated (said in a notice). */
export const MAX_INSTANCES = 1000;
/** Module calls nested deeper than this are not followed. */
export const MAX_MODULE_DEPTH = 16;

const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);
const MODULE_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

export interface Placed<T> {
  value: T;
  file: string;
}

/** The declarations of one module directory (all its .tf files). */
export interface ModuleDecl {
  dir: string;
  files: ParsedFile[];
  variables: Map<string, Placed<Block>>;
  locals: Map<string, Placed<Attribute>>;
  resources: Map<string, Placed<Block>>;
  data: Map<string, Placed<Block>>;
  calls: Map<string, Placed<Block>>;
  outputs: Map<string, Placed<Block>>;
}

export function declarations(dir: string, files: ParsedFile[]): ModuleDecl {
  const decl: ModuleDecl = { dir, files, variables: new Map(), locals: new Map(), resources: new Map(), data: new Map(), calls: new Map(), outputs: new Map() };
  for (const file of files) {
    for (const block of file.body.blocks) {
      const placed = { value: block, file: file.file };
      const [a, b] = block.labels;
      if (block.type === 'variable' && a) decl.variables.set(a, placed);
      else if (block.type === 'locals') for (const attr of block.body.attributes.values()) decl.locals.set(attr.name, { value: attr, file: file.file });
      else if (block.type === 'resource' && a && b) decl.resources.set(`${a}.${b}`, placed);
      else if (block.type === 'data' && a && b) decl.data.set(`${a}.${b}`, placed);
      else if (block.type === 'module' && a) decl.calls.set(a, placed);
      else if (block.type === 'output' && a) decl.outputs.set(a, placed);
    }
  }
  return decl;
}

/** A resource instance as the reader found it, before it becomes a model resource. */
export interface Instance {
  address: string;
  type: string;
  name: string;
  index?: string | number;
  moduleAddress: string;
  modulePath: string;
  block: Block;
  file: string;
  /** Attribute and nested block values (nested blocks as lists of objects). */
  values: Record<string, unknown>;
  /** Resource addresses each top-level attribute refers to. */
  refs: Map<string, Set<string>>;
  /** Start lines of each top-level nested block instance, by block name. */
  nested: Map<string, number[]>;
  written: Set<string>;
}

export interface ReaderContext {
  evaluator: Evaluator;
  /** The declarations of a local module directory (relative, `/`-separated), or undefined when it has no .tf files. */
  module(dir: string): ModuleDecl | undefined;
  notice(file: string, at: Pos | undefined, message: string): void;
  /** Values of the root module's variables from tfvars files and options. */
  rootVariables: Map<string, unknown>;
}

interface InstanceKey {
  /** `[0]`, `["k"]`, or `[*]` when the collection is unknown. */
  suffix: string;
  index?: string | number;
  bindings: Record<string, unknown>;
}

const keySuffix = (key: string | number): string => (typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`);

export class ModuleInstance implements Scope {
  private readonly rootLazies: Record<string, Lazy>;

  constructor(
    private readonly ctx: ReaderContext,
    readonly decl: ModuleDecl,
    /** `''` for the root, `module.a["x"].module.b` below. */
    readonly address: string,
    readonly path: string,
    /** Input values passed by the calling module (undefined at the root). */
    private readonly inputs: ((name: string) => unknown) | undefined,
    readonly depth: number,
    /** Module directories from the root to this one, to refuse a module that calls itself. */
    private readonly lineage: string[],
    /** Directory of the root module (what `path.root` and file paths are relative to). */
    private readonly rootDir: string,
  ) {
    const lazy = (label: string, get: (name: string) => unknown, whole: () => unknown): Lazy => ({ lazy: true, label, get, whole });
    this.rootLazies = {
      var: lazy('var', (n) => this.variable(n), () => unknown('var is not a value')),
      local: lazy('local', (n) => this.local(n), () => unknown('local is not a value')),
      module: lazy('module', (n) => this.moduleValue(n), () => unknown('module is not a value')),
      data: lazy(
        'data',
        (type) => lazy(`data.${type}`, (name) => this.dataValue(type, name), () => unknown(`data.${type} is not a value`)),
        () => unknown('data is not a value'),
      ),
    };
  }

  private key(kind: string, name: string): string {
    return `${this.address}|${kind}|${name}`;
  }

  lookup(name: string): unknown {
    const root = this.rootLazies[name];
    if (root) return root;
    if (name === 'path') {
      const relative = this.decl.dir === this.rootDir ? '.' : relativePath(this.rootDir, this.decl.dir);
      return { module: relative, root: '.', cwd: '.' };
    }
    if (name === 'terraform') return { workspace: 'default' };
    if (name === 'self') return unknown('self is known only while applying');
    if ([...this.decl.resources.keys()].some((k) => k.startsWith(`${name}.`))) {
      return {
        lazy: true,
        label: name,
        get: (n: string) => this.resourceValue(name, n),
        whole: () => unknown(`${name} is not a value`),
      } satisfies Lazy;
    }
    return undefined;
  }

  /** Evaluates an expression of this module, turning errors into an Unknown (and a notice). */
  eval(expr: Expr, scope: Scope, file: string): unknown {
    try {
      return this.ctx.evaluator.evaluate(expr, scope);
    } catch (error) {
      if (error instanceof EvalError || error instanceof BudgetError) {
        this.ctx.notice(file, expr.at, error.message);
        return unknown(error instanceof BudgetError ? error.message : `${error.message} (${file}:${expr.at.line})`);
      }
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Variables, locals, outputs

  variable(name: string): unknown {
    return this.ctx.evaluator.memo(
      this.key('var', name),
      () => {
        const declared = this.decl.variables.get(name);
        if (!declared) throw new EvalError(`var.${name} is not declared`);
        let value: unknown;
        if (this.inputs) value = this.inputs(name);
        else if (this.ctx.rootVariables.has(name)) value = this.ctx.rootVariables.get(name);
        if (value === undefined) {
          const fallback = declared.value.body.attributes.get('default');
          value = fallback
            ? this.eval(fallback.expr, EMPTY, declared.file)
            : unknown(`variable ${name} has no value (give it in terraform.tfvars, --tf-var-file or --tf-var)`);
        }
        return convert(value, declared.value.body.attributes.get('type')?.expr);
      },
      () => unknown(`var.${name} refers to itself`),
    );
  }

  local(name: string): unknown {
    return this.ctx.evaluator.memo(
      this.key('local', name),
      () => {
        const declared = this.decl.locals.get(name);
        if (!declared) throw new EvalError(`local.${name} is not declared`);
        return this.eval(declared.value.expr, this, declared.file);
      },
      () => {
        const declared = this.decl.locals.get(name);
        if (declared) this.ctx.notice(declared.file, declared.value.at, `local.${name} refers to itself`);
        return unknown(`local.${name} refers to itself`);
      },
    );
  }

  output(name: string): unknown {
    return this.ctx.evaluator.memo(
      this.key('output', name),
      () => {
        const declared = this.decl.outputs.get(name);
        if (!declared) throw new EvalError(`${this.address || 'the module'} has no output "${name}"`);
        const value = declared.value.body.attributes.get('value');
        return value ? this.eval(value.expr, this, declared.file) : null;
      },
      () => unknown(`output ${name} of ${this.address} refers to itself`),
    );
  }

  // -------------------------------------------------------------------------------------------
  // count / for_each

  /** The instance keys of a block with count or for_each (one plain instance without either). */
  instanceKeys(block: Block, file: string, label: string): InstanceKey[] {
    return this.ctx.evaluator.memo(
      this.key('keys', label),
      () => {
        const count = block.body.attributes.get('count');
        const forEach = block.body.attributes.get('for_each');
        if (count) {
          const value = this.eval(count.expr, this, file);
          const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
          if (typeof n !== 'number') return [this.unknownKey(label, 'count', n, count.at, file)];
          return this.capped(label, n, count.at, file, (i) => ({ suffix: `[${i}]`, index: i, bindings: { count: { index: i } } }));
        }
        if (forEach) {
          const value = this.eval(forEach.expr, this, file);
          if (isUnknown(value) || isLazy(value)) return [this.unknownKey(label, 'for_each', value, forEach.at, file)];
          let pairs: [string, unknown][];
          if (Array.isArray(value)) {
            const keys = value.map((v) => toText(v, 'for_each key'));
            const bad = keys.find(isUnknown);
            if (bad) return [this.unknownKey(label, 'for_each', bad, forEach.at, file)];
            pairs = [...new Set(keys as string[])].sort().map((k) => [k, k]);
          } else if (isPlainObject(value)) {
            pairs = Object.keys(value).sort().map((k) => [k, value[k]]);
          } else {
            this.ctx.notice(file, forEach.at, `for_each of ${label} is not a map or set`);
            return [];
          }
          return this.capped(label, pairs.length, forEach.at, file, (i) => {
            const [k, v] = pairs[i]!;
            return { suffix: keySuffix(k), index: k, bindings: { each: { key: k, value: v } } };
          });
        }
        return [{ suffix: '', bindings: {} }];
      },
      () => [this.unknownKey(label, 'count', unknown(`the count or for_each of ${label} refers to itself`), block.at, file)],
    ) as InstanceKey[];
  }

  private capped(label: string, n: number, at: Pos, file: string, make: (i: number) => InstanceKey): InstanceKey[] {
    if (n > MAX_INSTANCES) {
      this.ctx.notice(file, at, `${label} has ${n} instances: the first ${MAX_INSTANCES} are evaluated, the others are not assessed`);
    }
    return Array.from({ length: Math.min(n, MAX_INSTANCES) }, (_, i) => make(i));
  }

  /** A collection only known after apply: one representative instance, its key unknown. */
  private unknownKey(label: string, what: string, value: unknown, at: Pos, file: string): InstanceKey {
    const reason = `the ${what} of ${label} is unknown${isUnknown(value) ? ` (${value.$unknown})` : ''}`;
    this.ctx.notice(file, at, `${reason}: its instances are evaluated as one, ${label}[*]`);
    const hole = unknown(reason);
    return { suffix: '[*]', bindings: { count: { index: hole }, each: { key: hole, value: hole } } };
  }

  // -------------------------------------------------------------------------------------------
  // Resources and data sources

  resourceAddress(type: string, name: string, key: InstanceKey, data = false): string {
    const own = `${data ? 'data.' : ''}${type}.${name}${key.suffix}`;
    return this.address === '' ? own : `${this.address}.${own}`;
  }

  /** `TYPE.NAME` as a value: one instance, a list (count) or a map (for_each) of instances. */
  resourceValue(type: string, name: string, data = false): unknown {
    const declared = (data ? this.decl.data : this.decl.resources).get(`${type}.${name}`);
    const label = `${data ? 'data.' : ''}${type}.${name}`;
    if (!declared) throw new EvalError(`${label} is not declared`);
    const keys = this.instanceKeys(declared.value, declared.file, label);
    const make = (key: InstanceKey) => this.instanceLazy(type, name, key, declared, data);
    const body = declared.value.body.attributes;
    if (body.has('count')) {
      if (keys.length === 1 && keys[0]!.suffix === '[*]') return unknown(`the count of ${label} is unknown`);
      return keys.map(make);
    }
    if (body.has('for_each')) {
      if (keys.length === 1 && keys[0]!.suffix === '[*]') return unknown(`the for_each of ${label} is unknown`);
      const out: Record<string, unknown> = {};
      for (const key of keys) out[String(key.index)] = make(key);
      return out;
    }
    return make(keys[0]!);
  }

  dataValue(type: string, name: string): unknown {
    return this.resourceValue(type, name, true);
  }

  private instanceLazy(type: string, name: string, key: InstanceKey, declared: Placed<Block>, data: boolean): Lazy {
    const address = this.resourceAddress(type, name, key, data);
    const scope = new Bound(key.bindings, this);
    const get = (attr: string): unknown => {
      if (!data) this.ctx.evaluator.reference(address);
      return this.ctx.evaluator.memo(
        `${address}|attr|${attr}`,
        () => (data ? this.dataAttribute(type, address, attr, declared, scope) : this.resourceAttribute(address, attr, declared, scope)),
        () => unknown(`${address}.${attr} refers to itself`),
      );
    };
    return {
      lazy: true,
      label: address,
      ...(data ? {} : { instance: address }),
      get,
      whole: () => unknown(`${address} as a whole is known only after apply`),
    };
  }

  private resourceAttribute(address: string, attr: string, declared: Placed<Block>, scope: Scope): unknown {
    const body = declared.value.body;
    const attribute = body.attributes.get(attr);
    if (attribute && !META_ARGUMENTS.has(attr)) return this.eval(attribute.expr, scope, declared.file);
    if (body.blocks.some((b) => b.type === attr || (b.type === 'dynamic' && b.labels[0] === attr))) {
      return this.blockValues(body, scope, declared.file).values[attr];
    }
    return unknown(`${address}.${attr} is known after apply`);
  }

  private dataAttribute(type: string, address: string, attr: string, declared: Placed<Block>, scope: Scope): unknown {
    switch (type) {
      case 'aws_iam_policy_document': {
        if (attr !== 'json' && attr !== 'minified_json') return unknown(`${address}.${attr} is known after apply`);
        const args = this.blockValues(declared.value.body, scope, declared.file).values;
        const doc = policyDocument(args);
        return isUnknown(doc) ? doc : new JsonText(doc);
      }
      case 'aws_caller_identity':
        return attr === 'account_id' || attr === 'id' ? '${AWS::AccountId}' : unknown(`${address}.${attr} is read from the cloud`);
      case 'aws_region':
        return attr === 'name' || attr === 'id' || attr === 'region' ? '${AWS::Region}' : unknown(`${address}.${attr} is read from the cloud`);
      case 'aws_partition':
        return attr === 'partition' || attr === 'id' ? '${AWS::Partition}' : unknown(`${address}.${attr} is read from the cloud`);
      default:
        return unknown(`${address} is read from the cloud when Terraform plans`);
    }
  }

  /**
   * The values of a body: attributes, and nested blocks as lists of objects (dynamic blocks expanded).
   * Nested block objects remember where they are written (statement positions); `lines` gives the start line
   * of each top-level block instance.
   */
  blockValues(body: Body, scope: Scope, file: string, skipMeta = false): { values: Record<string, unknown>; lines: Map<string, number[]>; refs: Map<string, Set<string>> } {
    const values: Record<string, unknown> = {};
    const lines = new Map<string, number[]>();
    const refs = new Map<string, Set<string>>();
    for (const [name, attribute] of body.attributes) {
      if (skipMeta && META_ARGUMENTS.has(name)) continue;
      const tracked = this.ctx.evaluator.track(() => this.eval(attribute.expr, scope, file));
      values[name] = tracked.value;
      refs.set(name, tracked.refs);
    }
    const add = (name: string, value: unknown, line: number) => {
      ((values[name] ??= []) as unknown[]).push(value);
      const at = lines.get(name);
      if (at) at.push(line);
      else lines.set(name, [line]);
    };
    const addRefs = (name: string, found: Set<string>) => {
      const known = refs.get(name);
      if (known) for (const ref of found) known.add(ref);
      else refs.set(name, found);
    };
    for (const block of body.blocks) {
      if (skipMeta && META_ARGUMENTS.has(block.type)) continue;
      if (block.type !== 'dynamic') {
        const tracked = this.ctx.evaluator.track(() => this.blockObject(block, scope, file));
        add(block.type, tracked.value, block.at.line);
        addRefs(block.type, tracked.refs);
        continue;
      }
      const name = block.labels[0];
      if (!name) continue;
      values[name] ??= [];
      const tracked = this.ctx.evaluator.track(() => this.dynamic(block, name, scope, file));
      addRefs(name, tracked.refs);
      if (isUnknown(tracked.value)) {
        // Which blocks a dynamic block generates is unknown: the whole list of them is.
        values[name] = tracked.value;
        lines.set(name, [block.at.line]);
        continue;
      }
      for (const item of tracked.value) add(name, item.value, item.line);
    }
    return { values, lines, refs };
  }

  private blockObject(block: Block, scope: Scope, file: string): Record<string, unknown> {
    const object = this.blockValues(block.body, scope, file).values;
    let at = blockOrigins.get(block);
    if (!at) {
      at = { ...block.at, file };
      blockOrigins.set(block, at);
    }
    origins.set(object, at);
    return object;
  }

  private dynamic(block: Block, name: string, scope: Scope, file: string): { value: unknown; line: number }[] | Unknown {
    const forEach = block.body.attributes.get('for_each');
    const content = block.body.blocks.find((b) => b.type === 'content');
    if (!forEach || !content) return [];
    const iterator = block.body.attributes.get('iterator');
    const iteratorName = iterator && iterator.expr.k === 'var' ? iterator.expr.name : name;
    const collection = this.eval(forEach.expr, scope, file);
    let entries: [unknown, unknown][] | Unknown;
    try {
      entries = this.ctx.evaluator.entries(Array.isArray(collection) ? collection : collection);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      this.ctx.notice(file, forEach.at, error.message);
      return unknown(`the for_each of dynamic "${name}" cannot be evaluated (${error.message})`);
    }
    if (isUnknown(entries)) return unknown(`the for_each of dynamic "${name}" is unknown (${entries.$unknown})`);
    if (entries.length > MAX_COLLECTION) return unknown(`dynamic "${name}" generates more than ${MAX_COLLECTION} blocks`);
    return entries.map(([k, v]) => {
      // A set's elements are their own keys.
      const key = Array.isArray(collection) ? v : k;
      return { value: this.blockObject(content, new Bound({ [iteratorName]: { key, value: v } }, scope), file), line: content.at.line };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Module calls

  /** `module.NAME` as a value: the outputs of one instance, or a list / map of them. */
  moduleValue(name: string): unknown {
    const call = this.decl.calls.get(name);
    if (!call) throw new EvalError(`module.${name} is not declared`);
    const children = this.children(name);
    if (isUnknown(children)) return children;
    const lazyOf = (child: ModuleInstance): Lazy => ({
      lazy: true,
      label: child.address,
      get: (output: string) => child.output(output),
      whole: () => {
        const out: Record<string, unknown> = {};
        for (const output of child.decl.outputs.keys()) out[output] = child.output(output);
        return out;
      },
    });
    const body = call.value.body.attributes;
    if (body.has('count')) return children.map((c) => lazyOf(c.instance));
    if (body.has('for_each')) {
      const out: Record<string, unknown> = {};
      for (const c of children) out[String(c.key.index)] = lazyOf(c.instance);
      return out;
    }
    return children[0] ? lazyOf(children[0].instance) : unknown(`module.${name} has no instance`);
  }

  /** The instances of a module call (memoized), or an Unknown when the module cannot be read. */
  children(name: string): { key: InstanceKey; instance: ModuleInstance }[] | Unknown {
    return this.ctx.evaluator.memo(
      this.key('module', name),
      () => {
        const call = this.decl.calls.get(name)!;
        const sourceAttr = call.value.body.attributes.get('source');
        const source = sourceAttr?.expr.k === 'lit' ? sourceAttr.expr.v : undefined;
        const label = this.address === '' ? `module.${name}` : `${this.address}.module.${name}`;
        if (typeof source !== 'string') {
          this.ctx.notice(call.file, call.value.at, `${label} has no literal source: its resources are not read`);
          return unknown(`the source of ${label} is not a literal`);
        }
        if (!source.startsWith('./') && !source.startsWith('../')) {
          this.ctx.notice(call.file, call.value.at, `${label} comes from ${source}, which sesguard does not fetch: what depends on it is not assessed`);
          return unknown(`${label} comes from ${source}, which is not fetched`);
        }
        const dir = joinPath(this.decl.dir, source);
        const decl = this.ctx.module(dir);
        if (!decl) {
          this.ctx.notice(call.file, call.value.at, `${label}: no .tf files in ${dir}`);
          return unknown(`${label}: no .tf files in ${dir}`);
        }
        if (this.depth + 1 > MAX_MODULE_DEPTH || this.lineage.includes(dir)) {
          this.ctx.notice(call.file, call.value.at, `${label} calls modules ${this.lineage.includes(dir) ? 'in a cycle' : `more than ${MAX_MODULE_DEPTH} deep`}: not followed`);
          return unknown(`${label} is not followed (module nesting)`);
        }
        const keys = this.instanceKeys(call.value, call.file, label);
        const path = this.path === '' ? `module.${name}` : `${this.path}.module.${name}`;
        return keys.map((key) => {
          const scope = new Bound(key.bindings, this);
          const address = `${label}${key.suffix}`;
          const inputs = (input: string): unknown => {
            if (MODULE_ARGUMENTS.has(input)) return undefined;
            const attr = call.value.body.attributes.get(input);
            if (!attr) return undefined;
            return this.ctx.evaluator.memo(`${address}|input|${input}`, () => this.eval(attr.expr, scope, call.file), () => unknown(`input ${input} of ${address} refers to itself`));
          };
          return { key, instance: new ModuleInstance(this.ctx, decl, address, path, inputs, this.depth + 1, [...this.lineage, dir], this.rootDir) };
        });
      },
      () => unknown(`module.${name} refers to itself`),
    ) as { key: InstanceKey; instance: ModuleInstance }[] | Unknown;
  }

  // -------------------------------------------------------------------------------------------
  // Collecting the resource instances of this module and every module below it

  collect(out: Instance[]): void {
    for (const [localKey, declared] of this.decl.resources) {
      const [type, name] = localKey.split('.') as [string, string];
      for (const key of this.instanceKeys(declared.value, declared.file, `${type}.${name}`)) {
        const scope = new Bound(key.bindings, this);
        const { values, lines, refs } = this.blockValues(declared.value.body, scope, declared.file, true);
        const written = new Set<string>();
        for (const attr of declared.value.body.attributes.keys()) written.add(attr);
        for (const block of declared.value.body.blocks) written.add(block.type === 'dynamic' ? (block.labels[0] ?? '') : block.type);
        out.push({
          address: this.resourceAddress(type, name, key),
          type,
          name,
          ...(key.index !== undefined ? { index: key.index } : {}),
          moduleAddress: this.address,
          modulePath: this.path,
          block: declared.value,
          file: declared.file,
          values,
          refs,
          nested: lines,
          written,
        });
      }
    }
    for (const name of this.decl.calls.keys()) {
      const children = this.children(name);
      if (isUnknown(children)) continue;
      for (const child of children) child.instance.collect(out);
    }
  }
}

const EMPTY: Scope = { lookup: () => undefined };

/** Where a nested block is written, one object per block shared by its instances (origins are only read). */
const blockOrigins = new WeakMap<Block, Pos>();

/** Converts a variable's value to its declared primitive type, as Terraform does for tfvars strings. */
function convert(value: unknown, type: Expr | undefined): unknown {
  if (!type || type.k !== 'var' || isUnknown(value)) return value;
  if (type.name === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (type.name === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  if (type.name === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return value;
}

/** `a/b` relative to `a` → `b`; both `/`-separated and normalized. */
function relativePath(from: string, to: string): string {
  const a = from === '.' ? [] : from.split('/');
  const b = to === '.' ? [] : to.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/') || '.';
}

export type { Unknown };
