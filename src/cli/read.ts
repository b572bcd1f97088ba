// Reading the files a command is given by name (snapshots, results): a missing or foreign file is a
// SourceError naming it, never a stack trace.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../errors.js';
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

/** A results JSON written by --json. */
export function readResults(file: string, io: Io): Results {
  const text = readInput(file, io, 'results');
  let results: Results;
  try {
    results = JSON.parse(text);
  } catch {
    throw new SourceError('not a valid results JSON file', file);
  }
  if (!results || results.schemaVersion !== 1 || !Array.isArray(results.findings)) {
    throw new SourceError('not a sesguard results file (schemaVersion 1 expected)', file);
  }
  return results;
}
