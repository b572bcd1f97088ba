// Reading the files a command is given by name (snapshots, results): a missing or foreign file is a
// SourceError naming it, never a stack trace. Results and snapshots of an Organization run to hundreds of MB:
// they are read in chunks and parsed member by member (src/json-stream.ts), never held as one text.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../errors.js';
import { JsonObjectReader, JsonStreamError } from '../json-stream.js';
import type { Results } from '../results.js';
import type { Io } from './io.js';

/** The file's text; `what` names it in the error (`cannot read snapshot (ENOENT)`). */
export function readInput(file: string, io: Io, what: string): string {
  try {
    return readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new SourceError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
}

/**
 * A file holding one JSON object, read in 1 MiB chunks. `invalid` is the message when it is not valid JSON
 * (or makes it from the parser's), `notAnObject` when it is not an object.
 */
export function readJsonObject(
  file: string,
  io: Io,
  what: string,
  messages: { invalid: string | ((detail: string) => string); notAnObject: string },
  element?: (member: string, value: unknown) => unknown,
): Record<string, unknown> {
  let fd: number;
  try {
    fd = openSync(path.resolve(io.cwd, file), 'r');
  } catch (error) {
    throw new SourceError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  const reader = new JsonObjectReader(element);
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw new SourceError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
      }
      if (n === 0) break;
      reader.push(buffer.subarray(0, n));
    }
    return reader.end();
  } catch (error) {
    if (error instanceof JsonStreamError) {
      const invalid = typeof messages.invalid === 'string' ? messages.invalid : messages.invalid(error.message);
      throw new SourceError(error.notAnObject ? messages.notAnObject : invalid, file);
    }
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** A results JSON written by --json. */
export function readResults(file: string, io: Io): Results {
  const invalid = 'not a valid results JSON file';
  const foreign = 'not a sesguard results file (schemaVersion 1 expected)';
  const results = readJsonObject(file, io, 'results', { invalid, notAnObject: foreign }) as unknown as Results;
  if (results.schemaVersion !== 1 || !Array.isArray(results.findings)) throw new SourceError(foreign, file);
  return results;
}

/**
 * A `--baseline` file, checked. The previous run of an Organization is a results file of hundreds of MB: it is
 * read in chunks, and of a finding `current` reports too only what matching reads is kept (check, severity,
 * fingerprint, suppression); findings gone since are kept whole, as the "fixed" list shows them.
 */
export async function readBaselineFile(file: string, io: Io, current: Results): Promise<Results> {
  const { baselineFrom, baselineNotJson, BASELINE_NOT_OBJECT } = await import('../engine/baseline.js');
  const now = new Set(current.findings.map((f) => f.fingerprint));
  const matchOnly = (member: string, item: unknown): unknown => {
    if (member !== 'findings' || typeof item !== 'object' || item === null) return item;
    const f = item as Record<string, unknown>;
    if (typeof f.fingerprint !== 'string' || !now.has(f.fingerprint)) return item;
    return { checkId: f.checkId, severity: f.severity, suppressed: f.suppressed, fingerprint: f.fingerprint };
  };
  const value = readJsonObject(file, io, 'the baseline', { invalid: baselineNotJson, notAnObject: BASELINE_NOT_OBJECT }, matchOnly);
  return baselineFrom(value, file);
}
