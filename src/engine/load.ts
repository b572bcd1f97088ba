// Loads checks from policy directories: YAML → schema validation (ajv) → CEL compiled once, when first needed.
// Any problem is a PolicyError naming the file: a broken custom check must never be silently skipped.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { BUILTIN_POLICY_DIR } from '../paths.js';
import { compile, type Compiled } from './cel.js';
import { readPolicy } from './policy-file.js';
import type { CheckDefinition, LoadedCheck, Severity } from './types.js';

export interface CompiledCheck extends LoadedCheck {
  compiled: { applies?: Compiled; assert: Compiled; details?: Compiled };
}

/** CloudTrail detections (policies/det/) have their own schema and loader (src/detections/). */
const DETECTION_DIR = 'det';

function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'error');
    throw new PolicyError(`cannot read policy directory (${why})`, dir);
  }
  const out: string[] = [];
  for (const entry of entries.sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== DETECTION_DIR) out.push(...yamlFiles(full));
    }
    else if (/\.ya?ml$/i.test(entry)) out.push(full);
  }
  return out;
}

function compileField(expression: string, file: string, field: string): Compiled {
  try {
    return compile(expression);
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new PolicyError(`${field}: CEL does not compile: ${message}`, file);
  }
}

function compileCheck(def: CheckDefinition, file: string): CompiledCheck['compiled'] {
  const compiled: CompiledCheck['compiled'] = {
    assert: compileField(def.assert, file, 'assert'),
  };
  if (def.applies) compiled.applies = compileField(def.applies, file, 'applies');
  if (def.details) compiled.details = compileField(def.details, file, 'details');
  return compiled;
}

/**
 * Parses, validates and compiles one check file. A built-in check unchanged since the build (its CEL compiled
 * then) is compiled when a run first evaluates it, so a run pays only for the checks it uses; any other file is
 * compiled now, so a broken expression is reported whichever command runs.
 */
export function loadCheckFile(file: string, severityOverride?: Severity): CompiledCheck {
  const { value: def, fromCatalog } = readPolicy<CheckDefinition>(file, 'check.schema.json', 'check');
  const check: Omit<CompiledCheck, 'compiled'> = {
    ...def,
    // `reads` only documents (and explains errors): an Unknown the expression touches raises whatever is
    // listed, so a custom check that omits it is as safe as a built-in one.
    reads: def.reads ?? ['*'],
    file,
    effectiveSeverity: severityOverride ?? def.severity,
  };
  if (!fromCatalog) return { ...check, compiled: compileCheck(def, file) };
  let compiled: CompiledCheck['compiled'] | undefined;
  return Object.defineProperty(check, 'compiled', {
    enumerable: true,
    get: () => (compiled ??= compileCheck(def, file)),
  }) as CompiledCheck;
}

export interface LoadOptions {
  /** Extra directories (config `policyDirs`). */
  policyDirs?: string[];
  /** Per-check overrides from config. */
  overrides?: Record<string, { enabled?: boolean; severity?: Severity }>;
  /** Load only these directories, not the built-in policies (for `policies test DIR`). */
  onlyDirs?: boolean;
}

/** All checks, built-in first, sorted by id. Duplicate ids are an error. */
export function loadChecks(options: LoadOptions = {}): CompiledCheck[] {
  const dirs = options.onlyDirs ? [...(options.policyDirs ?? [])] : [BUILTIN_POLICY_DIR, ...(options.policyDirs ?? [])];
  const seen = new Map<string, string>();
  const checks: CompiledCheck[] = [];
  for (const dir of dirs) {
    for (const file of yamlFiles(dir)) {
      const id = path.basename(file).replace(/\.ya?ml$/i, '');
      const override = options.overrides?.[id];
      const check = loadCheckFile(file, override?.severity);
      const previous = seen.get(check.id);
      if (previous) throw new PolicyError(`duplicate check id ${check.id} (also in ${previous})`, file);
      seen.set(check.id, file);
      if (override?.enabled === false) continue;
      checks.push(check);
    }
  }
  return checks.sort((a, b) => a.id.localeCompare(b.id));
}
