// Reads one policy YAML file (a check or a detection): YAML with a bounded alias count, validated against its
// JSON Schema, id equal to the file name. Problems are PolicyErrors naming the file, never a silent skip.
// Built-in files unchanged since the build come from the policy catalog, already parsed and validated.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PolicyError } from '../errors.js';
import { validateAgainst } from '../schemas.js';
import { catalogValue } from './policy-catalog.js';

/** The policy text parsed and checked against its schema, without the catalog (what the catalog is built from). */
export function parsePolicyText(text: string, file: string, schemaFile: string, what: string): unknown {
  let raw: unknown;
  try {
    raw = YAML.parse(text, { maxAliasCount: 50 });
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new PolicyError(`not valid YAML: ${message}`, file);
  }
  const problem = validateAgainst(schemaFile, raw);
  if (problem) throw new PolicyError(`fails the ${what} schema: ${problem}`, file);
  return raw;
}

/**
 * One policy file's value, and whether it came from the build-time catalog (a built-in file unchanged since
 * the build, whose CEL is known to compile).
 */
export function readPolicy<T extends { id: string }>(file: string, schemaFile: string, what: string): { value: T; fromCatalog: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(`cannot read policy file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, file);
  }
  const cached = catalogValue(file, text, schemaFile);
  const value = (cached ?? parsePolicyText(text, file, schemaFile, what)) as T;
  const base = path.basename(file).replace(/\.ya?ml$/i, '');
  if (base !== value.id) throw new PolicyError(`id ${value.id} does not match the file name ${base}`, file);
  return { value, fromCatalog: cached !== undefined };
}

export function readPolicyYaml<T extends { id: string }>(file: string, schemaFile: string, what: string): T {
  return readPolicy<T>(file, schemaFile, what).value;
}
