// Types of the CloudTrail detection stage (SPEC §8, SESG-DET-*): the compact event the analyzer keeps,
// the detector contract, and the report handed to the CLI and reporters.
import type { Finding, Severity } from '../engine/types.js';
import type { CloudTrailRecord } from '../sources/cloudtrail/types.js';

/** One fixture case of a detection: CloudTrail records as AWS writes them, optionally other thresholds. */
export interface DetectionFixtureCase {
  name: string;
  records: CloudTrailRecord[];
  thresholds?: Partial<TrailThresholds>;
}

/** A detection's metadata as written in policies/det/<id>.yaml (schemas/detection.schema.json). */
export interface DetectionDefinition {
  id: string;
  title: string;
  severity: Severity;
  sources: ['D'];
  rationale: string;
  remediation: { console?: string; cli?: string };
  references: string[];
  /** The CloudTrail events the detection relies on, by event source. */
  events: { source: string; names: string[] }[];
  /** True when it can only work on data events (SES send calls). */
  needsDataEvents?: boolean;
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
}

/** SES send calls of one caller (principal + access key) in one 5-minute window. */
export interface SendBucket {
  start: number;
  count: number;
  first: number;
  last: number;
  regions: Set<string>;
  sourceIps: Set<string>;
  userAgents: Set<string>;
  /** The first few events, as evidence. */
  samples: TrailEvent[];
}

export interface SendSeries {
  /** Who volume is measured for: the role for role sessions (sessions rotate), else the principal. */
  actor: string;
  principal: string;
  principalType: string;
  accessKey?: string;
  account: string;
  buckets: Map<number, SendBucket>;
}

export interface TrailThresholds {
  reconRegions: number;
  reconWindowMinutes: number;
}

/** What a detector sees at finish(): every kept event sorted by time, and send volume per caller. */
export interface DetectContext {
  thresholds: TrailThresholds;
  /** Kept events with this name, sorted by time (then id). */
  named(...names: string[]): TrailEvent[];
  sends: SendSeries[];
  /** The CreateAccessKey event that created a key, when it is in the logs. */
  keyCreation(accessKey: string): TrailEvent | undefined;
  /** Everything SES saw from one access key: kept calls (sorted) and send windows (sorted). */
  sesByKey(accessKey: string): { calls: TrailEvent[]; sends: SendBucket[] };
}

/** Related events shown with a finding, e.g. the creation of the key it used. */
export interface Related {
  relation: string;
  events: TrailEvent[];
}

/** A detector's raw result; the analyzer turns it into a Finding with evidence. */
export interface Hit {
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

export interface Detector {
  id: string;
  /** The CloudTrail events it reads; tests assert this equals the YAML's `events`. */
  events: { source: string; names: string[] }[];
  detect(context: DetectContext): Hit[];
}

export interface DetectionSupport {
  id: string;
  supported: boolean;
  why: string;
}

export interface Coverage {
  timeSpan: { start: string; end: string } | null;
  regions: string[];
  accounts: string[];
  eventCount: number;
  relevantEventCount: number;
  /** Records without an event name or a valid time: counted, not analysed. */
  malformedRecords: number;
  dataEventsPresent: boolean;
  sesSendEventsPresent: boolean;
  detectionsSupported: DetectionSupport[];
  notes: string[];
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
