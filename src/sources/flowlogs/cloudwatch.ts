// VPC Flow Logs delivered to CloudWatch Logs (`--flow-log-group NAME`): the record format comes from the flow
// log that writes to the group (ec2:DescribeFlowLogs, LogFormat), then FilterLogEvents pages through the
// group's events over the time range. Each event's message is one record; each stream is one interface and
// is read like one file (a scanner per stream), so evidence names group, stream and event. Read-only calls.
import { createHash } from 'node:crypto';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { InputError } from '../../inventory/types.js';
import { describeFailure } from '../cloudtrail/read.js';
import { logFormatOf, type FlowFormat } from './format.js';
import { FlowLineScanner, NotFlowLog, UnusableFormat, type FlowScanOptions } from './scan.js';
import type { FlowRecord, FlowStats, SourceObject } from './types.js';

export interface LogGroupLocation {
  name: string;
  region: string;
}

/** `NAME` (in `home`), or the group's ARN `arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]`. */
export function logGroupOf(given: string, home: string): LogGroupLocation {
  const arn = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):[0-9]{12}:log-group:(.+?)(:\*)?$/.exec(given);
  return arn ? { name: arn[2], region: arn[1] } : { name: given, region: home };
}

export interface LogGroupClients {
  logs: CloudWatchLogsClient;
  ec2: EC2Client;
}

export function defaultLogGroupClients(region: string, endpoint?: string): LogGroupClients {
  const common = { region, maxAttempts: 5, ...(endpoint ? { endpoint } : {}) };
  return { logs: new CloudWatchLogsClient(common), ec2: new EC2Client(common) };
}

export interface ReadLogGroupOptions extends Omit<FlowScanOptions, 'format'> {
  stats: FlowStats;
  /** Epoch ms bounds given to FilterLogEvents. */
  startTime: number;
  endTime: number;
  onError(error: InputError): void;
  onNote(note: string): void;
}

/** The format the flow log writing to this group uses, or null (with a note) when it cannot be learned. */
async function formatOf(client: EC2Client, group: LogGroupLocation, onNote: (note: string) => void): Promise<FlowFormat | null> {
  try {
    const out = await client.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'log-group-name', Values: [group.name] }] }));
    const formats = new Set((out.FlowLogs ?? []).map((f) => f.LogFormat).filter((f): f is string => typeof f === 'string' && f !== ''));
    if (formats.size > 1) onNote(`log group ${group.name}: ${formats.size} flow logs with different formats write to it; records are read with the format of the first that fits each stream`);
    for (const text of formats) {
      const format = logFormatOf(text);
      if (format) return format;
    }
    if ((out.FlowLogs ?? []).length === 0) onNote(`log group ${group.name}: DescribeFlowLogs names no flow log writing to it (deleted?); records are read if they are in the default format`);
    return null;
  } catch (error) {
    onNote(`log group ${group.name}: DescribeFlowLogs failed (${describeFailure(error)}); records are read if they are in the default format`);
    return null;
  }
}

/** One stream being read: its scanner, hash of the messages as read, and the event being pushed. */
interface StreamState {
  scanner: FlowLineScanner | null;
  hash: ReturnType<typeof createHash>;
  bytes: number;
  failed: boolean;
  eventId: string;
}

/**
 * Reads a log group's flow records. Returns one SourceObject per stream read (CloudWatch Logs has no file:
 * the SHA-256 is of the stream's messages, each followed by a newline, in the order FilterLogEvents gave them).
 */
export async function readLogGroup(clients: LogGroupClients, group: LogGroupLocation, options: ReadLogGroupOptions): Promise<{ objects: SourceObject[]; outside: number }> {
  const format = (await formatOf(clients.ec2, group, options.onNote)) ?? undefined;
  const streams = new Map<string, StreamState>();
  let current: StreamState | null = null;
  const onRecord = (record: FlowRecord): void => {
    options.onRecord({ ...record, eventId: current?.eventId });
  };
  const stateOf = (stream: string): StreamState => {
    let state = streams.get(stream);
    if (!state) {
      const name = `logs:${group.region}:${group.name}:${stream}`;
      let scanner: FlowLineScanner | null = null;
      let failed = false;
      try {
        scanner = new FlowLineScanner(name, options.stats, { ...options, onRecord, format: format ?? undefined });
      } catch (error) {
        failed = true;
        options.onError({ file: name, message: (error as Error).message });
      }
      state = { scanner, hash: createHash('sha256'), bytes: 0, failed, eventId: '' };
      streams.set(stream, state);
    }
    return state;
  };
  let token: string | undefined;
  do {
    let page;
    try {
      page = await clients.logs.send(
        new FilterLogEventsCommand({ logGroupName: group.name, startTime: options.startTime, endTime: options.endTime, nextToken: token, limit: 10_000 }),
      );
    } catch (error) {
      options.onError({ file: `logs:${group.region}:${group.name}`, region: group.region, call: 'FilterLogEvents', message: describeFailure(error) });
      break;
    }
    for (const event of page.events ?? []) {
      const state = stateOf(event.logStreamName ?? '-');
      const line = Buffer.from(`${event.message ?? ''}\n`, 'latin1');
      state.hash.update(line);
      state.bytes += line.length;
      if (state.failed || !state.scanner) continue;
      current = state;
      state.eventId = event.eventId ?? '';
      try {
        state.scanner.push(line);
      } catch (error) {
        state.failed = true;
        const name = `logs:${group.region}:${group.name}:${event.logStreamName}`;
        const why = error instanceof NotFlowLog || error instanceof UnusableFormat ? error.message : describeFailure(error);
        options.onError({ file: name, message: format ? why : `${why}; a custom format needs ec2:DescribeFlowLogs to be read` });
      }
    }
    token = page.nextToken;
  } while (token);
  const objects: SourceObject[] = [];
  let outside = 0;
  for (const [stream, state] of [...streams].sort(([a], [b]) => a.localeCompare(b))) {
    if (state.failed) continue;
    state.scanner?.end();
    outside += state.scanner?.outside ?? 0;
    objects.push({ name: `logs:${group.region}:${group.name}:${stream}`, kind: 'vpc-flow-logs-group', bytes: state.bytes, sha256: state.hash.digest('hex') });
  }
  return { objects, outside };
}

