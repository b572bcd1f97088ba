// Reads the records of one CloudTrail log (a local file or an S3 object body): gzip is recognised by
// its magic bytes, not the name, and decompressed as a stream. Any failure (truncated gzip, not JSON,
// not CloudTrail) is a SourceError naming the input; the caller records it and goes on with the rest.
import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { SourceError } from '../../errors.js';
import { RecordsScanner, WHOLE_PARSE_LIMIT, recordsOf } from './parse.js';
import type { CloudTrailRecord } from './types.js';

/** One line, no stack: what the user sees next to the file name. */
export function describeFailure(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) {
    return 'truncated gzip: unexpected end of file';
  }
  if (e?.code === 'Z_DATA_ERROR') return `corrupt gzip: ${e.message}`;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `cannot read: permission denied (${e.code})`;
  if (e?.code === 'EISDIR') return 'is a directory';
  const status = e?.$metadata?.httpStatusCode;
  const message = String(e?.message ?? error).split('\n')[0];
  if (status !== undefined) return `${e.name ?? 'Error'} (HTTP ${status}): ${message}`;
  return e?.code ? `${e.code}: ${message}` : message;
}

async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
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
  let scanner: RecordsScanner | null = null;
  let decoder: TextDecoder | null = null;
  try {
    for await (const chunk of decompressed(input)) {
      if (!scanner) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes <= wholeParseLimit) continue;
        scanner = new RecordsScanner();
        decoder = new TextDecoder('utf-8');
        for (const part of held) yield parseEach(scanner.push(decoder.decode(part, { stream: true })), name);
        held.length = 0;
        if (scanner.problem) break;
        continue;
      }
      yield parseEach(scanner.push((decoder as TextDecoder).decode(chunk, { stream: true })), name);
      if (scanner.problem) break;
    }
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(describeFailure(error), name);
  }
  if (scanner) {
    yield parseEach(scanner.push((decoder as TextDecoder).decode()), name);
    const problem = scanner.end();
    if (problem) throw new SourceError(problem, name);
    return;
  }
  if (heldBytes === 0) throw new SourceError('empty file', name);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(held).toString('utf8'));
  } catch (error) {
    throw new SourceError(`not valid JSON: ${describeFailure(error)}`, name);
  }
  held.length = 0;
  const result = recordsOf(value);
  if ('problem' in result) throw new SourceError(result.problem, name);
  yield result.records;
}

const gunzipAsync = promisify(gunzip);
/** zlib's default 16 KiB output chunks cost one thread-pool round trip each; a log fits in a few of these. */
const GUNZIP_CHUNK = 1024 * 1024;

async function* single(buffer: Uint8Array): AsyncGenerator<Uint8Array> {
  yield buffer;
}

/**
 * The records of a log already read into memory (a local file, small compressed). gunzip runs on the
 * libuv thread pool, so with several files in flight decompression overlaps with parsing; output
 * above the whole-parse limit falls back to the streaming reader.
 */
export async function* readBuffer(buffer: Buffer, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord> {
  for await (const batch of readBufferBatches(buffer, name, wholeParseLimit)) yield* batch;
}

export async function* readBufferBatches(buffer: Buffer, name: string, wholeParseLimit = WHOLE_PARSE_LIMIT): AsyncGenerator<CloudTrailRecord[]> {
  const gzip = buffer.length >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  if (!gzip && buffer.length > wholeParseLimit) {
    yield* readRecordBatches(single(buffer), name, wholeParseLimit);
    return;
  }
  let text: Buffer = buffer;
  if (gzip) {
    try {
      text = await gunzipAsync(buffer, { maxOutputLength: wholeParseLimit, chunkSize: GUNZIP_CHUNK });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        yield* readRecordBatches(single(buffer), name, wholeParseLimit);
        return;
      }
      throw new SourceError(describeFailure(error), name);
    }
  }
  if (text.length === 0) throw new SourceError('empty file', name);
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new SourceError(`not valid JSON: ${describeFailure(error)}`, name);
  }
  const result = recordsOf(value);
  if ('problem' in result) throw new SourceError(result.problem, name);
  yield result.records;
}

function parseEach(texts: string[], name: string): CloudTrailRecord[] {
  return texts.map((text) => {
    try {
      return JSON.parse(text) as CloudTrailRecord;
    } catch (error) {
      throw new SourceError(`not valid JSON inside Records: ${describeFailure(error)}`, name);
    }
  });
}
