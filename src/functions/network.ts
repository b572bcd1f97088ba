// Network semantics for the mail-port egress checks (SESG-NET-*): CIDR parsing, "the world",
// protocol and port coverage, security-group egress and network-ACL first-match evaluation.
//
// Unknown handling is three-valued: a rule whose relevant fields are Unknown only matters when the
// other fields do not already rule it out. When the answer depends on an Unknown, the functions throw
// NotAssessedError (the engine records "not assessed"), never guess pass or fail.
import { NotAssessedError } from '../errors.js';
import { isUnknown, type EgressRule, type NaclEntry, type Unknown } from '../inventory/types.js';

export interface Cidr {
  version: 4 | 6;
  /** Network address as an unsigned integer (32 or 128 bits). */
  address: bigint;
  prefix: number;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_PART.test(p))) return null;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): string[] | null => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two 16-bit groups.
  const words: bigint[] = [];
  const pushGroups = (list: string[], out: bigint[]): boolean => {
    for (const [i, g] of list.entries()) {
      if (g.includes('.')) {
        if (i !== list.length - 1) return false;
        const v4 = parseIpv4(g);
        if (v4 === null) return false;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
        out.push(BigInt(parseInt(g, 16)));
      }
    }
    return true;
  };
  const headWords: bigint[] = [];
  const tailWords: bigint[] = [];
  if (!pushGroups(head, headWords) || !pushGroups(tail, tailWords)) return null;
  if (halves.length === 2) {
    const missing = 8 - headWords.length - tailWords.length;
    if (missing < 1) return null;
    words.push(...headWords, ...Array<bigint>(missing).fill(0n), ...tailWords);
  } else {
    if (headWords.length !== 8) return null;
    words.push(...headWords);
  }
  return words.reduce((acc, w) => (acc << 16n) | w, 0n);
}

/** An IPv4 or IPv6 address (no prefix) as family and unsigned integer, or null. */
export function parseIp(text: string): { version: 4 | 6; address: bigint } | null {
  const ip = text.trim();
  const version: 4 | 6 = ip.includes(':') ? 6 : 4;
  const address = version === 4 ? parseIpv4(ip) : parseIpv6(ip);
  return address === null ? null : { version, address };
}

/** True when the address lies in the block (same family). */
export function cidrContains(cidr: Cidr, ip: { version: 4 | 6; address: bigint }): boolean {
  if (cidr.version !== ip.version) return false;
  const hostBits = BigInt((cidr.version === 4 ? 32 : 128) - cidr.prefix);
  return ip.address >> hostBits === cidr.address >> hostBits;
}

/** Parses `a.b.c.d/n` or an IPv6 `x::/n`; null when it is not a CIDR. Host bits are masked off. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.trim().split('/');
  if (slash.length !== 2 || !/^\d{1,3}$/.test(slash[1]!)) return null;
  const prefix = Number(slash[1]);
  const ip = slash[0]!;
  const version: 4 | 6 = ip.includes(':') ? 6 : 4;
  const width = version === 4 ? 32 : 128;
  if (prefix > width) return null;
  const address = version === 4 ? parseIpv4(ip) : parseIpv6(ip);
  if (address === null) return null;
  const hostBits = BigInt(width - prefix);
  return { version, address: (address >> hostBits) << hostBits, prefix };
}

/** True for a CIDR that covers every address of its family (`0.0.0.0/0`, `::/0`). Throws on a non-CIDR. */
export function isWorldCidr(text: string): boolean {
  const cidr = parseCidr(text);
  if (!cidr) throw new NotAssessedError(`"${text}" is not a CIDR block`);
  return cidr.prefix === 0;
}

/** True when the protocol of a rule covers TCP: all protocols (`-1`, `all`), `tcp` or its number `6`. */
export function protocolCoversTcp(protocol: string | number): boolean {
  const p = String(protocol).trim().toLowerCase();
  return p === '-1' || p === 'all' || p === 'tcp' || p === '6';
}

/** True for the all-protocols value, whose ports are ignored by EC2. */
function isAllProtocols(protocol: string | number): boolean {
  const p = String(protocol).trim().toLowerCase();
  return p === '-1' || p === 'all';
}

/**
 * True when [from, to] contains `port`. A missing bound or -1 means "every port", which is how EC2
 * reports all-port rules and how templates leave them out.
 */
export function portRangeContains(from: number | undefined, to: number | undefined, port: number): boolean {
  const lo = from === undefined || from === -1 ? 0 : from;
  const hi = to === undefined || to === -1 ? 65535 : to;
  return lo <= port && port <= hi;
}

/** Three-valued logic: true, false, or the reason why it is not known. */
type Tri = true | false | { unknown: string };

function tri(value: unknown, test: (v: never) => boolean, what: string): Tri {
  if (isUnknown(value)) return { unknown: `${what}: ${value.$unknown}` };
  return test(value as never);
}

function and(...values: (() => Tri)[]): Tri {
  let pending: Tri = true;
  for (const next of values) {
    const v = next();
    if (v === false) return false;
    if (v !== true && pending === true) pending = v;
  }
  return pending;
}

function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return Number.NaN;
}

function portsTri(protocol: unknown, fromPort: unknown, toPort: unknown, port: number): Tri {
  if (!isUnknown(protocol) && isAllProtocols(protocol as string)) return true;
  // Outside the range: closed, unless an unknown protocol is "all protocols", for which EC2 ignores ports.
  const outside: Tri = isUnknown(protocol) ? { unknown: `protocol: ${protocol.$unknown}` } : false;
  // One known bound can exclude the port whatever the other one is.
  if (!isUnknown(fromPort) && !portRangeContains(toNumber(fromPort), undefined, port)) return outside;
  if (!isUnknown(toPort) && !portRangeContains(undefined, toNumber(toPort), port)) return outside;
  if (isUnknown(fromPort)) return { unknown: `fromPort: ${fromPort.$unknown}` };
  if (isUnknown(toPort)) return { unknown: `toPort: ${toPort.$unknown}` };
  return true;
}

function worldTri(cidr: unknown, what: string): Tri {
  if (cidr === undefined || cidr === null || cidr === '') return false;
  if (isUnknown(cidr)) return { unknown: `${what}: ${cidr.$unknown}` };
  const parsed = parseCidr(String(cidr));
  if (!parsed) return { unknown: `${what}: "${String(cidr)}" is not a CIDR block` };
  return parsed.prefix === 0;
}

/** A security-group egress rule that opens TCP ports to the world, with the ports it opens. */
export interface WorldEgress {
  index: number;
  line?: number;
  column?: number;
  protocol: string;
  fromPort?: number;
  toPort?: number;
  destination: string;
  ports: number[];
  /**
   * True when the rule has the exact shape of the allow-all rule AWS adds to a new group (all protocols to
   * 0.0.0.0/0 or ::/0): on a live group it was most likely left in place rather than written.
   */
  defaultShape: boolean;
}

function requireList<T>(value: unknown, what: string): T[] {
  if (isUnknown(value)) throw new NotAssessedError(`${what}: ${value.$unknown}`);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new NotAssessedError(`${what} is not a list`);
  return value as T[];
}

/**
 * Egress rules that allow TCP to any of `ports` to `0.0.0.0/0` or `::/0`. Rules to another group or a
 * prefix list are not the world. Throws NotAssessedError when no rule surely offends but one might.
 */
export function worldEgressRules(rules: unknown, ports: readonly number[]): WorldEgress[] {
  const list = requireList<EgressRule | Unknown>(rules, 'egress rules');
  const found: WorldEgress[] = [];
  let undecided: string | null = null;
  list.forEach((rule, index) => {
    // An Unknown item stands for rules that exist but are not known: they may open anything.
    if (isUnknown(rule)) {
      undecided ??= `egress rule ${index + 1}: ${rule.$unknown}`;
      return;
    }
    const protocolTri = (): Tri => tri(rule.protocol, (p: string) => protocolCoversTcp(p), 'protocol');
    const v4 = (): Tri => worldTri(rule.cidrIpv4, 'cidrIpv4');
    const v6 = (): Tri => worldTri(rule.cidrIpv6, 'cidrIpv6');
    for (const [destination, dest] of [
      [rule.cidrIpv4, v4],
      [rule.cidrIpv6, v6],
    ] as const) {
      const open: number[] = [];
      for (const port of ports) {
        const verdict = and(protocolTri, dest, () => portsTri(rule.protocol, rule.fromPort, rule.toPort, port));
        if (verdict === true) open.push(port);
        else if (verdict !== false) undecided ??= `egress rule ${index + 1}: ${verdict.unknown}`;
      }
      if (open.length === 0) continue;
      const fromPort = toNumber(rule.fromPort);
      const toPort = toNumber(rule.toPort);
      found.push({
        index,
        ...(rule.line !== undefined ? { line: rule.line } : {}),
        ...(rule.column !== undefined ? { column: rule.column } : {}),
        protocol: String(rule.protocol),
        ...(fromPort !== undefined ? { fromPort } : {}),
        ...(toPort !== undefined ? { toPort } : {}),
        destination: String(destination),
        ports: open,
        defaultShape: !isUnknown(rule.protocol) && isAllProtocols(rule.protocol) && isWorldCidr(String(destination)),
      });
    }
  });
  if (found.length === 0 && undecided !== null) throw new NotAssessedError(undecided);
  return found;
}

export type AddressFamily = 'ipv4' | 'ipv6';

/** What a network ACL does with egress TCP traffic to a world destination on one port. */
export interface NaclDecision {
  allows: boolean;
  family: AddressFamily;
  /** The first matching rule; 32767 (`*`) when only the implicit default deny matches. */
  ruleNumber: number;
  ruleAction: 'allow' | 'deny';
  implicit: boolean;
  line?: number;
  column?: number;
}

/** The first matching egress rule for TCP to the world of one address family on `port`. */
export function naclFamilyDecision(entries: unknown, port: number, family: AddressFamily): NaclDecision {
  const list = requireList<NaclEntry | Unknown>(entries, 'network ACL entries');
  const candidates: { entry: NaclEntry; number: number; match: true | { unknown: string } }[] = [];
  let unordered: string | null = null;
  for (const entry of list) {
    // An Unknown item stands for entries that are not known: any of them could be the first match.
    if (isUnknown(entry)) {
      unordered ??= entry.$unknown;
      continue;
    }
    const egress = tri(entry.egress, (e: boolean) => e === true, 'egress');
    const cidr = family === 'ipv4' ? entry.cidrBlock : entry.ipv6CidrBlock;
    const match = and(
      () => egress,
      () => tri(entry.protocol, (p: string) => protocolCoversTcp(p), 'protocol'),
      () => worldTri(cidr, family === 'ipv4' ? 'cidrBlock' : 'ipv6CidrBlock'),
      () => portsTri(entry.protocol, entry.fromPort, entry.toPort, port),
    );
    if (match === false) continue;
    const number = isUnknown(entry.ruleNumber) ? null : (toNumber(entry.ruleNumber) ?? null);
    if (number === null || Number.isNaN(number)) {
      unordered ??= isUnknown(entry.ruleNumber)
        ? `ruleNumber: ${entry.ruleNumber.$unknown}`
        : 'an egress entry has no rule number';
      continue;
    }
    candidates.push({ entry, number, match });
  }
  if (unordered !== null) throw new NotAssessedError(unordered);
  candidates.sort((a, b) => a.number - b.number);
  for (const { entry, number, match } of candidates) {
    if (match !== true) throw new NotAssessedError(`network ACL rule ${number}: ${match.unknown}`);
    if (isUnknown(entry.ruleAction)) throw new NotAssessedError(`rule ${number} ruleAction: ${entry.ruleAction.$unknown}`);
    const action = String(entry.ruleAction).toLowerCase() === 'allow' ? 'allow' : 'deny';
    return {
      allows: action === 'allow',
      family,
      ruleNumber: number,
      ruleAction: action,
      implicit: false,
      ...(entry.line !== undefined ? { line: entry.line } : {}),
      ...(entry.column !== undefined ? { column: entry.column } : {}),
    };
  }
  return { allows: false, family, ruleNumber: 32767, ruleAction: 'deny', implicit: true };
}

/**
 * Egress TCP to the world on `port`, over both address families: the allowing decision when either
 * family lets the traffic out (IPv4 first), otherwise the IPv4 decision.
 */
export function naclWorldEgress(entries: unknown, port: number): NaclDecision {
  const v4 = naclFamilyDecision(entries, port, 'ipv4');
  if (v4.allows) return v4;
  const v6 = naclFamilyDecision(entries, port, 'ipv6');
  return v6.allows ? v6 : v4;
}
