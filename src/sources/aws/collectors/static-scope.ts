// An AccountScope over fixed credentials and an endpoint override, with the scan's client settings and limits:
// for running the collectors against the fake AWS (tests, benchmarks) without the orchestrator. Records the
// service and start time of every limited call, so pacing can be observed.
import type { AwsCredentialIdentity } from '@smithy/types';
import { ScanClients } from '../clients.js';
import { Limits, Semaphore } from '../limiter.js';
import type { AccountScope } from '../types.js';

export interface StaticScope extends AccountScope {
  limited: { service: string; at: number }[];
  destroy(): void;
}

export interface StaticScopeOptions {
  endpoint: string;
  accountId: string;
  credentials: AwsCredentialIdentity;
  partition?: AccountScope['partition'];
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /** Requests in flight per service (default 4). */
  perService?: number;
  now?: string;
}

export function staticScope(options: StaticScopeOptions): StaticScope {
  const clients = new ScanClients({
    endpoint: options.endpoint,
    maxAttempts: options.maxAttempts ?? 6,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    inFlight: new Semaphore(16),
  });
  const account = clients.account(async () => options.credentials);
  const limits = new Limits(options.perService ?? 4);
  const limited: { service: string; at: number }[] = [];
  return {
    accountId: options.accountId,
    partition: options.partition ?? 'aws',
    now: options.now ?? new Date().toISOString(),
    client: (ctor, region) => account.client(ctor, region),
    limit: (service, fn) =>
      limits.run(`${options.accountId}:${service}`, service, () => {
        limited.push({ service, at: Date.now() });
        return fn();
      }),
    limited,
    destroy: () => clients.destroy(),
  };
}
