// Turns the text of one CloudTrail log file into records. Small files (the usual case: AWS delivers
// a file every ~5 minutes per region) are parsed with one JSON.parse, which is the fastest thing V8
// offers; a file above the limit is scanned incrementally, one element of `Records` at a time, so a
// huge file never needs its whole decompressed text in memory.
import type { CloudTrailRecord } from './types.js';

/** Decompressed size up to which a file is parsed in one piece. */
export const WHOLE_PARSE_LIMIT = 16 * 1024 * 1024;

/**
 * A CloudTrail digest file (log-file validation: hashes of the logs of the last hour, no events),
 * recognised by content when its name does not say so. Skipped and counted, never read as a log.
 */
export const DIGEST_CONTENT = 'a CloudTrail digest file (hashes of log files, no events)';

function isDigest(object: Record<string, unknown>): boolean {
  return 'digestStartTime' in object || 'digestPublicKeyFingerprint' in object || ('logFiles' in object && 'digestS3Object' in object);
}

/** Why a parsed JSON value is not a CloudTrail log, or null when it is one (its records returned). */
export function recordsOf(value: unknown): { records: CloudTrailRecord[] } | { problem: string } | { skip: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: 'not a CloudTrail log file: the top level is not an object with a Records array' };
  }
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.Records)) return { records: object.Records.filter(isObject) as CloudTrailRecord[] };
  // The saved output of `aws cloudtrail lookup-events` is what a responder often has at hand.
  if (Array.isArray(object.Events)) {
    const records: CloudTrailRecord[] = [];
    for (const event of object.Events) {
      const raw = isObject(event) ? (event as Record<string, unknown>).CloudTrailEvent : undefined;
      if (typeof raw !== 'string') return { problem: 'not a CloudTrail log file: Events without CloudTrailEvent' };
      try {
        records.push(JSON.parse(raw) as CloudTrailRecord);
      } catch {
        // V8's message would quote the event; say which one instead.
        return { problem: `not a CloudTrail log file: the CloudTrailEvent of Events[${records.length}] is not valid JSON` };
      }
    }
    return { records };
  }
  if (isDigest(object)) return { skip: DIGEST_CONTENT };
  return { problem: 'not a CloudTrail log file: no top-level Records array' };
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;

/**
 * Incremental scanner for `{"Records": [ {...}, {...} ]}`: feed it text chunks, it hands back the raw
 * text of each complete record. Only strings are searched with indexOf (records are mostly strings),
 * so the per-character loop runs over punctuation and numbers alone.
 */
export class RecordsScanner {
  private buffer = '';
  /** Index in buffer where scanning resumes. */
  private position = 0;
  private depth = 0;
  private started = false;
  /** Depth inside the Records array (2), or 0 when not inside it. */
  private recordsDepth = 0;
  private recordStart = -1;
  /** Text of the last string seen at depth 1 (a key candidate) and whether a colon followed it. */
  private lastKey: string | null = null;
  private afterColon = false;
  /** Newlines in the text already dropped, and the characters after the last of them (for positions). */
  private droppedLines = 0;
  private droppedColumn = 0;
  /** Where in `buffer` each record returned by the last push starts. */
  private starts: number[] = [];
  sawRecords = false;
  /** Set when the text cannot be a CloudTrail file; scanning stops. */
  problem: string | null = null;

  /** Adds text; returns the raw JSON of every record completed by it. */
  push(chunk: string): string[] {
    if (this.problem) return [];
    // Drop what is already consumed, keeping the start of an unfinished record.
    const keepFrom = this.recordStart >= 0 ? this.recordStart : this.position;
    this.starts = [];
    if (keepFrom > 0) {
      this.countDropped(keepFrom);
      this.buffer = this.buffer.slice(keepFrom);
      this.position -= keepFrom;
      if (this.recordStart >= 0) this.recordStart -= keepFrom;
    }
    this.buffer += chunk;
    return this.scan();
  }

  /**
   * Line and column (1-based) in the whole input of `offset` within the k-th record returned by the
   * last push, for error messages that point at a position instead of quoting the text.
   */
  locate(k: number, offset: number): { line: number; column: number } {
    const at = (this.starts[k] ?? 0) + offset;
    let line = this.droppedLines + 1;
    let lineStart = -1;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0 && nl < at; nl = this.buffer.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl;
    }
    return { line, column: lineStart >= 0 ? at - lineStart : this.droppedColumn + at + 1 };
  }

  private countDropped(length: number): void {
    let last = -1;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0 && nl < length; nl = this.buffer.indexOf('\n', nl + 1)) {
      this.droppedLines++;
      last = nl;
    }
    this.droppedColumn = last >= 0 ? length - last - 1 : this.droppedColumn + length;
  }

  /** Called at the end of input: a problem description, or null when the text was complete. */
  end(): string | null {
    if (this.problem) return this.problem;
    if (!this.started) return 'empty file';
    if (this.depth !== 0) return 'truncated JSON: the file ends inside the Records array';
    if (!this.sawRecords) return 'not a CloudTrail log file: no top-level Records array';
    return null;
  }

  private scan(): string[] {
    const out: string[] = [];
    const text = this.buffer;
    let i = this.position;
    const length = text.length;
    while (i < length) {
      const code = text.charCodeAt(i);
      if (!this.started) {
        if (code === 32 || code === 9 || code === 10 || code === 13 || code === 0xfeff) {
          i++;
          continue;
        }
        if (code !== OPEN_BRACE) {
          // Never quote what was found: a control character or an undecodable byte means binary data.
          this.problem = code < 32 || code === 0x7f || code === 0xfffd
            ? 'not a CloudTrail log (binary content)'
            : 'not a CloudTrail log file: the top level is not a JSON object';
          return out;
        }
        this.started = true;
      }
      if (code === QUOTE) {
        const end = closingQuote(text, i + 1);
        if (end < 0) break; // the string continues in the next chunk
        if (this.depth === 1) {
          this.lastKey = text.slice(i + 1, end);
          this.afterColon = false;
        }
        i = end + 1;
        continue;
      }
      if (code === COLON) {
        if (this.depth === 1) this.afterColon = true;
      }
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.depth++;
        if (code === OPEN_BRACKET && this.depth === 2 && this.afterColon && this.lastKey === 'Records') {
          this.recordsDepth = 2;
          this.sawRecords = true;
        }
        else if (code === OPEN_BRACE && this.recordsDepth === 2 && this.depth === 3) {
          this.recordStart = i;
        }
      }
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) {
          this.problem = 'not valid JSON: unbalanced brackets';
          return out;
        }
        if (code === CLOSE_BRACE && this.depth === 2 && this.recordStart >= 0) {
          out.push(text.slice(this.recordStart, i + 1));
          this.starts.push(this.recordStart);
          this.recordStart = -1;
        }
        else if (code === CLOSE_BRACKET && this.depth === 1 && this.recordsDepth === 2) {
          this.recordsDepth = 0;
        }
        if (this.depth === 1) this.afterColon = false;
      }
      i++;
    }
    this.position = i;
    return out;
  }
}

/** Index of the quote closing a string whose content starts at `from`, or -1 if not in the text. */
function closingQuote(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; k >= from && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}
