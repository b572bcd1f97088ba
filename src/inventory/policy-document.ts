// Turns a raw IAM policy document (as JSON/YAML, from any source) into the normalized PolicyDocument.
// Sources call this; the IAM domain functions read only the normalized form.
import {
  type Maybe,
  type PolicyDocument,
  type PolicyStatement,
  type Principal,
  type Unknown,
  isUnknown,
  unknown,
} from './types.js';

/** Optional position lookup for a statement index (sources that track positions pass it). */
export type StatementLocator = (index: number) => { line?: number; column?: number } | undefined;

function toList(value: unknown): Maybe<string>[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    if (isUnknown(item)) return item;
    return unknown(`value ${JSON.stringify(item)} is not a string`);
  });
}

export function normalizePrincipal(raw: unknown): Principal {
  const principal: Principal = { wildcard: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (raw === '*') {
    principal.wildcard = true;
    principal.aws = ['*'];
    return principal;
  }
  if (isUnknown(raw)) {
    principal.aws = [raw];
    return principal;
  }
  if (typeof raw !== 'object' || raw === null) return principal;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const list = toList(value);
    switch (key.toLowerCase()) {
      case 'aws':
        principal.aws.push(...list);
        if (list.includes('*')) principal.wildcard = true;
        break;
      case 'service':
        principal.service.push(...list);
        break;
      case 'federated':
        principal.federated.push(...list);
        break;
      case 'canonicaluser':
        principal.canonicalUser.push(...list);
        break;
    }
  }
  return principal;
}

/** Operator (or key) name standing for a Condition block (or operator block) the source could not read. */
export const UNREADABLE_CONDITION = '$unknown';

function normalizeCondition(raw: unknown): PolicyStatement['condition'] {
  // An unreadable Condition still restricts the statement somehow: keep it, as an unreadable entry.
  if (isUnknown(raw)) return { [UNREADABLE_CONDITION]: { [UNREADABLE_CONDITION]: [raw] } };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const out: NonNullable<PolicyStatement['condition']> = {};
  for (const [operator, keys] of Object.entries(raw as Record<string, unknown>)) {
    if (isUnknown(keys)) {
      out[operator] = { [UNREADABLE_CONDITION]: [keys] };
      continue;
    }
    if (typeof keys !== 'object' || keys === null) continue;
    out[operator] = {};
    for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
      out[operator][key] = toList(values);
    }
  }
  return out;
}

function pick(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Normalizes one statement object. */
export function normalizeStatement(raw: Record<string, unknown>): PolicyStatement {
  const effect = String(pick(raw, 'Effect') ?? 'Allow').toLowerCase() === 'deny' ? 'Deny' : 'Allow';
  const statement: PolicyStatement = { effect };
  const sid = pick(raw, 'Sid');
  if (typeof sid === 'string') statement.sid = sid;
  const fields: [string, 'action' | 'notAction' | 'resource' | 'notResource'][] = [
    ['Action', 'action'],
    ['NotAction', 'notAction'],
    ['Resource', 'resource'],
    ['NotResource', 'notResource'],
  ];
  for (const [name, key] of fields) {
    const value = pick(raw, name);
    if (value !== undefined) statement[key] = toList(value);
  }
  const principal = pick(raw, 'Principal');
  if (principal !== undefined) statement.principal = normalizePrincipal(principal);
  const notPrincipal = pick(raw, 'NotPrincipal');
  if (notPrincipal !== undefined) statement.notPrincipal = normalizePrincipal(notPrincipal);
  const condition = normalizeCondition(pick(raw, 'Condition'));
  if (condition) statement.condition = condition;
  return statement;
}

function unreadableStatement(item: Unknown): PolicyStatement {
  return { effect: 'Allow', action: [item], resource: [item], principal: normalizePrincipal(item) };
}

/**
 * A statement whose Effect is Unknown (`!Ref Mode`, an `Fn::If`) allows or denies what it names: both, each
 * applying on an unreadable condition, so an answer it could change is undecided and one it cannot stays decided.
 */
function effects(raw: Record<string, unknown>, statement: PolicyStatement): PolicyStatement[] {
  const effect = pick(raw, 'Effect');
  if (!isUnknown(effect)) return [statement];
  const condition = { ...statement.condition, [UNREADABLE_CONDITION]: { [UNREADABLE_CONDITION]: [effect] } };
  return [
    { ...statement, effect: 'Allow', condition },
    { ...statement, effect: 'Deny', condition },
  ];
}

/**
 * Normalizes a whole document. A string is parsed as JSON (live IAM returns URL-decoded JSON text;
 * Terraform plans carry policies as JSON strings). Returns Unknown when the document itself is unknown
 * or not a policy.
 */
export function normalizePolicyDocument(raw: unknown, locate?: StatementLocator): Maybe<PolicyDocument> {
  if (isUnknown(raw)) return raw;
  let doc = raw;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch {
      return unknown('policy document is not valid JSON');
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return unknown('policy document is not an object');
  }
  const statementRaw = pick(doc as Record<string, unknown>, 'Statement');
  if (isUnknown(statementRaw)) return statementRaw;
  const list = Array.isArray(statementRaw) ? statementRaw : statementRaw === undefined ? [] : [statementRaw];
  const statements: PolicyStatement[] = [];
  list.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return;
    // A statement the source could not read may allow anything: every element of it is that Unknown.
    const statement = isUnknown(item) ? unreadableStatement(item) : normalizeStatement(item as Record<string, unknown>);
    const at = locate?.(index);
    if (at?.line !== undefined) statement.line = at.line;
    if (at?.column !== undefined) statement.column = at.column;
    statements.push(...(isUnknown(item) ? [statement] : effects(item as Record<string, unknown>, statement)));
  });
  return { statements };
}
