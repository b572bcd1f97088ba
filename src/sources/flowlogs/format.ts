// The record formats of VPC Flow Logs: the default (version 2) fields in their fixed order, and custom
// formats (any subset of the fields, any order), named by the header line S3 delivery writes at the top of
// every text file. CloudWatch Logs events carry no header: their format is the default one, or the one the
// flow log was created with (DescribeFlowLogs' LogFormat, `${field} ${field} …`).

/** The default format's fields, in order (`${version} ${account-id} … ${log-status}`). */
export const DEFAULT_FIELDS = [
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status',
] as const;

/**
 * Every field AWS documents (versions 2 to 8). A header naming only these is a flow log header; a
 * name outside the list is accepted in a header that also names the fields sesguard needs (AWS adds
 * fields over time), and simply not read.
 */
export const KNOWN_FIELDS = new Set<string>([
  ...DEFAULT_FIELDS,
  'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr',
  'region', 'az-id', 'sublocation-type', 'sublocation-id', 'pkt-src-aws-service', 'pkt-dst-aws-service',
  'flow-direction', 'traffic-path', 'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn',
  'ecs-container-instance-id', 'ecs-container-id', 'ecs-second-container-id', 'ecs-service-name',
  'ecs-task-definition-arn', 'ecs-task-arn', 'ecs-task-id', 'reject-reason',
]);

/** The fields the mail-port detections cannot do without: where from, where to, which port, what happened, when. */
export const REQUIRED_FIELDS = ['dstaddr', 'dstport', 'protocol', 'action', 'start'] as const;

/** A parsed format: field names in order, and the position of each (-1 when absent). */
export interface FlowFormat {
  fields: string[];
  /** Default (version 2) field order. */
  isDefault: boolean;
  at: (name: string) => number;
  /** Required fields the format lacks (empty when the detections can read it). */
  missing: string[];
}

export function flowFormat(fields: readonly string[]): FlowFormat {
  const index = new Map<string, number>();
  fields.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  const isDefault = fields.length === DEFAULT_FIELDS.length && DEFAULT_FIELDS.every((name, i) => fields[i] === name);
  return {
    fields: [...fields],
    isDefault,
    at: (name) => index.get(name) ?? -1,
    missing: (REQUIRED_FIELDS.filter((name) => !index.has(name)) as string[]).concat(index.has('interface-id') || index.has('instance-id') ? [] : ['interface-id']),
  };
}

export const DEFAULT_FORMAT = flowFormat(DEFAULT_FIELDS);

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The format a header line names, or null when the line is not a flow log header: every token a field
 * name, at least three of them fields AWS documents, `version` or `dstport` or `srcaddr` among them.
 */
export function headerFormat(line: string): FlowFormat | null {
  const tokens = line.trim().split(/ +/);
  if (tokens.length === 0 || !tokens.every((t) => FIELD_NAME.test(t))) return null;
  const known = tokens.filter((t) => KNOWN_FIELDS.has(t)).length;
  if (known < 3 || !(tokens.includes('version') || tokens.includes('dstport') || tokens.includes('srcaddr'))) return null;
  return flowFormat(tokens);
}

/** `${version} ${vpc-id} …` (DescribeFlowLogs' LogFormat) as a format, or null when it is not one. */
export function logFormatOf(text: string): FlowFormat | null {
  const tokens = text.trim().split(/\s+/);
  const names: string[] = [];
  for (const token of tokens) {
    const match = /^\$\{([a-z][a-z0-9-]*)\}$/.exec(token);
    if (!match) return null;
    names.push(match[1]);
  }
  return names.length > 0 ? flowFormat(names) : null;
}

const ACCOUNT = /^([0-9]{12}|unknown|-)$/;

/**
 * True when a line reads as a default-format record: 14 fields, version 2, an account id (or `unknown`),
 * an interface id, a start and end time, a log status. How CloudWatch Logs events and header-less copies
 * are recognised.
 */
export function isDefaultRecord(line: string): boolean {
  const t = line.trim().split(/ +/);
  return (
    t.length === 14 &&
    t[0] === '2' &&
    ACCOUNT.test(t[1]) &&
    /^(eni-[0-9a-f]+|-)$/.test(t[2]) &&
    /^[0-9]+$/.test(t[10]) &&
    /^[0-9]+$/.test(t[11]) &&
    /^(OK|NODATA|SKIPDATA)$/.test(t[13])
  );
}
