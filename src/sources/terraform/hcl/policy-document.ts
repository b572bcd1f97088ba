// `data "aws_iam_policy_document"` evaluated as the AWS provider does: `statement` blocks (sid, effect,
// actions / not_actions, resources / not_resources, principals / not_principals, condition) into a policy
// document, merged with `source_policy_documents` (this document's statements replace those with the same
// sid) and `override_policy_documents` (theirs replace this document's with the same sid, or are appended).
import { isUnknown, unknown, type Unknown } from '../../../inventory/types.js';
import { origins } from './evaluate.js';
import { EvalError, JsonText, findUnknown, isPlainObject } from './values.js';

type Statement = Record<string, unknown>;

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `principals { type, identifiers }` blocks → `{ AWS: [...], Service: [...] }`, or `"*"`. */
function principals(blocks: unknown): unknown {
  const out: Record<string, unknown[]> = {};
  for (const block of listOf(blocks)) {
    if (isUnknown(block)) return block;
    if (!isPlainObject(block)) continue;
    const type = block.type;
    if (isUnknown(type)) return type;
    const identifiers = listOf(block.identifiers);
    if (type === '*' && identifiers.length > 0 && identifiers.every((i) => i === '*')) return '*';
    const key = String(type);
    (out[key] ??= []).push(...identifiers);
  }
  return out;
}

/** `condition { test, variable, values }` blocks → `{ test: { variable: [values] } }`. */
function conditions(blocks: unknown): Record<string, Record<string, unknown[]>> | Unknown {
  const out: Record<string, Record<string, unknown[]>> = {};
  for (const block of listOf(blocks)) {
    if (isUnknown(block)) return block;
    if (!isPlainObject(block)) continue;
    if (isUnknown(block.test)) return block.test;
    if (isUnknown(block.variable)) return block.variable;
    const test = String(block.test);
    const variable = String(block.variable);
    const values = isUnknown(block.values) ? [block.values] : listOf(block.values);
    ((out[test] ??= {})[variable] ??= []).push(...values);
  }
  return out;
}

function statementOf(block: Record<string, unknown>): Statement {
  const s: Statement = {};
  if (typeof block.sid === 'string' && block.sid !== '') s.Sid = block.sid;
  else if (isUnknown(block.sid)) s.Sid = block.sid;
  s.Effect = block.effect ?? 'Allow';
  const pairs: [string, string][] = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ];
  for (const [from, to] of pairs) if (block[from] !== undefined && block[from] !== null) s[to] = block[from];
  if (block.principals !== undefined) s.Principal = principals(block.principals);
  if (block.not_principals !== undefined) s.NotPrincipal = principals(block.not_principals);
  if (block.condition !== undefined) s.Condition = conditions(block.condition);
  const at = origins.get(block);
  if (at) origins.set(s, at);
  return s;
}

/** The statements of a document given as JSON text, jsonencode output or an object. */
function statementsOf(doc: unknown, what: string): Statement[] | Unknown {
  let value = doc;
  if (value instanceof JsonText) value = value.value;
  if (isUnknown(value)) return unknown(`${what}: ${value.$unknown}`);
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new EvalError(`${what} is not valid JSON`);
    }
  }
  if (!isPlainObject(value)) throw new EvalError(`${what} is not a policy document`);
  const statements = value.Statement;
  if (isUnknown(statements)) return statements;
  return listOf(statements).filter(isPlainObject);
}

/**
 * The document of one `aws_iam_policy_document`, from its evaluated arguments and blocks. Unknown when
 * a source or override document is unknown (which statements survive the merge depends on it).
 */
export function policyDocument(args: Record<string, unknown>): Record<string, unknown> | Unknown {
  let merged: Statement[] = [];
  for (const [i, source] of listOf(args.source_policy_documents).entries()) {
    const statements = statementsOf(source, `source_policy_documents[${i}]`);
    if (isUnknown(statements)) return statements;
    merged.push(...statements);
  }
  const sidOf = (s: Statement): unknown => s.Sid;
  const replaceOrAppend = (list: Statement[], statement: Statement): Unknown | undefined => {
    const sid = sidOf(statement);
    if (isUnknown(sid)) return unknown(`a statement sid is unknown (${sid.$unknown}), so the merge is too`);
    const at = typeof sid === 'string' && sid !== '' ? list.findIndex((s) => sidOf(s) === sid) : -1;
    if (at >= 0) list[at] = statement;
    else list.push(statement);
    return undefined;
  };
  for (const block of listOf(args.statement)) {
    if (isUnknown(block)) return block;
    if (!isPlainObject(block)) continue;
    const bad = replaceOrAppend(merged, statementOf(block));
    if (bad) return bad;
  }
  for (const [i, override] of listOf(args.override_policy_documents).entries()) {
    const statements = statementsOf(override, `override_policy_documents[${i}]`);
    if (isUnknown(statements)) return statements;
    for (const statement of statements) {
      const bad = replaceOrAppend(merged, statement);
      if (bad) return bad;
    }
  }
  merged = merged.filter((s) => s !== undefined);
  const doc: Record<string, unknown> = { Version: args.version ?? '2012-10-17', Statement: merged };
  if (args.policy_id !== undefined && args.policy_id !== null) doc.Id = args.policy_id;
  return findUnknown(doc.Version) ? { ...doc, Version: '2012-10-17' } : doc;
}
