// Reads one policy YAML file (a check or a detection): YAML with a bounded alias count, validated against its
// JSON Schema, id equal to the file name. Problems are PolicyErrors naming the file, never a silent skip.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PolicyError } from '../errors.js';
import { validateAgainst } from '../schemas.js';

export function readPolicyYaml<T extends { id: string }>(file: string, schemaFile: string, what: string): T {
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'), { maxAliasCount: 50 });
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new PolicyError(`not valid YAML: ${message}`, file);
  }
  const problem = validateAgainst(schemaFile, raw);
  if (problem) throw new PolicyError(`fails the ${what} schema: ${problem}`, file);
  const value = raw as T;
  const base = path.basename(file).replace(/\.ya?ml$/i, '');
  if (base !== value.id) throw new PolicyError(`id ${value.id} does not match the file name ${base}`, file);
  return value;
}
