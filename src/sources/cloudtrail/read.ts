// Reads the records of one CloudTrail log (a local file or an S3 object body): gzip is recognised by
// its magic bytes, not the name, and decompressed as a stream. Any failure (truncated gzip, not JSON,
// not CloudTrail) is a SourceError naming the input; the caller records it and goes on with the rest.
import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip, gunzipSync } from 'node:zlib';
import { SourceError } from '../../errors.js';
import { findJsonProblem } from '../json-error.js';
import { JsonLineError, JsonLinesScanner, RecordsScanner, WHOLE_PARSE_LIMIT, jsonLinesRecords, recordsOf, startsJsonLines, unwrapRecord } from './parse.js';
import type { CloudTrailRecord } from './types.js';

/** An input that is recognised and deliberately not read as a log (a digest file): skipped, not an error. */
export class SkippedInput extends Error {
  override name = 'SkippedInput';
  constructor(
    readonly reason: string,
    readonly file: string,
  ) {
    super(reason);
  }
}

/** One line, no stack: what the user sees next to the file name. Never quotes the input (SPEC §11). */
export function describeFailure(error: unknown): string {
  // V8's JSON.parse messages quote the text around the problem, which may be a secret: never pass them on.
  if (error instanceof SyntaxError) return 'not valid JSON';
  const e = error as NodeJS.ErrnoException & { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) {
    return 'truncated gzip: unexpected end of file';
  }
  if (e?.code === 'Z_DATA_ERROR') return `corrupt gzip: ${printable(e.message)}`;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `cannot read: permission denied (${e.code})`;
  if (e?.code === 'EISDIR') return 'is a directory';
  const status = e?.$metadata?.httpStatusCode;
  // eslint-disable-next-line no-control-regex -- one line without control characters, whatever the error held
  const message = String(e?.message ?? error).split('\n')[0].replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  if (status !== undefined) return `${e.name ?? 'Error'} (HTTP ${status}): ${message}`;
  return e?.code ? `${e.code}: ${message}` : message;
}

/** Characters outside printable ASCII written as \uXXXX: a message is one line with no control characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * True when bytes cannot be a JSON text: a NUL or other C0 control byte outside the JSON whitespace,
 * or bytes that are not UTF-8. Random data and other compressed formats fail on the first few bytes.
 */
export function isBinary(bytes: Uint8Array): boolean {
  for (const byte of bytes.subarray(0, 64 * 1024)) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return true;
    if (byte === 0x7f) return true;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

/** The message for binary input: a `.gz` name that is not gzip says so. */
export function binaryMessage(name: string): string {
  return /\.gz$/i.test(name) ? 'not gzip data, and not a CloudTrail log (binary content)' : 'not a CloudTrail log (binary content)';
}

/**
 * Why a JSON text that JSON.parse refused is invalid, by position, quoting at most one character
 * (escaped): `not valid JSON at line L, column C: <problem>`. `base` shifts the position when the
 * text is a part of a larger file.
 */
export function jsonProblemMessage(text: string, what = 'not valid JSON', base?: (offset: number) => { line: number; column: number }): string {
  const problem = findJsonProblem(text);
  if (!problem) return what;
  const { line, column } = base ? base(problem.offset) : lineColumn(text, problem.offset);
  return `${what} at line ${line}, column ${column}: ${printable(problem.message)}`;
}

/** The message for a whole log that JSON.parse refused. */
function invalidLog(bytes: Uint8Array, name: string): string {
  if (isBinary(bytes)) return binaryMessage(name);
  return jsonProblemMessage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/** The chunks of a stream whose first chunk was already read (to sniff the content), that chunk first. */
export async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The decompressed bytes of the input, whether it is gzip or plain. */
async function* decompressed(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    yield* prepend(head, iterator);
    return;
  }
  // pipeline destroys both streams on an error in either, so a failing S3 body or a truncated
  // member surfaces here as an exception of the iteration instead of a hang.
  const gunzip = pipeline(Readable.from(prepend(head, iterator)), createGunzip({ chunkSize: 256 * 1024 }), () => undefined);
  for await (const chunk of gunzip) yield chunk as Uint8Array;
}

/**
 * The records of one log. Files up to WHOLE_PARSE_LIMIT decompressed are parsed in one piece; above it
 * the Records array is scanned element by element, so memory stays at one record plus one chunk.
 */
export async function* readRecords(input: AsyncIterable<Uint8Array>, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord> {
  for await (const batch of readRecordBatches(input, name, wholeParseLimit)) yield* batch;
}

/**
 * readRecords in batches (a whole file, or the records completed by one chunk): one await per batch
 * instead of one per record, which is a measurable share of the time on gigabytes of logs.
 */
export async function* readRecordBatches(input: AsyncIterable<Uint8Array>, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord[]> {
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let scanner: RecordsScanner | JsonLinesScanner | null = null;
  let decoder: TextDecoder | null = null;
  try {
    for await (const chunk of decompressed(input)) {
      if (!scanner) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes <= wholeParseLimit) continue;
        // Too large to parse whole: records one at a time, from a Records array or from JSON Lines, told
        // apart by the first line (held until it is complete, up to a megabyte).
        const head = headText(held);
        if (head.indexOf('\n') < 0 && heldBytes <= wholeParseLimit + JSON_LINES_HEAD) continue;
        scanner = startsJsonLines(head, JSON_LINES_HEAD) ? new JsonLinesScanner() : new RecordsScanner();
        decoder = new TextDecoder('utf-8');
        for (const part of held) yield parseEach(scanner.push(decoder.decode(part, { stream: true })), name, scanner);
        held.length = 0;
        if (scanner.problem) break;
        continue;
      }
      yield parseEach(scanner.push((decoder as TextDecoder).decode(chunk, { stream: true })), name, scanner);
      if (scanner.problem) break;
    }
  } catch (error) {
    if (error instanceof SourceError || error instanceof SkippedInput) throw error;
    throw new SourceError(describeFailure(error), name);
  }
  if (scanner) {
    yield parseEach(scanner.push((decoder as TextDecoder).decode()), name, scanner);
    if (scanner instanceof JsonLinesScanner) {
      yield parseEach(scanner.finish(), name, scanner);
      return;
    }
    const problem = scanner.end();
    if (problem) throw new SourceError(problem, name);
    return;
  }
  if (heldBytes === 0) throw new SourceError('empty file', name);
  const whole = Buffer.concat(held);
  held.length = 0;
  yield parseText(whole, name);
}

/** How far into a large text its first line is looked for, to tell JSON Lines from a Records file. */
const JSON_LINES_HEAD = 1024 * 1024;

/** The first megabyte or so of the held chunks as text (enough for the first line of JSON Lines). */
function headText(held: Uint8Array[]): string {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const part of held) {
    parts.push(part);
    size += part.length;
    if (size > JSON_LINES_HEAD) break;
  }
  return Buffer.concat(parts).toString('utf8');
}

function recordsOrThrow(value: unknown, name: string): CloudTrailRecord[] {
  const result = recordsOf(value);
  if ('skip' in result) throw new SkippedInput(result.skip, name);
  if ('problem' in result) throw new SourceError(result.problem, name);
  return result.records;
}

const gunzipAsync = promisify(gunzip);
/**
 * Compressed size from which gunzip runs on the thread pool (overlapping with parsing on the main
 * thread); below it a round trip to the pool costs more than decompressing here. Most CloudTrail
 * files are a few KiB.
 */
export const ASYNC_GUNZIP_FROM = 256 * 1024;

/** Output chunks sized to the expected text (gzip shrinks logs 5-15×), so a small file is not given 1 MiB. */
function chunkFor(compressed: number): number {
  return Math.min(1024 * 1024, Math.max(16 * 1024, 2 ** Math.ceil(Math.log2(compressed * 8))));
}

async function* single(buffer: Uint8Array): AsyncGenerator<Uint8Array> {
  yield buffer;
}

/**
 * The records of a log already read into memory (a local file, small compressed). A large one is
 * gunzipped on the libuv thread pool, so with several files in flight decompression overlaps with
 * parsing; output above the whole-parse limit falls back to the streaming reader.
 */
export async function* readBuffer(buffer: Buffer, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord> {
  for await (const batch of readBufferBatches(buffer, name, wholeParseLimit)) yield* batch;
}

export async function* readBufferBatches(buffer: Buffer, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord[]> {
  const gzip = isGzip(buffer);
  if (gzip && buffer.length >= ASYNC_GUNZIP_FROM) {
    let text: Buffer;
    try {
      text = await gunzipAsync(buffer, { maxOutputLength: wholeParseLimit, chunkSize: chunkFor(buffer.length) });
    } catch (error) {
      if (tooLarge(error)) {
        yield* readRecordBatches(single(buffer), name, wholeParseLimit);
        return;
      }
      throw new SourceError(describeFailure(error), name);
    }
    yield parseText(text, name);
    return;
  }
  const records = parseWhole(buffer, name, wholeParseLimit);
  if (records) yield records;
  else yield* readRecordBatches(single(buffer), name, wholeParseLimit);
}

function isGzip(buffer: Uint8Array): boolean {
  return buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
}

function tooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

/**
 * The records of a whole log in memory, synchronously (gunzip included): the path of the thousands of
 * small files a trail is made of, without a promise per file. Null when the text is above the
 * whole-parse limit: then the caller streams it (readRecordBatches).
 */
export function parseWhole(buffer: Buffer, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): CloudTrailRecord[] | null {
  let text: Buffer = buffer;
  if (isGzip(buffer)) {
    try {
      text = gunzipSync(buffer, { maxOutputLength: wholeParseLimit, chunkSize: chunkFor(buffer.length) });
    } catch (error) {
      if (tooLarge(error)) return null;
      throw new SourceError(describeFailure(error), name);
    }
  }
  else if (buffer.length > wholeParseLimit) {
    return null;
  }
  return parseText(text, name);
}

function parseText(text: Buffer, name: string): CloudTrailRecord[] {
  if (text.length === 0) throw new SourceError('empty file', name);
  const string = text.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(string);
  } catch {
    // Not one JSON text: JSON Lines of records (log shippers), or invalid.
    const lines = jsonLines(string, name);
    if (lines) return lines;
    throw new SourceError(invalidLog(text, name), name);
  }
  return recordsOrThrow(value, name);
}

/** The records of a JSON Lines text, null when it is not one; a bad line is a SourceError naming its place. */
function jsonLines(text: string, name: string): CloudTrailRecord[] | null {
  try {
    return jsonLinesRecords(text);
  } catch (error) {
    if (error instanceof JsonLineError) throw new SourceError(lineProblem(error.line, error.text), name);
    throw error;
  }
}

/** `not valid JSON at line L, column C: <problem>` for one line of JSON Lines, or why it is not a record. */
function lineProblem(line: number, text: string): string {
  const message = jsonProblemMessage(text, 'not valid JSON', (offset) => ({ line, column: offset + 1 }));
  return message === 'not valid JSON' ? `not a CloudTrail log file: line ${line} is not a JSON object` : message;
}

function parseEach(texts: string[], name: string, scanner: RecordsScanner | JsonLinesScanner): CloudTrailRecord[] {
  const lines = scanner instanceof JsonLinesScanner;
  return texts.map((text, k) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new SourceError(jsonProblemMessage(text, lines ? 'not valid JSON' : 'not valid JSON inside Records', (offset) => scanner.locate(k, offset)), name);
    }
    if (!lines) return value as CloudTrailRecord;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new SourceError(`not a CloudTrail log file: line ${scanner.locate(k, 0).line} is not a JSON object`, name);
    }
    return unwrapRecord(value);
  });
}
