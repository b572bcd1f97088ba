// CloudFormation intrinsic functions evaluated as far as the scanned templates allow: parameter defaults,
// pseudo parameters known for the stack (a CDK manifest's account and region) or kept symbolic
// (`${AWS::Region}`), references to resources kept as links (so the normalizer can join a policy to its
// role), cross-stack references through the stack set's links, strings that are only partly known kept
// as known pieces and holes, and everything else that only a deployment knows as Unknown.
import { type Maybe, type Unknown, isUnknown, partialString, unknown } from '../../inventory/types.js';

/**
 * A `Ref` / `Fn::GetAtt` to a resource of the template; rendered as `${Logical}` / `${Logical.Attr}` text.
 * A link that crossed over from another scanned template (an output read through `Fn::ImportValue`,
 * `Fn::GetStackOutput`, a nested stack's output or parameter) names that template in `file`: it renders the
 * same, never resolves to a resource of the template holding it, and lets the stack set say which resource
 * of the other template is meant (a separate egress rule written for another stack's group).
 */
export class Link {
  constructor(
    readonly logicalId: string,
    readonly attribute?: string,
    readonly file?: string,
  ) {}

  toString(): string {
    return this.attribute ? `\${${this.logicalId}.${this.attribute}}` : `\${${this.logicalId}}`;
  }
}

/** `Ref: AWS::NoValue`: the property or list item it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Says, at the place being evaluated, that something was not resolved (a notice for the user). */
export type Report = (message: string) => void;

/** `Fn::GetStackOutput`'s arguments, evaluated. */
export interface StackOutputRef {
  stackName: unknown;
  outputName: unknown;
  region?: unknown;
  roleArn?: unknown;
}

/**
 * What a template can reach of the other scanned templates. Each returns the value (links to the other
 * template's resources already rendered as text) or an Unknown saying why not, reporting what it could
 * not resolve.
 */
export interface StackLinks {
  importValue(name: string, report: Report): unknown;
  stackOutput(ref: StackOutputRef, report: Report): unknown;
  /** `Fn::GetAtt [Nested, Outputs.X]`: undefined when `logicalId` is not a nested stack of the set. */
  nestedOutput(logicalId: string, output: string, report: Report): unknown;
}

/** What intrinsics can see of the template. */
export interface Scope {
  /** Parameter name → what `Ref` gives for it (its default, or Unknown). */
  parameters: Map<string, unknown>;
  resources: Set<string>;
  mappings: Record<string, unknown>;
  /** Pseudo parameters whose value is known for this stack (`AWS::AccountId` from a CDK manifest). */
  pseudo: ReadonlyMap<string, string>;
  links?: StackLinks;
}

/** Reports nothing: for evaluations whose notices are not wanted. */
export const SILENT: Report = () => undefined;

/** Short-form tag → long-form function name. */
export const INTRINSIC_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  ...Object.fromEntries(
    [
      'Sub', 'GetAtt', 'Join', 'If', 'Select', 'Split', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Cidr',
      'Equals', 'Not', 'And', 'Or', 'Transform', 'Length', 'ToJsonString', 'GetStackOutput',
    ].map((name) => [`!${name}`, `Fn::${name}`]),
  ),
};

const FUNCTIONS = new Set(Object.values(INTRINSIC_TAGS));

export function isIntrinsicName(name: string): boolean {
  return FUNCTIONS.has(name);
}

/** Pseudo parameters that have one value per deployment: kept as symbolic text. */
const SYMBOLIC_PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::Region',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Link);
}

/** Text of a resolved value, for Fn::Sub / Fn::Join; Unknown (perhaps partly known) when it has none. */
export function toText(value: unknown): Maybe<string> {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Link) return value.toString();
  if (isUnknown(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return unknown('a value that is not text is used as text');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Link && b instanceof Link) return a.logicalId === b.logicalId && a.attribute === b.attribute && a.file === b.file;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * An Unknown passed on as a different value (an import's name is not its value, Base64 changes the
 * text): its reason without the known pieces of a partly known string.
 */
function hole(value: Unknown): Unknown {
  return value.parts ? { $unknown: value.$unknown } : value;
}

/** The first Unknown found inside a value (depth-first), if any. */
function firstUnknown(value: unknown): Unknown | undefined {
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const u = firstUnknown(v);
      if (u) return u;
    }
  } else if (isRecord(value)) {
    for (const v of Object.values(value)) {
      const u = firstUnknown(v);
      if (u) return u;
    }
  }
  return undefined;
}

function ref(name: unknown, scope: Scope): unknown {
  if (typeof name !== 'string') return isUnknown(name) ? hole(name) : unknown('Ref to a name that is not a string');
  if (name === 'AWS::NoValue') return NO_VALUE;
  const known = scope.pseudo.get(name);
  if (known !== undefined) return known;
  if (SYMBOLIC_PSEUDO.has(name)) return `\${${name}}`;
  if (name.startsWith('AWS::')) return unknown(`pseudo parameter ${name} is known only at deployment`);
  if (scope.parameters.has(name)) return scope.parameters.get(name);
  if (scope.resources.has(name)) return new Link(name);
  return unknown(`Ref to ${name}, which is neither a parameter nor a resource of the template`);
}

function getAtt(arg: unknown, scope: Scope, report: Report): unknown {
  let logicalId: unknown;
  let attribute: unknown;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    logicalId = dot < 0 ? arg : arg.slice(0, dot);
    attribute = dot < 0 ? '' : arg.slice(dot + 1);
  } else if (Array.isArray(arg)) {
    [logicalId, attribute] = arg;
  }
  if (typeof logicalId !== 'string') return unknown('Fn::GetAtt of a resource name that is not a string');
  if (!scope.resources.has(logicalId)) return unknown(`Fn::GetAtt of ${logicalId}, which is not a resource of the template`);
  const attr = toText(attribute);
  if (typeof attr === 'string' && attr.startsWith('Outputs.')) {
    const output = scope.links?.nestedOutput(logicalId, attr.slice('Outputs.'.length), report);
    if (output !== undefined) return output;
  }
  return new Link(logicalId, isUnknown(attr) ? undefined : attr || undefined);
}

function sub(arg: unknown, scope: Scope, report: Report): unknown {
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    template = arg[0];
    if (isRecord(arg[1])) variables = arg[1];
  }
  if (typeof template !== 'string') return isUnknown(template) ? hole(template) : unknown('Fn::Sub of a template that is not a string');
  // Known text and the Unknown values of variables, in order: a partly known string keeps its known text.
  const pieces: (string | Unknown)[] = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    const [whole, inner] = match;
    pieces.push(template.slice(last, match.index));
    last = match.index + whole.length;
    pieces.push(subVariable(whole, inner, variables, scope, report));
  }
  pieces.push(template.slice(last));
  return partialString(pieces);
}

/** What one `${…}` of a Fn::Sub template becomes. */
function subVariable(whole: string, inner: string, variables: Record<string, unknown>, scope: Scope, report: Report): string | Unknown {
  if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
  const name = inner.trim();
  let value: unknown;
  if (Object.prototype.hasOwnProperty.call(variables, name)) value = variables[name];
  else if (scope.pseudo.has(name)) value = scope.pseudo.get(name);
  else if (SYMBOLIC_PSEUDO.has(name)) return whole;
  else if (scope.parameters.has(name)) value = scope.parameters.get(name);
  else if (scope.resources.has(name.split('.')[0])) {
    const [logicalId, attribute, ...rest] = name.split('.');
    if (attribute !== 'Outputs' || rest.length === 0) return whole;
    value = scope.links?.nestedOutput(logicalId, rest.join('.'), report);
    if (value === undefined) return whole;
  } else value = unknown(`Fn::Sub refers to ${name}, which is neither a parameter nor a resource of the template`);
  return toText(value);
}

function join(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Join needs a delimiter and a list');
  const [delimiter, parts] = arg;
  if (isUnknown(parts)) return hole(parts);
  if (typeof delimiter !== 'string' || !Array.isArray(parts)) return unknown('Fn::Join of something that is not a list');
  const pieces: (string | Unknown)[] = [];
  parts.forEach((part, index) => {
    if (index > 0) pieces.push(delimiter);
    pieces.push(toText(part));
  });
  return partialString(pieces);
}

function select(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Select needs an index and a list');
  const [index, list] = arg;
  if (isUnknown(list)) return hole(list);
  if (isUnknown(index)) return hole(index);
  const i = typeof index === 'number' ? index : Number(index);
  if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
    return unknown('Fn::Select index is outside the list');
  }
  return list[i];
}

function split(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Split needs a delimiter and a string');
  const [delimiter, source] = arg;
  if (isUnknown(source)) return hole(source);
  if (typeof delimiter !== 'string' || typeof source !== 'string') return unknown('Fn::Split of something that is not text');
  return source.split(delimiter);
}

function findInMap(arg: unknown, scope: Scope): unknown {
  if (!Array.isArray(arg) || arg.length < 3) return unknown('Fn::FindInMap needs a map name and two keys');
  const [mapName, top, second, options] = arg;
  const fallback = isRecord(options) && 'DefaultValue' in options ? options.DefaultValue : undefined;
  const keys = [mapName, top, second].map(toText);
  const missingKey = keys.find(isUnknown);
  if (missingKey) return fallback ?? hole(missingKey);
  const [m, t, s] = keys as string[];
  const map = scope.mappings[m];
  const level = isRecord(map) ? map[t] : undefined;
  if (isRecord(level) && Object.prototype.hasOwnProperty.call(level, s)) return level[s];
  return fallback ?? unknown(`Fn::FindInMap: ${m}/${t}/${s} is not in the template's Mappings`);
}

function equals(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Equals needs two values');
  const u = firstUnknown(arg);
  if (u) return hole(u);
  // Symbolic values (pseudo parameters, resource links) are equal only to themselves: undecidable otherwise.
  const [a, b] = arg.map((v) => (v instanceof Link ? v.toString() : v));
  if (deepEqual(a, b)) return true;
  const symbolic = (v: unknown) => typeof v === 'string' && v.includes('${');
  if (symbolic(a) || symbolic(b)) return unknown('Fn::Equals compares a value known only at deployment');
  return false;
}

function logical(name: string, arg: unknown): unknown {
  const list = Array.isArray(arg) ? arg : [arg];
  const u = list.find(isUnknown);
  if (u) return hole(u);
  if (!list.every((v) => typeof v === 'boolean')) return unknown(`${name} of a value that is not a condition`);
  if (name === 'Fn::Not') return !list[0];
  return name === 'Fn::And' ? list.every(Boolean) : list.some(Boolean);
}

/** `Fn::GetStackOutput: { StackName, OutputName, Region?, RoleArn? }` (or the list form `[stack, output, region?]`). */
function getStackOutput(arg: unknown, scope: Scope, report: Report): unknown {
  let ref: StackOutputRef | undefined;
  if (isRecord(arg) && 'StackName' in arg && 'OutputName' in arg) {
    ref = { stackName: arg.StackName, outputName: arg.OutputName, region: arg.Region, roleArn: arg.RoleArn };
  } else if (Array.isArray(arg) && arg.length >= 2) {
    ref = { stackName: arg[0], outputName: arg[1], region: arg[2] };
  }
  if (!ref) return isUnknown(arg) ? hole(arg) : unknown('Fn::GetStackOutput needs StackName and OutputName');
  if (!scope.links) return unknown('Fn::GetStackOutput: read from another stack');
  return scope.links.stackOutput(ref, report);
}

function importValue(arg: unknown, scope: Scope, report: Report): unknown {
  if (typeof arg !== 'string') return isUnknown(arg) ? hole(arg) : unknown('Fn::ImportValue of a name that is not a string');
  return scope.links ? scope.links.importValue(arg, report) : unknown(`imported from another stack (${arg})`);
}

/**
 * Evaluates one intrinsic function whose argument is already resolved. `name` is a known function.
 * `report` receives what could not be resolved at this place (a cross-stack reference to outside).
 */
export function applyIntrinsic(name: string, arg: unknown, scope: Scope, report: Report = SILENT): unknown {
  switch (name) {
    case 'Ref':
      return ref(arg, scope);
    case 'Fn::GetAtt':
      return getAtt(arg, scope, report);
    case 'Fn::Sub':
      return sub(arg, scope, report);
    case 'Fn::Join':
      return join(arg);
    case 'Fn::Select':
      return select(arg);
    case 'Fn::Split':
      return split(arg);
    case 'Fn::FindInMap':
      return findInMap(arg, scope);
    case 'Fn::If': {
      if (!Array.isArray(arg) || arg.length !== 3) return unknown('Fn::If needs a condition and two values');
      const [condition, whenTrue, whenFalse] = arg;
      // Conditions depend on the deployment's parameters: only a choice that makes no difference is known.
      if (deepEqual(whenTrue, whenFalse)) return whenTrue;
      return unknown(`depends on condition ${typeof condition === 'string' ? condition : '(unnamed)'}`);
    }
    case 'Fn::Equals':
      return equals(arg);
    case 'Fn::Not':
    case 'Fn::And':
    case 'Fn::Or':
      return logical(name, arg);
    case 'Condition':
      return unknown(`depends on condition ${typeof arg === 'string' ? arg : '(unnamed)'}`);
    case 'Fn::Base64': {
      const text = toText(arg);
      return isUnknown(text) ? hole(text) : Buffer.from(text, 'utf8').toString('base64');
    }
    case 'Fn::Length':
      if (Array.isArray(arg)) return arg.length;
      return isUnknown(arg) ? hole(arg) : unknown('Fn::Length of something that is not a list');
    case 'Fn::ToJsonString': {
      const u = firstUnknown(arg);
      return u ? hole(u) : JSON.stringify(arg, (_key, value: unknown) => (value instanceof Link ? value.toString() : value));
    }
    case 'Fn::ImportValue':
      return importValue(arg, scope, report);
    case 'Fn::GetStackOutput':
      return getStackOutput(arg, scope, report);
    case 'Fn::GetAZs':
      return unknown('Fn::GetAZs is known only at deployment');
    case 'Fn::Cidr':
      return unknown('Fn::Cidr is not evaluated');
    case 'Fn::Transform':
      return unknown('Fn::Transform macros are not expanded');
    default:
      return unknown(`${name} is not evaluated`);
  }
}
