// Evaluates compiled checks on normalized resources: the four outcomes of SPEC/STYLE, no IO, no clock.
import { NotAssessedError } from '../errors.js';
import { isUnknown, type Inventory, type Resource, type Unknown } from '../inventory/types.js';
import type { CompiledCheck } from './load.js';
import type { Evaluation, Outcome } from './types.js';

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

function reasonOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (current instanceof NotAssessedError) return current.message;
    current = (current as { cause?: unknown }).cause;
  }
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0];
  return `check could not be evaluated: ${message}`;
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

/** One (check, resource) pair. */
export function evaluateCheck(check: CompiledCheck, resource: Resource, ctx: EvalContext): Outcome {
  if (!check.resourceTypes.includes(resource.type)) return { kind: 'not-applicable' };
  for (const read of check.reads) {
    const missing = unknownAtCached(resource.props, read);
    if (missing) return { kind: 'not-assessed', reason: `${read}: ${missing.$unknown}` };
  }
  const vars = { resource, config: ctx.config, org: ctx.org };
  try {
    if (check.compiled.applies) {
      const applies = check.compiled.applies(vars);
      if (applies !== true && applies !== false) {
        return { kind: 'not-assessed', reason: `check could not be evaluated: applies returned ${typeof applies}` };
      }
      if (!applies) return { kind: 'not-applicable', reason: check.notApplicableHint };
    }
    const ok = check.compiled.assert(vars);
    if (ok === true) return { kind: 'pass' };
    if (ok !== false) {
      return { kind: 'not-assessed', reason: `check could not be evaluated: assert returned ${typeof ok}` };
    }
    const details = check.compiled.details ? (plain(check.compiled.details(vars)) as Record<string, unknown>) : {};
    const evidence = details && typeof details === 'object' && !Array.isArray(details) ? details : { value: details };
    const outcome: Outcome = { kind: 'fail', message: formatMessage(check.message, evidence), evidence };
    if (typeof evidence.line === 'number' && evidence.line > 0) outcome.line = evidence.line;
    if (typeof evidence.column === 'number' && evidence.column > 0) outcome.column = evidence.column;
    return outcome;
  } catch (error) {
    return { kind: 'not-assessed', reason: reasonOf(error) };
  }
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
    for (const check of byType.get(resource.type) ?? []) {
      yield { checkId: check.id, resourceId: resource.id, outcome: evaluateCheck(check, resource, ctx) };
    }
  }
}

/** Every check on every resource of a matching type. Pairs of other types are not listed at all. */
export function evaluateAll(checks: CompiledCheck[], inventory: Inventory, ctx: EvalContext): Evaluation[] {
  return [...evaluateEach(checks, inventory, ctx)];
}
