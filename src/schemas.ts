// JSON Schema validation (ajv) for the typed boundaries: check files and the config file.
// ajv (CommonJS) is required on the first validation, not at import: a run whose policies all come from the
// build-time catalog and that has no config file never loads it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { SCHEMA_DIR } from './paths.js';

const require = createRequire(import.meta.url);
let ajv: AjvClass | null = null;
const cache = new Map<string, ValidateFunction>();

function instance(): AjvClass {
  if (!ajv) {
    const { Ajv } = require('ajv') as typeof import('ajv');
    // ajv-formats is CommonJS: its export is the function, also as `default`.
    const formats = require('ajv-formats') as { default?: (a: AjvClass) => void } & ((a: AjvClass) => void);
    ajv = new Ajv({ allErrors: true, strict: false });
    (formats.default ?? formats)(ajv);
  }
  return ajv;
}

function validator(name: string): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, name), 'utf8'));
    validate = instance().compile(schema);
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
