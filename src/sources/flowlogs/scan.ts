// The hot path of VPC Flow Logs reading: decompressed text in chunks → lines → the few fields every line is
// counted by (destination port, protocol, times, status, account), read straight from the bytes without making
// strings. Only lines to the ports the detections asked for become FlowRecords (with their raw text), so the
// cost per byte stays close to splitting the text into lines, and memory holds one chunk and one partial line.
// The complete lines of a chunk are read by the WebAssembly kernel (kernel.wat: 16 bytes per step) where there
// is one; the same reading in JavaScript serves the rest (the first lines, a line split across chunks, a line
// longer than the kernel's slice, no WebAssembly) and is what the kernel is tested against.
import { endianness } from 'node:os';
import { DEFAULT_FORMAT, headerFormat, isDefaultRecord, type FlowFormat } from './format.js';
import { EVENT_ACCOUNT, EVENT_KEEP, KERNEL_TEXT_SIZE, flowKernel, type FieldPositions, type FlowKernel, type KernelCounts } from './kernel.js';
import type { FlowRecord, FlowStats, FlowWanted } from './types.js';

const SPACE = 0x20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const ZERO = 0x30;
/** The word-at-a-time scan reads bytes in memory order from little-endian words; elsewhere, byte by byte. */
const LITTLE_ENDIAN = endianness() === 'LE';

export interface FlowScanOptions {
  wanted: FlowWanted;
  /** Only flows overlapping [since, until] (epoch seconds) are kept; the others are counted as outside. */
  since?: number;
  until?: number;
  /** Known format (CloudWatch Logs: from DescribeFlowLogs); otherwise read from the header or the first record. */
  format?: FlowFormat;
  /** false: read in JavaScript only, without the WebAssembly kernel (tests compare the two). */
  kernel?: boolean;
  onRecord(record: FlowRecord): void;
}

/** Why a text is not a flow log, from its first line (never quoting it). */
export class NotFlowLog extends Error {}

/** A format lacking fields the detections need: the input is a flow log, but they cannot read it. */
export class UnusableFormat extends Error {
  constructor(readonly missing: string[]) {
    super(`flow log format lacks ${missing.join(', ')}: the mail-port detections cannot read it`);
  }
}

/** Unsigned decimal at [s, e), -1 for `-`, -2 when not a number. */
function numberAt(buf: Uint8Array, s: number, e: number): number {
  if (e - s === 1 && buf[s] === DASH) return -1;
  if (e <= s || e - s > 15) return -2;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return -2;
    n = n * 10 + d;
  }
  return n;
}

function text(buf: Buffer, s: number, e: number): string | undefined {
  if (e - s === 1 && buf[s] === DASH) return undefined;
  return buf.toString('latin1', s, e);
}

function num(buf: Buffer, s: number, e: number): number | undefined {
  const n = numberAt(buf, s, e);
  return n < 0 ? undefined : n;
}

/**
 * Reads the lines of one flow log text as they arrive. The first line decides the format: a header (S3
 * text delivery always writes one), else a default-format record (CloudWatch Logs, copies without
 * header), else the input is not a flow log (NotFlowLog).
 */
export class FlowLineScanner {
  private format: FlowFormat | null;
  private carry: Buffer | null = null;
  private lineNo = 0;
  /** Positions of the spaces of the line being read: field k runs from after space k-1 to space k. */
  private spaces = new Int32Array(256);
  /** Spaces in a record of the format (fields - 1). */
  private fieldSpaces = 0;
  // Field positions, -1 when the format has none.
  private iPort = -1;
  private iProto = -1;
  private iStart = -1;
  private iEnd = -1;
  private iStatus = -1;
  private iAccount = -1;
  private iRegion = -1;
  private lastAccount: Buffer = Buffer.alloc(0);
  private lastRegion: Buffer = Buffer.alloc(0);
  private readonly since: number;
  private readonly until: number;
  /** The wanted destination ports and protocols as tables (1 = wanted): one load per line instead of a Set lookup. */
  private readonly ports: Uint8Array;
  private readonly protocols: Uint8Array;
  /** Records outside [since, until]. */
  outside = 0;
  /** The field positions as the kernel takes them. */
  private positions: FieldPositions | null = null;
  private readonly counts: KernelCounts = { lineNo: 0, records: 0, malformed: 0, firstMalformed: -1, nodata: 0, skipdata: 0, outside: 0, first: 0, last: 0, events: 0 };
  private readonly event = new Int32Array(4);

  constructor(
    private readonly source: string,
    private readonly stats: FlowStats,
    private readonly options: FlowScanOptions,
  ) {
    this.format = null;
    const ports = new Uint8Array(65536);
    for (const port of options.wanted.ports) if (port >= 0 && port < 65536) ports[port] = 1;
    this.ports = ports;
    const protocols = new Uint8Array(256);
    for (const protocol of options.wanted.protocols) if (protocol >= 0 && protocol < 256) protocols[protocol] = 1;
    this.protocols = protocols;
    this.since = options.since ?? -Infinity;
    this.until = options.until ?? Infinity;
    if (options.format) this.useFormat(options.format, options.format.isDefault ? 'default' : options.format.fields.join(' '));
  }

  private useFormat(format: FlowFormat, name: string): void {
    if (format.missing.length > 0) {
      this.stats.unusable.set(name, format.missing);
      throw new UnusableFormat(format.missing);
    }
    this.format = format;
    this.stats.formats.add(name);
    this.fieldSpaces = format.fields.length - 1;
    if (format.fields.length > this.spaces.length) this.spaces = new Int32Array(format.fields.length);
    this.iPort = format.at('dstport');
    this.iProto = format.at('protocol');
    this.iStart = format.at('start');
    this.iEnd = format.at('end');
    this.iStatus = format.at('log-status');
    this.iAccount = format.at('account-id');
    this.iRegion = format.at('region');
    this.positions = {
      fieldSpaces: this.fieldSpaces, iStart: this.iStart, iEnd: this.iEnd, iStatus: this.iStatus, iAccount: this.iAccount,
      iRegion: this.iRegion, iPort: this.iPort, iProto: this.iProto,
    };
  }

  /** Feeds a chunk of decompressed text. */
  push(chunk: Buffer): void {
    let pos = 0;
    if (this.carry) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > 1 << 20) throw new NotFlowLog(`line ${this.lineNo + 1} is longer than 1 MiB: not a flow log`);
        return;
      }
      const line = Buffer.concat([this.carry, chunk.subarray(0, nl)]);
      this.carry = null;
      this.line(line, 0, line.length);
      pos = nl + 1;
    }
    // Until the format is known, lines go one by one (the first decides it).
    while (!this.format) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (nl < 0) break;
      this.line(chunk, pos, nl);
      pos = nl + 1;
    }
    if (this.format) {
      const kernel = this.options.kernel === false ? null : flowKernel();
      pos = kernel ? this.scanKernel(chunk, pos, kernel) : this.scanLines(chunk, pos, chunk.length);
    }
    if (pos < chunk.length) this.carry = Buffer.from(chunk.subarray(pos));
  }

    /**
   * The complete lines of a chunk through the kernel, a slice of at most KERNEL_TEXT_SIZE bytes per call. Returns
   * where the unfinished last line starts. A line longer than a slice is read in JavaScript.
   */
  private scanKernel(buf: Buffer, from: number, kernel: FlowKernel): number {
    const length = buf.length;
    const counts = this.counts;
    let pos = from;
    while (pos < length) {
      const size = Math.min(length - pos, KERNEL_TEXT_SIZE);
      const read = kernel.scan(buf.subarray(pos, pos + size), this.lineNo, this.positions as FieldPositions, this.ports, this.protocols, this.since, this.until, counts);
      this.collect(kernel, buf, pos);
      if (read > 0) {
        pos += read;
        continue;
      }
      if (pos + size === length) return pos;
      const newline = buf.indexOf(NEWLINE, pos + size);
      if (newline < 0) return pos;
      pos = this.scanLines(buf, pos, newline + 1);
    }
    return pos;
  }

  /** Takes what a kernel call read from the slice of `buf` at `base`: counters, then events in line order. */
  private collect(kernel: FlowKernel, buf: Buffer, base: number): void {
    const counts = this.counts;
    const stats = this.stats;
    this.lineNo = counts.lineNo;
    stats.records += counts.records;
    if (counts.malformed > 0) {
      stats.malformed += counts.malformed;
      stats.firstMalformed ??= { source: this.source, line: counts.firstMalformed };
    }
    stats.nodata += counts.nodata;
    stats.skipdata += counts.skipdata;
    this.outside += counts.outside;
    if (counts.first !== Infinity && (stats.start === null || counts.first < stats.start)) stats.start = counts.first;
    if (counts.last !== -Infinity && (stats.end === null || counts.last > stats.end)) stats.end = counts.last;
    const event = this.event;
    for (let i = 0; i < counts.events; i++) {
      kernel.event(i, event);
      const s = base + event[2];
      const e = base + event[3];
      if (event[0] === EVENT_KEEP) this.keep(buf, s, e, event[1]);
      else {
        // An account or region differing from the previous record's (the kernel may report a value again).
        const value = buf.toString('latin1', s, e);
        if (value !== '' && value !== '-') (event[0] === EVENT_ACCOUNT ? stats.accounts : stats.regions).add(value);
      }
    }
  }

  /** A line the kernel found wanted (a record to a wanted port, in the time range): made into a FlowRecord. */
  private keep(buf: Buffer, s: number, e: number, line: number): void {
    const spaces = this.spaces;
    let n = 0;
    for (let i = s; i < e; i++) if (buf[i] === SPACE) spaces[n++] = i;
    const at = (k: number) => numberAt(buf, this.fieldStart(k, s), this.fieldEnd(k, e, n));
    const start = this.iStart >= 0 ? at(this.iStart) : -1;
    const end = this.iEnd >= 0 ? at(this.iEnd) : start;
    this.options.onRecord(this.materialise(buf, s, e, n, line, start, end, at(this.iPort), at(this.iProto)));
  }

  /**
   * The hot loop over the complete lines of a chunk. Returns where the unfinished last line starts. Four bytes
   * are looked at together (SWAR): one test per word says whether any of them is a space, a newline or another
   * control byte; only those (about one byte in eight in flow logs) are looked at one by one.
   */
  private scanLines(buf: Buffer, from: number, length: number): number {
    const spaces = this.spaces;
    const max = spaces.length;
    let lineStart = from;
    let n = 0;
    // Position of the last carriage return seen: stripped when it is the byte just before a newline.
    let cr = -2;
    // Whole 32-bit words from the first 4-aligned address after `from` (typed arrays need aligned views).
    const first = LITTLE_ENDIAN ? Math.min(length, from + ((4 - ((buf.byteOffset + from) & 3)) & 3)) : length;
    const words = (length - first) >> 2;
    const last = first + words * 4;
    for (let i = from; i < first; i++) {
      const c = buf[i];
      if (c > SPACE) continue;
      if (c === SPACE) {
        if (n < max) spaces[n] = i;
        n++;
      } else if (c === NEWLINE) {
        this.lineNo++;
        const end = cr === i - 1 ? i - 1 : i;
        if (end > lineStart) this.fields(buf, lineStart, end, n);
        n = 0;
        lineStart = i + 1;
      } else if (c === CR) cr = i;
    }
    if (words > 0) {
      const view = new Int32Array(buf.buffer, buf.byteOffset + first, words);
      for (let w = 0; w < words; w++) {
        const v = view[w];
        // 0x80 in each byte below 0x21: (byte & 0x7f) + 0x5f sets its top bit from 0x21 up, and `| v` keeps
        // bytes from 0x80 up out; no carry crosses bytes. `| 0`: wrapping 32-bit addition.
        let mask = ~((((v & 0x7f7f7f7f) + 0x5f5f5f5f) | 0) | v) & 0x80808080;
        while (mask !== 0) {
          const bit = mask & -mask;
          mask ^= bit;
          const i = first + (w << 2) + ((31 - Math.clz32(bit)) >> 3);
          const c = buf[i];
          if (c === SPACE) {
            if (n < max) spaces[n] = i;
            n++;
          } else if (c === NEWLINE) {
            this.lineNo++;
            const end = cr === i - 1 ? i - 1 : i;
            if (end > lineStart) this.fields(buf, lineStart, end, n);
            n = 0;
            lineStart = i + 1;
          } else if (c === CR) cr = i;
        }
      }
    }
    for (let i = Math.max(first, last); i < length; i++) {
      const c = buf[i];
      if (c > SPACE) continue;
      if (c === SPACE) {
        if (n < max) spaces[n] = i;
        n++;
      } else if (c === NEWLINE) {
        this.lineNo++;
        const end = cr === i - 1 ? i - 1 : i;
        if (end > lineStart) this.fields(buf, lineStart, end, n);
        n = 0;
        lineStart = i + 1;
      } else if (c === CR) cr = i;
    }
    return lineStart;
  }

  /** The end of the text: the last line may lack its newline. Returns false when the text held no line at all. */
  end(): boolean {
    if (this.carry) {
      const line = this.carry;
      this.carry = null;
      this.line(line, 0, line.length);
    }
    return this.lineNo > 0;
  }

  private line(buf: Buffer, s: number, e: number): void {
    if (e > s && buf[e - 1] === CR) e--;
    this.lineNo++;
    if (e === s) return;
    if (!this.format && this.firstLine(buf.toString('latin1', s, e))) return;
    this.record(buf, s, e);
  }

  /** Decides the format from the first line; true when that line is a header (not a record). */
  private firstLine(line: string): boolean {
    const header = headerFormat(line);
    if (header) {
      this.useFormat(header, header.isDefault ? 'default' : header.fields.join(' '));
      return true;
    }
    if (isDefaultRecord(line)) {
      this.useFormat(DEFAULT_FORMAT, 'default');
      return false;
    }
    throw new NotFlowLog('not a VPC flow log (the first line is neither a flow log header nor a default-format record)');
  }

  /** One line on its own (the first lines, a line split across chunks): find its spaces, then read its fields. */
  private record(buf: Buffer, s: number, e: number): void {
    const spaces = this.spaces;
    let n = 0;
    for (let i = s; i < e; i++) {
      if (buf[i] === SPACE) {
        if (n < spaces.length) spaces[n] = i;
        n++;
      }
    }
    this.fields(buf, s, e, n);
  }

  /** Where field k of the line [s, e) starts and ends, its `n` spaces being in `spaces`. */
  private fieldStart(k: number, s: number): number {
    return k === 0 ? s : this.spaces[k - 1] + 1;
  }

  private fieldEnd(k: number, e: number, n: number): number {
    return k === n ? e : this.spaces[k];
  }

  /** The fields of the line [s, e), which has `n` spaces. */
  private fields(buf: Buffer, s: number, e: number, n: number): void {
    const stats = this.stats;
    if (n !== this.fieldSpaces) return this.malformed();
    let start = -1;
    if (this.iStart >= 0) {
      start = numberAt(buf, this.fieldStart(this.iStart, s), this.fieldEnd(this.iStart, e, n));
      if (start === -2) return this.malformed();
    }
    let end = start;
    if (this.iEnd >= 0) {
      end = numberAt(buf, this.fieldStart(this.iEnd, s), this.fieldEnd(this.iEnd, e, n));
      if (end === -2) return this.malformed();
    }
    stats.records++;
    if (this.iStatus >= 0) {
      const c = buf[this.fieldStart(this.iStatus, s)];
      if (c === 0x4e) stats.nodata++;
      else if (c === 0x53) stats.skipdata++;
    }
    if (start >= 0) {
      if (stats.start === null || start < stats.start) stats.start = start;
      const last = end >= 0 ? end : start;
      if (stats.end === null || last > stats.end) stats.end = last;
    }
    if (this.iAccount >= 0) this.lastAccount = this.remember(buf, this.fieldStart(this.iAccount, s), this.fieldEnd(this.iAccount, e, n), this.lastAccount, stats.accounts);
    if (this.iRegion >= 0) this.lastRegion = this.remember(buf, this.fieldStart(this.iRegion, s), this.fieldEnd(this.iRegion, e, n), this.lastRegion, stats.regions);
    const port = numberAt(buf, this.fieldStart(this.iPort, s), this.fieldEnd(this.iPort, e, n));
    if (port < 0 || port > 65535 || this.ports[port] === 0) return;
    const protocol = numberAt(buf, this.fieldStart(this.iProto, s), this.fieldEnd(this.iProto, e, n));
    if (protocol < 0 || protocol > 255 || this.protocols[protocol] === 0) return;
    if (start >= 0 && ((end >= 0 ? end : start) < this.since || start > this.until)) {
      this.outside++;
      return;
    }
    this.options.onRecord(this.materialise(buf, s, e, n, this.lineNo, start, end, port, protocol));
  }

  /**
   * Adds a field's value to `set` when it differs from the previous line's (lines of a file mostly share it).
   * `-` (no value) and an empty field are never added, whatever line came before.
   */
  private remember(buf: Buffer, s: number, e: number, last: Buffer, set: Set<string>): Buffer {
    const length = e - s;
    if (length === last.length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (buf[s + i] !== last[i]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    if (length > 0 && !(length === 1 && buf[s] === DASH)) set.add(buf.toString('latin1', s, e));
    return Buffer.from(buf.subarray(s, e));
  }

  private malformed(): void {
    this.stats.malformed++;
    this.stats.firstMalformed ??= { source: this.source, line: this.lineNo };
  }

  private materialise(buf: Buffer, s: number, e: number, n: number, line: number, start: number, end: number, port: number, protocol: number): FlowRecord {
    const format = this.format as FlowFormat;
    const field = (name: string): string | undefined => {
      const i = format.at(name);
      return i >= 0 ? text(buf, this.fieldStart(i, s), this.fieldEnd(i, e, n)) : undefined;
    };
    const count = (name: string): number | undefined => {
      const i = format.at(name);
      return i >= 0 ? num(buf, this.fieldStart(i, s), this.fieldEnd(i, e, n)) : undefined;
    };
    const action = field('action');
    const record: FlowRecord = {
      source: this.source,
      line,
      raw: buf.toString('latin1', s, e),
      start,
      dstport: port,
      protocol,
    };
    if (end >= 0) record.end = end;
    if (action === 'ACCEPT' || action === 'REJECT') record.action = action;
    const strings: [keyof FlowRecord, string][] = [
      ['account', 'account-id'], ['interfaceId', 'interface-id'], ['srcaddr', 'srcaddr'], ['dstaddr', 'dstaddr'],
      ['logStatus', 'log-status'], ['vpcId', 'vpc-id'], ['subnetId', 'subnet-id'], ['instanceId', 'instance-id'],
      ['flowDirection', 'flow-direction'], ['pktDstaddr', 'pkt-dstaddr'], ['pktSrcaddr', 'pkt-srcaddr'], ['region', 'region'], ['type', 'type'],
    ];
    for (const [key, name] of strings) {
      const value = field(name);
      if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
    }
    for (const [key, name] of [['srcport', 'srcport'], ['packets', 'packets'], ['bytes', 'bytes']] as const) {
      const value = count(name);
      if (value !== undefined) record[key] = value;
    }
    return record;
  }
}
