// The messages between the flow log pool (pool.ts) and its workers (worker.ts), and how the counters of one file
// (posted as they are: structured cloning carries their sets and maps) merge into the run's on the main thread.
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

export type FlowReply =
  | { id: number; ok: true; object: SourceObject; outside: number; records: FlowRecord[]; stats: FlowStats }
  | { id: number; ok: false; kind: 'not-flow' | 'source' | 'other'; message: string; stats: FlowStats };

/**
 * Adds one file's counters to the run's. Files finish in any order, so the first malformed line named is the
 * least by file name and line, whatever order they were read in.
 */
export function mergeStats(into: FlowStats, from: FlowStats): void {
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
