// What the VPC Flow Logs reader hands on: one record per flow line the detections asked for (by destination
// port), with where it came from and its raw text, and counters for everything else it read.

/** One flow log record, reduced to the fields sesguard reads. Absent or `-` fields are undefined. */
export interface FlowRecord {
  /** Display name of the input: a file path, `s3://bucket/key`, or `logs:<group>/<stream>`. */
  source: string;
  /** 1-based line of the decompressed text (row index + 1 for Parquet; event index + 1 for CloudWatch Logs). */
  line: number;
  /** The line exactly as read (Parquet: the row's values joined by spaces in the file's column order). */
  raw: string;
  /** CloudWatch Logs: the event's id. */
  eventId?: string;
  account?: string;
  interfaceId?: string;
  srcaddr?: string;
  dstaddr?: string;
  srcport?: number;
  dstport?: number;
  protocol?: number;
  packets?: number;
  bytes?: number;
  /** Epoch seconds. */
  start: number;
  end?: number;
  action?: 'ACCEPT' | 'REJECT';
  logStatus?: string;
  vpcId?: string;
  subnetId?: string;
  instanceId?: string;
  /** `ingress` or `egress` when the format has flow-direction. */
  flowDirection?: string;
  /** The packet-level destination (behind a NAT gateway or an interface of an AWS service). */
  pktDstaddr?: string;
  pktSrcaddr?: string;
  region?: string;
  /** IPv4, IPv6 or EFA. */
  type?: string;
}

/** What the detections ask the reader for: flows to these destination ports, of these protocols. */
export interface FlowWanted {
  ports: ReadonlySet<number>;
  protocols: ReadonlySet<number>;
}

/** Counters over every line read, kept or not (the coverage statement of the run). */
export interface FlowStats {
  /** Record lines read (headers excluded). */
  records: number;
  /** Lines that are not records of the file's format (wrong field count, bad numbers), counted not analysed. */
  malformed: number;
  /** The first malformed line, for the coverage note. */
  firstMalformed?: { source: string; line: number };
  /** Records whose log-status is NODATA (no traffic) or SKIPDATA (records lost by AWS). */
  nodata: number;
  skipdata: number;
  /** Earliest start and latest end seen (epoch seconds), or null. */
  start: number | null;
  end: number | null;
  accounts: Set<string>;
  regions: Set<string>;
  interfaces: Set<string>;
  /** Formats met, by their header (`default` for the default format). */
  formats: Set<string>;
  /** Formats that lack a field the detections need (`field, field` by format). */
  unusable: Map<string, string[]>;
}

export function emptyFlowStats(): FlowStats {
  return {
    records: 0,
    malformed: 0,
    nodata: 0,
    skipdata: 0,
    start: null,
    end: null,
    accounts: new Set(),
    regions: new Set(),
    interfaces: new Set(),
    formats: new Set(),
    unusable: new Map(),
  };
}

/** One source object read: its name, size and the SHA-256 of its bytes as read (compressed, as delivered). */
export interface SourceObject {
  name: string;
  kind: 'vpc-flow' | 'vpc-flow-parquet' | 'vpc-flow-logs-group';
  bytes: number;
  sha256: string;
}
