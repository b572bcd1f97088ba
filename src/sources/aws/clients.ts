// SDK v3 clients of one scan. Every call shares: the endpoint override (--endpoint-url; otherwise the SDK's own
// AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> handling applies), adaptive retries on throttling, a request
// timeout that really fails the request (the SDK only warns unless throwOnRequestTimeout is set), and one HTTP
// handler whose keep-alive sockets every client reuses, bounded per endpoint.
//
// One SDK client per (service, region) serves every account of the scan. A scan makes about three calls per
// (account, service, region), so a client per account would pay, every third call, what the SDK does once per
// client: build its configuration and middleware stack, read the environment and ~/.aws/config for FIPS,
// dual-stack, app-id and auth settings, open its own connections (a TCP + TLS handshake each against AWS), and
// resolve the middleware of each command. What is really per account — the credentials, and the adaptive retry
// state (AWS throttles per account) — travels with the call: `AccountClients.client()` returns a view of the
// shared client whose `send` runs inside the account's AsyncLocalStorage context, and the shared client's
// credentials and retry strategy read that context. A guard after signing checks that every request carries a key
// of the account that sent it, so an SDK change could only make calls fail, never sign for the wrong account.
// The scan's cap on requests in flight is taken per attempt, from signing until the response is parsed: the retry
// back-off and the adaptive rate limiter wait before it (in the SDK's retry middleware), so a throttled account
// slows down without holding slots every other account needs.
// Each shared client also resolves its middleware stack once per command class (cacheMiddleware) and keeps the
// request signer its SDK factory builds, instead of building one per request. docs/scan.md gives the measurements.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, NODE_SIGV4A_CONFIG_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import { NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, loadConfig } from '@smithy/core/config';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import type { Gate } from './limiter.js';
import { nonAwsResponseMiddleware } from './non-aws-response.js';
import type { ClientConstructor, ClientOptions } from './types.js';

export interface ClientFactoryOptions {
  endpoint?: string;
  maxAttempts?: number;
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Sockets open at most per endpoint (host and port); further requests wait for a free one. */
  maxSockets?: number;
  /** Requests in flight at most, over every client: each attempt holds a slot from signing to its parsed answer. */
  inFlight?: Gate;
  /** Once aborted (an interrupted scan), a request that gets its slot fails instead of being sent. */
  signal?: AbortSignal;
}

/** What the scan touches of an SDK client. */
interface SdkClient {
  send(...args: unknown[]): Promise<unknown>;
  middlewareStack: {
    add(mw: unknown, options: { step: string; name: string; priority?: 'high' | 'normal' | 'low' }): void;
    addRelativeTo(mw: unknown, options: { relation: 'before' | 'after'; toMiddleware: string; name: string }): void;
  };
}

type Middleware = (next: (args: { request?: unknown }) => Promise<unknown>) => (args: { request?: unknown }) => Promise<unknown>;

/** The account whose call is running, for the shared clients' credentials, retry strategy and guard. */
const running = new AsyncLocalStorage<AccountClients>();

function runningAccount(): AccountClients {
  const account = running.getStore();
  // Every client is reached through AccountClients: a call without an account is a bug, never a guess.
  if (!account) throw new Error('sesguard: AWS call outside of an account context');
  return account;
}

/** Settings each client would read from the environment and ~/.aws/config itself; the same for every client. */
function environmentSettings(): Record<string, unknown> {
  return {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
    sigv4aSigningRegionSet: loadConfig(NODE_SIGV4A_CONFIG_OPTIONS),
  };
}

/**
 * The shared clients' credentials: those of the running account. Marked memoized so the SDK does not cache the
 * first identity it sees for the client; each account's provider caches (and refreshes) its own.
 */
const accountCredentials: AwsCredentialIdentityProvider & { memoized: boolean } = Object.assign(
  async () => runningAccount().resolveCredentials(),
  { memoized: true },
);

/** The access key id of a SigV4 `Authorization` header (`… Credential=AKID/date/region/service/aws4_request, …`). */
function signedKey(headers: Record<string, string> | undefined): string | undefined {
  const value = headers?.authorization ?? headers?.Authorization;
  return value ? /Credential=([^/,\s]+)\//.exec(value)?.[1] : undefined;
}

/** After signing: the request must carry a key the running account's credentials gave out. */
const accountGuard: Middleware = (next) => async (args) => {
  const key = signedKey((args.request as { headers?: Record<string, string> } | undefined)?.headers);
  if (key !== undefined && !runningAccount().issued(key)) {
    throw new Error('sesguard: request signed with credentials of another account; the call is not made');
  }
  return next(args);
};

type SignerFactory = (authScheme?: { name?: string; signingRegion?: string; signingName?: string }) => Promise<unknown>;

/**
 * The SDK's signer factory builds a new signer — copying the whole client configuration — for every request.
 * The signer it builds depends only on the signing scope (the credentials stay a provider, asked at each
 * signature), so the factory's own signer is kept per scope and reused.
 */
function reuseSigners(client: SdkClient): void {
  const config = (client as unknown as { config: { signer?: SignerFactory } }).config;
  const build = config.signer;
  if (!build) return;
  const built = new Map<string, Promise<unknown>>();
  config.signer = (authScheme) => {
    const scope = `${authScheme?.name}|${authScheme?.signingRegion}|${authScheme?.signingName}`;
    let signer = built.get(scope);
    if (!signer) {
      signer = build(authScheme);
      built.set(scope, signer);
      signer.catch(() => built.delete(scope));
    }
    return signer;
  };
}

/**
 * Before signing, each attempt of a gated identity takes a slot of the scan's cap on requests in flight. Identities
 * that only resolve credentials (the caller's STS: AssumeRole, GetCallerIdentity) are not gated: a call holding a
 * slot may need new credentials while signing, and must not wait for a slot its own kind holds. Organizations calls
 * go first: the Organization walk is one account's chain of several calls per member account, the longest of a
 * scan, and the scan ends only when it does.
 */
function inFlightGate(gate: Gate, priority: boolean, signal?: AbortSignal): Middleware {
  // A request waiting for its slot when the scan is interrupted is not sent: the scan has returned without it.
  const send = notAfterInterrupt(signal);
  return (next) => (args) => (runningAccount().gated ? gate.run(() => send(next)(args), priority) : next(args));
}

/**
 * Once the scan is interrupted, a gated request is not sent: checked when it gets its slot, and again once it is
 * signed (signing is asynchronous, and the scan may have returned meanwhile). The credential calls are not gated.
 */
function notAfterInterrupt(signal?: AbortSignal): Middleware {
  return (next) => (args) => (signal?.aborted && runningAccount().gated ? Promise.reject(new Error('the scan was interrupted')) : next(args));
}

/** The SDK's own name of a client's service (`Organizations`, `SES`, …). */
function serviceIdOf(client: SdkClient): string | undefined {
  return (client as unknown as { config?: { serviceId?: string } }).config?.serviceId;
}

/** One per shared client: hands every call to the running account's own adaptive retry strategy for that client. */
function retryPerAccount(key: object): RetryStrategyV2 & { mode: string } {
  const own = () => runningAccount().retryStrategy(key);
  return {
    mode: 'adaptive',
    acquireInitialRetryToken: (scope: string) => own().acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token: RetryToken, info: RetryErrorInfo) => own().refreshRetryTokenForRetry(token, info),
    recordSuccess: (token: RetryToken) => own().recordSuccess(token),
  };
}

/** The clients of one scan: one per (client class, region); destroy once at the end (that closes the sockets). */
export class ScanClients {
  private readonly handler: NodeHttpHandler;
  private readonly agents: HttpAgent[];
  private readonly settings = environmentSettings();
  private readonly shared = new Map<unknown, Map<string, SdkClient>>();
  readonly maxAttempts: number;

  constructor(private readonly options: ClientFactoryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 8;
    const agent = { keepAlive: true, maxSockets: options.maxSockets ?? 50, scheduling: 'lifo' as const };
    this.agents = [new HttpAgent(agent), new HttpsAgent(agent)];
    this.handler = new NodeHttpHandler({
      httpAgent: this.agents[0],
      httpsAgent: this.agents[1],
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      throwOnRequestTimeout: true,
    });
  }

  /** The shared client of `ctor` in `region`, created on first use. */
  sharedClient<C>(ctor: ClientConstructor<C>, region: string): SdkClient {
    let byRegion = this.shared.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.shared.set(ctor, byRegion);
    }
    let client = byRegion.get(region);
    if (!client) {
      // The key under which each account keeps its retry state for this client.
      const key = {};
      const config: ClientOptions & Record<string, unknown> = {
        region,
        credentials: accountCredentials,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
        maxAttempts: this.maxAttempts,
        retryStrategy: retryPerAccount(key),
        requestHandler: this.handler,
        // The middleware stack is resolved once per command class instead of on every send: nothing changes the
        // stack after the client is built, and what differs per call comes from the running account.
        cacheMiddleware: true,
        ...this.settings,
      };
      client = new ctor(config) as unknown as SdkClient;
      client.middlewareStack.add(
        ((next) => async (args) => {
          runningAccount().onCall?.();
          return next(args);
        }) as Middleware,
        { step: 'initialize', name: 'sesguardCallCounter' },
      );
      if (this.options.inFlight) {
        client.middlewareStack.addRelativeTo(inFlightGate(this.options.inFlight, serviceIdOf(client) === 'Organizations', this.options.signal), { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'sesguardInFlight' });
      }
      client.middlewareStack.addRelativeTo(accountGuard, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'sesguardAccountGuard' });
      if (this.options.signal) {
        client.middlewareStack.addRelativeTo(notAfterInterrupt(this.options.signal), { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'sesguardNotAfterInterrupt' });
      }
      client.middlewareStack.add(nonAwsResponseMiddleware, { step: 'deserialize', name: 'sesguardNonAwsResponse', priority: 'high' });
      reuseSigners(client);
      byRegion.set(region, client);
    }
    return client;
  }

  /**
   * The clients of one identity (an account's audit role, or the caller's own credentials). `gated: false` is for
   * the STS views that resolve credentials (see inFlightGate).
   */
  account(credentials: AwsCredentialIdentityProvider, onCall?: () => void, options: { gated?: boolean } = {}): AccountClients {
    return new AccountClients(this, credentials, onCall, options.gated ?? true);
  }

  /**
   * Closes every socket of the scan; its clients must not be used afterwards. A request still waiting for a socket
   * (an interrupted scan returns with calls queued behind the credential calls) is dropped first: an agent gives a
   * closed socket's queue a new socket, and the call would reach AWS after the scan has returned.
   */
  destroy(): void {
    for (const agent of this.agents) {
      for (const queue of Object.values(agent.requests)) for (const request of [...(queue ?? [])]) request.destroy();
    }
    this.handler.destroy();
  }
}

/** One identity's views of the shared clients, its credentials, and its retry state per client. */
export class AccountClients {
  private readonly views = new Map<unknown, Map<string, unknown>>();
  private readonly retries = new WeakMap<object, RetryStrategyV2>();
  private readonly keys = new Set<string>();

  constructor(
    private readonly scan: ScanClients,
    private readonly credentials: AwsCredentialIdentityProvider,
    readonly onCall?: () => void,
    /** Whether this identity's calls take a slot of the scan's cap on requests in flight. */
    readonly gated = true,
  ) {}

  /** The client of `ctor` in `region` for this identity: the shared client, with calls running as this identity. */
  client<C>(ctor: ClientConstructor<C>, region: string): C {
    let byRegion = this.views.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.views.set(ctor, byRegion);
    }
    let view = byRegion.get(region) as C | undefined;
    if (!view) {
      const shared = this.scan.sharedClient(ctor, region);
      const send = shared.send.bind(shared);
      // Inherits everything (config, middleware stack; paginators check `instanceof`) but `send`.
      view = Object.create(shared, { send: { value: (...args: unknown[]) => running.run(this, () => send(...args)) } }) as C;
      byRegion.set(region, view);
    }
    return view;
  }

  /** @internal The credentials of the running call; remembers every key they gave out, for the guard. */
  async resolveCredentials(): Promise<AwsCredentialIdentity> {
    const identity = await this.credentials();
    this.keys.add(identity.accessKeyId);
    return identity;
  }

  /** @internal */
  issued(key: string): boolean {
    return this.keys.has(key);
  }

  /** @internal This identity's adaptive retry strategy for one shared client (rate limiting and retry quota). */
  retryStrategy(key: object): RetryStrategyV2 {
    let strategy = this.retries.get(key);
    if (!strategy) {
      strategy = new AdaptiveRetryStrategy(this.scan.maxAttempts);
      this.retries.set(key, strategy);
    }
    return strategy;
  }
}
