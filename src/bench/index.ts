// `npm run bench`: the benchmarks of SPEC §10, printed as ratios. Run alone on a quiet machine; never in npm test.
import { benchB1 } from './b1.js';
import { benchB2 } from './b2.js';
import { benchB3 } from './b3.js';
import { benchB4 } from './b4.js';
import { benchB5 } from './b5.js';
import { benchB6 } from './b6.js';
import { benchB7 } from './b7.js';

const only = process.argv.slice(2);
const wanted = (id: string) => only.length === 0 || only.includes(id);

function print(id: string, title: string, values: Record<string, number | string>): void {
  process.stdout.write(`\n${id} — ${title}\n`);
  const width = Math.max(34, ...Object.keys(values).map((k) => k.length));
  for (const [k, v] of Object.entries(values)) process.stdout.write(`  ${k.padEnd(width)} ${v}\n`);
}

if (wanted('B1')) print('B1', 'sesguard iac on a 10,000-resource CloudFormation template', await benchB1());
if (wanted('B2')) print('B2', 'sesguard evaluate on a synthetic snapshot of 1,000 accounts × 17 regions', await benchB2());
if (wanted('B3')) print('B3', 'sesguard scan --org against the fake AWS (30 ms latency, 1 % throttling)', await benchB3());
if (wanted('B4')) print('B4', 'sesguard trail on gzipped CloudTrail logs', benchB4());
if (wanted('B5')) print('B5', 'sesguard iac on a generated Terraform source repository (200 modules × 25 resources)', await benchB5());
if (wanted('B6')) print('B6', 'start-up: whole processes, median of interleaved runs, ratio to node -e 0', benchB6());
if (wanted('B7')) print('B7', 'sesguard trail on gzipped VPC Flow Logs', benchB7());
