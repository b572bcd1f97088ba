// A worker thread of the flow log pool (pool.ts): reads one flow log file already in memory — gunzip, scan, keep
// the lines to the wanted ports — with the same reader as the main thread (readFlowObject), and answers with the
// records kept, the file's counters and what was read, or with the error the reader threw (its kind and message).
import { parentPort } from 'node:worker_threads';
import { SourceError } from '../../errors.js';
import { NotFlowLogInput, readFlowObject } from './read.js';
import { emptyFlowStats, type FlowRecord } from './types.js';
import type { FlowJob, FlowReply } from './pool-protocol.js';

parentPort?.on('message', (job: FlowJob) => {
  void handle(job).then((reply) => parentPort?.postMessage(reply));
});

async function handle(job: FlowJob): Promise<FlowReply> {
  const stats = emptyFlowStats();
  const records: FlowRecord[] = [];
  const buffer = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  try {
    const { object, outside } = await readFlowObject(buffer, job.name, {
      wanted: { ports: new Set(job.ports), protocols: new Set(job.protocols) },
      stats,
      since: job.since,
      until: job.until,
      onRecord: (record) => records.push(record),
    });
    return { id: job.id, ok: true, object, outside, records, stats };
  } catch (error) {
    const kind = error instanceof NotFlowLogInput ? 'not-flow' : error instanceof SourceError ? 'source' : 'other';
    return { id: job.id, ok: false, kind, message: error instanceof Error ? error.message : String(error), stats };
  }
}
