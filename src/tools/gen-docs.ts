// `npm run docs`: regenerates docs/checks.md from the built-in checks, docs/cli.md from the command declarations
// and docs/iam/ from the table of read calls.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadChecks } from '../engine/load.js';
import { loadDetections } from '../detections/load.js';
import { PACKAGE_ROOT } from '../paths.js';
import { renderChecksDoc } from './checks-doc.js';
import { renderCliDoc } from './cli-doc.js';
import { iamDocs } from './iam-docs.js';
import { mkdirSync } from 'node:fs';

const target = path.join(PACKAGE_ROOT, 'docs', 'checks.md');
writeFileSync(target, renderChecksDoc(loadChecks(), loadDetections()));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);

const cliDoc = path.join(PACKAGE_ROOT, 'docs', 'cli.md');
writeFileSync(cliDoc, await renderCliDoc());
process.stdout.write(`wrote ${path.relative(process.cwd(), cliDoc)}\n`);

const iamDir = path.join(PACKAGE_ROOT, 'docs', 'iam');
mkdirSync(iamDir, { recursive: true });
for (const [name, content] of Object.entries(iamDocs())) {
  writeFileSync(path.join(iamDir, name), content);
  process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(iamDir, name))}\n`);
}
