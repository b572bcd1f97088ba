// The live scan on worker threads (src/sources/aws/scan-workers.ts): the same snapshot as on the main thread, one
// cap on requests in flight over every thread (SharedSemaphore), and a worker that dies loses no account.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanLive } from '../src/sources/aws/scan.js';
import { ScanWorkers, scanWorkerCount } from '../src/sources/aws/scan-workers.js';
import { SharedSemaphore } from '../src/sources/aws/shared-semaphore.js';
import { startFakeAws, type FakeAws } from '../src/testing/fake-aws/index.js';
import { cli, tempDir } from './helpers.js';

const scenario = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'scenarios', 'org-planted.json'), 'utf8'));
const credentials = async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'not-a-secret' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws(scenario, { pageSize: 2 });
});
afterAll(async () => {
  await fake.close();
});

/** A snapshot's content without its clock: what a scan found, in a stable order. */
function content(snapshot: Awaited<ReturnType<typeof scanLive>>) {
  const sorted = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
  return {
    accounts: snapshot.scope.accounts,
    resources: sorted(snapshot.resources),
    callErrors: sorted(snapshot.callErrors),
    apiCalls: snapshot.apiCalls,
    organizationId: snapshot.scope.organizationId,
  };
}

describe('scan on worker threads', () => {
  it('finds exactly what the main thread finds, with the same API calls', async () => {
    const options = { org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: fake.endpoint, concurrency: 8, credentials, version: 'test' };
    expect(scanWorkerCount(4, 3)).toBe(3);
    // A first scan has the credential reports generated, so that both scans below find them ready.
    await scanLive({ ...options, threads: 1 });
    const here = await scanLive({ ...options, threads: 1 });
    const before = fake.calls.length;
    const threaded = await scanLive({ ...options, threads: 3 });
    expect(content(threaded)).toEqual(content(here));
    expect(here.scope.accounts.every((a) => a.status === 'scanned')).toBe(true);
    // Every call the workers made is counted, as the fake saw them (STS's own calls are not the scan's reads).
    const sts = fake.calls.slice(before).filter((c) => c.operation === 'AssumeRole' || c.operation === 'GetCallerIdentity').length;
    expect(threaded.apiCalls).toBe(fake.calls.length - before - sts);
  });

  it('starts its workers in a process run from `node --input-type=module -e` code too', async () => {
    const scan = pathToFileURL(path.join(__dirname, '..', 'dist', 'sources', 'aws', 'scan.js')).href;
    const code = `const { scanLive } = await import(${JSON.stringify(scan)});
      const s = await scanLive({ org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: ${JSON.stringify(fake.endpoint)}, concurrency: 8, version: 'test', threads: 2,
        credentials: async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'not-a-secret' }) });
      process.stdout.write(JSON.stringify({ statuses: s.scope.accounts.map((a) => a.status), notices: s.notices ?? [] }));`;
    const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], { env });
    // The workers really ran: one that failed to start would have left a notice (and the main thread scanning).
    expect(JSON.parse(stdout)).toEqual({ statuses: ['scanned', 'scanned', 'scanned', 'scanned'], notices: [] });
  });

  it('an interrupted scan on workers ends at once, valid and marked incomplete', async () => {
    const laggy = await startFakeAws(scenario, { pageSize: 2, latencyMs: 40 });
    try {
      const controller = new AbortController();
      // Once the accounts are listed and the first is done (a timer would race the listing on a busy machine).
      const onProgress = (p: { done: number }) => p.done >= 1 && controller.abort();
      const options = { org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: laggy.endpoint, concurrency: 2, credentials, version: 'test' };
      const snapshot = await scanLive({ ...options, threads: 2, signal: controller.signal, onProgress });
      expect(snapshot.incomplete).toBe(true);
      expect(snapshot.scope.accounts.some((a) => a.status === 'skipped')).toBe(true);
      // What an interrupted account had collected is not kept: only finished accounts' resources are.
      const finished = new Set(snapshot.scope.accounts.filter((a) => a.status !== 'skipped').map((a) => a.accountId));
      expect(snapshot.resources.every((r) => finished.has(r.provenance.account ?? ''))).toBe(true);
    } finally {
      await laggy.close();
    }
  });

  it('an interrupted scan stops its calls and leaves its snapshot alone once it has returned', async () => {
    const laggy = await startFakeAws(scenario, { pageSize: 2, latencyMs: 40 });
    try {
      for (const threads of [1, 2]) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 800);
        const options = { org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: laggy.endpoint, concurrency: 2, credentials, version: 'test' };
        const snapshot = await scanLive({ ...options, threads, signal: controller.signal });
        expect(snapshot.incomplete).toBe(true);
        const returned = JSON.stringify(snapshot);
        // A request already on the wire when the scan returned reaches the fake (in this process) a moment later.
        await sleep(150);
        const calls = laggy.calls.length;
        // What was still running when the scan returned must neither go on calling AWS (the process would linger
        // after writing its outputs) nor change the snapshot being evaluated (an account marked scanned without the
        // resources that were left out would pass its checks).
        await sleep(3000);
        expect(JSON.stringify(snapshot)).toBe(returned);
        expect({ threads, late: laggy.calls.slice(calls).map((c) => `${c.operation} ${c.account}`) }).toEqual({ threads, late: [] });
      }
    } finally {
      await laggy.close();
    }
  }, 30_000);

  it('a scan interrupted before the accounts are listed ends valid, incomplete, with no account in scope', async () => {
    const controller = new AbortController();
    controller.abort();
    const options = { org: true, roleName: 'SesguardAudit', externalId: 'sesguard-ext-1', endpoint: fake.endpoint, concurrency: 2, credentials, version: 'test' };
    const snapshot = await scanLive({ ...options, accounts: ['222222222222'], signal: controller.signal });
    expect(snapshot.incomplete).toBe(true);
    expect(snapshot.scope.accounts).toEqual([]);
    expect(snapshot.notices).toContain("the scan was interrupted before the Organization's accounts were listed: no account was scanned");
  });

  it('uses no worker for one thread or a handful of accounts, never more workers than accounts or than 64', () => {
    expect(scanWorkerCount(200, 1)).toBe(0);
    expect(scanWorkerCount(3)).toBe(0);
    expect(scanWorkerCount(2, 8)).toBe(2);
    expect(scanWorkerCount(1000, 200)).toBe(64);
  });

  it('a worker that dies hands its accounts back to the main thread', async () => {
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444'];
    const scannedHere: string[] = [];
    const init = { clients: { endpoint: fake.endpoint }, gate: new SharedSemaphore(8).buffer, concurrency: 8, home: 'us-east-1', partition: 'aws' as const, now: new Date().toISOString(), regions: ['us-east-1'] };
    const key = (id: string) => async () => ({ accessKeyId: `ASIA${id}TEST`, secretAccessKey: 's', sessionToken: 't' });
    const pool = new ScanWorkers(2, init, 2);
    const here = (id: string) => async () => {
      scannedHere.push(id);
      return { scan: { status: 'scanned' as const, regions: [], collected: { resources: [], errors: [] } }, apiCalls: 0 };
    };
    try {
      const results = accounts.map((id) => pool.scan(id, key(id), here(id)));
      // The first worker was handed the first account; it dies before answering.
      await (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker.terminate();
      const done = await Promise.all(results);
      expect(done.map((d) => d.scan.status)).toEqual(['scanned', 'scanned', 'scanned', 'scanned']);
      expect(scannedHere.length).toBeGreaterThan(0);
      expect(scannedHere).toContain('111111111111');
      expect(pool.stopped).toEqual([expect.stringMatching(/^a scan worker thread stopped \(exited with code \d+\); its accounts were scanned on the main thread$/)]);
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies in the middle of calls gives its slots back, so the main thread can scan its accounts', async () => {
    const slow = await startFakeAws(scenario, { pageSize: 2, latencyMs: 300 });
    const gate = new SharedSemaphore(2);
    const init = { clients: { endpoint: slow.endpoint }, gate: gate.buffer, concurrency: 2, home: 'us-east-1', partition: 'aws' as const, now: new Date().toISOString(), regions: ['us-east-1'] };
    const pool = new ScanWorkers(1, init, 2);
    try {
      const key = async () => ({ accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 's' });
      // The fallback takes the cap as a main-thread scan would.
      const here = async () => {
        await gate.run(async () => undefined);
        return { scan: { status: 'scanned' as const, regions: [], collected: { resources: [], errors: [] } }, apiCalls: 0 };
      };
      const result = pool.scan('111111111111', key, here);
      while (gate.active < 2) await sleep(20);
      await (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker.terminate();
      expect((await result).scan.status).toBe('scanned');
      expect(gate.active).toBe(0);
    } finally {
      await pool.close();
      await slow.close();
    }
  }, 20_000);

  it.each(['0', '65', 'abc', '1.5', ' 3', '0x2', '1e1', '+2', ''])('--threads takes a whole number from 1 to 64, in digits (not "%s")', async (value) => {
    const r = await cli(['scan', '--threads', value], tempDir({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--threads must be a whole number from 1 to 64 (got "${value}")`);
  });

  it('--concurrency takes digits only too', async () => {
    const r = await cli(['scan', '--concurrency', '1e1'], tempDir({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--concurrency must be a whole number from 1 to 256 (got "1e1")');
  });
});

describe('SharedSemaphore', () => {
  it('keeps one cap over every handle on its buffer, and lets every caller through', async () => {
    const first = new SharedSemaphore(3);
    const second = new SharedSemaphore(3, first.buffer);
    let inside = 0;
    let most = 0;
    const task = (i: number) => async () => {
      most = Math.max(most, ++inside);
      await sleep(i % 3);
      inside--;
      return i;
    };
    const runs = Array.from({ length: 120 }, (_, i) => (i % 2 ? first : second).run(task(i)));
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(most).toBe(3);
    expect(first.active).toBe(0);
  });

  it('lets a priority caller (the Organization walk) go before the callers already waiting, in any handle', async () => {
    const mine = new SharedSemaphore(1);
    const other = new SharedSemaphore(1, mine.buffer);
    const order: string[] = [];
    let release!: () => void;
    const holder = mine.run(() => new Promise<void>((resolve) => (release = resolve)));
    const job = (name: string) => async () => {
      order.push(name);
      await sleep(1);
    };
    const waiting = [other.run(job('first')), other.run(job('second')), mine.run(job('third')), mine.run(job('walk'), true)];
    await sleep(5);
    release();
    await Promise.all([holder, ...waiting]);
    expect(order[0]).toBe('walk');
    expect(order.slice(1).sort()).toEqual(['first', 'second', 'third']);
    expect(order.indexOf('first')).toBeLessThan(order.indexOf('second'));
  });

  it('keeps the cap across real threads, and every caller of every thread gets through', async () => {
    // The built module, as the scan workers load it (npm test builds first). Four threads, two slots, waves of
    // callers with random waits and some priority ones: no more than two inside at once, nobody left waiting, and
    // no thread ending while its callers wait (waitAsync alone does not keep a thread alive).
    const built = pathToFileURL(path.join(__dirname, '..', 'dist', 'sources', 'aws', 'shared-semaphore.js')).href;
    const size = 2;
    const gate = new SharedSemaphore(size);
    const probe = new Int32Array(new SharedArrayBuffer(8)); // [inside now, most inside at once]
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.built).then(async ({ SharedSemaphore }) => {
        const gate = new SharedSemaphore(workerData.size, workerData.gate);
        const probe = new Int32Array(workerData.probe);
        const one = async () => {
          const inside = Atomics.add(probe, 0, 1) + 1;
          for (let most = Atomics.load(probe, 1); inside > most; most = Atomics.load(probe, 1)) Atomics.compareExchange(probe, 1, most, inside);
          if (Math.random() < 0.5) await new Promise((r) => setTimeout(r, Math.random() * 2));
          else await null;
          Atomics.sub(probe, 0, 1);
        };
        for (let wave = 0; wave < 5; wave++) await Promise.all(Array.from({ length: 100 }, () => gate.run(one, Math.random() < 0.05)));
        parentPort.postMessage('done');
      });`;
    const threads = Array.from({ length: 4 }, () => new Worker(code, { eval: true, workerData: { built, size, gate: gate.buffer, probe: probe.buffer } }));
    const answers = await Promise.all(
      threads.map(
        (w) =>
          new Promise((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
            w.once('exit', (code) => resolve(`exited ${code}`));
          }),
      ),
    );
    await Promise.all(threads.map((w) => w.terminate()));
    expect(answers).toEqual(['done', 'done', 'done', 'done']);
    expect(Atomics.load(probe, 1)).toBe(size);
    expect(gate.active).toBe(0);
    // No slot and no priority caller left behind (the count of sleeping threads is only a hint).
    expect(Array.from(new Int32Array(gate.buffer)).slice(0, 2)).toEqual([0, 0]);
  }, 15_000);

  it('gives a slot back when the call fails', async () => {
    const gate = new SharedSemaphore(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
