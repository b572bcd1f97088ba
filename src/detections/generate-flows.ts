// A generated day of VPC Flow Logs beside the CloudTrail day of generate.ts (same account, same date): one run
// over both tells the whole story. Two flow logs deliver to S3 as AWS lays them out, one file per hour: the
// default format (VPC A) and a custom format with instance, subnet, VPC, direction and packet addresses (VPC B).
// What happens, by interface:
//   web       HTTPS to and from the Internet all day (quiet)
//   app       mail submission on 587 to the approved relay 192.0.2.10 (quiet when approvedMailRelays lists it)
//   idle      NODATA records (no traffic)
//   spambot   from 03:00, port-25 connections to many outside hosts, rejected by its security group (SESG-DET-012)
//   v6sender  from 04:00, IPv6 submission on 587 to outside hosts, default format: no flow-direction (SESG-DET-011)
//   relay     (custom format) from 02:50, five minutes after the attacker opened port 25 egress (SESG-DET-006 in
//             the CloudTrail day), relays to dozens of outside MX hosts on 25 (SESG-DET-011, linked to DET-006)
//   mx        (custom format) inbound IPv6 connections on 25 to a mail server, flow-direction ingress (quiet)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_FIELDS } from '../sources/flowlogs/format.js';
import { ACCOUNT } from './generate.js';

export const FLOW_INTERFACES = {
  web: 'eni-0f10a0000000000a1',
  app: 'eni-0f10a0000000000a2',
  idle: 'eni-0f10a0000000000a3',
  spambot: 'eni-0f10a0000000000a4',
  v6sender: 'eni-0f10a0000000000a5',
  relay: 'eni-0f10b0000000000b1',
  mx: 'eni-0f10b0000000000b2',
} as const;

export const RELAY_INSTANCE = 'i-0a1b2c3d4e5f60789';
export const APPROVED_RELAY = '192.0.2.10';

/** The custom format of VPC B, in its (non-default) field order. */
export const CUSTOM_FIELDS = [
  'version', 'vpc-id', 'subnet-id', 'instance-id', 'interface-id', 'account-id', 'type', 'srcaddr', 'dstaddr', 'srcport', 'dstport',
  'pkt-srcaddr', 'pkt-dstaddr', 'protocol', 'bytes', 'packets', 'start', 'end', 'action', 'tcp-flags', 'log-status', 'flow-direction', 'region',
];

/** The flow findings the generated day must produce, with `approvedMailRelays: [192.0.2.10/32]`. */
export function expectedFlowFindings(): { checkId: string; subject: string }[] {
  return [
    { checkId: 'SESG-DET-011', subject: FLOW_INTERFACES.relay },
    { checkId: 'SESG-DET-011', subject: FLOW_INTERFACES.v6sender },
    { checkId: 'SESG-DET-012', subject: FLOW_INTERFACES.spambot },
  ];
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Flow {
  eni: string;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  protocol: number;
  packets: number;
  bytes: number;
  start: number;
  action: 'ACCEPT' | 'REJECT' | '-';
  status?: 'OK' | 'NODATA';
  /** Custom format only. */
  instance?: string;
  subnet?: string;
  vpc?: string;
  direction?: 'ingress' | 'egress';
}

function defaultLine(f: Flow): string {
  if (f.status === 'NODATA') return `2 ${ACCOUNT} ${f.eni} - - - - - - - ${f.start} ${f.start + 60} - NODATA`;
  return `2 ${ACCOUNT} ${f.eni} ${f.src} ${f.dst} ${f.sport} ${f.dport} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.start + 60} ${f.action} OK`;
}

function customLine(f: Flow): string {
  const v6 = f.src.includes(':') || f.dst.includes(':');
  return [
    5, f.vpc ?? '-', f.subnet ?? '-', f.instance ?? '-', f.eni, ACCOUNT, v6 ? 'IPv6' : 'IPv4', f.src, f.dst, f.sport, f.dport,
    f.src, f.dst, f.protocol, f.bytes, f.packets, f.start, f.start + 60, f.action, 19, 'OK', f.direction ?? '-', 'us-east-1',
  ].join(' ');
}

export interface FlowDayOptions {
  date?: string;
  seed?: number;
  /** HTTPS flows per hour of the web interface (noise; benchmarks raise it). */
  webPerHour?: number;
}

export interface FlowFile {
  key: string;
  text: string;
}

/** The day's flow log files: `AWSLogs/<account>/vpcflowlogs/us-east-1/<yyyy>/<mm>/<dd>/…_vpcflowlogs_…log.gz`. */
export function* generateFlowDay(options: FlowDayOptions = {}): Generator<FlowFile> {
  const date = options.date ?? '2026-11-23';
  const start = Date.parse(`${date}T00:00:00Z`) / 1000;
  const rnd = random(options.seed ?? 7);
  const pick = (n: number) => Math.floor(rnd() * n);
  const perHour = options.webPerHour ?? 40;
  const [y, m, d] = date.split('-');
  for (let hour = 0; hour < 24; hour++) {
    const base = start + hour * 3600;
    const at = (minute: number) => base + minute * 60 + pick(50);
    const a: Flow[] = [];
    const b: Flow[] = [];
    for (let i = 0; i < perHour; i++) {
      const t = at(pick(60));
      const client = `198.51.100.${1 + pick(200)}`;
      const port = 32768 + pick(28000);
      a.push({ eni: FLOW_INTERFACES.web, src: client, dst: '10.0.1.20', sport: port, dport: 443, protocol: 6, packets: 12 + pick(40), bytes: 4000 + pick(90000), start: t, action: 'ACCEPT' });
      a.push({ eni: FLOW_INTERFACES.web, src: '10.0.1.20', dst: client, sport: 443, dport: port, protocol: 6, packets: 10 + pick(40), bytes: 9000 + pick(400000), start: t, action: 'ACCEPT' });
    }
    for (let i = 0; i < 6; i++) {
      a.push({ eni: FLOW_INTERFACES.app, src: '10.0.2.30', dst: APPROVED_RELAY, sport: 40000 + pick(20000), dport: 587, protocol: 6, packets: 20 + pick(10), bytes: 6000 + pick(3000), start: at(i * 10), action: 'ACCEPT' });
    }
    a.push({ eni: FLOW_INTERFACES.idle, src: '-', dst: '-', sport: 0, dport: 0, protocol: 0, packets: 0, bytes: 0, start: at(0), action: '-', status: 'NODATA' });
    // A DNS lookup over UDP to port 25 of nothing: UDP never counts as mail.
    a.push({ eni: FLOW_INTERFACES.web, src: '10.0.1.20', dst: '203.0.113.250', sport: 53000, dport: 25, protocol: 17, packets: 1, bytes: 80, start: at(30), action: 'ACCEPT' });
    if (hour >= 3 && hour < 9) {
      for (let i = 0; i < 30; i++) {
        a.push({ eni: FLOW_INTERFACES.spambot, src: '10.0.4.44', dst: `203.0.113.${(hour * 30 + i) % 250}`, sport: 45000 + pick(10000), dport: 25, protocol: 6, packets: 2, bytes: 120, start: at(i * 2), action: 'REJECT' });
      }
    }
    if (hour >= 4 && hour < 6) {
      for (let i = 0; i < 8; i++) {
        a.push({ eni: FLOW_INTERFACES.v6sender, src: '2001:db8:a::45', dst: `2001:db8:ffff::${(hour * 8 + i).toString(16)}`, sport: 50000 + pick(9000), dport: 587, protocol: 6, packets: 18, bytes: 5400, start: at(i * 7), action: 'ACCEPT' });
      }
    }
    const relayCommon = { eni: FLOW_INTERFACES.relay, instance: RELAY_INSTANCE, subnet: 'subnet-0b22c33d44e55f661', vpc: 'vpc-0b0b0b0b0b0b0b0b1', direction: 'egress' as const };
    // 02:45 the attacker opened port 25 egress; from 02:50 the relay delivers to outside MX hosts.
    if (hour >= 2 && hour < 7) {
      for (let i = 0; i < 20; i++) {
        const minute = hour === 2 ? 50 + (i % 10) : i * 3;
        b.push({ ...relayCommon, src: '10.1.0.15', dst: `198.51.100.${(hour * 20 + i) % 250}`, sport: 40000 + pick(20000), dport: 25, protocol: 6, packets: 40 + pick(40), bytes: 30000 + pick(50000), start: at(minute), action: 'ACCEPT' });
      }
    }
    b.push({ ...relayCommon, src: '10.1.0.15', dst: '198.51.100.253', sport: 41000 + pick(9000), dport: 443, protocol: 6, packets: 30, bytes: 20000, start: at(10), action: 'ACCEPT' });
    b.push({ eni: FLOW_INTERFACES.mx, instance: 'i-0a1b2c3d4e5f60790', subnet: 'subnet-0b22c33d44e55f662', vpc: 'vpc-0b0b0b0b0b0b0b0b1', direction: 'ingress', src: `2001:db8:ffff::${(100 + hour).toString(16)}`, dst: '2001:db8:b::25', sport: 50000 + pick(9000), dport: 25, protocol: 6, packets: 15, bytes: 9000, start: at(20), action: 'ACCEPT' });
    const stamp = `${y}${m}${d}T${String(hour).padStart(2, '0')}05Z`;
    const folder = `AWSLogs/${ACCOUNT}/vpcflowlogs/us-east-1/${y}/${m}/${d}`;
    const sorted = (flows: Flow[]) => flows.sort((p, q) => p.start - q.start);
    yield { key: `${folder}/${ACCOUNT}_vpcflowlogs_us-east-1_fl-0aaaa1111bbbb2222_${stamp}_${(0x1a2b3c4d + hour).toString(16)}.log.gz`, text: `${[DEFAULT_FIELDS.join(' '), ...sorted(a).map(defaultLine)].join('\n')}\n` };
    yield { key: `${folder}/${ACCOUNT}_vpcflowlogs_us-east-1_fl-0cccc3333dddd4444_${stamp}_${(0x5e6f7a8b + hour).toString(16)}.log.gz`, text: `${[CUSTOM_FIELDS.join(' '), ...sorted(b).map(customLine)].join('\n')}\n` };
  }
}

/** Writes the flow day under `dir` (gzip, as S3 delivery does); returns the written paths. */
export function writeFlowDay(dir: string, options: FlowDayOptions = {}): string[] {
  const written: string[] = [];
  for (const file of generateFlowDay(options)) {
    const target = path.join(dir, file.key);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, gzipSync(file.text));
    written.push(target);
  }
  return written;
}
