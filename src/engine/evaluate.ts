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

/** CEL values → JSON-friendly values (bigint → number, Map → object); what needs no change is returned as is. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Map) return plain(Object.fromEntries(value));
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const p = plain(item);
      if (p !== item) (out ??= value.slice())[i] = p;
    }
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value)) {
    const p = plain(v);
    if (p !== v) (out ??= { ...value })[k] = p;
  }
  return out ?? value;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  // A list in a message names things: each once ("policy open", not "open, open" for two of its statements).
  if (Array.isArray(value)) return [...new Set(value.map(display))].join(', ');
  if (typeof value === 'object') {
    if (isUnknown(value)) return '(unknown)';
    return JSON.stringify(value);
  }
  return String(value);
}

/** A message template split once: literal text and `{key}` paths, alternating (literal first). */
type MessageParts = (string | string[])[];
const messageParts = new Map<string, MessageParts>();

function partsOf(template: string): MessageParts {
  let parts = messageParts.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(/\{([A-Za-z0-9_.]+)\}/g)) {
      parts.push(template.slice(last, m.index), m[1]!.split('.'));
      last = m.index! + m[0].length;
    }
    parts.push(template.slice(last));
    messageParts.set(template, parts);
  }
  return parts;
}

/** Replaces `{key}` with details values; unknown keys stay visible so a typo is noticed in fixtures. */
export function formatMessage(template: string, details: Record<string, unknown>): string {
  const parts = partsOf(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const keys = parts[i] as string[];
    let value: unknown = details;
    for (const key of keys) {
      if (value && typeof value === 'object') value = (value as Record<string, unknown>)[key];
      else value = undefined;
    }
    out += (value === undefined ? `{${keys.join('.')}}` : display(value)) + (parts[i + 1] as string);
  }
  return out;
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
    if (!applies) return notApplicable(check);
  }
  const ok = check.compiled.assert(vars);
  if (ok === true) return PASS;
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
  const { vars, views } = varsOf(resource, contextViews(ctx));
  return evaluateOn(check, resource, vars, views);
}

/** The CEL variables of one evaluation: exactly what a check may name. */
type Vars = { resource: unknown; config: unknown; org: unknown };

/** The views of the run's config and Organization, the same for every resource. */
interface ContextViews {
  config: unknown;
  org: unknown;
  /** Whether either is a view rather than the value itself (some Unknown sits below it). */
  views: boolean;
}

function contextViews(ctx: EvalContext): ContextViews {
  const config = celView(ctx.config, 'config');
  const org = celView(ctx.org, 'org');
  return { config, org, views: config !== ctx.config || org !== ctx.org };
}

/** The variables for one resource, and whether any of them is a view. */
function varsOf(resource: Resource, context: ContextViews): { vars: Vars; views: boolean } {
  const view = celView(resource);
  return { vars: { resource: view, config: context.config, org: context.org }, views: context.views || view !== resource };
}

// Outcomes are never written to once made: the common ones are shared.
const PASS: Outcome = Object.freeze({ kind: 'pass' });
const notApplicableOf = new WeakMap<CompiledCheck, Outcome>();

function notApplicable(check: CompiledCheck): Outcome {
  let outcome = notApplicableOf.get(check);
  if (!outcome) {
    outcome = Object.freeze(check.notApplicableHint === undefined ? { kind: 'not-applicable' } : { kind: 'not-applicable', reason: check.notApplicableHint });
    notApplicableOf.set(check, outcome);
  }
  return outcome;
}

function evaluateOn(check: CompiledCheck, resource: Resource, vars: Vars, views: boolean): Outcome {
  beginSession(views);
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

/** The checks of each resource type. */
function checksByType(checks: CompiledCheck[]): Map<string, CompiledCheck[]> {
  const byType = new Map<string, CompiledCheck[]>();
  for (const check of checks) {
    for (const type of check.resourceTypes) {
      const list = byType.get(type) ?? [];
      list.push(check);
      byType.set(type, list);
    }
  }
  return byType;
}

/** Every check of its type on one resource, appended to `out`; one view of the resource shared by its checks (cel-js never writes to the context). */
function evaluateResource(checksOfType: CompiledCheck[], resource: Resource, context: ContextViews, out: Evaluation[]): void {
  const { vars, views } = varsOf(resource, context);
  for (const check of checksOfType) out.push({ checkId: check.id, resourceId: resource.id, outcome: evaluateOn(check, resource, vars, views) });
}

/**
 * Every check on every resource of a matching type, one resource at a time: a caller that folds them (the
 * results of an Organization: 600,000 pairs) never holds every outcome at once. Pairs of other types are not listed.
 */
export function* evaluateEach(checks: CompiledCheck[], inventory: Inventory, ctx: EvalContext): Generator<Evaluation> {
  const byType = checksByType(checks);
  const context = contextViews(ctx);
  const batch: Evaluation[] = [];
  for (const resource of inventory.resources) {
    const checksOfType = byType.get(resource.type);
    if (!checksOfType) continue;
    batch.length = 0;
    evaluateResource(checksOfType, resource, context, batch);
    yield* batch;
  }
}

/** Every check on every resource of a matching type. Pairs of other types are not listed at all. */
export function evaluateAll(checks: CompiledCheck[], inventory: Inventory, ctx: EvalContext): Evaluation[] {
  const byType = checksByType(checks);
  const context = contextViews(ctx);
  const out: Evaluation[] = [];
  for (const resource of inventory.resources) {
    const checksOfType = byType.get(resource.type);
    if (checksOfType) evaluateResource(checksOfType, resource, context, out);
  }
  return out;
}
