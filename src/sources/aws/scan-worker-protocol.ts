// The messages between the live scan's main thread (scan-workers.ts) and its scan workers (scan-worker.ts). The
// main thread keeps every credential provider (AssumeRole, refresh) and the Organization walk; a worker scans the
// accounts it is handed and asks the main thread for their credentials whenever it needs fresh ones.
import type { AwsCredentialIdentity } from '@smithy/types';
import type { MemberScan } from './account.js';
import type { ClientFactoryOptions } from './clients.js';

/** Everything a worker needs to scan, sent once as its workerData. */
export interface ScanWorkerInit {
  clients: Omit<ClientFactoryOptions, 'inFlight'>;
  /** The scan's cap on requests in flight, shared with every thread (SharedSemaphore). */
  gate: SharedArrayBuffer;
  /** This worker's number in the gate (from 1), under which its slots are counted; set per worker by the pool. */
  holder?: number;
  concurrency: number;
  home: string;
  partition: 'aws' | 'aws-us-gov' | 'aws-cn';
  now: string;
  regions?: string[] | 'all';
  credentialReport?: boolean;
}

export type ToWorker =
  | { kind: 'scan'; accountId: string }
  | { kind: 'credentials'; id: number; identity?: AwsCredentialIdentity; error?: string };

export type FromWorker =
  | { kind: 'credentials'; id: number; accountId: string }
  | { kind: 'scanned'; accountId: string; scan: MemberScan; apiCalls: number }
  | { kind: 'crashed'; accountId: string; message: string; apiCalls: number };
