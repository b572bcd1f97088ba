// Evaluates compiled checks on normalized resources: the four outcomes of SPEC/STYLE, three-valued over
// Unknowns (SPEC §8), no IO, no clock.
import { NotAssessedError } from '../errors.js';
import { isUnknown, type Inventory, type Resource, type Unknown } from '../inventory/types.js';
import type { CompiledCheck } from './load.js';
import type { Evaluation, Outcome } from './types.js';
import { UnknownTouched, beginSession, celView, endSession, rawValue } from './unknowns.js';

export interface EvalContext {
  /** The CEL `config` variable (see celConfig). */
  config: Record<string, unknown>;
  /** The CEL `org` variable: account ids of the Organization. */
  org: string[];
}

/** First Unknown marker at or below `value`. */
function findUnknown(value: unknown, depth = 0): Unknown | null {
  if (isUnknown(value)) return value;
  if (depth > 64 || typeof value !== 'object' || value === null) return null;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    const found = findUnknown(child, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The Unknown a dotted `reads` path runs into, following arrays element-wise. */
export function unknownAt(props: unknown, dotted: string): Unknown | null {
  if (dotted === '*') return findUnknown(props);
  let frontier: unknown[] = [props];
  for (const segment of dotted.split('.')) {
    const next: unknown[] = [];
    for (const value of frontier) {
      if (isUnknown(value)) return value;
      if (Array.isArray(value)) {
        for (const item of value) {
          if (isUnknown(item)) return item;
          if (item && typeof item === 'object') next.push((item as Record<string, unknown>)[segment]);
        }
      } else if (value && typeof value === 'object') {
        next.push((value as Record<string, unknown>)[segment]);
      }
    }
    frontier = next;
  }
  for (const value of frontier) {
    const found = findUnknown(value);
    if (found) return found;
  }
  return null;
}

/** CEL values → JSON-friendly values (bigint → number). */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return plain(Object.fromEntries(value));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (typeof value === 'object') {
    if (isUnknown(value)) return '(unknown)';
    return JSON.stringify(value);
  }
  return String(value);
}

/** Replaces `{key}` with details values; unknown keys stay visible so a typo is noticed in fixtures. */
export function formatMessage(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (whole, key: string) => {
    let value: unknown = details;
    for (const part of key.split('.')) {
      if (value && typeof value === 'object') value = (value as Record<string, unknown>)[part];
      else value = undefined;
    }
    return value === undefined ? whole : display(value);
  });
}

/**
 * Why an evaluation that threw is not assessed: the Unknown it ran into or a domain function's reason,
 * then every other Unknown the evaluation touched (`u || w` depends on both; cel-js throws the last).
 */
function reasonOf(error: unknown, touched: UnknownTouched[], check: CompiledCheck, resource: Resource): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (current instanceof UnknownTouched || current instanceof NotAssessedError) {
      return [...new Set([current.message, ...touched.map((u) => u.message)])].join('; ');
    }
    current = (current as { cause?: unknown }).cause;
  }
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
  // An error that names no Unknown: say which Unknowns the check reads, in case one of them is the cause.
  const read = check.reads.map((path) => [path, unknownAtCached(resource.props, path)] as const).filter(([, u]) => u);
  const context = read.map(([path, u]) => `${path === '*' ? '' : `${path}: `}${u!.$unknown}`).join('; ');
  return `check could not be evaluated: ${message}${context ? ` (it reads ${context})` : ''}`;
}

// Several checks read the same paths of the same resource: scan each (props, path) once per run.
const readCache = new WeakMap<object, Map<string, Unknown | null>>();

function unknownAtCached(props: unknown, dotted: string): Unknown | null {
  if (!props || typeof props !== 'object') return unknownAt(props, dotted);
  let perProps = readCache.get(props);
  if (!perProps) {
    perProps = new Map();
    readCache.set(props, perProps);
  }
  let hit = perProps.get(dotted);
  if (hit === undefined) {
    hit = unknownAt(props, dotted);
    perProps.set(dotted, hit);
  }
  return hit;
}

function notAssessed(reasons: string[]): Outcome {
  return { kind: 'not-assessed', reason: [...new Set(reasons)].join('; ') };
}

/** The decided part of one pair: applies, then assert. Throws when the outcome depends on an Unknown. */
function decide(check: CompiledCheck, vars: Vars): Outcome | 'fail' {
  if (check.compiled.applies) {
    const applies = check.compiled.applies(vars);
    if (applies !== true && applies !== false) {
      return { kind: 'not-assessed', reason: `check could not be evaluated: applies returned ${typeof applies}` };
    }
    if (!applies) return { kind: 'not-applicable', reason: check.notApplicableHint };
  }
  const ok = check.compiled.assert(vars);
  if (ok === true) return { kind: 'pass' };
  if (ok !== false) return { kind: 'not-assessed', reason: `check could not be evaluated: assert returned ${typeof ok}` };
  return 'fail';
}

/** Evidence of a failed pair; an evidence expression that cannot be computed does not hide the finding. */
function failure(check: CompiledCheck, vars: Vars): Outcome {
  let evidence: Record<string, unknown>;
  try {
    const details = check.compiled.details ? plain(rawValue(check.compiled.details(vars))) : {};
    evidence = details && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : { value: details };
  } catch (error) {
    evidence = { evidenceNotComputed: error instanceof UnknownTouched || error instanceof NotAssessedError ? error.message : String((error as Error)?.message ?? error).split('\n')[0] };
  }
  const outcome: Outcome = { kind: 'fail', message: formatMessage(check.message, evidence), evidence };
  if (typeof evidence.line === 'number' && evidence.line > 0) outcome.line = evidence.line;
  if (typeof evidence.column === 'number' && evidence.column > 0) outcome.column = evidence.column;
  return outcome;
}

/**
 * One (check, resource) pair, three-valued: CEL evaluates over a view of the resource in which Unknowns
 * raise when touched (src/engine/unknowns.ts), so the outcome is decided whenever the known data decides
 * it, and not assessed — naming the Unknowns it depended on — only when it does not.
 */
export function evaluateCheck(check: CompiledCheck, resource: Resource, ctx: EvalContext): Outcome {
  if (!check.resourceTypes.includes(resource.type)) return { kind: 'not-applicable' };
  return evaluateOn(check, resource, celVars(resource, ctx));
}

type Vars = { resource: unknown; config: unknown; org: unknown };

function celVars(resource: Resource, ctx: EvalContext): Vars {
  return { resource: celView(resource), config: celView(ctx.config, 'config'), org: celView(ctx.org, 'org') };
}

function evaluateOn(check: CompiledCheck, resource: Resource, vars: Vars): Outcome {
  beginSession();
  let decided: Outcome | 'fail';
  try {
    decided = decide(check, vars);
  } catch (error) {
    const { touched } = endSession();
    return { kind: 'not-assessed', reason: reasonOf(error, touched, check, resource) };
  }
  const { untouched } = endSession();
  // A poison handed to a built-in that never looked at it (list equality, has()): the decision may have
  // treated the Unknown as a value. Not trusted.
  if (untouched.length > 0 && (decided === 'fail' || decided.kind !== 'not-assessed')) {
    return notAssessed(untouched.map((u) => u.message));
  }
  return decided === 'fail' ? failure(check, vars) : decided;
}

/**
 * Every check on every resource of a matching type, one pair at a time: a caller that folds them (the results
 * of an Organization: 600,000 pairs) never holds every outcome at once. Pairs of other types are not listed.
 */
export function* evaluateEach(checks: CompiledCheck[], inventory: Inventory, ctx: EvalContext): Generator<Evaluation> {
  const byType = new Map<string, CompiledCheck[]>();
  for (const check of checks) {
    for (const type of check.resourceTypes) {
      const list = byType.get(type) ?? [];
      list.push(check);
      byType.set(type, list);
    }
  }
  for (const resource of inventory.resources) {
    const checksOfType = byType.get(resource.type);
    if (!checksOfType) continue;
    // One view per resource, shared by its checks (cel-js never writes to the context).
    const vars = celVars(resource, ctx);
    for (const check of checksOfType) {
      yield { checkId: check.id, resourceId: resource.id, outcome: evaluateOn(check, resource, vars) };
    }
  }
}

/** Every check on every resource of a matching type. Pairs of other types are not listed at all. */
export function evaluateAll(checks: CompiledCheck[], inventory: Inventory, ctx: EvalContext): Evaluation[] {
  return [...evaluateEach(checks, inventory, ctx)];
}
