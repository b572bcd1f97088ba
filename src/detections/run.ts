// The library entry of `sesguard trail`: inputs (files, folders, S3 prefixes, LookupEvents, CloudWatch Logs
// groups of flow logs) → records → the streaming analyzers (CloudTrail, VPC Flow Logs) → findings, coverage,
// timeline and per-input errors. Each file or object is read as what its content is: CloudTrail JSON, or a
// flow log (text or Parquet). The CLI wraps the result into the Results document; this module does the IO of
// reading, nothing else. The AWS SDK (S3, LookupEvents, CloudWatch Logs) is loaded only when an input needs it.
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DEFAULT_THRESHOLDS } from '../config/types.js';
import type { Finding, Severity } from '../engine/types.js';
import type { InputError } from '../inventory/types.js';
import { SourceError } from '../errors.js';
import { listLocal, type TrailObject } from '../sources/cloudtrail/local.js';
import { SkippedInput, describeFailure, parseWhole, readRecordBatches } from '../sources/cloudtrail/read.js';
import { DEFAULT_REGIONS } from '../sources/cloudtrail/regions.js';
import { isS3Url } from '../sources/cloudtrail/s3-url.js';
import type { CloudTrailRecord, TrailInputFile } from '../sources/cloudtrail/types.js';
import { NotFlowLogInput, contentKind, peek, readFlowObject } from '../sources/flowlogs/read.js';
import { FlowWorkers } from '../sources/flowlogs/pool.js';
import { emptyFlowStats, type FlowRecord, type FlowStats } from '../sources/flowlogs/types.js';
import { createTrailAnalyzer, type TrailAnalyzer } from './analyzer.js';
import { correlate } from './correlate.js';
import { createFlowAnalyzer } from './flows.js';
import { nothingAnalysed } from './coverage.js';
import { lookupQuery } from './declaration.js';
import { loadDetections } from './load.js';
import { parseEventTime } from './time.js';
import type { Coverage, DetectionDefinition, PrincipalTimeline, TrailThresholds } from './types.js';
import { detectionSummary } from './summary.js';
import type { CheckSummary } from '../results.js';

export interface LookupInput {
  lookup: {
    /** Region names, or ['all'] for the regions every commercial account has enabled. */
    regions: string[];
    since: Date;
    until: Date;
  };
}

export type TrailInputs = string[] | LookupInput;

export interface TrailRunOptions {
  /** Config thresholds (reconRegions, reconWindowMinutes); defaults from SPEC §7. */
  thresholds?: Partial<TrailThresholds>;
  /** Config `checks:` overrides (enabled, severity) by detection id. */
  checks?: Record<string, { enabled?: boolean; severity?: Severity }>;
  /** SESG-DET-013: calls up to this time form the first-seen baseline (default: the first half of the logs' span). */
  baselineUntil?: Date;
  /** For files and S3: only events in [since, until] are analysed. */
  since?: Date;
  until?: Date;
  now?: () => Date;
  /** Base for relative paths and for display names (default: process.cwd()). */
  cwd?: string;
  /** Logs read at once (default 4 for local files, 16 for S3). */
  concurrency?: number;
  /** One endpoint for all services (LocalStack and emulators). */
  endpoint?: string;
  /** Region of the S3 client (the bucket's region is followed on redirect). */
  region?: string;
  s3Client?: () => S3Client;
  cloudTrailClient?: (region: string) => CloudTrailClient;
  /** LookupEvents rate-limit clock, injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
  /** Detection metadata (default: policies/det/). */
  definitions?: DetectionDefinition[];
  /** CloudWatch Logs groups holding VPC Flow Logs (`NAME` in `region`, or the group's ARN). */
  flowLogGroups?: string[];
  /** Config `approvedMailRelays`: destinations workloads may reach on mail ports. */
  approvedMailRelays?: string[];
  /** The network interfaces of a scan snapshot (`--snapshot`): names the workload behind a flow log interface. */
  workloads?: import('./workloads.js').WorkloadDirectory;
  /** CloudWatch Logs and EC2 clients for a region (tests inject them). */
  logGroupClients?: (region: string) => import('../sources/flowlogs/cloudwatch.js').LogGroupClients;
}

export interface TrailRunResult {
  findings: Finding[];
  coverage: Coverage;
  timeline: PrincipalTimeline[];
  errors: InputError[];
  inputs: { files: TrailInputFile[]; skipped: string[] };
  /** The detections that ran (enabled ones). */
  detections: DetectionDefinition[];
  /** The same as the reporters list them (Results.checks), effective severity applied. */
  checks: CheckSummary[];
  startedAt: string;
  finishedAt: string;
}

function isLookup(inputs: TrailInputs): inputs is LookupInput {
  return !Array.isArray(inputs);
}

async function* single(buffer: Buffer): AsyncGenerator<Uint8Array> {
  yield buffer;
}

/** Runs `worker` over the items with at most `limit` in flight; items may arrive lazily. */
async function pool<T>(items: AsyncIterable<T> | Iterable<T>, limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  for await (const item of items) {
    const task: Promise<void> = worker(item).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
}

export async function runTrail(inputs: TrailInputs, options: TrailRunOptions = {}): Promise<TrailRunResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const definitions = options.definitions ?? loadDetections();
  const thresholds: TrailThresholds = {
    reconRegions: options.thresholds?.reconRegions ?? DEFAULT_THRESHOLDS.reconRegions,
    reconWindowMinutes: options.thresholds?.reconWindowMinutes ?? DEFAULT_THRESHOLDS.reconWindowMinutes,
    ...(options.baselineUntil ? { baselineUntil: options.baselineUntil.getTime() } : {}),
  };
  const lookup = isLookup(inputs);
  const analyzer = createTrailAnalyzer({ thresholds, definitions, overrides: options.checks, lookup });
  const flows = createFlowAnalyzer({ definitions, overrides: options.checks, approvedMailRelays: options.approvedMailRelays, workloads: options.workloads });
  const flowStats: FlowStats = emptyFlowStats();
  let flowInputs = 0;
  let flowOutside = 0;
  const flowSince = options.since ? Math.floor(options.since.getTime() / 1000) : undefined;
  const flowUntil = options.until ? Math.ceil(options.until.getTime() / 1000) : undefined;
  const errors: InputError[] = [];
  let flowWorkers: FlowWorkers | undefined;
  const files: TrailInputFile[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  let outside = 0;
  let digests = 0;

  if (lookup) {
    await readLookup(inputs.lookup, lookupQuery(definitions), options, analyzer, errors, files, notes);
  }
  else {
    const since = options.since?.getTime() ?? -Infinity;
    const until = options.until?.getTime() ?? Infinity;
    const ranged = options.since !== undefined || options.until !== undefined;
    // A record without a valid time is handed on: the analyzer counts it as malformed, never as outside.
    const add = (record: CloudTrailRecord, origin: string): void => {
      if (ranged) {
        const time = parseEventTime(record?.eventTime);
        if (time < since || time > until) {
          outside++;
          return;
        }
      }
      analyzer.add(record, origin);
    };
    const readFlow = async (input: AsyncIterable<Uint8Array> | Buffer, object: TrailObject): Promise<void> => {
      // The default format has no region field; S3 delivery names it in the key (…/vpcflowlogs/<region>/…).
      const region = /(?:^|\/)vpcflowlogs\/([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\//.exec(object.name)?.[1];
      const options = {
        wanted: flows.wanted, stats: flowStats, since: flowSince, until: flowUntil, onRecord: (r: FlowRecord) => flows.add(region && !r.region ? { ...r, region } : r),
      };
      // A file in memory is read on a worker thread (gunzip and scan on every core); a stream here.
      const { object: read, outside: out } = Buffer.isBuffer(input)
        ? await (flowWorkers ??= new FlowWorkers()).read(input, object.name, options)
        : await readFlowObject(input, object.name, options);
      if (region) flowStats.regions.add(region);
      flowInputs++;
      flowOutside += out;
      files.push({ file: object.name, kind: read.kind, sha256: read.sha256, bytes: read.bytes });
    };
    const failed = (object: TrailObject, error: unknown): void => {
      if (error instanceof NotFlowLogInput && object.walked) {
        // Another service's log in the same bucket or folder (ELB, Route 53 resolver): not ours to read.
        skipped.push(object.name);
        return;
      }
      if (error instanceof SkippedInput) {
        skipped.push(object.name);
        digests++;
        return;
      }
      errors.push({ file: object.name, message: error instanceof SourceError ? error.message : describeFailure(error) });
    };
    /**
     * Reads one log asynchronously: S3 objects, local files too large to read whole (streamed), and local flow
     * logs already in memory (gunzipped on the thread pool). What the object holds decides how it is read.
     */
    const read = async (object: TrailObject): Promise<void> => {
      try {
        const whole = object.whole?.() ?? null;
        const peeked = whole ? null : await peek(object.open());
        const kind = contentKind(whole ?? peeked?.head ?? new Uint8Array(0));
        if (kind === 'vpc-flow' || kind === 'parquet') {
          await readFlow(whole ?? (peeked?.stream as AsyncIterable<Uint8Array>), object);
          return;
        }
        const stream = whole ? single(whole) : (peeked?.stream as AsyncIterable<Uint8Array>);
        for await (const batch of readRecordBatches(stream, object.name)) for (const record of batch) add(record, object.name);
        files.push({ file: object.name, kind: 'cloudtrail' });
      } catch (error) {
        failed(object, error);
      }
    };
    /**
     * A local CloudTrail log read, gunzipped and parsed in one synchronous step: a trail is thousands of small
     * files, and a promise per file cost more than the work (B4). Returns what must still be read
     * asynchronously (flow logs, with the bytes already in hand, and files too large to parse whole), else null.
     */
    const readWholeLocal = (object: TrailObject): TrailObject | null => {
      try {
        const whole = object.whole?.() ?? null;
        if (!whole) return object;
        const kind = contentKind(whole);
        const records = kind === 'vpc-flow' || kind === 'parquet' ? null : parseWhole(whole, object.name);
        if (!records) return { ...object, whole: () => whole };
        for (const record of records) add(record, object.name);
        files.push({ file: object.name, kind: 'cloudtrail' });
      } catch (error) {
        failed(object, error);
      }
      return null;
    };
    const local = inputs.filter((i) => !isS3Url(i));
    if (local.length > 0) {
      const listing = listLocal(local, options.cwd ?? process.cwd());
      errors.push(...listing.errors);
      skipped.push(...listing.skipped);
      // Lazily, so only the logs in flight are held in memory.
      const rest = function* (): Generator<TrailObject> {
        for (const object of listing.objects) {
          const left = readWholeLocal(object);
          if (left) yield left;
        }
      };
      await pool(rest(), options.concurrency ?? 4, read);
    }
    const remote = inputs.filter(isS3Url);
    if (remote.length > 0) {
      // The S3 client (and the AWS SDK) loads only for runs that read S3.
      const { defaultS3Client, listS3 } = await import('../sources/cloudtrail/s3.js');
      const client = options.s3Client?.() ?? defaultS3Client({ region: options.region, endpoint: options.endpoint });
      for (const url of remote) {
        const objects = listS3(client, url, {
          since: options.since,
          until: options.until,
          onSkipped: (name) => skipped.push(name),
          onError: (error) => errors.push(error),
        });
        await pool(objects, options.concurrency ?? 16, read);
      }
    }
    if (outside > 0) notes.push(`${outside} event(s) outside the requested time range were not analysed.`);
    if (flowOutside > 0) notes.push(`${flowOutside} flow log record(s) to mail ports outside the requested time range were not analysed.`);
    if (digests > 0) notes.push(`${digests} CloudTrail digest file(s) recognised by their content were skipped (they hold hashes, not events).`);
    await flowWorkers?.close();
  }

  for (const group of options.flowLogGroups ?? []) {
    flowInputs += await readFlowLogGroup(group, options, flows, flowStats, errors, files, notes);
  }

  const report = analyzer.finish();
  const flowReport = flows.finish(flowStats, flowInputs);
  report.coverage.notes.push(...notes, ...flowReport.notes);
  report.coverage.detectionsSupported.push(...flowReport.support);
  report.coverage.detectionsSupported.sort((a, b) => a.id.localeCompare(b.id));
  report.coverage.flows = flowCoverage(flowStats, flowInputs);
  report.findings = correlate(report.findings, flowReport.findings, report.timeline);
  // A run that analysed nothing is not a clean run: one line naming why, and exit 2 (SPEC §11).
  if (errors.length === 0 && flowStats.records === 0 && flowInputs === 0) {
    const why = lookup ? nothingAnalysed(report.coverage, true) : nothingFromFiles(report.coverage, files.length, outside, options, inputs);
    if (why) errors.push({ message: why });
  }
  // Stable output whatever order files were read in.
  files.sort((a, b) => a.file.localeCompare(b.file));
  skipped.sort();
  errors.sort((a, b) => (a.file ?? a.region ?? '').localeCompare(b.file ?? b.region ?? ''));
  const disabled = new Set(Object.entries(options.checks ?? {}).filter(([, o]) => o.enabled === false).map(([id]) => id));
  const ran = definitions.filter((d) => !disabled.has(d.id));
  return {
    ...report,
    errors,
    inputs: { files, skipped },
    detections: ran,
    checks: ran.map((d) => detectionSummary(d, options.checks?.[d.id]?.severity)),
    startedAt,
    finishedAt: now().toISOString(),
  };
}

/** Why a run over files and S3 analysed nothing, or null when it analysed something. */
function nothingFromFiles(coverage: Coverage, files: number, outside: number, options: TrailRunOptions, inputs: readonly string[]): string | null {
  if (coverage.analysedEventCount > 0) return null;
  const range = options.since !== undefined || options.until !== undefined;
  const named = inputs.length === 0 ? 'the inputs' : inputs.length <= 3 ? inputs.join(', ') : `${inputs.slice(0, 3).join(', ')} and ${inputs.length - 3} more`;
  if (files === 0) return `nothing to analyse: no CloudTrail log or VPC flow log file was found in ${named}${range ? ' for --since/--until' : ''}`;
  if (outside > 0 && coverage.eventCount === 0) return `nothing to analyse: all ${outside} event(s) read are outside --since/--until`;
  return nothingAnalysed(coverage, false);
}

/** The flow logs part of the coverage statement. */
function flowCoverage(stats: FlowStats, inputs: number): Coverage['flows'] {
  return {
    inputs,
    records: stats.records,
    malformed: stats.malformed,
    nodata: stats.nodata,
    skipdata: stats.skipdata,
    timeSpan: stats.start !== null && stats.end !== null ? { start: new Date(stats.start * 1000).toISOString(), end: new Date(stats.end * 1000).toISOString() } : null,
    accounts: [...stats.accounts].sort(),
    regions: [...stats.regions].sort(),
    formats: [...stats.formats].sort(),
  };
}

/** One `--flow-log-group`: FilterLogEvents over the run's time range; returns the streams read. */
async function readFlowLogGroup(
  given: string,
  options: TrailRunOptions,
  flows: ReturnType<typeof createFlowAnalyzer>,
  stats: FlowStats,
  errors: InputError[],
  files: TrailInputFile[],
  notes: string[],
): Promise<number> {
  const { defaultLogGroupClients, logGroupOf, readLogGroup } = await import('../sources/flowlogs/cloudwatch.js');
  const group = logGroupOf(given, options.region ?? 'us-east-1');
  const clients = options.logGroupClients?.(group.region) ?? defaultLogGroupClients(group.region, options.endpoint);
  const until = options.until ?? (options.now ?? (() => new Date()))();
  const since = options.since ?? new Date(until.getTime() - 48 * 3600_000);
  const { objects, outside } = await readLogGroup(clients, group, {
    wanted: flows.wanted,
    stats,
    startTime: since.getTime(),
    endTime: until.getTime(),
    onRecord: (r) => flows.add(r),
    onError: (e) => errors.push(e),
    onNote: (n) => notes.push(n),
  });
  if (outside > 0) notes.push(`log group ${group.name}: ${outside} flow record(s) outside the requested time range were not analysed.`);
  for (const object of objects) files.push({ file: object.name, kind: object.kind, sha256: object.sha256, bytes: object.bytes });
  return objects.length;
}

async function readLookup(
  range: LookupInput['lookup'],
  /** Whole sources a detection reads (SES), plus the other declared events asked for by name. */
  query: { sources: string[]; names: string[] },
  options: TrailRunOptions,
  analyzer: TrailAnalyzer,
  errors: InputError[],
  files: TrailInputFile[],
  notes: string[],
): Promise<void> {
  const regions = range.regions.includes('all') ? DEFAULT_REGIONS : [...new Set(range.regions)];
  if (range.regions.includes('all')) {
    notes.push(`--regions all: the ${DEFAULT_REGIONS.length} regions enabled by default; opt-in regions must be named.`);
  }
  const { defaultCloudTrailClient, lookupRegion } = await import('../sources/cloudtrail/lookup.js');
  await Promise.all(
    regions.map(async (region) => {
      const client = options.cloudTrailClient?.(region) ?? defaultCloudTrailClient(region, options.endpoint);
      const before = errors.length;
      for await (const record of lookupRegion(client, region, {
        since: range.since,
        until: range.until,
        query,
        onError: (error) => errors.push(error),
        sleep: options.sleep,
        clock: options.clock,
      })) {
        analyzer.add(record, `lookup:${region}`);
      }
      if (errors.slice(before).every((e) => e.region !== region)) {
        analyzer.noteRegion(region);
        files.push({ file: `lookup:${region}`, kind: 'cloudtrail-lookup' });
      }
    }),
  );
}
