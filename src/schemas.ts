// JSON Schema validation (ajv) for the typed boundaries: check files, the config file and snapshots.
// `npm run build` compiles each schema into a standalone validator (dist/validators/, ajv's own code
// generation, same options); a run uses it when its schema is the one it was built from (SHA-256), and
// otherwise compiles the schema with ajv, required only then: a run from the build never loads ajv itself.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT, SCHEMA_DIR } from './paths.js';

export const VALIDATOR_DIR = path.join(PACKAGE_ROOT, 'dist', 'validators');
/** The options every validator is compiled with, at build time and at run time alike. */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

const require = createRequire(import.meta.url);
let ajv: AjvClass | null = null;
const cache = new Map<string, ValidateFunction>();
const hashes = new Map<string, string>();

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The SHA-256 of a schema file's text, read once per run. */
export function schemaHash(schemaFile: string): string {
  let hash = hashes.get(schemaFile);
  if (hash === undefined) {
    hash = sha256(readFileSync(path.join(SCHEMA_DIR, schemaFile), 'utf8'));
    hashes.set(schemaFile, hash);
  }
  return hash;
}

/** ajv with the formats plugin: what compiles a schema at run time, and at build time into a validator. */
export function createAjv(extra: Record<string, unknown> = {}): AjvClass {
  const { Ajv } = require('ajv') as typeof import('ajv');
  // ajv-formats is CommonJS: its export is the function, also as `default`.
  const formats = require('ajv-formats') as { default?: (a: AjvClass) => void } & ((a: AjvClass) => void);
  const instance = new Ajv({ ...AJV_OPTIONS, ...extra });
  (formats.default ?? formats)(instance);
  return instance;
}

/** The file a schema's standalone validator is built into. */
export function validatorFile(schemaFile: string): string {
  return path.join(VALIDATOR_DIR, schemaFile.replace(/\.json$/, '.cjs'));
}

function prebuilt(name: string): ValidateFunction | undefined {
  const file = validatorFile(name);
  if (!existsSync(file)) return undefined;
  const module = require(file) as { default: ValidateFunction; schemaSha256: string };
  return module.schemaSha256 === schemaHash(name) ? module.default : undefined;
}

function validator(name: string): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    validate = prebuilt(name);
    if (!validate) {
      ajv ??= createAjv();
      validate = ajv.compile(JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8')));
    }
    cache.set(name, validate);
  }
  return validate;
}

/** One readable line for the first schema error: `/fixtures/pass: must NOT have fewer than 1 items`. */
function describe(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/** Returns null when valid, otherwise a one-line description of the first problem. */
export function validateAgainst(schemaFile: string, value: unknown): string | null {
  const validate = validator(schemaFile);
  if (validate(value)) return null;
  const errors = validate.errors ?? [];
  // additionalProperties errors are the most actionable (typos), so they come first; up to three are shown
  // so a new check file does not take one run per mistake.
  const ordered = [...errors.filter((e) => e.keyword === 'additionalProperties'), ...errors.filter((e) => e.keyword !== 'additionalProperties')];
  const shown = [...new Set(ordered.map(describe))];
  if (shown.length === 0) return 'is invalid';
  return shown.length > 3 ? `${shown.slice(0, 3).join('; ')}; and ${shown.length - 3} more` : shown.join('; ');
}
