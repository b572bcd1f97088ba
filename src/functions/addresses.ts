// Where an address sends traffic (SESG-DET-011/012): the public Internet, or address space that never leaves
// the network — private (RFC 1918, IPv6 unique local), link-local, shared address space (RFC 6598, carrier-grade
// NAT), loopback, multicast, unspecified or reserved. IPv4-mapped IPv6 addresses are judged as the IPv4 address
// they carry. The documentation ranges (RFC 5737, 2001:db8::/32) count as public: they are not routed, so
// they never appear in real traffic, and examples and fixtures use them to stand for outside hosts.
import { cidrContains, parseCidr, parseIp, type Cidr } from './network.js';

export type AddressScope = 'public' | 'private' | 'link-local' | 'shared' | 'loopback' | 'multicast' | 'unspecified' | 'reserved';

const BLOCKS: [string, AddressScope][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
].map(([cidr, scope]) => [cidr, scope as AddressScope]);

const PARSED: [Cidr, AddressScope][] = BLOCKS.map(([cidr, scope]) => [parseCidr(cidr) as Cidr, scope]);
const MAPPED = parseCidr('::ffff:0:0/96') as Cidr;

/** The scope of an address, or null when it is not an address. */
export function addressScope(text: string): AddressScope | null {
  let ip = parseIp(text);
  if (!ip) return null;
  if (cidrContains(MAPPED, ip)) ip = { version: 4, address: ip.address & 0xffffffffn };
  for (const [cidr, scope] of PARSED) if (cidrContains(cidr, ip)) return scope;
  return 'public';
}

/** A list of CIDRs (or single addresses) to match addresses against. */
export interface AddressSet {
  has(text: string): boolean;
  readonly size: number;
}

/** Parses CIDRs and plain addresses (a host); throws with the entry's index on one that is neither. */
export function addressSet(entries: readonly string[]): AddressSet {
  const blocks: Cidr[] = entries.map((entry, i) => {
    const cidr = entry.includes('/') ? parseCidr(entry) : (() => {
      const ip = parseIp(entry);
      return ip ? { ...ip, prefix: ip.version === 4 ? 32 : 128 } : null;
    })();
    if (!cidr) throw new Error(`entry ${i + 1} ("${entry}") is not an IPv4 or IPv6 address or CIDR block`);
    return cidr;
  });
  return {
    size: blocks.length,
    has(text) {
      const ip = parseIp(text);
      return ip !== null && blocks.some((b) => cidrContains(b, ip));
    },
  };
}
