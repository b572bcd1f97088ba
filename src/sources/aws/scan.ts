// The live scan (SPEC §9): the caller's account, or every active account of the Organization; per member an
// AssumeRole into the audit role; every SES region the account has enabled; every collector; one snapshot.
// A failure never stops the scan: it becomes a CallError (not assessed downstream) or a failed account.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigError } from '../../errors.js';
import type { Snapshot, SnapshotAccount } from '../../inventory/snapshot.js';
import { SNAPSHOT_SCHEMA_VERSION } from '../../inventory/snapshot.js';
import type { Resource } from '../../inventory/types.js';
import { ScanClients, type AccountClients, type ClientFactoryOptions } from './clients.js';
import { collectOrganization, scanMember } from './account.js';
import { assumedRole, callerCredentials, callerSts, whoAmI } from './credentials.js';
import { Limits, PER_ACCOUNT_SERVICE, SERVICE_INTERVALS } from './limiter.js';
import { partitionOf } from './regions.js';
import { ScanWorkers, scanWorkerCount, type MemberResult } from './scan-workers.js';
import type { ScanWorkerInit } from './scan-worker-protocol.js';
import { SharedSemaphore } from './shared-semaphore.js';
import { describeAwsError, type AccountScope, type CallError } from './types.js';

export interface ScanProgress {
  done: number;
  total: number;
  current: string;
  errors: number;
}

export interface ScanOptions {
  org: boolean;
  accounts?: string[];
  excludeAccounts?: string[];
  roleName: string;
  externalId?: string;
  profile?: string;
  regions?: string[] | 'all';
  endpoint?: string;
  /** Requests in flight at most, over the whole scan. */
  concurrency: number;
  shard?: { index: number; count: number };
  /** Home region for global services (IAM, Organizations, STS). */
  homeRegion?: string;
  credentials?: AwsCredentialIdentityProvider;
  version: string;
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** Access keys from the IAM credential report (default), or per user when false (--no-credential-report). */
  credentialReport?: boolean;
  /** Threads that scan accounts (scan-workers.ts): 1 = the main thread only; default one per core, up to 4. */
  threads?: number;
}


/** Deterministic slice K of N: accounts sorted by id, every N-th from K-1. */
export function shardAccounts<T extends { id: string }>(accounts: T[], shard?: { index: number; count: number }): T[] {
  if (!shard) return accounts;
  return [...accounts].sort((a, b) => a.id.localeCompare(b.id)).filter((_, i) => i % shard.count === shard.index - 1);
}

function abortPromise(signal?: AbortSignal): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('aborted');
    signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

export async function scanLive(options: ScanOptions): Promise<Snapshot> {
  const now = options.now ?? (() => new Date());
  const capturedAt = now();
  const home = options.homeRegion ?? 'us-east-1';
  const partition = partitionOf(home);
  const base = options.credentials ?? callerCredentials(options.profile);
  // Requests in flight never exceed the concurrency (plus the STS calls that resolve credentials), so neither do
  // sockets per endpoint. The cap is taken per attempt, so retry back-offs hold no slot.
  // Shared with the scan workers, which take the same cap (scan-workers.ts).
  const inFlight = new SharedSemaphore(options.concurrency);
  // The main thread's calls stop when the scan is interrupted; the workers' threads are ended then.
  const clients = new ScanClients({ ...clientOptions(options), inFlight, signal: options.signal });
  const workerInit: ScanWorkerInit = {
    clients: clientOptions(options),
    gate: inFlight.buffer,
    concurrency: options.concurrency,
    home,
    partition,
    now: capturedAt.toISOString(),
    regions: options.regions,
    credentialReport: options.credentialReport,
  };
  // An Organization has accounts for workers, most likely: they start now, loading the SDK (about a second) while
  // the caller is checked and the accounts are listed. A scan that turns out small does not use them.
  const early = options.org ? scanWorkerCount(Number.MAX_SAFE_INTEGER, options.threads) : 0;
  const workers = early ? new ScanWorkers(early, workerInit, options.concurrency) : null;
  try {
    return await scanWith(options, { clients, workers, workerInit, base, home, partition, capturedAt, now });
  } finally {
    await workers?.close();
    clients.destroy();
  }
}

/** The client settings of a scan, the same on the main thread and on its workers. */
function clientOptions(options: ScanOptions): Omit<ClientFactoryOptions, 'inFlight'> {
  return { endpoint: options.endpoint, requestTimeoutMs: options.requestTimeoutMs, maxAttempts: options.maxAttempts, maxSockets: options.concurrency };
}

/** What scanLive settles before the scan: its clients (closed after it), credentials, home region and clock. */
interface ScanSetup {
  clients: ScanClients;
  /** Scan workers started before the accounts were known (--org), closed after the scan. */
  workers: ScanWorkers | null;
  /** What workers started later are given. */
  workerInit: ScanWorkerInit;
  base: AwsCredentialIdentityProvider;
  home: string;
  partition: Snapshot['partition'];
  capturedAt: Date;
  now: () => Date;
}

async function scanWith(options: ScanOptions, { clients, workers: early, workerInit, base, home, partition, capturedAt, now }: ScanSetup): Promise<Snapshot> {
  const limits = new Limits(PER_ACCOUNT_SERVICE, SERVICE_INTERVALS);
  let apiCalls = 0;
  const countCall = () => apiCalls++;
  const callerClients = clients.account(base, countCall);
  const sts = callerSts(clients.account(base, undefined, { gated: false }), home);

  const scopeFor = (accountId: string, account: AccountClients): AccountScope => ({
    accountId,
    partition,
    client: (ctor, region) => account.client(ctor, region),
    // Once interrupted, no call starts: the scan has returned what it had, and work left running would keep the
    // process alive (and calling AWS) long after its outputs are written.
    limit: (service, fn) => limits.run(`${accountId}:${service}`, service, () => (options.signal?.aborted ? Promise.reject(new Error('the scan was interrupted')) : fn())),
    now: capturedAt.toISOString(),
  });

  let caller;
  try {
    caller = await whoAmI(sts);
  } catch (error) {
    const profile = options.profile ? ` of profile ${options.profile}` : '';
    throw new ConfigError(`cannot use the AWS credentials${profile} (sts:GetCallerIdentity in ${home}): ${describeAwsError(error)}`);
  }

  const resources: Resource[] = [];
  const callErrors: CallError[] = [];
  const notices: string[] = [];
  let accounts: { id: string; name: string }[] = [{ id: caller.account, name: caller.account }];
  let managementAccountId: string | null = null;
  let organizationId: string | null = null;
  let organizationAccounts: string[] = [];
  const callerScope = scopeFor(caller.account, callerClients);

  // The Organization walk (SCP chains) is slow and rate-limited: enter accounts as soon as they are listed,
  // and collect the chains alongside.
  let orgDone: Promise<void> = Promise.resolve();
  let unlisted = false;
  if (options.org) {
    let listed!: (accounts: { id: string; name: string }[] | null) => void;
    const accountsKnown = new Promise<{ id: string; name: string }[] | null>((resolve) => (listed = resolve));
    const orgWalk = collectOrganization(callerScope, home, (found) => listed(found));
    orgWalk.then((org) => listed(org.accounts), () => listed(null));
    const found = await accountsKnown;
    if (!found && options.signal?.aborted) {
      // Interrupted before the accounts were listed: the outputs say so (incomplete, no account in scope).
      notices.push("the scan was interrupted before the Organization's accounts were listed: no account was scanned");
      unlisted = true;
      accounts = [];
    } else if (!found) {
      const org = await orgWalk.catch(() => null);
      throw new ConfigError(`cannot list the Organization's accounts from ${caller.account}: ${org?.error ?? 'unknown error'}`);
    } else {
      accounts = found;
      organizationAccounts = found.map((a) => a.id);
    }
    if (found) orgDone = orgWalk.then((org) => {
      managementAccountId = org.managementAccountId;
      organizationId = org.organizationId;
      resources.push(...org.collected.resources);
      callErrors.push(...org.collected.errors);
    });
  }
  if (options.accounts?.length && !unlisted) {
    const wanted = new Set(options.accounts);
    const known = new Set(accounts.map((a) => a.id));
    const missing = [...wanted].filter((id) => !known.has(id));
    if (options.org && missing.length === wanted.size) {
      throw new ConfigError(`none of --accounts (${missing.join(', ')}) is an active account of the Organization`);
    }
    if (options.org) for (const id of missing) notices.push(`--accounts ${id} is not an active account of the Organization: not scanned`);
    for (const id of missing) if (!options.org) accounts.push({ id, name: id });
    accounts = accounts.filter((a) => wanted.has(a.id));
  }
  if (options.excludeAccounts?.length) {
    const excluded = new Set(options.excludeAccounts);
    accounts = accounts.filter((a) => !excluded.has(a.id));
  }
  accounts = shardAccounts(accounts, options.shard);
  if (accounts.length === 0 && !options.shard && !unlisted) throw new ConfigError('no account left in scope after --accounts / --exclude-accounts');

  const status = new Map<string, SnapshotAccount>(
    accounts.map((a) => [
      a.id,
      { accountId: a.id, name: a.name, isManagementAccount: a.id === (managementAccountId ?? caller.account), status: 'skipped', reason: 'the scan was interrupted before this account', regions: [] },
    ]),
  );
  let done = 0;
  const report = (current: string) => options.onProgress?.({ done, total: accounts.length, current, errors: callErrors.length });
  report('starting');

  const memberScope = (accountId: string, credentials: AwsCredentialIdentityProvider): AccountScope =>
    accountId === caller.account ? callerScope : scopeFor(accountId, clients.account(credentials, countCall));
  // On the main thread calls are counted as they are made (countCall); a worker reports the calls it made.
  const scanHere = async (accountId: string, credentials: AwsCredentialIdentityProvider): Promise<MemberResult> => ({
    scan: await scanMember(memberScope(accountId, credentials), home, options.regions, { credentialReport: options.credentialReport }),
    apiCalls: 0,
  });
  const threads = scanWorkerCount(accounts.length, options.threads);
  // Workers started early for an Organization too small to need them stop now (scanLive closes the others).
  if (early && !threads) void early.close();
  const late = threads && !early ? new ScanWorkers(threads, workerInit, options.concurrency) : null;
  const workers = threads ? (early ?? late) : null;

  const scanOne = async (account: { id: string; name: string }): Promise<void> => {
    const entry = status.get(account.id) as SnapshotAccount;
    const isCaller = account.id === caller.account;
    const roleArn = `arn:${partition}:iam::${account.id}:role/${options.roleName}`;
    const credentials = isCaller
      ? base
      : assumedRole({ sts, roleArn, externalId: options.externalId });
    // An interrupted scan enters no more accounts.
    if (options.signal?.aborted) return;
    try {
      await credentials();
    } catch (error) {
      if (options.signal?.aborted) return;
      entry.status = 'failed';
      entry.reason = `sts:AssumeRole into ${roleArn} failed: ${describeAwsError(error)}`;
      done++;
      report(account.id);
      return;
    }
    if (options.signal?.aborted) return;
    const member = workers ? await workers.scan(account.id, credentials, () => scanHere(account.id, credentials)) : await scanHere(account.id, credentials);
    // An account that finishes after the interruption is left as it was when the scan returned (skipped).
    if (options.signal?.aborted) return;
    apiCalls += member.apiCalls;
    entry.regions = member.scan.regions;
    resources.push(...member.scan.collected.resources);
    callErrors.push(...member.scan.collected.errors);
    entry.status = member.scan.status;
    if (member.scan.reason) entry.reason = member.scan.reason;
    else delete entry.reason;
    done++;
    report(account.id);
  };

  const all = Promise.all([...accounts.map((a) => scanOne(a)), orgDone]);
  let outcome: 'done' | 'aborted';
  try {
    outcome = await Promise.race([all.then(() => 'done' as const), abortPromise(options.signal)]);
  } finally {
    await late?.close();
    if (workers) notices.push(...workers.stopped);
  }
  const incomplete = outcome === 'aborted';
  const mine = new Set(accounts.map((a) => a.id));
  const management = managementAccountId ?? caller.account;
  for (const entry of status.values()) entry.isManagementAccount = entry.accountId === management;

  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    kind: 'sesguard-snapshot',
    tool: { name: 'sesguard', version: options.version },
    capturedAt: capturedAt.toISOString(),
    finishedAt: now().toISOString(),
    partition,
    scope: {
      org: options.org,
      managementAccountId,
      organizationId,
      callerArn: caller.arn,
      shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
      requestedRegions: options.regions ?? 'all',
      // Copies: what was still running when the scan was interrupted must not change the snapshot returned.
      accounts: [...status.values()].map((entry) => ({ ...entry })),
    },
    organizationAccounts,
    // An interrupted account may have pushed part of its resources: keep only finished accounts' data.
    // Organization resources of other shards' accounts are theirs to report.
    resources: resources.filter((r) => {
      const account = r.provenance.account ?? '';
      if (!mine.has(account)) return false;
      return !incomplete || status.get(account)?.status !== 'skipped';
    }),
    callErrors: [...callErrors],
    incomplete,
    apiCalls,
    ...(notices.length ? { notices } : {}),
  };
}
