// The messages between the flow log pool (pool.ts) and its workers (worker.ts), and the counters of one file in
// a form that crosses threads (sets and maps as arrays), merged into the run's counters on the main thread.
import type { FlowRecord, FlowStats, SourceObject } from './types.js';

export interface FlowJob {
  id: number;
  name: string;
  bytes: Uint8Array;
  ports: number[];
  protocols: number[];
  since?: number;
  until?: number;
}

export interface SerializedStats {
  records: number;
  malformed: number;
  firstMalformed?: { source: string; line: number };
  nodata: number;
  skipdata: number;
  start: number | null;
  end: number | null;
  accounts: string[];
  regions: string[];
  interfaces: string[];
  formats: string[];
  unusable: [string, string[]][];
}

export type FlowReply =
  | { id: number; ok: true; object: SourceObject; outside: number; records: FlowRecord[]; stats: SerializedStats }
  | { id: number; ok: false; kind: 'not-flow' | 'source' | 'other'; message: string; stats: SerializedStats };

export function serializeStats(stats: FlowStats): SerializedStats {
  return {
    records: stats.records,
    malformed: stats.malformed,
    ...(stats.firstMalformed ? { firstMalformed: stats.firstMalformed } : {}),
    nodata: stats.nodata,
    skipdata: stats.skipdata,
    start: stats.start,
    end: stats.end,
    accounts: [...stats.accounts],
    regions: [...stats.regions],
    interfaces: [...stats.interfaces],
    formats: [...stats.formats],
    unusable: [...stats.unusable],
  };
}

/**
 * Adds one file's counters to the run's. Files finish in any order, so the first malformed line named is the
 * least by file name and line, whatever order they were read in.
 */
export function mergeStats(into: FlowStats, from: SerializedStats): void {
  into.records += from.records;
  into.malformed += from.malformed;
  into.nodata += from.nodata;
  into.skipdata += from.skipdata;
  if (from.start !== null && (into.start === null || from.start < into.start)) into.start = from.start;
  if (from.end !== null && (into.end === null || from.end > into.end)) into.end = from.end;
  for (const a of from.accounts) into.accounts.add(a);
  for (const r of from.regions) into.regions.add(r);
  for (const i of from.interfaces) into.interfaces.add(i);
  for (const f of from.formats) into.formats.add(f);
  for (const [format, missing] of from.unusable) into.unusable.set(format, missing);
  const first = from.firstMalformed;
  const known = into.firstMalformed;
  if (first && (!known || first.source < known.source || (first.source === known.source && first.line < known.line))) into.firstMalformed = first;
}
