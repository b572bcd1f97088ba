// The live scan as library calls: read the caller's account or the Organization into a snapshot, and evaluate
// it. The AWS SDK is imported when a scan starts, so importing sesguard, or running any other command, never
// loads it.
import type { Config } from './config/types.js';
import type { Snapshot } from './inventory/snapshot.js';
import type { Results } from './results.js';
import { evaluateSnapshot } from './run.js';
import type { ScanOptions } from './sources/aws/scan.js';
import { VERSION } from './version.js';

export type { ScanProgress } from './sources/aws/scan.js';

/** The role assumed in each member account when none is named (`--role-name`). */
export const DEFAULT_ROLE_NAME = 'SesguardAudit';
/** API requests in flight at most when not told (`--concurrency`). */
export const DEFAULT_CONCURRENCY = 16;

/** What a live scan is told: the CLI's scan options, with the role name and concurrency defaulted. */
export type LiveScanOptions = Omit<ScanOptions, 'version' | 'roleName' | 'concurrency'> & { roleName?: string; concurrency?: number };

/** Reads AWS (read-only) into an inventory snapshot: the caller's account, or with `org` every active account. */
export async function scanLive(options: LiveScanOptions): Promise<Snapshot> {
  const { scanLive: scan } = await import('./sources/aws/scan.js');
  return scan({ ...options, roleName: options.roleName ?? DEFAULT_ROLE_NAME, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, version: VERSION });
}

/** `sesguard scan` as one call: the snapshot, and its results under `config`. */
export async function runScan(options: LiveScanOptions & { config: Config }): Promise<{ snapshot: Snapshot; results: Results }> {
  const { config, ...scan } = options;
  const snapshot = await scanLive(scan);
  return { snapshot, results: evaluateSnapshot(snapshot, { config, now: scan.now }) };
}
