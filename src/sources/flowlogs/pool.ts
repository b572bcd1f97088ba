// Flow log files read on worker threads. Gunzip and the line scan are CPU work over every byte of input, and a
// day of flow logs is gigabytes; on the main thread they run one after the other, on a pool of workers they run on
// every core (bench B7: sesguard trail within 1.5 × the time of gunzip + line splitting). Each file is read whole
// by one worker with the same reader as the main thread; the records kept and the file's counters come back to
// the main thread, where the analyzer is. Without the built worker (running from src/ before a build) or with one
// core, files are read on the main thread as before.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SourceError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { workerExecArgv } from '../../worker-argv.js';
import { NotFlowLogInput, readFlowObject, type ReadFlowOptions } from './read.js';
import { mergeStats, type FlowJob, type FlowReply } from './pool-protocol.js';
import type { SourceObject } from './types.js';

const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'sources', 'flowlogs', 'worker.js');

/** Worker threads a pool uses by default: one per core, at most four (the main thread has the analyzer). */
export function flowWorkerCount(): number {
  return Math.min(4, availableParallelism());
}

type Pending = { resolve: (value: { object: SourceObject; outside: number }) => void; reject: (error: Error) => void; options: ReadFlowOptions; name: string; buffer: Buffer };

export class FlowWorkers {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: FlowJob[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly size: number;
  /** A worker died: the rest of the run reads on the main thread. */
  private broken = false;

  /** `workerFile`: the built worker; tests give another. */
  constructor(size = flowWorkerCount(), private readonly workerFile = WORKER_FILE) {
    this.size = existsSync(workerFile) && size > 1 ? size : 0;
  }

  /** Reads one whole flow log file: on a worker when the pool has any, else here. */
  read(buffer: Buffer, name: string, options: ReadFlowOptions): Promise<{ object: SourceObject; outside: number }> {
    if (this.size === 0 || this.broken) return readFlowObject(buffer, name, options);
    if (this.workers.length < this.size) this.spawn();
    const id = this.nextId++;
    const job: FlowJob = {
      id,
      name,
      bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength),
      ports: [...options.wanted.ports],
      protocols: [...options.wanted.protocols],
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
    };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, options, name, buffer });
      const worker = this.idle.pop();
      if (worker) worker.postMessage(job);
      else this.queue.push(job);
    });
  }

  private spawn(): void {
    const worker = new Worker(this.workerFile, { execArgv: workerExecArgv() });
    // The pool never keeps the process alive on its own; close() ends the workers when the run is done.
    worker.unref();
    worker.on('message', (reply: FlowReply) => this.answer(worker, reply));
    worker.on('error', () => this.fail());
    this.workers.push(worker);
    this.idle.push(worker);
  }

  private answer(worker: Worker, reply: FlowReply): void {
    const next = this.queue.shift();
    if (next) worker.postMessage(next);
    else this.idle.push(worker);
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    mergeStats(pending.options.stats, reply.stats);
    if (!reply.ok) {
      const error = reply.kind === 'not-flow' ? new NotFlowLogInput(reply.message, pending.name) : new SourceError(reply.message, pending.name);
      pending.reject(error);
      return;
    }
    for (const record of reply.records) pending.options.onRecord(record);
    pending.resolve({ object: reply.object, outside: reply.outside });
  }

  /**
   * A worker that died (it could not start, out of memory, a bug): every file not yet answered is read here, and
   * so is the rest of the run. A reply that still comes from another worker is then ignored: nothing is counted twice.
   */
  private fail(): void {
    this.broken = true;
    this.queue.length = 0;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      readFlowObject(pending.buffer, pending.name, pending.options).then(pending.resolve, pending.reject);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
