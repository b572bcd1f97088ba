// Writing outputs of any size (the results of a 1,000-account Organization run to hundreds of MB): a report
// comes as a sequence of text chunks, written in batches of about 1 MiB, so that no output is ever held whole
// in memory; a file is written under a temporary name and renamed into place, so that a reader never sees
// half of it and an interrupted run leaves none.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Characters gathered before one write. Small on purpose: V8 allocates a string above 128 KB outside the young
 * generation, where only a full collection frees it — 1 MiB batches of a 200 MB output would pile up as
 * hundreds of MB of garbage. 32 Ki characters (64 KB at most) die young, and 6,000 writes per 200 MB are cheap.
 */
const BATCH_CHARS = 1 << 15;

export interface Written {
  /** Bytes written (UTF-8). */
  size: number;
  /** sha256 of those bytes, hex. */
  sha256: string;
}

/** What an output file is made of: text chunks (a reporter's stream), a whole text or buffer, or a copy of a file. */
export type OutputContent = { chunks: Iterable<string> } | { content: string | Buffer } | { copyOf: string };

/** The chunks joined into pieces of about 32 Ki characters (a chunk longer than that passes whole). */
export function* batched(chunks: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  let chars = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    chars += chunk.length;
    if (chars >= BATCH_CHARS) {
      yield batch.join('');
      batch = [];
      chars = 0;
    }
  }
  if (chars > 0) yield batch.join('');
}

function writeAll(fd: number, data: string | Buffer, hash: Hash): number {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
  hash.update(buffer);
  return buffer.length;
}

/** Writes `content` to an open file descriptor; returns its size and sha256. */
export function writeContent(fd: number, content: OutputContent): Written {
  const hash = createHash('sha256');
  let size = 0;
  if ('content' in content) {
    size = writeAll(fd, content.content, hash);
  } else if ('copyOf' in content) {
    const buffer = Buffer.alloc(1 << 20);
    const source = openSync(content.copyOf, 'r');
    try {
      for (let n = readSync(source, buffer, 0, buffer.length, null); n > 0; n = readSync(source, buffer, 0, buffer.length, null)) {
        size += writeAll(fd, buffer.subarray(0, n), hash);
      }
    } finally {
      closeSync(source);
    }
  } else {
    for (const text of batched(content.chunks)) size += writeAll(fd, text, hash);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Writes `content` to a new file `file` (`flag` `wx`: refuses to replace one). */
export function writeNewFile(file: string, content: OutputContent): Written {
  const fd = openSync(file, 'wx');
  try {
    return writeContent(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** Atomic write of any size: to `file.<pid>.tmp`, then renamed to `file`. */
export function writeFileAtomic(file: string, content: OutputContent): Written {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  try {
    const written = writeNewFile(tmp, content);
    renameSync(tmp, file);
    return written;
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
