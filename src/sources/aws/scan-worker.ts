// A scan worker (scan-workers.ts): scans the accounts the main thread hands it, with its own shared SDK clients
// under the scan's one cap on requests in flight, and answers each with what scanMember found and the API calls
// it made. Credentials come from the main thread, which assumes the roles and refreshes them.
import { parentPort, workerData } from 'node:worker_threads';
import type { AwsCredentialIdentity } from '@smithy/types';
import { scanMember } from './account.js';
import { ScanClients } from './clients.js';
import { Limits, PER_ACCOUNT_SERVICE, SERVICE_INTERVALS } from './limiter.js';
import type { FromWorker, ScanWorkerInit, ToWorker } from './scan-worker-protocol.js';
import { SharedSemaphore } from './shared-semaphore.js';
import type { AccountScope } from './types.js';

const init = workerData as ScanWorkerInit;
const port = parentPort;
const clients = new ScanClients({ ...init.clients, inFlight: new SharedSemaphore(init.concurrency, init.gate, init.holder ?? 1) });
const limits = new Limits(PER_ACCOUNT_SERVICE, SERVICE_INTERVALS);
const asked = new Map<number, { resolve: (identity: AwsCredentialIdentity) => void; reject: (error: Error) => void }>();
let nextAsk = 0;

const post = (message: FromWorker) => port?.postMessage(message);

/** The account's credentials as the main thread last gave them, asked again five minutes before they expire. */
function remoteCredentials(accountId: string): () => Promise<AwsCredentialIdentity> {
  let current: AwsCredentialIdentity | null = null;
  let pending: Promise<AwsCredentialIdentity> | null = null;
  return async () => {
    if (current && (!current.expiration || current.expiration.getTime() - Date.now() > 5 * 60_000)) return current;
    pending ??= new Promise<AwsCredentialIdentity>((resolve, reject) => {
      const id = nextAsk++;
      asked.set(id, { resolve, reject });
      post({ kind: 'credentials', id, accountId });
    }).finally(() => {
      pending = null;
    });
    current = await pending;
    return current;
  };
}

async function scan(accountId: string): Promise<void> {
  let apiCalls = 0;
  const account = clients.account(remoteCredentials(accountId), () => apiCalls++);
  const scope: AccountScope = {
    accountId,
    partition: init.partition,
    client: (ctor, region) => account.client(ctor, region),
    limit: (service, fn) => limits.run(`${accountId}:${service}`, service, fn),
    now: init.now,
  };
  try {
    const result = await scanMember(scope, init.home, init.regions, { credentialReport: init.credentialReport });
    post({ kind: 'scanned', accountId, scan: result, apiCalls });
  } catch (error) {
    post({ kind: 'crashed', accountId, message: error instanceof Error ? error.message : String(error), apiCalls });
  }
}

port?.on('message', (message: ToWorker) => {
  if (message.kind === 'scan') {
    void scan(message.accountId);
    return;
  }
  const waiting = asked.get(message.id);
  if (!waiting) return;
  asked.delete(message.id);
  if (message.identity) waiting.resolve(message.identity);
  else waiting.reject(new Error(message.error ?? 'no credentials'));
});
