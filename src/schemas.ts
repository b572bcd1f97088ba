// JSON Schema validation (ajv) for the typed boundaries: check files and the config file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_DIR } from './paths.js';

const ajv = new Ajv({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its default export arrives as the module object or the function, by loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
addFormats(ajv);
const cache = new Map<string, ValidateFunction>();

/** The validator of a schema file, optionally without some top-level properties (a part of a file is checked). */
function validator(name: string, omit: readonly string[] = []): ValidateFunction {
  const key = [name, ...omit].join('\u0000');
  let validate = cache.get(key);
  if (!validate) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8'));
    if (omit.length > 0) delete schema.$id; // a derived schema must not claim the file's id
    for (const property of omit) {
      delete schema.properties?.[property];
      if (Array.isArray(schema.required)) schema.required = schema.required.filter((r: string) => r !== property);
    }
    validate = ajv.compile(schema);
    cache.set(key, validate);
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

/**
 * Returns null when valid, otherwise a one-line description of the first problem. `omit` leaves top-level
 * properties out of the schema, for a value read without them (a detection's metadata without its fixtures).
 */
export function validateAgainst(schemaFile: string, value: unknown, omit: readonly string[] = []): string | null {
  const validate = validator(schemaFile, omit);
  if (validate(value)) return null;
  const errors = validate.errors ?? [];
  // additionalProperties errors are the most actionable (typos), so they come first; up to three are shown
  // so a new check file does not take one run per mistake.
  const ordered = [...errors.filter((e) => e.keyword === 'additionalProperties'), ...errors.filter((e) => e.keyword !== 'additionalProperties')];
  const shown = [...new Set(ordered.map(describe))];
  if (shown.length === 0) return 'is invalid';
  return shown.length > 3 ? `${shown.slice(0, 3).join('; ')}; and ${shown.length - 3} more` : shown.join('; ');
}
