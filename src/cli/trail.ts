// `sesguard trail <path|s3://...> | --lookup | --flow-log-group NAME`: the runbook detections over CloudTrail and
// VPC Flow Logs. The detections load when the command runs; the AWS SDK only when the logs are in S3, read with
// LookupEvents or in CloudWatch Logs.
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { SNAPSHOT_NOT_JSON, trailResults, validSnapshot } from '../run.js';
import type { TrailInputs } from '../detections/index.js';
import { DEFAULT_REGIONS } from '../sources/cloudtrail/regions.js';
import { ENDPOINT, REGIONS, homeRegion } from './aws-options.js';
import { command } from './command.js';
import { CONFIG, OUTPUTS, SEVERITY_GATE, finish } from './gate.js';
import { flag, list, text } from './options.js';
import { readJsonObject } from './read.js';
import type { BundleFile } from '../evidence/bundle.js';

/** `2026-11-23T10:00:00Z`, `2026-11-23`, or relative to now: `30m`, `48h`, `7d`. */
export function timeOf(value: string | undefined, flag: string, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const relative = /^([0-9]+)([mhd])$/.exec(value);
  if (relative) {
    const ms = Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - ms);
  }
  const t = Date.parse(value);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(value) || Number.isNaN(t)) {
    throw new ConfigError(`${flag} takes an ISO time (2026-11-23T10:00:00Z), a date, or a duration back from now (30m, 48h, 7d); got "${value}"`);
  }
  return new Date(t);
}

export default command({
  options: {
    lookup: flag('LookupEvents (management events only) in --regions instead of log files'),
    since: text('T', 'from this time: ISO time, date, or back from now: 30m, 48h, 7d (lookup default: 48h)'),
    until: text('T', 'up to this time (same forms; default now)'),
    'baseline-until': text('T', 'SESG-DET-013: calls up to this time are the baseline of addresses and agents each key is known by (default: the first half of the logs)'),
    snapshot: text('FILE', 'a scan snapshot (sesguard scan --snapshot): names the instance or function, subnet and security groups behind each flow log interface'),
    'flow-log-group': list('NAME', 'VPC Flow Logs in this CloudWatch Logs group (name in the home region, or the group ARN); read with FilterLogEvents over --since/--until (default: the last 48h)'),
    ...REGIONS,
    ...ENDPOINT,
    ...CONFIG,
    ...OUTPUTS,
    ...SEVERITY_GATE,
  },
  async run(args, values, io) {
    const config = loadConfig(values.config, io.cwd);
    const now = (io.now ?? (() => new Date()))();
    const since = timeOf(values.since, '--since', now);
    const until = timeOf(values.until, '--until', now);
    if (since && until && since > until) throw new ConfigError('--since is after --until');
    const baselineUntil = timeOf(values['baseline-until'], '--baseline-until', now);
    let inputs: TrailInputs;
    if (values.lookup) {
      if (args.length > 0) throw new ConfigError('--lookup reads CloudTrail LookupEvents: give no paths with it');
      inputs = {
        lookup: {
          regions: !values.regions || values.regions === 'all' ? [...DEFAULT_REGIONS] : values.regions,
          since: since ?? new Date(now.getTime() - 48 * 3_600_000),
          until: until ?? now,
        },
      };
    } else {
      if (args.length === 0 && values['flow-log-group'].length === 0) {
        throw new ConfigError('trail needs CloudTrail or VPC Flow Logs files, folders or s3:// prefixes, --lookup, or --flow-log-group');
      }
      if (values.regions) throw new ConfigError('--regions applies to --lookup: log files carry their own regions');
      inputs = args;
    }
    const { runTrail, workloadsFromSnapshot } = await import('../detections/index.js');
    // Read before the logs: a wrong snapshot is one line and exit 2 without reading gigabytes first.
    const workloads = values.snapshot
      ? workloadsFromSnapshot(validSnapshot(readJsonObject(values.snapshot, io, 'snapshot', { invalid: SNAPSHOT_NOT_JSON, notAnObject: SNAPSHOT_NOT_JSON }), values.snapshot), values.snapshot)
      : undefined;
    const run = await runTrail(inputs, {
      thresholds: { reconRegions: config.thresholds.reconRegions, reconWindowMinutes: config.thresholds.reconWindowMinutes },
      checks: config.checks,
      since,
      until,
      now: () => now,
      cwd: io.cwd,
      endpoint: values['endpoint-url'],
      region: homeRegion(io.env ?? process.env),
      flowLogGroups: values['flow-log-group'],
      baselineUntil,
      approvedMailRelays: config.approvedMailRelays,
      workloads,
    });
    // SARIF needs a file for each result: without a config file to anchor on, use the first log read.
    const firstLog = run.inputs.files.find((f) => !/^s3:|^lookup|^logs:/.test(f.file))?.file;
    const anchored = values['sarif-anchor'] || config.file || !firstLog ? values : { ...values, 'sarif-anchor': firstLog };
    const results = trailResults(run, config);
    // The evidence bundle carries, per finding, the raw records it cites and the hashes of their sources.
    const raw: BundleFile[] = values.evidence ? (await import('../evidence/raw.js')).rawEvidence(results, io.cwd) : [];
    // The snapshot that named the workloads goes with them (copied when the bundle is written, not held).
    if (values.evidence && values.snapshot) raw.push({ name: 'snapshot.json', copyOf: path.resolve(io.cwd, values.snapshot) });
    return finish(results, anchored, io, config, raw);
  },
});
