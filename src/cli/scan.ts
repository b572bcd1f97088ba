// `sesguard scan`: the live, read-only scan of the caller's account or (--org) the whole Organization.
// The AWS SDK is imported when the scan starts (src/live.ts), not when this module loads.
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { evaluateSnapshot } from '../run.js';
import { snapshotChunks } from '../inventory/snapshot.js';
import { DEFAULT_CONCURRENCY, DEFAULT_ROLE_NAME, scanLive, type ScanProgress } from '../live.js';
import { ENDPOINT, REGIONS, homeRegion } from './aws-options.js';
import { command } from './command.js';
import { CONFIG, GATE, OUTPUTS, finish, tryWrite } from './gate.js';
import type { Io } from './io.js';
import { flag, text, withDefault } from './options.js';

const ACCOUNT_ID = /^[0-9]{12}$/;

function accountList(value: string, flag: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined || ids.length === 0) throw new ConfigError(`${flag} takes 12-digit account ids separated by commas (got "${bad ?? value}")`);
  return ids;
}

function shardOf(value: string, flag: string): { index: number; count: number } {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new ConfigError(`${flag} takes K/N with 1 ≤ K ≤ N (got "${value}")`);
  return { index, count };
}

/** A whole number written as digits only (no sign, spaces, exponent or hexadecimal). */
const DIGITS = /^[0-9]+$/;

function concurrencyOf(value: string, flag: string): number {
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`${flag} must be a whole number from 1 to 256 (got "${value}")`);
  return n;
}

function threadsOf(value: string, flag: string): number {
  const n = DIGITS.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ConfigError(`${flag} must be a whole number from 1 to 64 (got "${value}")`);
  return n;
}

function progressLine(io: Io, quiet: boolean): ((p: ScanProgress) => void) | undefined {
  if (quiet || !io.stderrIsTty) return undefined;
  return (p) => io.stderr(`\rsesguard: accounts ${p.done}/${p.total}, ${p.current}, ${p.errors} call errors\x1b[K`);
}

export default command({
  options: {
    org: flag('every active account of the Organization (run from the management account)'),
    accounts: text('ID,..', 'only these accounts', accountList),
    'exclude-accounts': text('ID,..', 'all but these accounts', accountList),
    'role-name': withDefault('NAME', 'role assumed in each member account', DEFAULT_ROLE_NAME, (raw) => raw),
    'external-id': text('X', 'external id of that role'),
    profile: text('P', 'AWS profile for the caller’s credentials (default: the standard AWS SDK chain)'),
    ...REGIONS,
    ...ENDPOINT,
    concurrency: withDefault('N', 'API requests in flight at most', DEFAULT_CONCURRENCY, concurrencyOf),
    threads: text('N', 'threads that scan accounts (default: one per core, up to 4, from 8 accounts; 1 = no worker threads)', threadsOf),
    snapshot: text('FILE', 'also write the inventory snapshot (evaluate reads it)'),
    shard: text('K/N', 'the K-th of N deterministic slices of the accounts (merge joins them)', shardOf),
    'no-credential-report': flag('access keys per user (iam:ListAccessKeys) where iam:GenerateCredentialReport is not allowed'),
    ...CONFIG,
    ...OUTPUTS,
    ...GATE,
  },
  async run(args, values, io) {
    if (args.length > 0) throw new ConfigError(`scan reads AWS, not files (got "${args[0]}")`);
    const config = loadConfig(values.config, io.cwd);
    const env = io.env ?? process.env;
    const onProgress = progressLine(io, values['no-progress'] || values.quiet);
    const snapshot = await scanLive({
      org: values.org,
      accounts: values.accounts,
      excludeAccounts: values['exclude-accounts'],
      roleName: values['role-name'],
      externalId: values['external-id'],
      profile: values.profile,
      regions: values.regions,
      endpoint: values['endpoint-url'],
      concurrency: values.concurrency,
      threads: values.threads,
      shard: values.shard,
      credentialReport: !values['no-credential-report'],
      homeRegion: homeRegion(env),
      now: io.now,
      signal: io.signal,
      onProgress,
    });
    if (onProgress) io.stderr('\n');
    // Written as chunks, never one string: an Organization's snapshot can pass V8's limit on a string's length.
    const chunks = snapshotChunks(snapshot);
    const snapshotText = { chunks: { *[Symbol.iterator]() { yield* chunks; yield '\n'; } } };
    // A snapshot that cannot be written does not lose the scan: the results are still evaluated and written.
    const unwritten = values.snapshot ? tryWrite(io, values.snapshot, snapshotText) : null;
    const results = evaluateSnapshot(snapshot, { config, now: io.now });
    return finish(results, values, io, config, [{ name: 'snapshot.json', ...snapshotText }], unwritten ? [unwritten] : []);
  },
});
