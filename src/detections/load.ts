// Loads the metadata of the CloudTrail detections (policies/det/<id>.yaml), validated against
// schemas/detection.schema.json. A bad file is a PolicyError naming it, never a silent skip.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PolicyError } from '../errors.js';
import { BUILTIN_POLICY_DIR } from '../paths.js';
import { validateAgainst } from '../schemas.js';
import type { DetectionDefinition } from './types.js';

export const DETECTION_DIR = path.join(BUILTIN_POLICY_DIR, 'det');

export function loadDetectionFile(file: string): DetectionDefinition {
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(file, 'utf8'), { maxAliasCount: 50 });
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new PolicyError(`not valid YAML: ${message}`, file);
  }
  const problem = validateAgainst('detection.schema.json', raw);
  if (problem) throw new PolicyError(`fails the detection schema: ${problem}`, file);
  const definition = raw as Omit<DetectionDefinition, 'file'>;
  const base = path.basename(file).replace(/\.ya?ml$/i, '');
  if (base !== definition.id) throw new PolicyError(`id ${definition.id} does not match the file name ${base}`, file);
  return { ...definition, file };
}

/** Every detection in the directory (default: the built-in policies/det/), sorted by id. */
export function loadDetections(dir: string = DETECTION_DIR): DetectionDefinition[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new PolicyError(`cannot read detection directory: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, dir);
  }
  return entries
    .filter((e) => /\.ya?ml$/i.test(e))
    .sort()
    .map((e) => loadDetectionFile(path.join(dir, e)));
}
