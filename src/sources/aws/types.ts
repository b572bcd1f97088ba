// Contracts of the live scan's collectors: what a collector gets (an account/region scope with SDK client
// factory) and what it returns (normalized resources plus the calls that failed and what they left unknown).
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Resource, ResourceType } from '../../inventory/types.js';

/** A failed AWS call. `affects` lists the resource types the scan could not build because of it. */
export interface CallError {
  account: string;
  /** Region of the call; `global` for IAM / Organizations. */
  region: string;
  /** `service:Operation`, e.g. `ses:GetAccount`, `iam:GetAccountAuthorizationDetails`. */
  call: string;
  /** `ErrorName: message` as the SDK surfaced it (no credentials, no request ids). */
  error: string;
  /** Resource types that are missing entirely because of this error (→ not assessed for their checks). */
  affects: ResourceType[];
}

export interface Collected {
  resources: Resource[];
  errors: CallError[];
}

/** Anything with an SDK v3 client constructor shape. */
export type ClientConstructor<C> = new (config: ClientOptions) => C;

export interface ClientOptions {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  endpoint?: string;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
  requestHandler?: unknown;
}

/** What every collector receives for one account. */
export interface AccountScope {
  accountId: string;
  partition: 'aws' | 'aws-us-gov' | 'aws-cn';
  /** Creates (and caches) an SDK client for this account in a region, with the scan's endpoint, retries, timeouts. */
  client<C>(ctor: ClientConstructor<C>, region: string): C;
  /** Runs `fn` within the per-service concurrency limit of this account. */
  limit<T>(service: string, fn: () => Promise<T>): Promise<T>;
  /** The scan's reference time (ISO), for key ages. */
  now: string;
}

/** `ErrorName: message`, one line, for CallError.error and Unknown reasons. */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string; message?: string };
  // Not AWS's answer (src/sources/aws/non-aws-response.ts): "HTTP 404 from <endpoint>/<path>" says it all.
  if (e?.name === 'NotAnAwsResponse' && e.message) return e.message;
  const name = e?.name && e.name !== 'Error' ? e.name : (e?.Code ?? e?.code ?? 'Error');
  const message = (e?.message ?? String(error)).split('\n')[0].slice(0, 300);
  return message && message !== name ? `${name}: ${message}` : name;
}
