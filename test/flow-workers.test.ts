// Flow log files read on worker threads (src/sources/flowlogs/pool.ts) give exactly what the main thread's reader
// gives — the same records, counters and hashes — and fail the same way: a file that is not a flow log is
// NotFlowLogInput (skipped when found by walking), a truncated one a SourceError naming it, a format that lacks a
// field is recorded in the counters before it fails. Runs against the built worker (npm test builds first).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFlowDay } from '../src/detections/generate-flows.js';
import { SourceError } from '../src/errors.js';
import { FlowWorkers } from '../src/sources/flowlogs/pool.js';
import { NotFlowLogInput, readFlowObject } from '../src/sources/flowlogs/read.js';
import { emptyFlowStats, type FlowRecord } from '../src/sources/flowlogs/types.js';

const BUILT = existsSync(path.resolve(import.meta.dirname, '..', 'dist', 'sources', 'flowlogs', 'worker.js'));
const wanted = { ports: new Set([25, 465, 587, 2525]), protocols: new Set([6]) };
const pool = new FlowWorkers(2);
afterAll(() => pool.close());

async function readAll(read: (buffer: Buffer, name: string, options: Parameters<typeof readFlowObject>[2]) => Promise<{ object: unknown; outside: number }>) {
  const stats = emptyFlowStats();
  const records: FlowRecord[] = [];
  const objects: unknown[] = [];
  const files = [...generateFlowDay({})];
  await Promise.all(
    files.map(async (file) => {
      const { object } = await read(gzipSync(file.text), file.key, { wanted, stats, since: Date.UTC(2026, 10, 23, 3) / 1000, onRecord: (r) => records.push(r) });
      objects.push(object);
    }),
  );
  const order = (a: FlowRecord, b: FlowRecord) => a.source.localeCompare(b.source) || a.line - b.line;
  return { stats, records: records.sort(order), objects: objects.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

describe.skipIf(!BUILT)('flow log files on worker threads', () => {
  it('the same records, counters and hashes as the main thread', async () => {
    const here = await readAll((b, n, o) => readFlowObject(b, n, o));
    const there = await readAll((b, n, o) => pool.read(b, n, o));
    expect(there.records.length).toBeGreaterThan(100);
    expect(there.records).toEqual(here.records);
    expect(there.objects).toEqual(here.objects);
    expect({ ...there.stats, firstMalformed: undefined }).toEqual({ ...here.stats, firstMalformed: undefined });
  });

  it('fails as the main thread does: not a flow log, truncated, a format lacking a field', async () => {
    const options = () => ({ wanted, stats: emptyFlowStats(), onRecord: () => undefined });
    await expect(pool.read(Buffer.from('https 2026-11-23T08:00:00Z app/web 198.51.100.7:2817\n'), 'elb.log', options())).rejects.toBeInstanceOf(NotFlowLogInput);
    const cut = gzipSync('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n'.repeat(200)).subarray(0, 60);
    const truncated = pool.read(cut, 'cut.log.gz', options());
    await expect(truncated).rejects.toBeInstanceOf(SourceError);
    await expect(truncated).rejects.toMatchObject({ file: 'cut.log.gz', message: expect.stringMatching(/gzip|unexpected end/) });
    const lacking = options();
    await expect(pool.read(Buffer.from('version interface-id srcaddr\n2 eni-0a 10.0.0.1\n'), 'short.log', lacking)).rejects.toBeInstanceOf(SourceError);
    expect([...lacking.stats.unusable.values()].flat().length).toBeGreaterThan(0);
  });

  it('a worker that dies (here: at start) loses nothing: the files are read on the main thread, with the same results', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sesguard-worker-'));
    const broken = path.join(dir, 'worker.js');
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const dying = new FlowWorkers(2, broken);
    try {
      const here = await readAll((b, n, o) => readFlowObject(b, n, o));
      const there = await readAll((b, n, o) => dying.read(b, n, o));
      expect(there.records.length).toBeGreaterThan(100);
      expect(there.records).toEqual(here.records);
      expect(there.objects).toEqual(here.objects);
      expect(there.stats).toEqual(here.stats);
    } finally {
      await dying.close();
    }
  });
});
