// Loads the metadata of the CloudTrail detections (policies/det/<id>.yaml), validated against
// schemas/detection.schema.json. A bad file is a PolicyError naming it, never a silent skip.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PolicyError } from '../errors.js';
import { BUILTIN_POLICY_DIR } from '../paths.js';
import { readPolicyYaml } from '../engine/policy-file.js';
import type { DetectionDefinition } from './types.js';

export const DETECTION_DIR = path.join(BUILTIN_POLICY_DIR, 'det');

export function loadDetectionFile(file: string): DetectionDefinition {
  const raw = readPolicyYaml<Omit<DetectionDefinition, 'file'>>(file, 'detection.schema.json', 'detection');
  // A vpc-flow detection declares flows, not CloudTrail events; a case may hold flow logs only.
  const withRecords = (cases: DetectionDefinition['fixtures']['fires'] | undefined) => cases?.map((c) => ({ ...c, records: c.records ?? [] }));
  const fixtures = raw.fixtures ? { fires: withRecords(raw.fixtures.fires) ?? [], quiet: withRecords(raw.fixtures.quiet) ?? [] } : raw.fixtures;
  return { ...raw, events: raw.events ?? [], fixtures, file };
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
