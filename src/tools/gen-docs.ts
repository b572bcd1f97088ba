// `npm run docs`: regenerates docs/checks.md from the built-in checks.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadChecks } from '../engine/load.js';
import { PACKAGE_ROOT } from '../paths.js';
import { renderChecksDoc } from './checks-doc.js';

const target = path.join(PACKAGE_ROOT, 'docs', 'checks.md');
writeFileSync(target, renderChecksDoc(loadChecks()));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
