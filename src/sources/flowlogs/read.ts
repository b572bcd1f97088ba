// Reads one VPC Flow Logs object (a local file or an S3 object body): gzip recognised by its magic bytes and
// decompressed as a stream, text lines handed to the scanner, Parquet (S3 delivery's other file format) read
// row group by row group. The SHA-256 of the object's bytes as read (compressed, as delivered) is computed on
// the way, so evidence can prove a line came from a delivered file. Failures are SourceErrors naming the input.
import { createHash } from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { constants, createGunzip, gunzip, gunzipSync } from 'node:zlib';
import { SourceError } from '../../errors.js';
import { describeFailure, prepend } from '../cloudtrail/read.js';
import { flowFormat, type FlowFormat } from './format.js';
import { FlowLineScanner, NotFlowLog, UnusableFormat, type FlowScanOptions } from './scan.js';
import type { FlowStats, SourceObject } from './types.js';

/** What the first bytes of an input (after gzip) say it is. */
export type InputKind = 'cloudtrail' | 'vpc-flow' | 'parquet' | 'gzip' | 'unknown';

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31];

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The kind of an input by content. `gzip` means "decompress and ask again". JSON (CloudTrail) starts with
 * `{` after optional whitespace or a byte order mark; a flow log text starts with a letter or digit.
 */
export function sniff(head: Uint8Array): InputKind {
  if (isGzip(head)) return 'gzip';
  if (head.length >= 4 && PARQUET_MAGIC.every((b, i) => head[i] === b)) return 'parquet';
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i >= head.length) return 'unknown';
  if (head[i] === 0x7b) return 'cloudtrail';
  const c = head[i];
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return 'vpc-flow';
  return 'unknown';
}

/**
 * The kind of a log by its first bytes, looking inside gzip (the first 64 KiB inflated without requiring the
 * end of the stream). `unknown` when gzip data is corrupt: the CloudTrail reader then names the problem.
 */
export function contentKind(head: Uint8Array): Exclude<InputKind, 'gzip'> {
  const kind = sniff(head);
  if (kind !== 'gzip') return kind;
  // A few KiB of deflate almost always yield the first bytes; inflating more only when they did not keeps
  // the look cheap for the thousands of small CloudTrail files a trail is made of (B4).
  for (const size of [4 * 1024, 64 * 1024]) {
    let inflated: Uint8Array;
    try {
      inflated = gunzipSync(head.subarray(0, size), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return 'unknown';
    }
    const inner = sniff(inflated);
    if (inner !== 'unknown' || head.length <= size) return inner === 'gzip' ? 'unknown' : inner;
  }
  return 'unknown';
}

/** The first chunk of a stream (for contentKind) and the whole stream again, nothing read twice. */
export async function peek(input: AsyncIterable<Uint8Array>): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = input[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return { head: new Uint8Array(0), stream: (async function* () {})() };
  return { head: first.value, stream: prepend(first.value, iterator) };
}

/** The content is not a flow log at all (another service's log, say): found in a folder walk it is skipped. */
export class NotFlowLogInput extends SourceError {}

const GUNZIP_CHUNK = 1024 * 1024;

/** Hashes every chunk of the raw input as it passes. */
async function* hashing(input: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>, size: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    hash.update(chunk);
    size.bytes += chunk.length;
    yield chunk;
  }
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export interface ReadFlowOptions extends FlowScanOptions {
  stats: FlowStats;
}

const gunzipAsync = promisify(gunzip);
/** A whole file is gunzipped in one call up to this size of text; larger ones are streamed. */
const WHOLE_GUNZIP_LIMIT = 256 * 1024 * 1024;

/**
 * The output chunk for gunzipping a whole file: the text size its gzip trailer states (of the last member, so
 * exact for the single-member files S3 delivers), when larger than the usual chunk. Decompressed into one chunk,
 * the text is not copied again to join chunks (about a twentieth of gunzip's time). The stated size is bounded by
 * what deflate can expand the file to and by the whole-file limit, so a false trailer costs memory at most.
 */
function wholeChunk(gzip: Buffer): number {
  const stated = gzip.length >= 18 ? gzip.readUInt32LE(gzip.length - 4) : 0;
  return Math.max(GUNZIP_CHUNK, Math.min(stated, gzip.length * 1032, WHOLE_GUNZIP_LIMIT) + 64);
}

/**
 * A flow log file already in memory (local files, read whole): gunzipped in one call on the libuv thread pool,
 * so with several files in flight decompression overlaps with scanning on another core.
 */
async function readWhole(buffer: Buffer, name: string, options: ReadFlowOptions): Promise<{ object: SourceObject; outside: number }> {
  let text: Buffer = buffer;
  if (isGzip(buffer)) {
    try {
      text = await gunzipAsync(buffer, { chunkSize: wholeChunk(buffer), maxOutputLength: WHOLE_GUNZIP_LIMIT });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) return readFlowObject(single(buffer), name, options);
      throw new SourceError(describeFailure(error), name);
    }
  }
  if (sniff(text) !== 'vpc-flow') return readFlowObject(single(buffer), name, options);
  const object: SourceObject = { name, kind: 'vpc-flow', bytes: buffer.length, sha256: createHash('sha256').update(buffer).digest('hex') };
  try {
    const scanner = new FlowLineScanner(name, options.stats, options);
    scanner.push(text);
    if (!scanner.end()) throw new SourceError('empty file', name);
    return { object, outside: scanner.outside };
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (error instanceof NotFlowLog) throw new NotFlowLogInput(error.message, name);
    if (error instanceof UnusableFormat) throw new SourceError(error.message, name);
    throw new SourceError(describeFailure(error), name);
  }
}

async function* single(buffer: Buffer): AsyncGenerator<Uint8Array> {
  yield buffer;
}

/**
 * Reads one flow log object (a stream, or a whole file already read). Returns what was read (name, size,
 * SHA-256) and how many records fell outside the time range. Throws SourceError when the object cannot be
 * read or is not a flow log.
 */
export async function readFlowObject(input: AsyncIterable<Uint8Array> | Buffer, name: string, options: ReadFlowOptions): Promise<{ object: SourceObject; outside: number }> {
  if (Buffer.isBuffer(input)) return readWhole(input, name, options);
  const hash = createHash('sha256');
  const size = { bytes: 0 };
  const iterator = hashing(input, hash, size)[Symbol.asyncIterator]();
  let kind: SourceObject['kind'] = 'vpc-flow';
  let outside = 0;
  try {
    const first = await iterator.next();
    if (first.done) throw new SourceError('empty file', name);
    const head = first.value;
    const gzip = isGzip(head);
    let stream: AsyncIterable<Uint8Array> = prepend(head, iterator);
    if (gzip) {
      stream = pipeline(Readable.from(stream), createGunzip({ chunkSize: GUNZIP_CHUNK }), () => undefined);
    }
    const decompressed = stream[Symbol.asyncIterator]();
    let opening = await decompressed.next();
    while (!opening.done && opening.value.length === 0) opening = await decompressed.next();
    if (opening.done) throw new SourceError('empty file', name);
    const what = sniff(opening.value);
    if (what === 'parquet') {
      kind = 'vpc-flow-parquet';
      const chunks: Buffer[] = [asBuffer(opening.value)];
      for (;;) {
        const next = await decompressed.next();
        if (next.done) break;
        chunks.push(asBuffer(next.value));
      }
      outside = await readParquet(Buffer.concat(chunks), name, options);
    } else {
      if (what !== 'vpc-flow') throw new NotFlowLogInput(what === 'cloudtrail' ? 'a CloudTrail log, not a VPC flow log' : 'not a VPC flow log (binary or unrecognised content)', name);
      const scanner = new FlowLineScanner(name, options.stats, options);
      scanner.push(asBuffer(opening.value));
      for (;;) {
        const next = await decompressed.next();
        if (next.done) break;
        scanner.push(asBuffer(next.value));
      }
      if (!scanner.end()) throw new SourceError('empty file', name);
      outside = scanner.outside;
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    if (error instanceof NotFlowLog) throw new NotFlowLogInput(error.message, name);
    if (error instanceof UnusableFormat) throw new SourceError(error.message, name);
    throw new SourceError(describeFailure(error), name);
  }
  return { object: { name, kind, bytes: size.bytes, sha256: hash.digest('hex') }, outside };
}

/** Parquet column names use `_` where the text format uses `-` (`log_status`); both are accepted. */
function fieldName(column: string): string {
  return column.replace(/_/g, '-');
}

/** Rows of a Parquet flow log, one row group at a time, as text lines in the file's column order. */
async function readParquet(bytes: Buffer, name: string, options: ReadFlowOptions): Promise<number> {
  const { parquetMetadata, parquetReadObjects } = await import('hyparquet');
  // A copy into an ArrayBuffer of its own: Node pools small Buffers inside a larger (possibly shared) one.
  const whole = new Uint8Array(bytes).buffer;
  const file = { byteLength: whole.byteLength, slice: (start: number, end?: number) => whole.slice(start, end ?? whole.byteLength) };
  let metadata;
  try {
    metadata = parquetMetadata(file.slice(0));
  } catch {
    throw new SourceError('not a readable Parquet file (bad footer)', name);
  }
  const columns = metadata.schema.slice(1).map((element) => element.name);
  const format: FlowFormat = flowFormat(columns.map(fieldName));
  const scanner = new FlowLineScanner(name, options.stats, { ...options, format });
  const compressors = { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) };
  let row = 0;
  for (const group of metadata.row_groups) {
    const count = Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart: row, rowEnd: row + count, compressors });
    // Each row becomes the text line the same record would have in a text delivery, so one scanner and one
    // evidence form serve both; the line number is the row index + 1.
    const text = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '-' : String(r[c]))).join(' ')).join('\n');
    scanner.push(Buffer.from(`${text}\n`, 'latin1'));
    row += count;
  }
  scanner.end();
  return scanner.outside;
}
