// The VPC Flow Logs half of `sesguard trail`: flow records to the declared ports (as the reader hands them on)
// aggregated per network interface and action — flows, packets, bytes, first and last time, destinations
// (bounded), the first records as evidence — so memory grows with interfaces and destinations, not with the
// input. Flows that are not outbound mail to the Internet are counted apart, never reported: to private,
// link-local, shared or other non-public space, to `approvedMailRelays`, or inbound (flow-direction ingress).
// The vpc-flow detectors run on these groups inside the same guard as the CloudTrail ones.
import type { Finding, Severity } from '../engine/types.js';
import { addressScope, addressSet, type AddressSet } from '../functions/addresses.js';
import type { FlowRecord, FlowStats, FlowWanted } from '../sources/flowlogs/types.js';
import { fingerprintOf } from './finding.js';
import { FLOW_DETECTORS } from './rules/flow-index.js';
import type { DetectionDefinition, DetectionSupport } from './types.js';
import { iso } from './windows.js';
import { findWorkload, missingWorkload, workloadLabel, type Workload, type WorkloadDirectory } from './workloads.js';

/** Destinations tracked per group; beyond this they are counted, not named. */
export const MAX_DESTINATIONS = 10_000;
/** Records kept per group as evidence (the earliest by time). */
export const SAMPLE_RECORDS = 20;

export interface FlowDestination {
  address: string;
  flows: number;
  bytes: number;
}

/** Flows of one interface (or instance, when the format has no interface) with one action. */
export interface FlowGroup {
  /** The interface id, or `instance:<id>` / `unknown` when the records name none. */
  key: string;
  interfaceId?: string;
  action: 'ACCEPT' | 'REJECT';
  accounts: Set<string>;
  regions: Set<string>;
  instanceIds: Set<string>;
  subnetIds: Set<string>;
  vpcIds: Set<string>;
  sourceAddresses: Set<string>;
  ports: Map<number, number>;
  /** Epoch seconds. */
  first: number;
  last: number;
  flows: number;
  packets: number;
  bytes: number;
  destinations: Map<string, FlowDestination>;
  /** Distinct destinations past MAX_DESTINATIONS (not named). */
  moreDestinations: number;
  /** IPv6 flows without flow-direction whose direction could not be told (an inbound connection looks the same). */
  directionUnknown: number;
  samples: FlowRecord[];
  /** The interface in the scan snapshot (`--snapshot`), set before the detectors run. */
  workload?: Workload;
}

/** Why flows to mail ports were not reported, counted for the coverage statement. */
export interface FlowQuiet {
  approvedRelay: number;
  nonPublic: number;
  inbound: number;
  notAnAddress: number;
}

export interface FlowContext {
  /** Groups of outbound flows to public destinations that are not approved relays, by action. */
  groups(action: 'ACCEPT' | 'REJECT'): FlowGroup[];
}

/** A vpc-flow detector's result; the analyzer turns it into a finding. */
export interface FlowHit {
  group: FlowGroup;
  /** Rejected traffic: blocked, so an attempt (the evidence says so; the detection's severity already reflects it). */
  attempt: boolean;
  message: string;
  details?: Record<string, unknown>;
}

export interface FlowDetector {
  id: string;
  detect(context: FlowContext): FlowHit[];
}

export interface FlowAnalyzerOptions {
  definitions: DetectionDefinition[];
  overrides?: Record<string, { enabled?: boolean; severity?: Severity }>;
  approvedMailRelays?: readonly string[];
  detectors?: readonly FlowDetector[];
  /** The network interfaces of a scan snapshot (`--snapshot`): the workload behind each interface. */
  workloads?: WorkloadDirectory;
}

export interface FlowReport {
  findings: Finding[];
  support: DetectionSupport[];
  quiet: FlowQuiet;
  notes: string[];
}

export interface FlowAnalyzer {
  /** What the reader must keep: the union of the declared ports and protocols. */
  wanted: FlowWanted;
  add(record: FlowRecord): void;
  finish(stats: FlowStats, inputs: number): FlowReport;
}

function addTo<T>(set: Set<T>, value: T | undefined, cap = 1000): void {
  if (value !== undefined && set.size < cap) set.add(value);
}

/** `eni-… (i-…, subnet-…, vpc-…)`: what a message names the workload by. */
export function workloadName(group: FlowGroup): string {
  const label = group.workload ? workloadLabel(group.workload) : undefined;
  const named = label && !group.instanceIds.has(label) ? [label] : [];
  const parts = named.concat([...group.instanceIds], [...group.subnetIds], [...group.vpcIds]);
  const head = group.interfaceId ?? group.key;
  return parts.length > 0 ? `${head} (${parts.join(', ')})` : head;
}

/** The most-used destinations, by flows then bytes then address. */
export function topDestinations(group: FlowGroup, n = 10): FlowDestination[] {
  return [...group.destinations.values()].sort((a, b) => b.flows - a.flows || b.bytes - a.bytes || a.address.localeCompare(b.address)).slice(0, n);
}

export function distinctDestinations(group: FlowGroup): number {
  return group.destinations.size + group.moreDestinations;
}

function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex -- one line without control characters
  return `the detection failed (${message.split('\n')[0].replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 300)})`;
}

export function createFlowAnalyzer(options: FlowAnalyzerOptions): FlowAnalyzer {
  const flowDefinitions = options.definitions.filter((d) => d.input === 'vpc-flow');
  const ports = new Set<number>();
  const protocols = new Set<number>();
  for (const d of flowDefinitions) {
    for (const p of d.flows?.ports ?? []) ports.add(p);
    for (const p of d.flows?.protocols ?? []) protocols.add(p);
  }
  const relays: AddressSet = addressSet(options.approvedMailRelays ?? []);
  const groups = new Map<string, FlowGroup>();
  const quiet: FlowQuiet = { approvedRelay: 0, nonPublic: 0, inbound: 0, notAnAddress: 0 };
  let kept = 0;
  // Own addresses of interfaces, learned from IPv6 flows whose direction is stated (egress: the source).
  const ownAddresses = new Set<string>();

  function groupOf(record: FlowRecord, action: 'ACCEPT' | 'REJECT'): FlowGroup {
    const key = record.interfaceId ?? (record.instanceId ? `instance:${record.instanceId}` : 'unknown');
    const id = `${key}\u0000${action}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        key, action, accounts: new Set(), regions: new Set(), instanceIds: new Set(), subnetIds: new Set(), vpcIds: new Set(), sourceAddresses: new Set(),
        ports: new Map(), first: Infinity, last: -Infinity, flows: 0, packets: 0, bytes: 0, destinations: new Map(), moreDestinations: 0, directionUnknown: 0, samples: [],
        ...(record.interfaceId ? { interfaceId: record.interfaceId } : {}),
      };
      groups.set(id, group);
    }
    return group;
  }

  return {
    wanted: { ports, protocols },
    add(record) {
      if (record.action !== 'ACCEPT' && record.action !== 'REJECT') return;
      if (record.flowDirection === 'ingress') {
        quiet.inbound++;
        return;
      }
      // Behind a NAT gateway or an AWS service interface the packet's own destination is pkt-dstaddr.
      const destination = record.pktDstaddr ?? record.dstaddr;
      const scope = destination ? addressScope(destination) : null;
      if (!destination || scope === null) {
        quiet.notAnAddress++;
        return;
      }
      if (scope !== 'public') {
        quiet.nonPublic++;
        return;
      }
      if (relays.size > 0 && relays.has(destination)) {
        quiet.approvedRelay++;
        return;
      }
      if (record.flowDirection === 'egress' && record.srcaddr?.includes(':')) ownAddresses.add(record.srcaddr);
      kept++;
      const group = groupOf(record, record.action);
      group.flows++;
      group.packets += record.packets ?? 0;
      group.bytes += record.bytes ?? 0;
      group.first = Math.min(group.first, record.start);
      group.last = Math.max(group.last, record.end ?? record.start);
      addTo(group.accounts, record.account);
      addTo(group.regions, record.region);
      addTo(group.instanceIds, record.instanceId);
      addTo(group.subnetIds, record.subnetId);
      addTo(group.vpcIds, record.vpcId);
      addTo(group.sourceAddresses, record.pktSrcaddr ?? record.srcaddr, 50);
      if (record.dstport !== undefined) group.ports.set(record.dstport, (group.ports.get(record.dstport) ?? 0) + 1);
      if (destination.includes(':') && record.flowDirection === undefined) group.directionUnknown++;
      const known = group.destinations.get(destination);
      if (known) {
        known.flows++;
        known.bytes += record.bytes ?? 0;
      }
      else if (group.destinations.size < MAX_DESTINATIONS) group.destinations.set(destination, { address: destination, flows: 1, bytes: record.bytes ?? 0 });
      else group.moreDestinations++;
      // The earliest records by time (then source and line), whatever the order files were read in.
      const samples = group.samples;
      const before = (a: FlowRecord, b: FlowRecord) => a.start - b.start || a.source.localeCompare(b.source) || a.line - b.line;
      if (samples.length < SAMPLE_RECORDS) {
        samples.push(record);
        samples.sort(before);
      }
      else if (before(record, samples[SAMPLE_RECORDS - 1]) < 0) {
        samples[SAMPLE_RECORDS - 1] = record;
        samples.sort(before);
      }
    },
    finish(stats, inputs) {
      // IPv6 flows whose destination is an interface's own address (seen as an egress source) were inbound.
      if (ownAddresses.size > 0) {
        for (const group of groups.values()) {
          for (const address of ownAddresses) {
            const d = group.destinations.get(address);
            if (!d) continue;
            group.destinations.delete(address);
            group.flows -= d.flows;
            group.bytes -= d.bytes;
            group.directionUnknown = Math.max(0, group.directionUnknown - d.flows);
            quiet.inbound += d.flows;
          }
        }
      }
      // What the snapshot knows about each interface, merged where the records' own fields are silent.
      if (options.workloads) {
        for (const group of groups.values()) {
          if (!group.interfaceId) continue;
          const account = group.accounts.size === 1 ? [...group.accounts][0] : undefined;
          const region = group.regions.size === 1 ? [...group.regions][0] : undefined;
          const workload = findWorkload(options.workloads, group.interfaceId, account, region);
          if (!workload) continue;
          group.workload = workload;
          if (workload.instanceId) group.instanceIds.add(workload.instanceId);
          if (workload.subnetId && group.subnetIds.size === 0) group.subnetIds.add(workload.subnetId);
          if (workload.vpcId && group.vpcIds.size === 0) group.vpcIds.add(workload.vpcId);
        }
      }
      const context: FlowContext = {
        groups: (action) =>
          [...groups.values()].filter((g) => g.action === action && g.flows > 0).sort((a, b) => a.first - b.first || a.key.localeCompare(b.key)),
      };
      const logic = new Map((options.detectors ?? FLOW_DETECTORS).map((d) => [d.id, d]));
      const findings: Finding[] = [];
      const support: DetectionSupport[] = [];
      for (const definition of flowDefinitions) {
        const id = definition.id;
        if (options.overrides?.[id]?.enabled === false) {
          support.push({ id, supported: false, why: 'disabled in the configuration' });
          continue;
        }
        const detector = logic.get(id);
        if (!detector) {
          support.push({ id, supported: false, why: 'this version of sesguard has no logic for this detection', failed: true });
          continue;
        }
        const unusable = [...stats.unusable.values()].flat();
        if (stats.records === 0) {
          support.push({
            id,
            supported: false,
            why: inputs === 0 ? 'no VPC Flow Logs were read' : unusable.length > 0 ? `the flow log format lacks ${[...new Set(unusable)].join(', ')}` : 'the flow logs read hold no records',
          });
          continue;
        }
        try {
          const severity = options.overrides?.[id]?.severity ?? definition.severity;
          findings.push(...detector.detect(context).map((hit) => flowFinding(hit, definition, severity, options.workloads)));
          support.push({ id, supported: true, why: `${stats.records} flow log records read (${kept} to public destinations on the declared ports)` });
        } catch (error) {
          support.push({ id, supported: false, why: failureReason(error), failed: true });
        }
      }
      const notes: string[] = [];
      if (stats.records > 0) {
        const skipped = quiet.approvedRelay + quiet.nonPublic + quiet.inbound;
        if (skipped > 0) {
          notes.push(
            `VPC Flow Logs: ${skipped} flow(s) to mail ports were not reported: ${quiet.approvedRelay} to approvedMailRelays, ` +
              `${quiet.nonPublic} to private, link-local, shared or other non-public addresses, ${quiet.inbound} inbound.`,
          );
        }
        if (stats.malformed > 0) {
          notes.push(`VPC Flow Logs: ${stats.malformed} line(s) were not records of their file's format and were not analysed (first: ${stats.firstMalformed?.source} line ${stats.firstMalformed?.line}).`);
        }
        if (stats.skipdata > 0) notes.push(`VPC Flow Logs: ${stats.skipdata} SKIPDATA record(s): AWS dropped flow records in those capture windows, so traffic may be missing.`);
      }
      return { findings, support, quiet, notes };
    },
  };
}

/** A flow hit as a finding: the interface is the resource; the evidence names the records it rests on. */
function flowFinding(hit: FlowHit, definition: DetectionDefinition, severity: Severity, workloads: WorkloadDirectory | undefined): Finding {
  const group = hit.group;
  const windowStart = group.first * 1000;
  const account = group.accounts.size === 1 ? [...group.accounts][0] : undefined;
  const region = group.regions.size === 1 ? [...group.regions][0] : undefined;
  // The snapshot's instance, subnet and VPC are already in the sets (finish); evidence.workload says so.
  const { workload, instanceIds, subnetIds, vpcIds } = group;
  const unknown: string[] = [];
  if (instanceIds.size === 0 && !(workload && workloadLabel(workload))) {
    if (workloads && group.interfaceId && !workload) unknown.push(missingWorkload(workloads, group.interfaceId, account, region));
    else if (workload) unknown.push(`the instance or function behind the interface: the snapshot lists ${group.interfaceId} detached (no instance, no function)`);
    else unknown.push('the instance or function behind the interface (no instance-id field in these logs; give --snapshot with a scan snapshot to name it)');
  }
  // EC2 names a NAT gateway's interface `natGateway` (DescribeNetworkInterfaces); `nat_gateway` is accepted too.
  if (workload?.interfaceType === 'natGateway' || workload?.interfaceType === 'nat_gateway') {
    unknown.push('the workload sending through this NAT gateway (sourceAddresses hold its private address when the log format has pkt-srcaddr)');
  }
  if (subnetIds.size === 0) unknown.push('subnet and VPC (no subnet-id / vpc-id fields)');
  if (group.directionUnknown > 0) {
    unknown.push(`the direction of ${group.directionUnknown} IPv6 flow(s): without flow-direction an inbound connection to a mail server on this interface looks the same`);
  }
  const evidence: Record<string, unknown> = {
    attempt: hit.attempt,
    input: 'vpc-flow',
    windowStart: iso(windowStart),
    windowEnd: iso(group.last * 1000),
    interfaceId: group.interfaceId ?? null,
    instanceIds: [...instanceIds].sort(),
    subnetIds: [...subnetIds].sort(),
    vpcIds: [...vpcIds].sort(),
    ...(workload && workloads ? { workload: workloadEvidence(workload, workloads) } : {}),
    accounts: [...group.accounts].sort(),
    regions: [...group.regions].sort(),
    sourceAddresses: [...group.sourceAddresses].sort(),
    action: group.action,
    ports: Object.fromEntries([...group.ports].sort((a, b) => a[0] - b[0])),
    flows: group.flows,
    packets: group.packets,
    bytes: group.bytes,
    distinctDestinations: distinctDestinations(group),
    topDestinations: topDestinations(group),
    records: group.samples.map((r) => ({ source: r.source, line: r.line, ...(r.eventId ? { eventId: r.eventId } : {}), raw: r.raw })),
    ...(unknown.length > 0 ? { unknown } : {}),
    ...hit.details,
  };
  const resource: Finding['resource'] = { type: 'aws.ec2.network-interface', id: group.key, name: workloadName(group) };
  if (account) resource.account = account;
  if (region) resource.region = region;
  if (account && region && group.interfaceId) resource.arn = `arn:aws:ec2:${region}:${account}:network-interface/${group.interfaceId}`;
  return {
    checkId: definition.id,
    // Blocked traffic has its own detection (SESG-DET-012) with its own, lower severity: no step down here.
    severity,
    title: definition.title,
    message: hit.message,
    resource,
    evidence,
    suppressed: null,
    fingerprint: fingerprintOf(definition.id, group.key, windowStart, hit.attempt),
  };
}

/** The snapshot's view of the interface, as the finding's evidence carries it. */
function workloadEvidence(workload: Workload, directory: WorkloadDirectory): Record<string, unknown> {
  const { account, region, ...props } = workload;
  return { source: 'snapshot', snapshot: directory.file, capturedAt: directory.capturedAt, ...(account ? { account } : {}), ...(region ? { region } : {}), ...props };
}
