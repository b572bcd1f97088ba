// CloudFormation intrinsic functions evaluated as far as a template alone allows: parameter defaults,
// pseudo parameters kept symbolic (`${AWS::Region}`), references to resources kept as links (so the
// normalizer can join a policy to its role), and everything else that only a deployment knows as Unknown.
import { type Unknown, isUnknown, unknown } from '../../inventory/types.js';

/** A `Ref` / `Fn::GetAtt` to a resource of the template; rendered as `${Logical}` / `${Logical.Attr}` text. */
export class Link {
  constructor(
    readonly logicalId: string,
    readonly attribute?: string,
  ) {}

  toString(): string {
    return this.attribute ? `\${${this.logicalId}.${this.attribute}}` : `\${${this.logicalId}}`;
  }
}

/** `Ref: AWS::NoValue`: the property or list item it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** What intrinsics can see of the template. */
export interface Scope {
  /** Parameter name → what `Ref` gives for it (its default, or Unknown). */
  parameters: Map<string, unknown>;
  resources: Set<string>;
  mappings: Record<string, unknown>;
}

/** Short-form tag → long-form function name. */
export const INTRINSIC_TAGS: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  ...Object.fromEntries(
    [
      'Sub', 'GetAtt', 'Join', 'If', 'Select', 'Split', 'FindInMap', 'ImportValue', 'GetAZs', 'Base64', 'Cidr',
      'Equals', 'Not', 'And', 'Or', 'Transform', 'Length', 'ToJsonString',
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

/** Text of a resolved value, for Fn::Sub / Fn::Join; Unknown when it has none. */
export function toText(value: unknown): string | Unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Link) return value.toString();
  if (isUnknown(value)) return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return unknown('a value that is not text is used as text');
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Link && b instanceof Link) return a.logicalId === b.logicalId && a.attribute === b.attribute;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
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
  if (typeof name !== 'string') return unknown('Ref to a name that is not a string');
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (SYMBOLIC_PSEUDO.has(name)) return `\${${name}}`;
  if (name.startsWith('AWS::')) return unknown(`pseudo parameter ${name} is known only at deployment`);
  if (scope.parameters.has(name)) return scope.parameters.get(name);
  if (scope.resources.has(name)) return new Link(name);
  return unknown(`Ref to ${name}, which is neither a parameter nor a resource of the template`);
}

function getAtt(arg: unknown, scope: Scope): unknown {
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
  return new Link(logicalId, isUnknown(attr) ? undefined : attr || undefined);
}

function sub(arg: unknown, scope: Scope): unknown {
  let template: unknown = arg;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    template = arg[0];
    if (isRecord(arg[1])) variables = arg[1];
  }
  if (typeof template !== 'string') return isUnknown(template) ? template : unknown('Fn::Sub of a template that is not a string');
  let missing: Unknown | undefined;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    let value: unknown;
    if (Object.prototype.hasOwnProperty.call(variables, name)) value = variables[name];
    else if (SYMBOLIC_PSEUDO.has(name)) return whole;
    else if (scope.parameters.has(name)) value = scope.parameters.get(name);
    else if (scope.resources.has(name.split('.')[0])) return whole;
    else value = unknown(`Fn::Sub refers to ${name}, which is neither a parameter nor a resource of the template`);
    const rendered = toText(value);
    if (isUnknown(rendered)) {
      missing ??= rendered;
      return whole;
    }
    return rendered;
  });
  return missing ?? text;
}

function join(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Join needs a delimiter and a list');
  const [delimiter, parts] = arg;
  if (isUnknown(parts)) return parts;
  if (typeof delimiter !== 'string' || !Array.isArray(parts)) return unknown('Fn::Join of something that is not a list');
  const texts: string[] = [];
  for (const part of parts) {
    const text = toText(part);
    if (isUnknown(text)) return text;
    texts.push(text);
  }
  return texts.join(delimiter);
}

function select(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Select needs an index and a list');
  const [index, list] = arg;
  if (isUnknown(list)) return list;
  if (isUnknown(index)) return index;
  const i = typeof index === 'number' ? index : Number(index);
  if (!Array.isArray(list) || !Number.isInteger(i) || i < 0 || i >= list.length) {
    return unknown('Fn::Select index is outside the list');
  }
  return list[i];
}

function split(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Split needs a delimiter and a string');
  const [delimiter, source] = arg;
  if (isUnknown(source)) return source;
  if (typeof delimiter !== 'string' || typeof source !== 'string') return unknown('Fn::Split of something that is not text');
  return source.split(delimiter);
}

function findInMap(arg: unknown, scope: Scope): unknown {
  if (!Array.isArray(arg) || arg.length < 3) return unknown('Fn::FindInMap needs a map name and two keys');
  const [mapName, top, second, options] = arg;
  const fallback = isRecord(options) && 'DefaultValue' in options ? options.DefaultValue : undefined;
  const keys = [mapName, top, second].map(toText);
  const missingKey = keys.find(isUnknown);
  if (missingKey) return fallback ?? missingKey;
  const [m, t, s] = keys as string[];
  const map = scope.mappings[m];
  const level = isRecord(map) ? map[t] : undefined;
  if (isRecord(level) && Object.prototype.hasOwnProperty.call(level, s)) return level[s];
  return fallback ?? unknown(`Fn::FindInMap: ${m}/${t}/${s} is not in the template's Mappings`);
}

function equals(arg: unknown): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return unknown('Fn::Equals needs two values');
  const u = firstUnknown(arg);
  if (u) return u;
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
  if (u) return u;
  if (!list.every((v) => typeof v === 'boolean')) return unknown(`${name} of a value that is not a condition`);
  if (name === 'Fn::Not') return !list[0];
  return name === 'Fn::And' ? list.every(Boolean) : list.some(Boolean);
}

/** Evaluates one intrinsic function whose argument is already resolved. `name` is a known function. */
export function applyIntrinsic(name: string, arg: unknown, scope: Scope): unknown {
  switch (name) {
    case 'Ref':
      return ref(arg, scope);
    case 'Fn::GetAtt':
      return getAtt(arg, scope);
    case 'Fn::Sub':
      return sub(arg, scope);
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
      return isUnknown(text) ? text : Buffer.from(text, 'utf8').toString('base64');
    }
    case 'Fn::Length':
      if (Array.isArray(arg)) return arg.length;
      return isUnknown(arg) ? arg : unknown('Fn::Length of something that is not a list');
    case 'Fn::ToJsonString': {
      const u = firstUnknown(arg);
      return u ?? JSON.stringify(arg, (_key, value: unknown) => (value instanceof Link ? value.toString() : value));
    }
    case 'Fn::ImportValue':
      return unknown(`imported from another stack${typeof arg === 'string' ? ` (${arg})` : ''}`);
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
