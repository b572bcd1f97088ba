// The WebAssembly kernel of the flow log scan (kernel.wat, shipped compiled in kernel-wasm.ts): one instance per
// thread, made on first use. scan.ts copies text into it a slice at a time and reads back counters and events;
// this module only knows the kernel's memory layout. Where WebAssembly is unavailable (node --jitless), there is
// no kernel and scan.ts reads in JavaScript, with the same results.
import { FLOW_KERNEL_WASM } from './kernel-wasm.js';

/** Bytes of text the kernel reads per call (it writes down the position of every space and newline of it). */
export const KERNEL_TEXT_SIZE = 1 << 18;

// The memory layout of kernel.wat.
const PROTOS = 65536;
const STATS = 65792;
const EVENTS = 65856;
const TEXT = 3473824;

/** What one kernel call read: the counters of its lines and its events (kind, line, from, to; offsets in the slice). */
export interface KernelCounts {
  lineNo: number;
  records: number;
  malformed: number;
  /** Line of the first malformed line, -1 when none. */
  firstMalformed: number;
  nodata: number;
  skipdata: number;
  outside: number;
  /** Earliest start and latest end of the records read (±Infinity when none). */
  first: number;
  last: number;
  events: number;
}

export const EVENT_KEEP = 1;
export const EVENT_ACCOUNT = 2;
export const EVENT_REGION = 3;

export interface FieldPositions {
  fieldSpaces: number;
  iStart: number;
  iEnd: number;
  iStatus: number;
  iAccount: number;
  iRegion: number;
  iPort: number;
  iProto: number;
}

type ScanExport = (
  length: number, lineNo: number, fieldSpaces: number, iStart: number, iEnd: number, iStatus: number,
  iAccount: number, iRegion: number, iPort: number, iProto: number, since: number, until: number,
) => number;

export class FlowKernel {
  private readonly bytes: Uint8Array;
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private readonly run: ScanExport;
  /** The port table now in the kernel's memory (tables are copied in only when they change). */
  private ports: Uint8Array | null = null;
  private protocols: Uint8Array | null = null;

  constructor(instance: WebAssembly.Instance) {
    const memory = instance.exports.memory as WebAssembly.Memory;
    // The kernel never grows its memory: these views stay valid.
    this.bytes = new Uint8Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
    this.floats = new Float64Array(memory.buffer);
    this.run = instance.exports.scan as ScanExport;
  }

  /**
   * Reads the complete lines of `text` (at most KERNEL_TEXT_SIZE bytes), numbered from lineNo + 1. Returns how
   * many bytes it read (up to the start of the first line it did not read) and fills `counts`.
   */
  scan(text: Uint8Array, lineNo: number, at: FieldPositions, ports: Uint8Array, protocols: Uint8Array, since: number, until: number, counts: KernelCounts): number {
    if (this.ports !== ports || this.protocols !== protocols) {
      this.bytes.set(ports, 0);
      this.bytes.set(protocols, PROTOS);
      this.ports = ports;
      this.protocols = protocols;
    }
    this.bytes.set(text, TEXT);
    const read = this.run(text.length, lineNo, at.fieldSpaces, at.iStart, at.iEnd, at.iStatus, at.iAccount, at.iRegion, at.iPort, at.iProto, since, until);
    const ints = this.ints;
    const s = STATS >> 2;
    counts.lineNo = ints[s];
    counts.records = ints[s + 1];
    counts.malformed = ints[s + 2];
    counts.firstMalformed = ints[s + 3];
    counts.nodata = ints[s + 4];
    counts.skipdata = ints[s + 5];
    counts.outside = ints[s + 6];
    counts.events = ints[s + 7];
    counts.first = this.floats[(STATS + 32) >> 3];
    counts.last = this.floats[(STATS + 40) >> 3];
    return read;
  }

  /** Event i of the last call: [kind, line, from, to]. */
  event(i: number, into: Int32Array): void {
    const at = (EVENTS >> 2) + i * 4;
    into[0] = this.ints[at];
    into[1] = this.ints[at + 1];
    into[2] = this.ints[at + 2];
    into[3] = this.ints[at + 3];
  }
}

let kernel: FlowKernel | null | undefined;

/** This thread's kernel, or null where WebAssembly (with SIMD) is not available. */
export function flowKernel(): FlowKernel | null {
  if (kernel === undefined) {
    try {
      kernel = new FlowKernel(new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(FLOW_KERNEL_WASM, 'base64'))));
    } catch {
      kernel = null;
    }
  }
  return kernel;
}
