// Network domain functions (src/functions/network.ts) as tables, plus their CEL bindings through the
// real cel-js engine and a few fast-check properties.
import { Environment } from '@marcbachmann/cel-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotAssessedError } from '../src/errors.js';
import type { EgressRule, NaclEntry } from '../src/inventory/types.js';
import {
  isWorldCidr,
  naclFamilyDecision,
  naclWorldEgress,
  parseCidr,
  portRangeContains,
  protocolCoversTcp,
  worldEgressRules,
} from '../src/functions/network.js';
import { resourceFunctions } from '../src/functions/resource-cel.js';

const U = (reason: string) => ({ $unknown: reason });

describe('parseCidr', () => {
  it.each([
    ['0.0.0.0/0', { version: 4, address: 0n, prefix: 0 }],
    ['10.1.2.3/8', { version: 4, address: 10n << 24n, prefix: 8 }],
    ['192.168.1.1/32', { version: 4, address: 0xc0a80101n, prefix: 32 }],
    ['::/0', { version: 6, address: 0n, prefix: 0 }],
    ['2001:db8::/32', { version: 6, address: 0x20010db8n << 96n, prefix: 32 }],
    ['::ffff:1.2.3.4/128', { version: 6, address: 0xffff01020304n, prefix: 128 }],
    ['1:2:3:4:5:6:7:8/64', { version: 6, address: 0x0001000200030004n << 64n, prefix: 64 }],
  ])('%s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each(['', '0.0.0.0', '256.0.0.0/8', '1.2.3/8', '10.0.0.0/33', '::/129', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', 'gggg::/16', 'sg-123', '01.2.3.4/8'])(
    'rejects %j',
    (text) => {
      expect(parseCidr(text)).toBeNull();
    },
  );
});

describe('isWorldCidr', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['0::/0', true],
    ['0.0.0.0/1', false],
    ['10.0.0.0/8', false],
    ['::/1', false],
    ['2001:db8::/32', false],
  ])('%s → %s', (text, expected) => {
    expect(isWorldCidr(text)).toBe(expected);
  });

  it('a non-CIDR is not assessed, not guessed', () => {
    expect(() => isWorldCidr('anywhere')).toThrow(NotAssessedError);
  });
});

describe('protocolCoversTcp', () => {
  it.each([
    ['-1', true],
    ['all', true],
    ['ALL', true],
    ['tcp', true],
    ['TCP', true],
    ['6', true],
    [6, true],
    [-1, true],
    ['udp', false],
    ['17', false],
    ['icmp', false],
    ['icmpv6', false],
    ['58', false],
  ] as const)('%s → %s', (protocol, expected) => {
    expect(protocolCoversTcp(protocol)).toBe(expected);
  });
});

describe('portRangeContains', () => {
  it.each([
    [25, 25, 25, true],
    [0, 65535, 25, true],
    [20, 30, 25, true],
    [26, 30, 25, false],
    [465, 465, 587, false],
    [undefined, undefined, 587, true],
    [-1, -1, 465, true],
    [443, 443, 25, false],
  ] as const)('[%s, %s] ∋ %s → %s', (from, to, port, expected) => {
    expect(portRangeContains(from, to, port)).toBe(expected);
  });

  it('agrees with a plain range test for explicit bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), (a, b, p) => {
        expect(portRangeContains(a, b, p)).toBe(a <= p && p <= b);
      }),
    );
  });
});

describe('worldEgressRules', () => {
  const rule = (r: Partial<EgressRule>): EgressRule => ({ protocol: 'tcp', ...r });
  const cases: [string, EgressRule[], number[], { index: number; destination: string; ports: number[] }[]][] = [
    ['tcp 25 to 0.0.0.0/0', [rule({ fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' })], [25], [{ index: 0, destination: '0.0.0.0/0', ports: [25] }]],
    ['tcp 25 to ::/0', [rule({ fromPort: 25, toPort: 25, cidrIpv6: '::/0' })], [25], [{ index: 0, destination: '::/0', ports: [25] }]],
    ['all protocols to the world', [rule({ protocol: '-1', cidrIpv4: '0.0.0.0/0' })], [25], [{ index: 0, destination: '0.0.0.0/0', ports: [25] }]],
    ['a range containing 25', [rule({ fromPort: 0, toPort: 1024, cidrIpv4: '0.0.0.0/0' })], [25], [{ index: 0, destination: '0.0.0.0/0', ports: [25] }]],
    ['protocol number 6', [rule({ protocol: '6', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' })], [25], [{ index: 0, destination: '0.0.0.0/0', ports: [25] }]],
    ['465 and 587 in one range', [rule({ fromPort: 400, toPort: 600, cidrIpv4: '0.0.0.0/0' })], [465, 587], [{ index: 0, destination: '0.0.0.0/0', ports: [465, 587] }]],
    ['only https', [rule({ fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' })], [25], []],
    ['udp 25', [rule({ protocol: 'udp', fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0' })], [25], []],
    ['icmp', [rule({ protocol: 'icmp', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' })], [25], []],
    ['a private range', [rule({ fromPort: 25, toPort: 25, cidrIpv4: '10.0.0.0/8' })], [25], []],
    ['a destination group', [rule({ protocol: '-1', destinationGroup: 'sg-relay' })], [25], []],
    ['a prefix list', [rule({ fromPort: 25, toPort: 25, prefixListId: 'pl-123' })], [25], []],
    ['no rules', [], [25], []],
    [
      'second rule offends',
      [rule({ fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }), rule({ fromPort: 587, toPort: 587, cidrIpv6: '::/0' })],
      [465, 587],
      [{ index: 1, destination: '::/0', ports: [587] }],
    ],
    [
      'both families on one rule',
      [rule({ fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0', cidrIpv6: '::/0' })],
      [25],
      [
        { index: 0, destination: '0.0.0.0/0', ports: [25] },
        { index: 0, destination: '::/0', ports: [25] },
      ],
    ],
  ];
  it.each(cases)('%s', (_name, rules, ports, expected) => {
    expect(worldEgressRules(rules, ports).map(({ index, destination, ports: p }) => ({ index, destination, ports: p }))).toEqual(expected);
  });

  it('keeps the line of the offending rule', () => {
    expect(worldEgressRules([rule({ fromPort: 25, toPort: 25, cidrIpv4: '0.0.0.0/0', line: 12, column: 9 })], [25])[0]).toMatchObject({ line: 12, column: 9 });
  });

  it.each([
    ['unknown CIDR on a tcp 25 rule', [rule({ fromPort: 25, toPort: 25, cidrIpv4: U('parameter Cidr') as never })]],
    ['unknown protocol to the world', [rule({ protocol: U('known after apply') as never, cidrIpv4: '0.0.0.0/0' })]],
    ['unknown port to the world', [rule({ fromPort: U('p') as never, toPort: 25, cidrIpv4: '0.0.0.0/0' })]],
    ['an invalid CIDR', [rule({ fromPort: 25, toPort: 25, cidrIpv4: 'anywhere' })]],
    ['unknown protocol on a port-443 rule (all protocols would ignore the ports)', [rule({ protocol: U('p') as never, fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' })]],
  ])('not assessed: %s', (_name, rules) => {
    expect(() => worldEgressRules(rules, [25])).toThrow(NotAssessedError);
  });

  it.each([
    ['unknown CIDR on a udp rule', [rule({ protocol: 'udp', fromPort: 25, toPort: 25, cidrIpv4: U('x') as never })]],
    ['unknown CIDR on a port-443 rule', [rule({ fromPort: 443, toPort: 443, cidrIpv4: U('x') as never })]],
    [
      'an unknown rule beside a surely offending one',
      [rule({ cidrIpv4: U('x') as never, fromPort: 25, toPort: 25 }), rule({ protocol: '-1', cidrIpv4: '0.0.0.0/0' })],
    ],
    ['unknown upper bound above a known lower bound of 1000', [rule({ fromPort: 1000, toPort: U('p') as never, cidrIpv4: '0.0.0.0/0' })]],
    ['unknown lower bound below a known upper bound of 22', [rule({ fromPort: U('p') as never, toPort: 22, cidrIpv4: '0.0.0.0/0' })]],
  ])('decided despite an Unknown: %s', (_name, rules) => {
    expect(() => worldEgressRules(rules, [25])).not.toThrow();
  });

  it('an Unknown rule list is not assessed', () => {
    expect(() => worldEgressRules(U('egress known after apply'), [25])).toThrow(/egress known after apply/);
  });

  it('an Unknown item stands for rules that are not known: not assessed, never a pass', () => {
    const rules = [rule({ fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }), U('the other rules of sg-0abc are not known')];
    expect(() => worldEgressRules(rules, [25])).toThrow(/egress rule 2: the other rules of sg-0abc are not known/);
    // …but a known rule that opens the port decides on its own.
    expect(worldEgressRules([U('x'), rule({ protocol: '-1', cidrIpv6: '::/0' })], [25])).toHaveLength(1);
  });

  it.each([
    ['all protocols to 0.0.0.0/0', rule({ protocol: '-1', cidrIpv4: '0.0.0.0/0' }), true],
    ['all protocols to ::/0', rule({ protocol: '-1', cidrIpv6: '::/0' }), true],
    ['tcp 0-65535 to 0.0.0.0/0', rule({ fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' }), false],
    ['tcp 25 to ::/0', rule({ fromPort: 25, toPort: 25, cidrIpv6: '::/0' }), false],
  ])('defaultShape: %s → %s', (_name, r, expected) => {
    expect(worldEgressRules([r], [25])[0].defaultShape).toBe(expected);
  });
});

describe('network ACL first match', () => {
  const entry = (e: Partial<NaclEntry>): NaclEntry => ({
    ruleNumber: 100,
    egress: true,
    protocol: '-1',
    ruleAction: 'allow',
    cidrBlock: '0.0.0.0/0',
    ...e,
  });
  const cases: [string, NaclEntry[], { allows: boolean; ruleNumber: number; family: string }][] = [
    ['default NACL allow-all', [entry({})], { allows: true, ruleNumber: 100, family: 'ipv4' }],
    ['no entries: implicit deny', [], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
    ['deny 25 before allow-all', [entry({ ruleNumber: 200 }), entry({ ruleNumber: 90, protocol: 'tcp', fromPort: 25, toPort: 25, ruleAction: 'deny' })], { allows: false, ruleNumber: 90, family: 'ipv4' }],
    ['deny 25 after allow-all', [entry({ ruleNumber: 100 }), entry({ ruleNumber: 110, protocol: 'tcp', fromPort: 25, toPort: 25, ruleAction: 'deny' })], { allows: true, ruleNumber: 100, family: 'ipv4' }],
    ['ingress rules do not count', [entry({ egress: false })], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
    ['a private destination is not the world', [entry({ cidrBlock: '10.0.0.0/8' })], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
    ['udp-only allow', [entry({ protocol: 'udp' })], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
    ['allow 443 only', [entry({ protocol: '6', fromPort: 443, toPort: 443 })], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
    ['IPv6 allow, IPv4 deny', [entry({ ruleNumber: 100, ruleAction: 'deny' }), entry({ ruleNumber: 101, cidrBlock: undefined, ipv6CidrBlock: '::/0' })], { allows: true, ruleNumber: 101, family: 'ipv6' }],
    ['explicit * rule', [entry({ ruleNumber: 32767, ruleAction: 'deny' }), entry({ ruleNumber: 32767, ruleAction: 'deny', cidrBlock: undefined, ipv6CidrBlock: '::/0' })], { allows: false, ruleNumber: 32767, family: 'ipv4' }],
  ];
  it.each(cases)('%s', (_name, entries, expected) => {
    expect(naclWorldEgress(entries, 25)).toMatchObject(expected);
  });

  it('points at the deciding entry', () => {
    expect(naclFamilyDecision([entry({ line: 40 })], 25, 'ipv4')).toMatchObject({ line: 40, implicit: false });
  });

  it.each([
    ['unknown rule number of a matching entry', [entry({ ruleNumber: U('parameter') as never }), entry({ ruleNumber: 200, ruleAction: 'deny' })]],
    ['unknown CIDR before a deny', [entry({ ruleNumber: 50, cidrBlock: U('p') as never }), entry({ ruleNumber: 200, ruleAction: 'deny' })]],
    ['unknown action of the first match', [entry({ ruleAction: U('p') as never })]],
  ])('not assessed: %s', (_name, entries) => {
    expect(() => naclWorldEgress(entries, 25)).toThrow(NotAssessedError);
  });

  it('an Unknown item stands for entries that are not known (an ACL defined elsewhere): not assessed', () => {
    const entries = [entry({ ruleNumber: 90, protocol: '6', fromPort: 25, toPort: 25, ruleAction: 'deny' }), U('network ACL acl-0abc is not defined in this template')];
    expect(() => naclWorldEgress(entries, 25)).toThrow(/network ACL acl-0abc is not defined in this template/);
  });

  it('an unknown entry after the deciding one does not matter', () => {
    expect(naclWorldEgress([entry({ ruleNumber: 10, ruleAction: 'deny' }), entry({ ruleNumber: 20, cidrBlock: U('p') as never })], 25)).toMatchObject({ allows: false, ruleNumber: 10 });
  });

  it('the lowest-numbered world rule decides, whatever the order of the list', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 32766 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (numbers, allows) => {
          const entries = numbers.map((n, i) => entry({ ruleNumber: n, ruleAction: allows[i] ? 'allow' : 'deny' }));
          const lowest = Math.min(...numbers);
          const decision = naclFamilyDecision([...entries].reverse(), 25, 'ipv4');
          expect(decision.ruleNumber).toBe(lowest);
          expect(decision.allows).toBe(allows[numbers.indexOf(lowest)]);
        },
      ),
    );
  });
});

describe('CEL bindings', () => {
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  for (const fn of resourceFunctions) env.registerFunction(fn.signature, fn.handler);
  const run = (expression: string, props: Record<string, unknown>) => env.evaluate(expression, { resource: { props } });

  const sg = { egress: [{ protocol: 'tcp', fromPort: 587, toPort: 587, cidrIpv4: '0.0.0.0/0', line: 7 }] };
  it.each([
    ['worldEgress(resource.props.egress, [25]).size()', sg, 0n],
    ['worldEgress(resource.props.egress, [465, 587]).size()', sg, 1n],
    ['worldEgress(resource.props.egress, [465, 587])[0].line', sg, 7],
    ['worldEgress(resource.props.egress, [465, 587])[0].ports', sg, [587]],
    ['naclWorldEgress(resource.props.entries, 25).allows', { entries: [{ ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' }] }, true],
    ['naclWorldEgress(resource.props.entries, 25).ruleNumber', { entries: [] }, 32767],
  ])('%s', (expression, props, expected) => {
    expect(run(expression, props)).toEqual(expected);
  });

  it('an Unknown reaches the engine as NotAssessedError', () => {
    expect(() => run('worldEgress(resource.props.egress, [25]).size() == 0', { egress: [{ protocol: 'tcp', fromPort: 25, toPort: 25, cidrIpv4: U('param') }] })).toThrow(
      /param/,
    );
  });
});
