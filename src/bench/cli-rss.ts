// Part of `npm run bench`: runs one sesguard command line in this process (as bin/sesguard.js does) and writes
// its exit code, wall time and peak RSS to the file named first, so that a benchmark measures the command
// alone. Usage: node dist/bench/cli-rss.js <figures.json> <sesguard arguments...>
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';

const [figures, ...argv] = process.argv.slice(2);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = performance.now();
const { main } = (await import(path.join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js'))) as { main: (argv: string[]) => Promise<number> };
const exitCode = await main(argv);
writeFileSync(
  figures,
  JSON.stringify({ exitCode, ms: performance.now() - started, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
