// The fast flow log reader — the WebAssembly kernel (kernel.wat) and the JavaScript scan (four bytes per test),
// fields read from the bytes, only wanted lines made into records — against a reference reading written for
// clarity: split the text into lines, each line into fields, parse them. On random flow log texts — default and custom formats in any field order, with or without header,
// malformed lines, CRLF, empty lines, a last line with or without newline, `-` values, CR and tabs inside fields —
// both must give the same kept records (text, line number, fields), the same counters and the same errors,
// whatever the chunking (every split position, several chunks, any memory alignment) and through gzip members.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, DEFAULT_FORMAT, REQUIRED_FIELDS, headerFormat, isDefaultRecord, type FlowFormat } from '../src/sources/flowlogs/format.js';
import { readFlowObject } from '../src/sources/flowlogs/read.js';
import { KERNEL_TEXT_SIZE, flowKernel } from '../src/sources/flowlogs/kernel.js';
import { FlowLineScanner } from '../src/sources/flowlogs/scan.js';
import { FLOW_KERNEL_WASM } from '../src/sources/flowlogs/kernel-wasm.js';
import { compileFlowKernel } from '../src/tools/flow-kernel.js';
import { emptyFlowStats, type FlowRecord, type FlowStats } from '../src/sources/flowlogs/types.js';

const MAIL = { ports: new Set([25, 465, 587, 2525]), protocols: new Set([6]) };

interface Outcome {
  records: FlowRecord[];
  stats: FlowStats;
  outside: number;
  lines: number;
  error?: string;
}

/** `-` → -1, not a decimal of 1 to 15 digits → -2, else the number. */
function refNumber(text: string): number {
  if (text === '-') return -1;
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : -2;
}

/** The reference: the whole text split into lines and fields, one line at a time, no cleverness. */
function reference(text: string, options: { since?: number; until?: number; format?: FlowFormat } = {}): Outcome {
  const stats = emptyFlowStats();
  const records: FlowRecord[] = [];
  let outside = 0;
  const pieces = text.split('\n');
  // A last piece after the last newline is a line only when it has any text.
  if (pieces[pieces.length - 1] === '') pieces.pop();
  let format: FlowFormat | null = null;
  const use = (f: FlowFormat, name: string) => {
    if (f.missing.length > 0) {
      stats.unusable.set(name, f.missing);
      throw new Error(`flow log format lacks ${f.missing.join(', ')}: the mail-port detections cannot read it`);
    }
    format = f;
    stats.formats.add(name);
  };
  let lineNo = 0;
  try {
    if (options.format) use(options.format, options.format.isDefault ? 'default' : options.format.fields.join(' '));
    for (const piece of pieces) {
      lineNo++;
      const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
      if (line === '') continue;
      if (!format) {
        const header = headerFormat(line);
        if (header) {
          use(header, header.isDefault ? 'default' : header.fields.join(' '));
          continue;
        }
        if (!isDefaultRecord(line)) throw new Error('not a VPC flow log (the first line is neither a flow log header nor a default-format record)');
        use(DEFAULT_FORMAT, 'default');
      }
      const f = format as unknown as FlowFormat;
      const fields = line.split(' ');
      const malformed = () => {
        stats.malformed++;
        stats.firstMalformed ??= { source: 'flow.log', line: lineNo };
      };
      if (fields.length !== f.fields.length) {
        malformed();
        continue;
      }
      const get = (name: string) => (f.at(name) >= 0 ? fields[f.at(name)] : undefined);
      const start = f.at('start') >= 0 ? refNumber(get('start') as string) : -1;
      const end = f.at('end') >= 0 ? refNumber(get('end') as string) : start;
      if (start === -2 || end === -2) {
        malformed();
        continue;
      }
      stats.records++;
      const status = get('log-status');
      if (status?.startsWith('N')) stats.nodata++;
      if (status?.startsWith('S')) stats.skipdata++;
      if (start >= 0) {
        stats.start = stats.start === null ? start : Math.min(stats.start, start);
        const last = end >= 0 ? end : start;
        stats.end = stats.end === null ? last : Math.max(stats.end, last);
      }
      for (const [name, set] of [['account-id', stats.accounts], ['region', stats.regions]] as const) {
        const value = get(name);
        if (value !== undefined && value !== '-' && value !== '') set.add(value);
      }
      const port = refNumber(get('dstport') as string);
      const protocol = refNumber(get('protocol') as string);
      if (!MAIL.ports.has(port) || !MAIL.protocols.has(protocol)) continue;
      if (start >= 0 && ((end >= 0 ? end : start) < (options.since ?? -Infinity) || start > (options.until ?? Infinity))) {
        outside++;
        continue;
      }
      const record: Record<string, unknown> = { source: 'flow.log', line: lineNo, raw: line, start, dstport: port, protocol };
      if (end >= 0) record.end = end;
      const action = get('action');
      if (action === 'ACCEPT' || action === 'REJECT') record.action = action;
      const strings = {
        account: 'account-id', interfaceId: 'interface-id', srcaddr: 'srcaddr', dstaddr: 'dstaddr', logStatus: 'log-status', vpcId: 'vpc-id',
        subnetId: 'subnet-id', instanceId: 'instance-id', flowDirection: 'flow-direction', pktDstaddr: 'pkt-dstaddr', pktSrcaddr: 'pkt-srcaddr',
        region: 'region', type: 'type',
      };
      for (const [key, name] of Object.entries(strings)) {
        const value = get(name);
        if (value !== undefined && value !== '-') record[key] = value;
      }
      for (const name of ['srcport', 'packets', 'bytes'] as const) {
        const value = get(name);
        if (value !== undefined && refNumber(value) >= 0) record[name] = refNumber(value);
      }
      records.push(record as unknown as FlowRecord);
    }
  } catch (error) {
    return { records, stats, outside, lines: lineNo, error: (error as Error).message };
  }
  return { records, stats, outside, lines: lineNo };
}

/** A copy of `bytes` starting at byte offset `shift` of its memory (the word scan depends on alignment). */
function placed(bytes: Buffer, shift: number): Buffer {
  const memory = Buffer.alloc(bytes.length + shift);
  bytes.copy(memory, shift);
  return memory.subarray(shift);
}

/** The fast reader fed the text in chunks cut at `cuts`, each chunk placed at `shift`. */
function fast(text: string, cuts: number[], shift = 0, options: { since?: number; until?: number; format?: FlowFormat; kernel?: boolean } = {}): Outcome {
  const stats = emptyFlowStats();
  const records: FlowRecord[] = [];
  const bytes = Buffer.from(text, 'latin1');
  let scanner: FlowLineScanner | undefined;
  try {
    scanner = new FlowLineScanner('flow.log', stats, { wanted: MAIL, onRecord: (r) => records.push(r), ...options });
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut > at) scanner.push(placed(bytes.subarray(at, cut), shift));
      at = Math.max(at, cut);
    }
    scanner.end();
  } catch (error) {
    return { records, stats, outside: scanner?.outside ?? 0, lines: 0, error: (error as Error).message };
  }
  return { records, stats, outside: scanner.outside, lines: 0 };
}

function comparable(outcome: Outcome) {
  const { stats } = outcome;
  return {
    error: outcome.error,
    records: outcome.records,
    outside: outcome.outside,
    stats: { ...stats, accounts: [...stats.accounts], regions: [...stats.regions], interfaces: [...stats.interfaces], formats: [...stats.formats], unusable: [...stats.unusable] },
  };
}

// ---- generators ----

const T0 = 1763884800;
const token = fc.stringMatching(/^[a-z0-9:.-]{1,12}$/);
/** Values a field can hold: the usual ones for its name, and now and then something odd (a CR or tab inside, a sign, junk). */
function value(name: string): fc.Arbitrary<string> {
  // Digits' neighbours ('/' and ':'), signs, blanks, a CR or tab inside, too many digits.
  const odd = fc.constantFrom('-', '', 'x', '1\r', '\t2', '+5', '007', '1234567890123456', '123456789012345', '99999', '2:5', '58/', '--');
  const usual: Record<string, fc.Arbitrary<string>> = {
    version: fc.constantFrom('2', '5'),
    'account-id': fc.constantFrom('111122223333', '444455556666', '-', 'unknown'),
    'interface-id': fc.constantFrom('eni-0a1b2c3d4e5f60001', 'eni-0a1b2c3d4e5f60002', '-'),
    srcport: fc.integer({ min: 0, max: 65535 }).map(String),
    dstport: fc.oneof(fc.constantFrom('25', '465', '587', '2525', '443', '0', '-', '65536', '025'), fc.integer({ min: 0, max: 70000 }).map(String)),
    protocol: fc.constantFrom('6', '17', '1', '-', '006', '256'),
    packets: fc.integer({ min: 0, max: 1e6 }).map(String),
    bytes: fc.integer({ min: 0, max: 1e9 }).map(String),
    start: fc.oneof(fc.integer({ min: T0, max: T0 + 7200 }).map(String), fc.constant('-')),
    end: fc.oneof(fc.integer({ min: T0, max: T0 + 7200 }).map(String), fc.constant('-')),
    action: fc.constantFrom('ACCEPT', 'REJECT', '-'),
    'log-status': fc.constantFrom('OK', 'OK', 'NODATA', 'SKIPDATA', '-'),
    region: fc.constantFrom('us-east-1', 'eu-west-1', '-'),
    srcaddr: fc.constantFrom('10.0.1.15', '203.0.113.25', '2001:db8::1', '-'),
    dstaddr: fc.constantFrom('10.0.1.15', '203.0.113.25', '2001:db8::25', '-'),
  };
  // A number with one character replaced by a near miss, anywhere in it (digit checks read several bytes at once).
  const spoiled = fc
    .tuple(fc.oneof(fc.integer({ min: T0, max: T0 + 7200 }), fc.integer({ min: 0, max: 99999 })), fc.nat(), fc.constantFrom('/', ':', ';', '?', 'a', '\t', '\r', '\u00b9', ' '))
    .map(([n, at, c]) => {
      const digits = String(n);
      const i = at % digits.length;
      return digits.slice(0, i) + c + digits.slice(i + 1);
    });
  const numeric = ['start', 'end', 'dstport', 'srcport', 'protocol', 'packets', 'bytes'].includes(name);
  return fc.oneof({ weight: 12, arbitrary: usual[name] ?? token }, { weight: 1, arbitrary: odd }, { weight: numeric ? 3 : 1, arbitrary: spoiled });
}

function recordLine(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(...fields.map(value)).map((values) => values.join(' '));
}

const OPTIONAL_FIELDS = ['version', 'account-id', 'srcaddr', 'srcport', 'packets', 'bytes', 'end', 'log-status', 'vpc-id', 'subnet-id', 'instance-id', 'type', 'region', 'flow-direction', 'pkt-dstaddr', 'tcp-flags', 'some-future-field'];
const customFields = fc
  .tuple(fc.subarray(OPTIONAL_FIELDS), fc.boolean())
  .chain(([extra, withInterface]) => fc.shuffledSubarray([...REQUIRED_FIELDS, ...(withInterface ? ['interface-id'] : []), ...extra], { minLength: REQUIRED_FIELDS.length + extra.length + (withInterface ? 1 : 0) }));

/** One flow log text: a header (or none: default records only), lines of records and the odd broken line. */
const flowText = fc
  .tuple(fc.oneof(fc.constant([...DEFAULT_FIELDS] as string[]), customFields), fc.boolean())
  .chain(([fields, header]) => {
    const line = fc.oneof(
      { weight: 10, arbitrary: recordLine(fields) },
      { weight: 1, arbitrary: fc.constantFrom('', 'this line is broken', ' ', `${fields.length > 3 ? 'a b c' : 'a'}`) },
      { weight: 1, arbitrary: recordLine(fields).map((l) => `${l} extra`) },
      { weight: 1, arbitrary: recordLine(fields).map((l) => l.split(' ').slice(1).join(' ')) },
      { weight: 1, arbitrary: recordLine(fields).map((l) => l.replace(' ', '  ')) },
    );
    return fc.tuple(fc.constant(fields), fc.constant(header), fc.array(fc.tuple(line, fc.constantFrom('\n', '\n', '\r\n')), { maxLength: 40 }), fc.boolean());
  })
  .map(([fields, header, lines, lastNewline]) => {
    const head = header ? `${fields.join(' ')}\n` : '';
    let body = lines.map(([l, nl]) => l + nl).join('');
    if (!lastNewline && body.endsWith('\n')) body = body.replace(/\r?\n$/, '');
    return head + body;
  });

const runs = { numRuns: Number(process.env.SESGUARD_PROPERTY_RUNS ?? 300) };

describe('the WebAssembly kernel', () => {
  it('is there (Node 20 has WebAssembly SIMD), and the shipped module is kernel.wat compiled (`npm run gen:flow-kernel`)', async () => {
    expect(flowKernel()).not.toBeNull();
    expect(Buffer.from(await compileFlowKernel()).toString('base64')).toBe(FLOW_KERNEL_WASM);
  });
});

describe.each([
  ['WebAssembly kernel', true],
  ['JavaScript scan', false],
])('%s = reference reading', (_name, kernel) => {
  it('one chunk, any alignment in memory', () => {
    fc.assert(
      fc.property(flowText, fc.integer({ min: 0, max: 7 }), (text, shift) => {
        expect(comparable(fast(text, [], shift, { kernel }))).toEqual(comparable(reference(text)));
      }),
      runs,
    );
  });
  it('split into two chunks at every position', () => {
    fc.assert(
      fc.property(flowText, fc.integer({ min: 0, max: 3 }), (text, shift) => {
        const want = comparable(reference(text));
        for (let cut = 0; cut <= text.length; cut++) expect(comparable(fast(text, [cut], shift, { kernel }))).toEqual(want);
      }),
      { numRuns: Math.ceil(runs.numRuns / 5) },
    );
  });
  it('a line longer than the kernel reads at once, and more wanted lines than it reports at once', () => {
    const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status region instance-id';
    const line = (i: number, port: number) => `2 111122223333 eni-0a1b2c3d4e5f6000${i % 9} 10.0.1.15 203.0.113.${i % 250} ${40000 + (i % 9999)} ${port} 6 3 180 ${T0 + i} ${T0 + i + 60} ACCEPT OK ${i % 3 ? 'us-east-1' : 'eu-west-1'} i-0${i}`;
    const long = `${line(1, 25).slice(0, -2)}${'x'.repeat(KERNEL_TEXT_SIZE + 100)}`;
    const text = [header, line(0, 25), long, 'broken', ...Array.from({ length: 40_000 }, (_, i) => line(i, i % 5 ? 25 : 443)), long, line(7, 587)].join('\r\n');
    for (const cuts of [[], [KERNEL_TEXT_SIZE / 2], [text.length - 3]]) {
      const got = comparable(fast(text, cuts, 1, { kernel }));
      expect(got.records.length).toBe(32_004);
      expect(got).toEqual(comparable(reference(text)));
    }
    // Short lines, each kept and changing account and region: three events a line, more than a call reports.
    const short = ['dstport protocol start action dstaddr interface-id account-id region', ...Array.from({ length: 30_000 }, (_, i) => `25 6 ${T0 + i} ACCEPT 1.2.3.4 eni-${i % 7} ${i % 2 ? 'a' : 'b'}${i % 11} r${i % 3}`)].join('\n');
    const got = comparable(fast(short, [], 0, { kernel }));
    expect(got.records.length).toBe(30_000);
    expect(got).toEqual(comparable(reference(short)));
  });
  it('many chunks, time range, format given (CloudWatch Logs)', () => {
    fc.assert(
      fc.property(
        flowText,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.option(fc.integer({ min: T0, max: T0 + 7200 })),
        fc.option(fc.integer({ min: T0, max: T0 + 7200 })),
        fc.boolean(),
        (text, cutsRaw, shift, since, until, given) => {
          const cuts = cutsRaw.map((c) => c % (text.length + 1)).sort((a, b) => a - b);
          const options = { ...(since !== null ? { since } : {}), ...(until !== null ? { until } : {}) };
          const firstLine = text.split('\n')[0].replace(/\r$/, '');
          const format = given ? (headerFormat(firstLine) ?? undefined) : undefined;
          // A known format: the header line is then read as a (malformed) record, in both readings.
          const withFormat = format ? { ...options, format } : options;
          expect(comparable(fast(text, cuts, shift, { ...withFormat, kernel }))).toEqual(comparable(reference(text, withFormat)));
        },
      ),
      runs,
    );
  });
});

describe('reading through readFlowObject = reference reading', () => {
  it('gzip in members, streamed in chunks and read whole', async () => {
    await fc.assert(
      fc.asyncProperty(flowText, fc.nat(), fc.array(fc.integer({ min: 16, max: 64 }), { minLength: 1, maxLength: 4 }), async (text, memberCut, sizes) => {
        const want = comparable(reference(text));
        // Content is recognised from the first bytes (sniff): a text starting blank is not a flow log there.
        if (want.error !== undefined || /^\s/.test(text) || text === '') return;
        const bytes = Buffer.from(text, 'latin1');
        const cut = memberCut % (bytes.length + 1);
        const gz = Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]);
        for (const input of ['stream', 'whole'] as const) {
          const stats = emptyFlowStats();
          const records: FlowRecord[] = [];
          const chunks = async function* () {
            for (let at = 0, i = 0; at < gz.length; i++) {
              const size = sizes[i % sizes.length];
              yield gz.subarray(at, at + size);
              at += size;
            }
          };
          const { outside } = await readFlowObject(input === 'whole' ? gz : chunks(), 'flow.log', { wanted: MAIL, stats, onRecord: (r) => records.push(r) });
          expect(comparable({ records, stats, outside, lines: 0 })).toEqual(want);
        }
      }),
      { numRuns: Math.ceil(runs.numRuns / 3) },
    );
  });
});
