// Shared plumbing of the live-scan collectors: every AWS call goes through `attempt` (inside the scope's
// per-service limit, never throwing), list calls are drained page by page with the SDK paginators (each page
// request inside the limit too), and failures become Unknown reasons or CallErrors in one wording.
import type { Provenance, ResourceType, Unknown } from '../../../inventory/types.js';
import { unknown } from '../../../inventory/types.js';
import { describeAwsError, type AccountScope, type CallError, type ClientConstructor } from '../types.js';

/** Region of calls to global services (IAM, Organizations) in CallErrors and provenance. */
export const GLOBAL = 'global';

/**
 * `scope.client` for an SDK client class. The SDK constructors take their own config types (stricter than
 * `ClientOptions`, e.g. `requestHandler`), so the class is narrowed to the contract's constructor shape here.
 */
export function clientOf<C>(scope: AccountScope, ctor: new (...args: any[]) => C, region: string): C {
  return scope.client(ctor as unknown as ClientConstructor<C>, region);
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown; reason: string };

/**
 * Runs one AWS call within the scope's limit for `service`. Never throws: a failure comes back with the
 * reason already worded as `<call> failed: <ErrorName: message>`.
 */
export async function attempt<T>(scope: AccountScope, service: string, call: string, fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await scope.limit(service, fn) };
  } catch (error) {
    return { ok: false, error, reason: failedReason(call, error) };
  }
}

/**
 * Drains an SDK paginator to the end. Each page request runs within the scope's limit (the paginator
 * issues the request when `next()` is called), so a long listing never holds more than one slot.
 */
export async function attemptPages<P>(scope: AccountScope, service: string, call: string, paginator: AsyncIterable<P>): Promise<Attempt<P[]>> {
  const iterator = paginator[Symbol.asyncIterator]();
  const pages: P[] = [];
  try {
    for (;;) {
      const next = await scope.limit(service, () => iterator.next());
      if (next.done) break;
      pages.push(next.value);
    }
    return { ok: true, value: pages };
  } catch (error) {
    return { ok: false, error, reason: failedReason(call, error) };
  }
}

export function failedReason(call: string, error: unknown): string {
  return `${call} failed: ${describeAwsError(error)}`;
}

/** The Unknown a property gets when the call that would have filled it failed. */
export function failed(result: { reason: string }): Unknown {
  return unknown(result.reason);
}

export function callError(scope: AccountScope, region: string, call: string, error: unknown, affects: ResourceType[]): CallError {
  return { account: scope.accountId, region, call, error: describeAwsError(error), affects };
}

/** Name of the SDK error (`NotFoundException`, `AccessDenied`, …). */
export function errorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string };
  return e?.name ?? e?.Code ?? e?.code ?? 'Error';
}

export function provenance(scope: AccountScope, arn: string, region: string, account = scope.accountId): Provenance {
  return { source: 'aws', arn, account, region };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; region empty for global services. */
export function arn(scope: AccountScope, service: string, region: string, resource: string, account = scope.accountId): string {
  return `arn:${scope.partition}:${service}:${region === GLOBAL ? '' : region}:${account}:${resource}`;
}

/** Region and account of an ARN (`arn:partition:service:region:account:…`). */
export function parseArn(value: string): { partition: string; service: string; region: string; account: string; resource: string } | null {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/** The region global control-plane calls (Organizations, IAM, account) are sent to in each partition. */
export function homeRegion(partition: AccountScope['partition']): string {
  return partition === 'aws-us-gov' ? 'us-gov-west-1' : partition === 'aws-cn' ? 'cn-northwest-1' : 'us-east-1';
}

/** ISO string of an SDK date (Date, or a string/number some protocols leave as is). */
export function iso(value: Date | string | number | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Runs `fn` over items with all promises started at once; the scope's limits bound real concurrency. */
export function mapAll<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return Promise.all(items.map(fn));
}

/** Memoizes an async function by key, so a shared lookup (a policy, a parent) is fetched once. */
export function memo<K, V>(fn: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = fn(key);
      cache.set(key, hit);
    }
    return hit;
  };
}
