// Child process for benchmark B3: serves a generated Organization from the fake AWS on loopback, so the
// scanner being measured does not share its event loop. Prints the endpoint, then runs until stdin closes.
import { generateScenario, startFakeAws } from '../testing/fake-aws/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { accounts: number; regions: number; principals: number; latencyMs: number; throttleRate: number };
const fake = await startFakeAws(generateScenario({ accounts: options.accounts, regions: options.regions, principalsPerAccount: options.principals }), {
  latencyMs: options.latencyMs,
  throttleRate: options.throttleRate,
  seed: 3,
  pageSize: 20,
  // IAM gives up to 1,000 entries a page when asked (the scan asks): one page per account at these sizes, as on AWS.
  pageSizes: { GetAccountAuthorizationDetails: 1000 },
});
process.stdout.write(`${fake.endpoint}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  // Report this process's CPU so the benchmark can tell a scanner-bound run from a fake-bound one.
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000), calls: fake.calls.length, connections: fake.connections })}\n`);
  void fake.close().then(() => process.exit(0));
});
