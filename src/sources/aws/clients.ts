// SDK v3 client configuration shared by every call of a scan: endpoint override (--endpoint-url; otherwise the
// SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> handling applies), adaptive retries on throttling,
// and a request timeout that really fails the request (the SDK only warns unless throwOnRequestTimeout is set).
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ClientOptions } from './types.js';

export interface ClientFactoryOptions {
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Called once per API operation (not per retry): the scan's call count. */
  onCall?: () => void;
}

export function clientConfig(options: ClientFactoryOptions, region: string): ClientOptions & Record<string, unknown> {
  return {
    region,
    credentials: options.credentials as AwsCredentialIdentityProvider,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 8,
    retryMode: 'adaptive',
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      throwOnRequestTimeout: true,
    },
  };
}

/** One client per (constructor, region) for an account. */
export class ClientCache {
  private readonly clients = new Map<unknown, Map<string, unknown>>();
  constructor(private readonly options: ClientFactoryOptions) {}
  get<C>(ctor: new (config: ClientOptions) => C, region: string): C {
    let byRegion = this.clients.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.clients.set(ctor, byRegion);
    }
    let client = byRegion.get(region) as C | undefined;
    if (!client) {
      client = new ctor(clientConfig(this.options, region));
      const onCall = this.options.onCall;
      if (onCall) {
        const stack = (client as { middlewareStack?: { add: (mw: unknown, opts: unknown) => void } }).middlewareStack;
        stack?.add(
          (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
            onCall();
            return next(args);
          },
          { step: 'initialize', name: 'sesguardCallCounter' },
        );
      }
      byRegion.set(region, client);
    }
    return client;
  }
  destroy(): void {
    for (const byRegion of this.clients.values()) {
      for (const client of byRegion.values()) (client as { destroy?: () => void }).destroy?.();
    }
    this.clients.clear();
  }
}
