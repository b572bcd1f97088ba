// IAM condition operators, three-valued, as the IAM documentation defines them
// (reference_policies_elements_condition_operators, …_condition-single-vs-multi-valued-context-keys):
// - several values for one key are ORed (for negated operators: the value matches none of them);
//   several keys, and several operators, are ANDed;
// - a key absent from the request makes the condition false — except negated operators (true),
//   `…IfExists` (true), `ForAllValues:` (true), `ForAnyValue:` (false) and `Null` (which tests absence);
// - `ForAnyValue:` / `ForAllValues:` compare each value of a (multivalued) request key.
// Values are token text (iam-match.ts); request values may be tokens too (instances of unknown values).
import { FRESH_RUN, addressWitnesses, hasTokens, instance, ipInRange, matchTri, not, type Tri, type TokenTable } from './iam-match.js';

type Family = 'string' | 'arn' | 'ip' | 'numeric' | 'date' | 'bool' | 'binary' | 'null' | 'unknown';

interface OperatorSpec {
  family: Family;
  negated: boolean;
  /** string/arn: wildcards in policy values. */
  glob: boolean;
  ignoreCase: boolean;
  /** numeric/date comparison. */
  compare?: 'eq' | 'lt' | 'le' | 'gt' | 'ge';
}

const OPERATORS: Record<string, OperatorSpec> = {
  stringequals: { family: 'string', negated: false, glob: false, ignoreCase: false },
  stringnotequals: { family: 'string', negated: true, glob: false, ignoreCase: false },
  stringequalsignorecase: { family: 'string', negated: false, glob: false, ignoreCase: true },
  stringnotequalsignorecase: { family: 'string', negated: true, glob: false, ignoreCase: true },
  stringlike: { family: 'string', negated: false, glob: true, ignoreCase: false },
  stringnotlike: { family: 'string', negated: true, glob: true, ignoreCase: false },
  arnequals: { family: 'arn', negated: false, glob: true, ignoreCase: false },
  arnlike: { family: 'arn', negated: false, glob: true, ignoreCase: false },
  arnnotequals: { family: 'arn', negated: true, glob: true, ignoreCase: false },
  arnnotlike: { family: 'arn', negated: true, glob: true, ignoreCase: false },
  ipaddress: { family: 'ip', negated: false, glob: false, ignoreCase: false },
  notipaddress: { family: 'ip', negated: true, glob: false, ignoreCase: false },
  numericequals: { family: 'numeric', negated: false, glob: false, ignoreCase: false, compare: 'eq' },
  numericnotequals: { family: 'numeric', negated: true, glob: false, ignoreCase: false, compare: 'eq' },
  numericlessthan: { family: 'numeric', negated: false, glob: false, ignoreCase: false, compare: 'lt' },
  numericlessthanequals: { family: 'numeric', negated: false, glob: false, ignoreCase: false, compare: 'le' },
  numericgreaterthan: { family: 'numeric', negated: false, glob: false, ignoreCase: false, compare: 'gt' },
  numericgreaterthanequals: { family: 'numeric', negated: false, glob: false, ignoreCase: false, compare: 'ge' },
  dateequals: { family: 'date', negated: false, glob: false, ignoreCase: false, compare: 'eq' },
  datenotequals: { family: 'date', negated: true, glob: false, ignoreCase: false, compare: 'eq' },
  datelessthan: { family: 'date', negated: false, glob: false, ignoreCase: false, compare: 'lt' },
  datelessthanequals: { family: 'date', negated: false, glob: false, ignoreCase: false, compare: 'le' },
  dategreaterthan: { family: 'date', negated: false, glob: false, ignoreCase: false, compare: 'gt' },
  dategreaterthanequals: { family: 'date', negated: false, glob: false, ignoreCase: false, compare: 'ge' },
  bool: { family: 'bool', negated: false, glob: false, ignoreCase: true },
  binaryequals: { family: 'binary', negated: false, glob: false, ignoreCase: false },
  null: { family: 'null', negated: false, glob: false, ignoreCase: false },
};

/** One `operator: { key: values }` entry of a statement's Condition. */
export interface ConditionAtom {
  /** Unique per compiled atom (cache keys). */
  id: number;
  /** As written, for evidence. */
  operator: string;
  set: 'any' | 'all' | null;
  ifExists: boolean;
  spec: OperatorSpec;
  /** Lower case. */
  key: string;
  /** Token text. */
  values: string[];
}

/** Keys whose request value can hold several values (a set operator is meant for them). */
export const MULTIVALUED_KEYS = new Set([
  'aws:tagkeys',
  'aws:calledvia',
  'aws:principalorgpaths',
  'aws:sourceorgpaths',
  'aws:resourceorgpaths',
  'aws:principalservicenameslist',
  'ses:recipients',
]);

export function parseOperator(operator: string): Pick<ConditionAtom, 'set' | 'ifExists' | 'spec'> {
  let name = operator.toLowerCase();
  let set: ConditionAtom['set'] = null;
  if (name.startsWith('foranyvalue:')) {
    set = 'any';
    name = name.slice('foranyvalue:'.length);
  } else if (name.startsWith('forallvalues:')) {
    set = 'all';
    name = name.slice('forallvalues:'.length);
  }
  let ifExists = false;
  if (name.endsWith('ifexists') && name !== 'null') {
    ifExists = true;
    name = name.slice(0, -'ifexists'.length);
  }
  return { set, ifExists, spec: OPERATORS[name] ?? { family: 'unknown', negated: false, glob: false, ignoreCase: false } };
}

function numberOf(text: string, family: Family): number | null {
  if (family === 'numeric') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  // Dates: ISO 8601 or epoch seconds.
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

/** Does one request value satisfy the operator's positive form for one policy value? */
function positive(spec: OperatorSpec, policyValue: string, requestValue: string, tokens: TokenTable): Tri {
  switch (spec.family) {
    case 'string':
    case 'arn':
      return matchTri(policyValue, requestValue, spec.glob, spec.ignoreCase, tokens);
    case 'ip':
      return ipInRange(requestValue, policyValue, tokens);
    case 'bool':
    case 'binary':
      return matchTri(policyValue, requestValue, false, spec.family === 'bool', tokens);
    case 'numeric':
    case 'date': {
      if (hasTokens(policyValue) || hasTokens(requestValue)) {
        tokens.touch(policyValue, requestValue);
        return 'maybe';
      }
      const p = numberOf(policyValue, spec.family);
      const r = numberOf(requestValue, spec.family);
      if (p === null || r === null) return 'no';
      switch (spec.compare) {
        case 'eq':
          return r === p ? 'yes' : 'no';
        case 'lt':
          return r < p ? 'yes' : 'no';
        case 'le':
          return r <= p ? 'yes' : 'no';
        case 'gt':
          return r > p ? 'yes' : 'no';
        default:
          return r >= p ? 'yes' : 'no';
      }
    }
    default:
      return 'maybe';
  }
}

/** One request value against the atom: ORed policy values, inverted for a negated operator. */
function single(atom: ConditionAtom, requestValue: string, tokens: TokenTable): Tri {
  let any: Tri = 'no';
  for (const value of atom.values) {
    const t = positive(atom.spec, value, requestValue, tokens);
    if (t === 'yes') {
      any = 'yes';
      break;
    }
    if (t === 'maybe') any = 'maybe';
  }
  return atom.spec.negated ? not(any) : any;
}

/**
 * The atom against the request's value for its key: `undefined` when the key is absent, else its values
 * (one for a single-valued key).
 */
export function evaluateAtom(atom: ConditionAtom, request: string[] | undefined, tokens: TokenTable): Tri {
  if (atom.spec.family === 'unknown') return 'maybe';
  if (atom.spec.family === 'null') {
    let result: Tri = 'no';
    for (const value of atom.values) {
      const wanted = value.toLowerCase();
      let t: Tri;
      if (wanted === 'true') t = request === undefined ? 'yes' : 'no';
      else if (wanted === 'false') t = request === undefined ? 'no' : 'yes';
      else t = hasTokens(value) ? 'maybe' : 'no';
      if (t === 'maybe') tokens.touch(value);
      if (t === 'yes') return 'yes';
      if (t === 'maybe') result = 'maybe';
    }
    return result;
  }
  if (request === undefined) {
    if (atom.ifExists || atom.set === 'all') return 'yes';
    if (atom.set === 'any') return 'no';
    return atom.spec.negated ? 'yes' : 'no';
  }
  // A multivalued request key under a plain operator is read like ForAnyValue.
  if (atom.set === 'all') {
    let result: Tri = 'yes';
    for (const value of request) {
      const t = single(atom, value, tokens);
      if (t === 'no') return 'no';
      if (t === 'maybe') result = 'maybe';
    }
    return result;
  }
  let result: Tri = 'no';
  for (const value of request) {
    const t = single(atom, value, tokens);
    if (t === 'yes') return 'yes';
    if (t === 'maybe') result = 'maybe';
  }
  return result;
}

/** A value nobody named, for string-like keys. */
export const FRESH_VALUE = FRESH_RUN;

let atomSerial = 0;

/** A fresh id for a compiled atom. */
export function nextAtomId(): number {
  return ++atomSerial;
}

/**
 * Request values that tell the atoms on one key apart: each policy value (or an instance of a pattern),
 * neighbours of numbers and dates, both booleans, addresses inside and around each range, and a fresh value.
 */
export function valueWitnesses(atoms: readonly ConditionAtom[]): string[] {
  const out = new Set<string>();
  const ranges: string[] = [];
  let stringy = false;
  for (const atom of atoms) {
    switch (atom.spec.family) {
      case 'string':
      case 'arn':
        stringy = true;
        for (const value of atom.values) out.add(atom.spec.glob ? instance(value) : value);
        break;
      case 'ip':
        ranges.push(...atom.values);
        break;
      case 'bool':
        out.add('true');
        out.add('false');
        break;
      case 'binary':
        for (const value of atom.values) out.add(value);
        stringy = true;
        break;
      case 'numeric':
      case 'date':
        for (const value of atom.values) {
          out.add(value);
          const n = numberOf(value, atom.spec.family);
          if (n === null) continue;
          if (atom.spec.family === 'numeric') {
            out.add(String(n - 1));
            out.add(String(n + 1));
          } else {
            out.add(new Date(n - 86_400_000).toISOString());
            out.add(new Date(n + 86_400_000).toISOString());
          }
        }
        break;
      default:
        stringy = true;
    }
  }
  if (ranges.length > 0) for (const a of addressWitnesses(ranges)) out.add(a);
  if (stringy) out.add(FRESH_VALUE);
  return [...out];
}

