// The inventory snapshot of a live scan (SPEC §3): versioned JSON, validated by schemas/snapshot.schema.json.
// `sesguard evaluate snapshot.json` re-runs the checks on it and gives the results of the scan that wrote it.
import type { CallError } from '../sources/aws/types.js';
import type { Resource } from './types.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;

export interface SnapshotAccount {
  accountId: string;
  name: string;
  isManagementAccount: boolean;
  /** `scanned`; `failed` (could not be entered: the reason says why); `skipped` (interrupted before it was reached). */
  status: 'scanned' | 'failed' | 'skipped';
  reason?: string;
  regions: string[];
}

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  kind: 'sesguard-snapshot';
  tool: { name: 'sesguard'; version: string };
  /** The data's reference time: key ages and quotas are judged as of this instant. */
  capturedAt: string;
  finishedAt: string;
  partition: 'aws' | 'aws-us-gov' | 'aws-cn';
  scope: {
    org: boolean;
    managementAccountId: string | null;
    /** The Organization's id (`o-…`) when the scan read it (`--org`); aws:PrincipalOrgID is judged against it. */
    organizationId?: string | null;
    callerArn: string | null;
    /** `K/N` when this snapshot is one shard of the Organization. */
    shard: string | null;
    requestedRegions: string[] | 'all';
    accounts: SnapshotAccount[];
  };
  /** Every account id of the Organization (for "outside the Organization" tests), even in a shard. */
  organizationAccounts: string[];
  resources: Resource[];
  callErrors: CallError[];
  incomplete: boolean;
  /** API calls made per account-region (benchmarks, capacity planning). */
  apiCalls: number;
  /** Things the user must hear about the scope (an --accounts id that is not in the Organization, …). */
  notices?: string[];
}

/** The top-level lists of a snapshot that grow with the Organization: written one element at a time. */
const STREAMED_LISTS = new Set(['resources', 'callErrors', 'organizationAccounts']);

/**
 * `JSON.stringify(snapshot)` as a sequence of chunks, one per resource and call error: the snapshot of a large
 * Organization (hundreds of MB) is written without ever being one string, which V8 caps at about 512 MB. The
 * chunks joined are byte for byte the compact JSON text; iterate again for another copy.
 */
export function snapshotChunks(snapshot: Snapshot): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      let first = true;
      for (const [key, value] of Object.entries(snapshot)) {
        const text = STREAMED_LISTS.has(key) && Array.isArray(value) ? null : JSON.stringify(value);
        if (text === undefined) continue;
        yield `${first ? '{' : ','}${JSON.stringify(key)}:`;
        first = false;
        if (text !== null) {
          yield text;
          continue;
        }
        const list = value as unknown[];
        for (let i = 0; i < list.length; i++) yield `${i === 0 ? '[' : ','}${JSON.stringify(list[i]) ?? 'null'}`;
        yield list.length === 0 ? '[]' : ']';
      }
      yield first ? '{}' : '}';
    },
  };
}
