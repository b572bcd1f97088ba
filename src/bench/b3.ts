// Benchmark B3 (SPEC §10): `sesguard scan --org` against the wire-protocol fake AWS with 30 ms latency per call
// and 1 % throttling, 200 accounts × 4 regions. Judged against max(latency bound, CPU floor):
// - latency bound: max(calls × latency / concurrency, one account's own dependency chain scanned alone);
// - CPU floor: the scanner's CPU time ÷ the threads that carry it (the scan workers, at most one per core; the main
//   thread only assumes roles and walks the Organization). The same scan on the main thread alone is printed beside.
// Also prints the CPU per API call, the TCP connections the fake accepted (each would be a TCP + TLS handshake
// against AWS), and API calls per account-region at 4 and at 40 IAM principals, which must be equal.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { availableParallelism } from 'node:os';
import { PACKAGE_ROOT } from '../paths.js';
import { scanLive } from '../sources/aws/scan.js';
import { scanWorkerCount } from '../sources/aws/scan-workers.js';
import { timedAsync } from './measure.js';

interface Served {
  cpuMs: number;
  calls: number;
  connections: number;
}

interface Fake {
  endpoint: string;
  /** Stops the server; resolves with its CPU time, requests served and connections accepted. */
  stop: () => Promise<Served>;
}

/**
 * The share of one core this process gets right now: CPU time over wall time of a busy loop (1.0 on a quiet
 * machine). On a shared machine a CPU-bound scan's wall time stretches, so B3 prints the share beside its
 * wall-time ratio: a ratio measured with a share well below 1 says more about the machine than the scanner.
 */
function cpuShare(cpuMs = 500): number {
  const wall = process.hrtime.bigint();
  const start = process.cpuUsage();
  let spin = 0;
  while (process.cpuUsage(start).user < cpuMs * 1000) for (let i = 0; i < 10_000; i++) spin += i;
  const used = process.cpuUsage(start);
  const share = (used.user + used.system) / 1000 / (Number(process.hrtime.bigint() - wall) / 1e6);
  // `spin` is read so that the loop is not optimized away.
  return spin >= 0 ? Math.min(1, share) : 0;
}

async function startFake(options: { accounts: number; regions: number; principals: number; latencyMs: number; throttleRate: number }): Promise<Fake> {
  const child = spawn(process.execPath, [path.join(PACKAGE_ROOT, 'dist', 'bench', 'fake-server.js'), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake AWS exited ${code}`)));
  });
  const stop = () =>
    new Promise<Served>((resolve) => {
      lines.once('line', (usage) => resolve(JSON.parse(usage) as Served));
      child.stdin.end();
    });
  return { endpoint: line.trim(), stop };
}

const credentials = async () => ({ accessKeyId: 'AKIABENCHCALLER00001', secretAccessKey: 'bench' });

async function scanOnce(endpoint: string, concurrency: number, accounts?: string[], threads?: number) {
  let snapshot;
  const ms = await timedAsync(async () => {
    snapshot = await scanLive({ org: true, accounts, roleName: 'SesguardAudit', endpoint, concurrency, credentials, version: 'bench', threads });
  });
  return { ms, snapshot: snapshot! as Awaited<ReturnType<typeof scanLive>> };
}

function callsPerAccountRegion(snapshot: Awaited<ReturnType<typeof scanLive>>): number {
  const pairs = snapshot.scope.accounts.reduce((n, a) => n + Math.max(1, a.regions.length), 0);
  return Math.round((snapshot.apiCalls / pairs) * 10) / 10;
}

export async function benchB3(accounts = 200, regions = 4, concurrency = 32): Promise<Record<string, number | string>> {
  const latencyMs = 30;
  const fake = await startFake({ accounts, regions, principals: 4, latencyMs, throttleRate: 0.01 });
  try {
    const shareBefore = cpuShare();
    const cpuBefore = process.cpuUsage();
    const whole = await scanOnce(fake.endpoint, concurrency);
    const cpu = process.cpuUsage(cpuBefore);
    const share = (shareBefore + cpuShare()) / 2;
    const served = await fake.stop();
    // The same scan with every SDK call on the main thread, for comparison.
    const fakeOne = await startFake({ accounts, regions, principals: 4, latencyMs, throttleRate: 0.01 });
    const cpuOneBefore = process.cpuUsage();
    const oneThread = await scanOnce(fakeOne.endpoint, concurrency, undefined, 1);
    const cpuOne = process.cpuUsage(cpuOneBefore);
    await fakeOne.stop();
    const workers = scanWorkerCount(accounts);
    const scannerThreads = Math.max(1, Math.min(workers, availableParallelism()));
    const fakeAgain = await startFake({ accounts, regions, principals: 4, latencyMs, throttleRate: 0.01 });
    const member = whole.snapshot.scope.accounts.find((a) => !a.isManagementAccount && a.status === 'scanned')?.accountId;
    const alone = member ? await scanOnce(fakeAgain.endpoint, 64, [member]) : { ms: 0 };
    await fakeAgain.stop();
    const throughputBound = (whole.snapshot.apiCalls * latencyMs) / concurrency;
    const latencyBound = Math.max(throughputBound, alone.ms);
    const scannerCpuMs = (cpu.user + cpu.system) / 1000;
    const cpuFloor = scannerCpuMs / scannerThreads;
    const oneCpuMs = (cpuOne.user + cpuOne.system) / 1000;
    const failed = whole.snapshot.scope.accounts.filter((a) => a.status !== 'scanned').length;
    const many = await startFake({ accounts: 20, regions, principals: 40, latencyMs: 0, throttleRate: 0 });
    const few = await startFake({ accounts: 20, regions, principals: 4, latencyMs: 0, throttleRate: 0 });
    try {
      const a = await scanOnce(few.endpoint, concurrency);
      const b = await scanOnce(many.endpoint, concurrency);
      return {
        'accounts × regions': `${accounts} × ${regions}`,
        concurrency,
        'scan worker threads (cores)': `${workers} (${availableParallelism()})`,
        'API calls': whole.snapshot.apiCalls,
        'call errors (after retries)': whole.snapshot.callErrors.length,
        'accounts not scanned': failed,
        'wall ms': Math.round(whole.ms),
        'latency bound ms: calls × 30 ms / concurrency': Math.round(throughputBound),
        'latency bound ms: one account alone': Math.round(alone.ms),
        [`CPU floor ms: scanner CPU ÷ ${scannerThreads} thread${scannerThreads > 1 ? 's' : ''}`]: Math.round(cpuFloor),
        'ratio wall / max(latency bound, CPU floor) (target ≤ 1.5)': Number((whole.ms / Math.max(latencyBound, cpuFloor)).toFixed(2)),
        'CPU share of a core this machine gave (1.0 = quiet)': Number(share.toFixed(2)),
        'ratio wall / latency bound': Number((whole.ms / latencyBound).toFixed(2)),
        'scanner CPU ms per API call': Number((scannerCpuMs / whole.snapshot.apiCalls).toFixed(3)),
        'main thread only: wall ms': Math.round(oneThread.ms),
        'main thread only: CPU ms per API call': Number((oneCpuMs / oneThread.snapshot.apiCalls).toFixed(3)),
        'main thread only: ratio wall / max(latency bound, CPU floor)': Number((oneThread.ms / Math.max(latencyBound, oneCpuMs)).toFixed(2)),
        'fake AWS CPU ms (its own process)': served.cpuMs,
        'connections opened (accepted by the fake)': served.connections,
        'API calls per account-region': callsPerAccountRegion(whole.snapshot),
        'calls per account-region, 4 principals': callsPerAccountRegion(a.snapshot),
        'calls per account-region, 40 principals': callsPerAccountRegion(b.snapshot),
      };
    } finally {
      await many.stop();
      await few.stop();
    }
  } catch (error) {
    await fake.stop().catch(() => undefined);
    throw error;
  }
}
