// Local log inputs: files and folders as AWS delivers them (AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/
// <dd>/*.json.gz, AWSLogs/<account>/vpcflowlogs/<region>/…/*.log.gz or .parquet), or as a responder saved them
// (.json, .log). Folders are walked recursively; digest files are skipped (they hold hashes, not events);
// anything unreadable is an error entry. What a file holds is decided by its content when it is read.
import { closeSync, createReadStream, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InputError } from '../../inventory/types.js';
import { describeFailure } from './read.js';

/** A log to read: its display name and a way to open its bytes. */
export interface TrailObject {
  name: string;
  open(): AsyncIterable<Uint8Array>;
  /** The whole content when it is small enough to read in one piece, else null (then `open`). */
  whole?(): Buffer | null;
  /**
   * Found by walking a folder or listing a prefix (not named by the user): a `.log` file that turns out to be
   * another service's log (ELB, Route 53) is skipped rather than an error.
   */
  walked?: boolean;
}

/** Files up to this size are read in one call; CloudTrail files are typically well below 1 MiB. */
export const WHOLE_READ_LIMIT = 8 * 1024 * 1024;

export interface TrailListing {
  objects: TrailObject[];
  skipped: string[];
  errors: InputError[];
}

/**
 * Log names read from folders and prefixes: CloudTrail .json.gz (delivered) or .json (saved, uncompressed
 * copies); VPC Flow Logs .log.gz (S3 text delivery), .log, and .parquet (S3 Parquet delivery, `.log.parquet`).
 */
export const LOG_NAME = /\.(json|log)(\.gz)?$|\.parquet$/i;

/** JSON Lines of records, as log shippers and exports name them (.jsonl, .ndjson, gzipped or not). */
export const JSON_LINES_NAME = /\.(jsonl|ndjson)(\.gz)?$/i;

/** A name read from folders and prefixes. */
export function isLogName(name: string): boolean {
  return LOG_NAME.test(name) || JSON_LINES_NAME.test(name);
}

/** Digest files live under CloudTrail-Digest/ and are named …_CloudTrail-Digest_…json.gz. */
export function isDigestName(name: string): boolean {
  return /CloudTrail-Digest/i.test(name) || /-Digest[_.]/i.test(path.basename(name));
}

function display(cwd: string, full: string): string {
  const rel = path.relative(cwd, full);
  return (rel && !rel.startsWith('..') ? rel : full).split(path.sep).join('/');
}

/**
 * The whole file when it is at most WHOLE_READ_LIMIT bytes, else null. Synchronous on purpose: a trail
 * is thousands of files of a few KiB, and four promise-based calls per file (open, stat, read, close
 * through the thread pool) cost more than reading them (profiled on B4).
 */
function readWhole(full: string): Buffer | null {
  const fd = openSync(full, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > WHOLE_READ_LIMIT) return null;
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === size ? buffer : buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function fileObject(full: string, name: string): TrailObject {
  return {
    name,
    open: () => createReadStream(full, { highWaterMark: 256 * 1024 }),
    whole: () => readWhole(full),
  };
}

/** Lists the logs under the given paths (files or folders), in a stable order. */
export function listLocal(paths: string[], cwd: string): TrailListing {
  const listing: TrailListing = { objects: [], skipped: [], errors: [] };
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let stats;
    try {
      stats = statSync(full);
    } catch (error) {
      listing.errors.push({ file: display(cwd, full), message: describeFailure(error) });
      continue;
    }
    if (!stats.isDirectory()) {
      // A file named on the command line is read whatever its name, except a digest.
      if (isDigestName(full)) listing.skipped.push(display(cwd, full));
      else listing.objects.push(fileObject(full, display(cwd, full)));
      continue;
    }
    walk(full, path.relative(cwd, full) === '' ? '' : display(cwd, full), listing);
  }
  return listing;
}

/** `shown` is the display name of `dir`; children's names are built from it, not recomputed per file. */
function walk(dir: string, shown: string, listing: TrailListing): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    listing.errors.push({ file: shown || dir, message: describeFailure(error) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = shown === '' ? '' : `${shown}/`;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) {
      walk(full, name, listing);
    }
    else if (isDigestName(full) || !isLogName(entry.name)) {
      listing.skipped.push(name);
    }
    else {
      listing.objects.push({ ...fileObject(full, name), walked: true });
    }
  }
}
