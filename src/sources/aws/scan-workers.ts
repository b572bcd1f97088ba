// The live scan's worker threads. Nearly all of a scan's CPU is the AWS SDK's (signing, middleware, parsing: about
// 1 ms per call, docs/scan.md), and on one thread that CPU, not AWS, bounds an Organization scan. Accounts are
// handed to a pool of workers, each with its own SDK clients; every thread takes the one cap on requests in flight
// (SharedSemaphore), and the main thread keeps the credentials (AssumeRole and refresh, asked for by the workers)
// and the Organization walk. Accounts are handed out as workers finish others, so no worker idles while another
// has a queue. A worker that dies hands its accounts back to the main thread, which scans them itself. Without the
// built worker (running from src/ before a build), with one core or few accounts, everything runs on the main
// thread as before.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { PACKAGE_ROOT } from '../../paths.js';
import { workerExecArgv } from '../../worker-argv.js';
import type { MemberScan } from './account.js';
import type { FromWorker, ScanWorkerInit, ToWorker } from './scan-worker-protocol.js';
import { MAX_HOLDERS, SharedSemaphore } from './shared-semaphore.js';
import { describeAwsError } from './types.js';

const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'sources', 'aws', 'scan-worker.js');
/** Fewer accounts than this are scanned on the main thread: a worker's start-up (loading the SDK) would cost more. */
const MIN_ACCOUNTS_FOR_WORKERS = 8;
const MAX_WORKERS = 4;

/** Worker threads for a scan of `accounts` accounts: `requested` if given (1 = none), else one per core up to 4. */
export function scanWorkerCount(accounts: number, requested?: number): number {
  if (!existsSync(WORKER_FILE)) return 0;
  const threads = requested ?? (accounts >= MIN_ACCOUNTS_FOR_WORKERS ? Math.min(availableParallelism(), MAX_WORKERS) : 1);
  return threads > 1 ? Math.min(threads, accounts, MAX_HOLDERS - 1) : 0;
}

export interface MemberResult {
  scan: MemberScan;
  apiCalls: number;
}

interface Pending {
  resolve: (result: MemberResult) => void;
  reject: (error: Error) => void;
  /** The account's credentials (the main thread's provider), asked for by the worker. */
  credentials: AwsCredentialIdentityProvider;
  /** Scans the account on the main thread instead (when its worker died). */
  here: () => Promise<MemberResult>;
}

interface Slot {
  worker: Worker;
  /** The worker's number in the shared gate. */
  holder: number;
  accounts: Set<string>;
  alive: boolean;
}

export class ScanWorkers {
  private readonly slots: Slot[] = [];
  private readonly queue: string[] = [];
  private readonly pending = new Map<string, Pending>();
  private closing = false;
  /** The main thread's handle on the shared gate, to take back the slots of a worker that died. */
  private readonly gate: SharedSemaphore;
  /** Why workers stopped before the scan ended (their accounts were scanned on the main thread): notices. */
  readonly stopped: string[] = [];

  constructor(
    size: number,
    init: ScanWorkerInit,
    /** How many accounts one worker scans at once. */
    private readonly perWorker: number,
  ) {
    this.gate = new SharedSemaphore(init.concurrency, init.gate);
    for (let i = 0; i < size; i++) this.spawn(init, i + 1);
  }

  /** The worker threads started (some may have stopped since). */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Scans one account (whose credentials already work) on a worker: `credentials` is what the worker is given when
   * it asks, `here` what scans the account on the main thread if the worker dies.
   */
  scan(accountId: string, credentials: AwsCredentialIdentityProvider, here: () => Promise<MemberResult>): Promise<MemberResult> {
    return new Promise<MemberResult>((resolve, reject) => {
      this.pending.set(accountId, { resolve, reject, credentials, here });
      this.queue.push(accountId);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(init: ScanWorkerInit, holder: number): void {
    const worker = new Worker(WORKER_FILE, { workerData: { ...init, holder }, execArgv: workerExecArgv() });
    const slot: Slot = { worker, holder, accounts: new Set(), alive: true };
    worker.on('message', (message: FromWorker) => this.answer(slot, message));
    worker.on('error', (error) => this.died(slot, error.message));
    worker.on('exit', (code) => this.died(slot, `exited with code ${code}`));
    this.slots.push(slot);
  }

  /** Hands queued accounts to the live workers with the fewest accounts in hand; the main thread if none is left. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const live = this.slots.filter((s) => s.alive && s.accounts.size < this.perWorker);
      if (live.length === 0) {
        if (this.slots.some((s) => s.alive)) return;
        this.runHere(this.queue.shift() as string);
        continue;
      }
      const slot = live.reduce((a, b) => (b.accounts.size < a.accounts.size ? b : a));
      const accountId = this.queue.shift() as string;
      slot.accounts.add(accountId);
      slot.worker.postMessage({ kind: 'scan', accountId } satisfies ToWorker);
    }
  }

  private answer(slot: Slot, message: FromWorker): void {
    if (message.kind === 'credentials') {
      const reply = (answer: Omit<Extract<ToWorker, { kind: 'credentials' }>, 'kind' | 'id'>) =>
        slot.worker.postMessage({ kind: 'credentials', id: message.id, ...answer } satisfies ToWorker);
      const credentials = this.pending.get(message.accountId)?.credentials;
      if (!credentials) {
        reply({ error: `no account ${message.accountId} in hand` });
        return;
      }
      credentials().then(
        (identity) => reply({ identity: plainIdentity(identity) }),
        (error: unknown) => reply({ error: describeAwsError(error) }),
      );
      return;
    }
    slot.accounts.delete(message.accountId);
    const pending = this.pending.get(message.accountId);
    this.pending.delete(message.accountId);
    if (message.kind === 'scanned') pending?.resolve({ scan: message.scan, apiCalls: message.apiCalls });
    else pending?.reject(new Error(message.message));
    this.dispatch();
  }

  /** A worker that died: its accounts are scanned again on the main thread (the calls only read). */
  private died(slot: Slot, reason: string): void {
    if (!slot.alive || this.closing) return;
    slot.alive = false;
    // Its requests in flight ended with it: their slots are free again.
    this.gate.reclaim(slot.holder);
    this.stopped.push(`a scan worker thread stopped (${reason}); its accounts were scanned on the main thread`);
    const orphans = [...slot.accounts];
    slot.accounts.clear();
    for (const accountId of orphans) this.runHere(accountId);
    this.dispatch();
  }

  private runHere(accountId: string): void {
    const pending = this.pending.get(accountId);
    if (!pending) return;
    this.pending.delete(accountId);
    pending.here().then(
      (result) => pending.resolve(result),
      (error: unknown) => pending.reject(error instanceof Error ? error : new Error(String(error))),
    );
  }
}

/** Only the identity's own fields cross to the worker (a provider may attach more). */
function plainIdentity(identity: AwsCredentialIdentity): AwsCredentialIdentity {
  return {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    ...(identity.expiration ? { expiration: identity.expiration } : {}),
  };
}
