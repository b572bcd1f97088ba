// Types of the CloudTrail detection stage (SPEC §8, SESG-DET-*): what a detection declares, the compact
// event the analyzer keeps, the detector contract, and the report handed to the CLI and reporters.
import type { Finding, Severity } from '../engine/types.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/types.js';

/**
 * One fixture case of a detection: CloudTrail records as AWS writes them and/or a VPC flow log text as S3
 * delivers it (header line + records), optionally other thresholds or approved mail relays.
 */
export interface DetectionFixtureCase {
  name: string;
  records: CloudTrailRecord[];
  /** A flow log file's text (vpc-flow detections, and correlation cases). */
  flowLog?: string;
  /** `approvedMailRelays` for this case. */
  approvedMailRelays?: string[];
  thresholds?: Partial<TrailThresholds>;
  /** A `fires` case whose calls failed: it must be reported as an attempt (and only as one). */
  attempt?: boolean;
}

/** The input a detection reads: CloudTrail records, or VPC Flow Logs records (`vpc-flow`). */
export type DetectionInput = 'cloudtrail' | 'vpc-flow';

/** The flow records a vpc-flow detection reads: these destination ports, over these IP protocols (numbers). */
export interface FlowDeclaration {
  protocols: number[];
  ports: number[];
}

/** CloudTrail events of one source a detection reads; `names: ['*']` is every event of the source. */
export interface EventGroup {
  source: string;
  names: string[];
}

/** The event name that stands for every event of a source in a declaration. */
export const ALL_EVENTS = '*';

/** A detection's metadata as written in policies/det/<id>.yaml (schemas/detection.schema.json). */
export interface DetectionDefinition {
  id: string;
  title: string;
  severity: Severity;
  /** `D` CloudTrail, `F` VPC Flow Logs. */
  sources: ['D'] | ['F'];
  rationale: string;
  remediation: { console?: string; cli?: string };
  references: string[];
  /** What it reads. */
  input: DetectionInput;
  /**
   * The CloudTrail events it reads, by event source: the one declaration of them. The analyzer keeps
   * these events (and no others) and a detection that asks for one it did not declare fails. Empty for a
   * vpc-flow detection.
   */
  events: EventGroup[];
  /** The flow records it reads (vpc-flow detections only). */
  flows?: FlowDeclaration;
  /** True when it can only work on data events (SES send calls). */
  needsDataEvents?: boolean;
  /** It reads the first-seen source addresses and user agents of every key and role (KeyHistory). */
  keyHistory?: boolean;
  /** Cases that must produce a finding of this detection (`fires`) and benign look-alikes that must not (`quiet`). */
  fixtures: { fires: DetectionFixtureCase[]; quiet: DetectionFixtureCase[] };
  /** The file it was loaded from. */
  file: string;
}

/** The part of a CloudTrail record the detections read; kept only for events that matter. */
export interface TrailEvent {
  id: string;
  /** Epoch milliseconds. */
  time: number;
  name: string;
  source: string;
  region: string;
  account: string;
  /** The caller's ARN, or a stable stand-in when the record has none (service, anonymous). */
  principal: string;
  principalType: string;
  /** The role behind a role session, when the record names it. */
  issuer?: string;
  accessKey?: string;
  sourceIp?: string;
  userAgent?: string;
  errorCode?: string;
  /** Made by AWS itself: AWSService identity, invokedBy, a service-linked role, an AWS service address. */
  byAws: boolean;
  data: boolean;
  params: Record<string, unknown> | null;
  response: Record<string, unknown> | null;
  /** The file or S3 object the record was read from (raw evidence re-reads it). */
  origin?: string;
  /** ConsoleLogin: whether MFA was used (additionalEventData.MFAUsed), when the record says. */
  mfaUsed?: boolean;
}

/** When each source address and user agent was first seen for one caller (an access key, or a role). */
export interface KeyHistory {
  /** Epoch ms of the first call from each address / with each agent (bounded: see KEY_HISTORY_LIMIT). */
  sourceIps: Map<string, number>;
  userAgents: Map<string, number>;
  first: number;
}

/** SES send calls of one caller (principal + access key) in one 5-minute window. */
export interface SendBucket {
  start: number;
  /** Failed send calls (an attempt to send), counted apart from sends. */
  failed: boolean;
  count: number;
  first: number;
  last: number;
  regions: Set<string>;
  sourceIps: Set<string>;
  userAgents: Set<string>;
  /** The error codes of failed send calls (empty for sends that went through). */
  errorCodes: Set<string>;
  /** The first few events, as evidence. */
  samples: TrailEvent[];
}

export interface SendSeries {
  /** Who volume is measured for: the role for role sessions (sessions rotate), else the principal. */
  actor: string;
  /** Send calls that failed (errorCode set) are counted apart: attempts, never sends. */
  failed: boolean;
  principal: string;
  principalType: string;
  accessKey?: string;
  account: string;
  buckets: Map<number, SendBucket>;
}

export interface TrailThresholds {
  reconRegions: number;
  reconWindowMinutes: number;
  /** Epoch ms: calls up to then form the first-seen baseline (SESG-DET-013); default the middle of the logs' span. */
  baselineUntil?: number;
}

/**
 * What a detector sees at finish(), limited to what its definition declares: asking for an event (or
 * send volume) it did not declare throws, which makes the detection not assessed with that reason.
 */
export interface DetectContext {
  thresholds: TrailThresholds;
  /** Declared events with these names, successful and failed, sorted by time (then id). */
  named(...names: string[]): TrailEvent[];
  /** SES send volume per caller (needs the send events declared). */
  sends: SendSeries[];
  /** Everything SES saw from one access key: calls (sorted) and send windows (sorted). Needs `ses: ['*']`. */
  sesByKey(accessKey: string): { calls: TrailEvent[]; sends: SendBucket[] };
  /**
   * Records something the detection could not decide from the logs (a policy document that is not in
   * them): not a finding, never a silent pass; the coverage statement lists it.
   */
  undecided(reason: string): void;
  /** Every kept event of a source the detection reads whole (`names: ['*']`), in time order. */
  allOf(source: string): TrailEvent[];
  /** First-seen addresses and agents per caller (`keyHistory: true`), by caller id (see callerOf). */
  keyHistory(): Map<string, KeyHistory>;
  /** The time span of the analysed records (epoch ms) and the end of the baseline (`--baseline-until`, or the middle of the span). */
  span: { first: number; last: number; baselineUntil: number };
}

/** Related events shown with a finding, e.g. the creation of the key it used. */
export interface Related {
  relation: string;
  events: TrailEvent[];
}

/**
 * A detector's raw result; the analyzer turns it into a Finding with evidence. A hit is either a change
 * that happened (`attempt: false`, every event in `events` succeeded) or an attempt (`attempt: true`,
 * every event failed): never both (SPEC §8). Context that made a call matter (the creation of a key,
 * the policy that gave a user sending rights) goes in `related`.
 */
export interface Hit {
  attempt: boolean;
  /** The principal ARN or access key the finding is about (resource.id). */
  subject: string;
  subjectKind: 'principal' | 'access-key';
  account: string;
  /** The main region, when one. */
  region?: string;
  windowStart: number;
  windowEnd: number;
  message: string;
  events: TrailEvent[];
  related?: Related[];
  /** Detection-specific evidence merged into the finding's evidence. */
  details?: Record<string, unknown>;
}

/** The logic of one detection (src/detections/rules/<id>.ts); what it reads is declared in its YAML. */
export interface Detector {
  id: string;
  detect(context: DetectContext): Hit[];
}

export interface DetectionSupport {
  id: string;
  supported: boolean;
  why: string;
  /** The detection itself failed (threw): not assessed because of sesguard, not because of the logs. */
  failed?: boolean;
}

/** Records read but not analysed, for one reason. */
export interface SkippedRecords {
  reason: string;
  count: number;
  /** Broken records (as opposed to records that are not API calls, like Insights records). */
  malformed: boolean;
  /** The input the first of them came from. */
  firstIn?: string;
}

export interface Coverage {
  timeSpan: { start: string; end: string } | null;
  regions: string[];
  accounts: string[];
  /** Records read. */
  eventCount: number;
  /** Records that are API calls with a name, a source and a valid time: the ones the detections could use. */
  analysedEventCount: number;
  relevantEventCount: number;
  /** Records without an event name, a source or a valid time: counted, not analysed. */
  malformedRecords: number;
  /** Every record read but not analysed, by reason. */
  skipped: SkippedRecords[];
  dataEventsPresent: boolean;
  sesSendEventsPresent: boolean;
  detectionsSupported: DetectionSupport[];
  notes: string[];
  /** What the VPC Flow Logs of the run showed (absent in results written before flow logs were read). */
  flows?: FlowCoverage;
}

export interface FlowCoverage {
  /** Files, objects and log streams read as flow logs. */
  inputs: number;
  records: number;
  malformed: number;
  nodata: number;
  skipdata: number;
  timeSpan: { start: string; end: string } | null;
  accounts: string[];
  regions: string[];
  /** Record formats met: `default`, or a custom format's field names. */
  formats: string[];
}

export interface TimelineEntry {
  time: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  region: string;
  sourceIp?: string;
  accessKey?: string;
  errorCode?: string;
  /** Detections that used this event. */
  findings: string[];
}

export interface PrincipalTimeline {
  principal: string;
  principalType: string;
  byAws: boolean;
  accounts: string[];
  accessKeys: string[];
  sourceIps: string[];
  userAgents: string[];
  regions: string[];
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  /** Kept events in time order (at most TIMELINE_LIMIT; `truncated` says when more existed). */
  entries: TimelineEntry[];
  truncated: boolean;
  /** SES send calls per 5-minute window. */
  sends: { windowStart: string; count: number; regions: string[] }[];
}

export interface TrailReport {
  findings: Finding[];
  coverage: Coverage;
  timeline: PrincipalTimeline[];
}
