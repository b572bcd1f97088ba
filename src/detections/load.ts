// Loads the detections (policies/det/<id>.yaml), validated against schemas/detection.schema.json. A bad
// file is a PolicyError naming it, never a silent skip. A trail run needs only the metadata and the
// declaration of what each detection reads, so it may skip the fixtures — most of each file — which
// `sesguard policies test`, the docs and the tests read.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PolicyError } from '../errors.js';
import { BUILTIN_POLICY_DIR } from '../paths.js';
import { readPolicyYaml } from '../engine/policy-file.js';
import { validateAgainst } from '../schemas.js';
import type { DetectionDefinition } from './types.js';

export const DETECTION_DIR = path.join(BUILTIN_POLICY_DIR, 'det');

export interface LoadOptions {
  /** Read and validate the fixtures too (default). Without them `fixtures` is empty. */
  fixtures?: boolean;
}

/**
 * The text before a top-level `fixtures:` key that ends the file, or null when the file is laid out
 * otherwise (then it is read whole: nothing after the fixtures may be missed).
 */
function metadataText(text: string): string | null {
  const at = text.search(/^fixtures:/m);
  if (at < 0) return null;
  const after = text.slice(at).split('\n').slice(1);
  return after.some((line) => /^[^\s#]/.test(line)) ? null : text.slice(0, at);
}

function readMetadata(file: string): DetectionDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, file);
  }
  const head = metadataText(text);
  if (head === null) return loadDetectionFile(file);
  let raw: unknown;
  try {
    raw = YAML.parse(head, { maxAliasCount: 50 });
  } catch (error) {
    throw new PolicyError(`not valid YAML: ${((error as Error).message ?? String(error)).split('\n')[0]}`, file);
  }
  const problem = validateAgainst('detection.schema.json', raw, ['fixtures']);
  if (problem) throw new PolicyError(`fails the detection schema: ${problem}`, file);
  const value = raw as Omit<DetectionDefinition, 'file' | 'fixtures'>;
  const base = path.basename(file).replace(/\.ya?ml$/i, '');
  if (base !== value.id) throw new PolicyError(`id ${value.id} does not match the file name ${base}`, file);
  return { ...value, fixtures: { fires: [], quiet: [] }, file };
}

export function loadDetectionFile(file: string): DetectionDefinition {
  return { ...readPolicyYaml<Omit<DetectionDefinition, 'file'>>(file, 'detection.schema.json', 'detection'), file };
}

/** Every detection in the directory (default: the built-in policies/det/), sorted by id. */
export function loadDetections(dir: string = DETECTION_DIR, options: LoadOptions = {}): DetectionDefinition[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new PolicyError(`cannot read detection directory: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, dir);
  }
  const read = options.fixtures === false ? readMetadata : loadDetectionFile;
  return entries
    .filter((e) => /\.ya?ml$/i.test(e))
    .sort()
    .map((e) => read(path.join(dir, e)));
}
