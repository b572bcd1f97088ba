// Parsing many .tf files on several threads. tree-sitter's parse and the reading of its tree are more than half of
// what `sesguard iac` spends on a large Terraform repository (bench B5) and each file's are independent of every
// other's: worker threads (./parse-worker.ts) parse files and hand back tables of nodes (./table.ts), while the
// main thread parses files of the same queue itself and builds every syntax tree (one code path for both, so a
// file gives the same syntax tree, or the same syntax error, wherever it was parsed). Workers cost about 70 ms
// of start-up each, so only a repository with enough Terraform text on a machine with cores to spare gets them
// (`parseWorkers`); with two cores or fewer, without the built worker (running from src/ before a build), or when
// a worker fails, files are parsed on the main thread, as before.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../../paths.js';
import { workerExecArgv } from '../../../worker-argv.js';
import type { SyntaxTable } from './table.js';

const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'sources', 'terraform', 'hcl', 'parse-worker.js');

/** Characters of Terraform each worker must have to parse for it to pay for its start-up. */
export const CHARS_PER_WORKER = 256 * 1024;
/** Most workers: beyond a few, the main thread (building every syntax tree) is what waits. */
export const MAX_WORKERS = 3;
/** Files in flight per worker: it never waits for the main thread to hand it the next one. */
const IN_FLIGHT = 4;

export interface ParseJob {
  id: number;
  text: string;
}

export interface ParseReply {
  id: number;
  /** Null: this worker could not parse the file; the main thread does. */
  table: SyntaxTable | null;
}

/**
 * How many worker threads parse `chars` characters of Terraform: one per CHARS_PER_WORKER, at most MAX_WORKERS,
 * leaving a core to the main thread and one to V8's own background threads (optimizing compilation and garbage
 * collection take about a third of a large run's CPU time: on two cores a worker only competes with them, and B5
 * measured it slower there); 0 without the built worker. `SESGUARD_PARSE_WORKERS` (a number) overrides the count
 * (0: everything on the main thread), for measuring both ways.
 */
export function parseWorkers(chars: number, env: NodeJS.ProcessEnv = process.env): number {
  if (!existsSync(WORKER_FILE)) return 0;
  const forced = env.SESGUARD_PARSE_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), MAX_WORKERS);
  return Math.max(0, Math.min(availableParallelism() - 2, MAX_WORKERS, Math.floor(chars / CHARS_PER_WORKER)));
}

/**
 * Results of every text, in order: `here(i)` parses text i on the main thread, `fromTable(i, table)` builds the
 * result of text i from a worker's table. Texts are taken in order by whichever thread is free; the main thread
 * lets workers' answers in between two of its own files.
 */
export async function parseAll<T>(
  texts: string[],
  workers: number,
  here: (i: number) => T,
  fromTable: (i: number, table: SyntaxTable) => T,
  workerFile = WORKER_FILE,
): Promise<T[]> {
  const results = new Array<T>(texts.length);
  let next = 0;
  /** Texts a failed worker had taken: the main thread parses them. */
  const retry: number[] = [];
  const pool = workers > 0 && texts.length > 1 ? await spawn(Math.min(workers, texts.length - 1), workerFile) : [];
  const inFlight = new Map<Worker, Set<number>>(pool.map((w) => [w, new Set()]));
  let settled: (() => void) | undefined;
  /** What building a result from a worker's table threw (a bug): parseAll throws it. */
  const failed: { error?: unknown; any: boolean } = { any: false };
  const feed = (worker: Worker): void => {
    const taken = inFlight.get(worker)!;
    while (taken.size < IN_FLIGHT && next < texts.length) {
      const id = next++;
      taken.add(id);
      worker.postMessage({ id, text: texts[id]! } satisfies ParseJob);
    }
  };
  const drop = (worker: Worker): void => {
    const taken = inFlight.get(worker);
    if (!taken) return;
    inFlight.delete(worker);
    retry.push(...taken);
    void worker.terminate();
    settled?.();
  };
  for (const worker of pool) {
    worker.on('message', (reply: ParseReply) => {
      inFlight.get(worker)?.delete(reply.id);
      if (!reply.table) retry.push(reply.id);
      else {
        try {
          results[reply.id] = fromTable(reply.id, reply.table);
        } catch (error) {
          if (!failed.any) Object.assign(failed, { error, any: true });
        }
      }
      feed(worker);
      settled?.();
    });
    worker.on('error', () => drop(worker));
    worker.on('exit', () => drop(worker));
    feed(worker);
  }
  const busy = () => [...inFlight.values()].some((taken) => taken.size > 0);
  try {
    for (;;) {
      if (failed.any) throw failed.error;
      const id = retry.length > 0 ? retry.shift()! : next < texts.length ? next++ : -1;
      if (id !== -1) {
        results[id] = here(id);
        // Let the workers' answers in (and hand them more texts) before the next file.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (!busy()) break;
      await new Promise<void>((resolve) => (settled = resolve));
      settled = undefined;
    }
    if (failed.any) throw failed.error;
  } finally {
    for (const worker of inFlight.keys()) {
      worker.removeAllListeners();
      void worker.terminate();
    }
  }
  return results;
}

async function spawn(count: number, file: string): Promise<Worker[]> {
  const { Worker } = await import('node:worker_threads');
  const pool: Worker[] = [];
  for (let i = 0; i < count; i++) {
    try {
      const worker = new Worker(file, { execArgv: workerExecArgv() });
      // Never keeps the process alive on its own; parseAll ends its workers when the texts are parsed.
      worker.unref();
      pool.push(worker);
    } catch {
      break;
    }
  }
  return pool;
}
