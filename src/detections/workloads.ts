// Who is behind a network interface, for the VPC Flow Logs detections: the network interfaces of a scan
// snapshot (`sesguard trail --snapshot FILE`, DescribeNetworkInterfaces at scan time) by interface id, with the
// instance or Lambda function, subnet, VPC and security groups. A snapshot shows the interfaces that existed
// when it was taken: an interface deleted before, or in an account or region the scan did not cover, is said
// to be missing with those reasons, never guessed.
import type { NetworkInterfaceProps } from '../inventory/types.js';
import type { Snapshot } from '../inventory/snapshot.js';

export interface Workload extends NetworkInterfaceProps {
  account?: string;
  region?: string;
}

export interface WorkloadDirectory {
  /** The snapshot file, as the user named it. */
  file: string;
  capturedAt: string;
  /** Interfaces by id (the same id twice only across partitions or in a hand-merged snapshot). */
  interfaces: Map<string, Workload[]>;
  /** `account region` pairs the scan covered, for saying why an interface is missing. */
  scanned: string[];
  /** `account region` → the error of a DescribeNetworkInterfaces that failed there. */
  failed: Map<string, string>;
}

export function workloadsFromSnapshot(snapshot: Snapshot, file: string): WorkloadDirectory {
  const interfaces = new Map<string, Workload[]>();
  for (const resource of snapshot.resources) {
    if (resource.type !== 'aws.ec2.network-interface') continue;
    const props = resource.props as NetworkInterfaceProps;
    const workload: Workload = { ...props, account: resource.provenance.account, region: resource.provenance.region };
    const list = interfaces.get(props.networkInterfaceId) ?? [];
    list.push(workload);
    interfaces.set(props.networkInterfaceId, list);
  }
  const scanned = snapshot.scope.accounts.filter((a) => a.status === 'scanned').flatMap((a) => a.regions.map((r) => `${a.accountId} ${r}`));
  const failed = new Map(
    snapshot.callErrors.filter((e) => e.call === 'ec2:DescribeNetworkInterfaces').map((e) => [`${e.account} ${e.region}`, e.error] as const),
  );
  return { file, capturedAt: snapshot.capturedAt, interfaces, scanned, failed };
}

/** The interface in the snapshot, matching account and region when the flow records name them. */
export function findWorkload(directory: WorkloadDirectory, interfaceId: string, account?: string, region?: string): Workload | undefined {
  const candidates = directory.interfaces.get(interfaceId) ?? [];
  return candidates.find((w) => (account === undefined || w.account === account) && (region === undefined || w.region === region));
}

/** Why an interface is not in the snapshot, in one clause. */
export function missingWorkload(directory: WorkloadDirectory, interfaceId: string, account?: string, region?: string): string {
  const where = account && region ? `${account} ${region}` : undefined;
  const covered = where === undefined ? undefined : directory.scanned.includes(where);
  const failure = where === undefined ? undefined : directory.failed.get(where);
  const why =
    failure !== undefined
      ? `ec2:DescribeNetworkInterfaces failed in ${where} during the scan (${failure})`
      : directory.interfaces.size === 0
      ? 'the snapshot holds no network interfaces (written by a version of sesguard that did not keep them, or ec2:DescribeNetworkInterfaces could not be read)'
      : covered === false
        ? `the scan did not cover ${where}`
        : 'it was deleted before the scan, or its account or region was not scanned';
  return `the instance or function behind the interface: ${interfaceId} is not in the snapshot ${directory.file} (captured ${directory.capturedAt}): ${why}`;
}

/** `i-…`, `lambda:<function>`, or the interface type for AWS-managed interfaces (NAT gateway, endpoint). */
export function workloadLabel(workload: Workload): string | undefined {
  if (workload.instanceId) return workload.instanceId;
  if (workload.lambdaFunction) return `lambda:${workload.lambdaFunction}`;
  if (workload.interfaceType && workload.interfaceType !== 'interface') return workload.interfaceType;
  return undefined;
}
