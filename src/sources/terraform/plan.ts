// The structure of a `terraform show -json` plan, made easy to query: validation of the format, one
// model resource per resource instance (values from `change.after` with `after_unknown` turned into
// Unknown markers), the module tree of `configuration` (expressions and their references, module
// calls, outputs) and reference resolution from an attribute to the resource instances it names.
import { SourceError } from '../../errors.js';
import { unknown } from '../../inventory/types.js';
import type { TfResource } from './model.js';
import { KNOWN_AFTER_APPLY, isObject, type Values } from './values.js';

interface ModuleCall {
  source?: string;
  expressions: Values;
}

export interface ModuleConfig {
  /** Module path (`''` for the root, `module.mail`, `module.a.module.b`). */
  path: string;
  /** Expressions of each resource, by `TYPE.NAME`. */
  resources: Map<string, Values>;
  calls: Map<string, ModuleCall>;
  outputs: Map<string, Values>;
}

export interface ParsedPlan {
  resources: TfResource[];
  modules: Map<string, ModuleConfig>;
  account?: string;
}

const INSTANCE_KEY = /\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\]/g;

export function stripInstanceKeys(address: string): string {
  return address.replace(INSTANCE_KEY, '');
}

function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Throws a one-line SourceError when the plan's format version is not one this reader understands. */
export function checkFormatVersion(file: string, text: string, plan: Values): void {
  const version = plan.format_version;
  const line = lineOf(text, '"format_version"');
  if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version)) {
    throw new SourceError(`Terraform plan format_version ${JSON.stringify(version ?? null)} is not a version`, file, line);
  }
  const major = Number(version.split('.')[0]);
  if (major !== 0 && major !== 1) {
    throw new SourceError(`unsupported Terraform plan format_version "${version}" (supported 0.x and 1.x)`, file, line);
  }
}

/** Replaces the places `after_unknown` marks with Unknown markers. */
export function withUnknowns(after: unknown, mark: unknown): unknown {
  if (mark === true) return unknown(KNOWN_AFTER_APPLY);
  if (!hasTrue(mark)) return after;
  if (Array.isArray(mark)) {
    const list = Array.isArray(after) ? after : [];
    const length = Math.max(list.length, mark.length);
    return Array.from({ length }, (_, i) => withUnknowns(list[i], mark[i]));
  }
  const source = isObject(after) ? after : {};
  const out: Values = {};
  for (const [key, value] of Object.entries(source)) if (key !== '__proto__') out[key] = value;
  for (const [key, value] of Object.entries(mark as Values)) {
    if (key !== '__proto__') out[key] = withUnknowns(source[key], value);
  }
  return out;
}

function hasTrue(mark: unknown): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(hasTrue);
  if (isObject(mark)) return Object.values(mark).some(hasTrue);
  return false;
}

function moduleAddressOf(address: string, mode: string, type: string, name: string): string {
  if (!address.startsWith('module.')) return '';
  const own = `.${mode === 'data' ? 'data.' : ''}${type}.${name}`;
  const at = address.lastIndexOf(own);
  return at > 0 ? address.slice(0, at) : '';
}

function makeResource(entry: Values, values: Values): TfResource {
  const type = String(entry.type);
  const name = String(entry.name);
  const address = String(entry.address);
  const mode = typeof entry.mode === 'string' ? entry.mode : 'managed';
  const moduleAddress =
    typeof entry.module_address === 'string' ? entry.module_address : moduleAddressOf(address, mode, type, name);
  const resource: TfResource = {
    address,
    type,
    name,
    moduleAddress,
    modulePath: stripInstanceKeys(moduleAddress),
    localKey: `${type}.${name}`,
    values,
  };
  if (typeof entry.index === 'string' || typeof entry.index === 'number') resource.index = entry.index;
  return resource;
}

function broken(file: string, what: string): SourceError {
  return new SourceError(`malformed Terraform plan: ${what}`, file);
}

function isEntry(value: unknown): value is Values {
  return isObject(value) && typeof value.address === 'string' && typeof value.type === 'string' && typeof value.name === 'string';
}

/** Walks `planned_values` / `prior_state.values` module trees: root_module → child_modules → … */
function walkModule(
  file: string,
  module: unknown,
  where: string,
  visit: (entry: Values, where: string) => void,
  depth = 0,
): void {
  if (module === undefined || module === null) return;
  if (!isObject(module)) throw broken(file, `${where} is not an object`);
  if (depth > 100) throw broken(file, `${where} nests modules too deeply`);
  const resources = module.resources ?? [];
  if (!Array.isArray(resources)) throw broken(file, `${where}.resources is not a list`);
  resources.forEach((entry, i) => {
    if (!isEntry(entry)) throw broken(file, `${where}.resources[${i}] is not a resource (address, type, name)`);
    visit(entry, `${where}.resources[${i}]`);
  });
  const children = module.child_modules ?? [];
  if (!Array.isArray(children)) throw broken(file, `${where}.child_modules is not a list`);
  children.forEach((child, i) => walkModule(file, child, `${where}.child_modules[${i}]`, visit, depth + 1));
}

function readConfiguration(file: string, configuration: unknown): Map<string, ModuleConfig> {
  const modules = new Map<string, ModuleConfig>();
  if (configuration === undefined || configuration === null) return modules;
  if (!isObject(configuration)) throw broken(file, 'configuration is not an object');
  const visit = (raw: unknown, path: string, depth: number): void => {
    if (!isObject(raw) || depth > 100) return;
    const module: ModuleConfig = { path, resources: new Map(), calls: new Map(), outputs: new Map() };
    modules.set(path, module);
    for (const resource of Array.isArray(raw.resources) ? raw.resources : []) {
      if (!isObject(resource) || typeof resource.type !== 'string' || typeof resource.name !== 'string') continue;
      if (resource.mode === 'data') continue;
      module.resources.set(`${resource.type}.${resource.name}`, isObject(resource.expressions) ? resource.expressions : {});
    }
    if (isObject(raw.outputs)) {
      for (const [name, output] of Object.entries(raw.outputs)) {
        if (isObject(output) && isObject(output.expression)) module.outputs.set(name, output.expression);
      }
    }
    if (isObject(raw.module_calls)) {
      for (const [name, call] of Object.entries(raw.module_calls)) {
        if (!isObject(call)) continue;
        module.calls.set(name, {
          ...(typeof call.source === 'string' ? { source: call.source } : {}),
          expressions: isObject(call.expressions) ? call.expressions : {},
        });
        visit(call.module, path === '' ? `module.${name}` : `${path}.module.${name}`, depth + 1);
      }
    }
  };
  visit(configuration.root_module, '', 0);
  return modules;
}

/** Reads and validates the plan. Throws SourceError for an unsupported version or a broken structure. */
export function parsePlan(file: string, text: string, plan: unknown): ParsedPlan {
  if (!isObject(plan)) throw broken(file, 'the document is not an object');
  checkFormatVersion(file, text, plan);
  const resources: TfResource[] = [];
  const seen = new Set<string>();

  const changes = plan.resource_changes ?? [];
  if (!Array.isArray(changes)) throw broken(file, 'resource_changes is not a list');
  changes.forEach((entry, i) => {
    if (!isEntry(entry)) throw broken(file, `resource_changes[${i}] is not a resource change (address, type, name)`);
    const change = entry.change;
    if (!isObject(change) || !Array.isArray(change.actions)) {
      throw broken(file, `resource_changes[${i}] (${entry.address}) has no change.actions list`);
    }
    if ((entry.mode ?? 'managed') !== 'managed') return;
    const address = String(entry.address);
    // A resource that is only being destroyed will not exist after apply; replaced ones ("delete","create") will.
    if (change.actions.length > 0 && change.actions.every((a) => a === 'delete')) {
      seen.add(address);
      return;
    }
    const after = withUnknowns(change.after, change.after_unknown);
    seen.add(address);
    resources.push(makeResource(entry, isObject(after) ? after : {}));
  });

  const planned = plan.planned_values;
  if (planned !== undefined && planned !== null) {
    if (!isObject(planned)) throw broken(file, 'planned_values is not an object');
    walkModule(file, planned.root_module, 'planned_values.root_module', (entry) => {
      if ((entry.mode ?? 'managed') !== 'managed' || seen.has(String(entry.address))) return;
      seen.add(String(entry.address));
      resources.push(makeResource(entry, isObject(entry.values) ? entry.values : {}));
    });
  }

  let account: string | undefined;
  const prior = plan.prior_state;
  if (isObject(prior) && isObject(prior.values)) {
    walkModule(file, prior.values.root_module, 'prior_state.values.root_module', (entry) => {
      if (entry.mode !== 'data' || entry.type !== 'aws_caller_identity' || account !== undefined) return;
      const values = entry.values;
      if (isObject(values) && typeof values.account_id === 'string' && /^\d{12}$/.test(values.account_id)) {
        account = values.account_id;
      }
    });
  }

  return { resources, modules: readConfiguration(file, plan.configuration), ...(account ? { account } : {}) };
}

// ---------------------------------------------------------------------------------------------
// References

/** Splits `aws_iam_role.sender[0].name` into parts, keeping the instance key of the second part. */
function splitReference(ref: string): { parts: string[]; keys: (string | undefined)[] } {
  const parts: string[] = [];
  const keys: (string | undefined)[] = [];
  const pattern = /([^.[\]]+)((?:\[(?:"(?:[^"\\]|\\.)*"|\d+|\*)\])?)\.?/g;
  for (let m = pattern.exec(ref); m !== null && m[0] !== ''; m = pattern.exec(ref)) {
    parts.push(m[1]!);
    keys.push(m[2] ? m[2] : undefined);
  }
  return { parts, keys };
}

function instanceKey(index: string | number | undefined): string | undefined {
  if (index === undefined) return undefined;
  return typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

const NOT_RESOURCES = new Set(['local', 'each', 'count', 'path', 'self', 'terraform', 'data']);

export class References {
  private readonly byConfigKey = new Map<string, TfResource[]>();

  constructor(
    private readonly modules: Map<string, ModuleConfig>,
    resources: TfResource[],
  ) {
    for (const resource of resources) {
      const key = configKey(resource.modulePath, resource.localKey);
      const list = this.byConfigKey.get(key) ?? [];
      list.push(resource);
      this.byConfigKey.set(key, list);
    }
  }

  /** The configuration expression of an attribute of a resource, if the plan has one. */
  expression(resource: TfResource, attribute: string): Values | undefined {
    const expr = this.modules.get(resource.modulePath)?.resources.get(resource.localKey)?.[attribute];
    return isObject(expr) ? expr : undefined;
  }

  /**
   * Whether the configuration sets an attribute: true / false, or undefined when the plan has no
   * configuration for the resource. Not reliable for nested blocks: dynamic blocks and blocks of
   * attribute-as-block mode (security-group `egress`) leave no expression (hashicorp/terraform#28346, #29022).
   */
  sets(resource: TfResource, attribute: string): boolean | undefined {
    const expressions = this.modules.get(resource.modulePath)?.resources.get(resource.localKey);
    if (!expressions) return undefined;
    return expressions[attribute] !== undefined;
  }

  /** The resource instances an attribute's expression refers to (through variables and module outputs). */
  of(resource: TfResource, attribute: string): TfResource[] {
    const expr = this.expression(resource, attribute);
    if (!expr) return [];
    const found = new Map<string, TfResource>();
    this.resolve(expr, resource.modulePath, resource, found, 0);
    return [...found.values()];
  }

  private resolve(expr: Values, modulePath: string, from: TfResource, found: Map<string, TfResource>, depth: number): void {
    if (depth > 20 || !Array.isArray(expr.references)) return;
    for (const ref of expr.references) {
      if (typeof ref !== 'string') continue;
      const { parts, keys } = splitReference(ref);
      const head = parts[0];
      if (head === undefined || NOT_RESOURCES.has(head)) continue;
      if (head === 'var' && parts[1]) {
        // A module input: follow the expression the calling module passes in.
        const at = modulePath.lastIndexOf('module.');
        if (at < 0) continue;
        const parentPath = at === 0 ? '' : modulePath.slice(0, at - 1);
        const callName = modulePath.slice(at + 'module.'.length);
        const passed = this.modules.get(parentPath)?.calls.get(callName)?.expressions[parts[1]];
        if (isObject(passed)) this.resolve(passed, parentPath, from, found, depth + 1);
        continue;
      }
      if (head === 'module' && parts[1] && parts[2]) {
        const childPath = modulePath === '' ? `module.${parts[1]}` : `${modulePath}.module.${parts[1]}`;
        const output = this.modules.get(childPath)?.outputs.get(parts[2]);
        if (output) this.resolve(output, childPath, from, found, depth + 1);
        continue;
      }
      if (!parts[1]) continue;
      let targets = this.byConfigKey.get(configKey(modulePath, `${head}.${parts[1]}`)) ?? [];
      const key = keys[1];
      if (key !== undefined && key !== '[*]') {
        targets = targets.filter((t) => instanceKey(t.index) === key);
      } else if (targets.length > 1) {
        // `count`/`for_each` siblings usually refer to the instance with the same key, in the same module instance.
        const sameModule = targets.filter((t) => t.moduleAddress === from.moduleAddress);
        if (sameModule.length > 0) targets = sameModule;
        const sameKey = targets.filter((t) => from.index !== undefined && t.index === from.index);
        if (sameKey.length > 0 && key === undefined) targets = sameKey;
      }
      for (const target of targets) found.set(target.address, target);
    }
  }
}

export function configKey(modulePath: string, localKey: string): string {
  return modulePath === '' ? localKey : `${modulePath}.${localKey}`;
}

/** Local directories of the modules (relative to the plan's directory, `/`-separated), by module path. */
export function moduleDirs(modules: Map<string, ModuleConfig>): Map<string, string> {
  const dirs = new Map<string, string>([['', '.']]);
  const visit = (path: string, dir: string): void => {
    for (const [name, call] of modules.get(path)?.calls ?? []) {
      const source = call.source;
      // Only local paths can be read; registry and git sources live in .terraform/modules.
      if (!source || !(source.startsWith('./') || source.startsWith('../'))) continue;
      const childPath = path === '' ? `module.${name}` : `${path}.module.${name}`;
      const childDir = joinPath(dir, source);
      dirs.set(childPath, childDir);
      visit(childPath, childDir);
    }
  };
  visit('', '.');
  return dirs;
}

/** POSIX join + normalize: a relative result stays relative (no leading `./`), an absolute one absolute. */
export function joinPath(...segments: string[]): string {
  const joined = segments.join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (segment === '..' && absolute) continue;
    else out.push(segment);
  }
  if (absolute) return `/${out.join('/')}`;
  return out.length === 0 ? '.' : out.join('/');
}
