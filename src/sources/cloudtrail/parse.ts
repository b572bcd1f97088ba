// Turns the text of one CloudTrail log file into records. Small files (the usual case: AWS delivers
// a file every ~5 minutes per region) are parsed with one JSON.parse, which is the fastest thing V8
// offers; a file above the limit is scanned incrementally, one element of `Records` at a time, so a
// huge file never needs its whole decompressed text in memory. Besides AWS's own `{"Records": [...]}`,
// the shapes records reach a responder in are read the same way: `aws cloudtrail lookup-events` and
// `aws logs filter-log-events` output, a bare JSON array of records, one record saved alone, and JSON Lines
// (one record per line, what log shippers, Firehose and `jq -c '.Records[]'` write), each record possibly
// inside EventBridge's envelope ("AWS API Call via CloudTrail").
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

/** Fields only a CloudTrail record has among them; a shipper may drop or rename some, never all. */
const RECORD_FIELDS = ['eventVersion', 'eventSource', 'eventName', 'eventID', 'userIdentity', 'eventTime'];

/** EventBridge's envelope around a CloudTrail record: `detail-type` "AWS API Call via CloudTrail" & co. */
function isEnvelope(object: Record<string, unknown>): boolean {
  return typeof object['detail-type'] === 'string' && /via CloudTrail$/i.test(object['detail-type']) && isObject(object.detail);
}

/** True when a JSON value is a CloudTrail record, or EventBridge's envelope around one. */
export function isRecordLike(value: unknown): boolean {
  if (!isObject(value)) return false;
  const object = value as Record<string, unknown>;
  return isEnvelope(object) || RECORD_FIELDS.some((field) => field in object);
}

/** The record itself: EventBridge's envelope is opened, anything else is taken as it is. */
export function unwrapRecord(value: unknown): CloudTrailRecord {
  const object = value as Record<string, unknown>;
  return (isObject(value) && isEnvelope(object) ? object.detail : value) as CloudTrailRecord;
}

/** Records held as JSON text in a list of entries (`Events[].CloudTrailEvent`, `events[].message`). */
function embedded(entries: unknown[], container: string, field: string): { records: CloudTrailRecord[] } | { problem: string } {
  const records: CloudTrailRecord[] = [];
  for (const entry of entries) {
    const raw = isObject(entry) ? (entry as Record<string, unknown>)[field] : undefined;
    if (typeof raw !== 'string') return { problem: `not a CloudTrail log file: ${container} without ${field}` };
    try {
      records.push(unwrapRecord(JSON.parse(raw)));
    } catch {
      // V8's message would quote the event; say which one instead.
      return { problem: `not a CloudTrail log file: the ${field} of ${container}[${records.length}] is not valid JSON` };
    }
  }
  return { records };
}

/** Why a parsed JSON value is not a CloudTrail log, or null when it is one (its records returned). */
export function recordsOf(value: unknown): { records: CloudTrailRecord[] } | { problem: string } | { skip: string } {
  if (Array.isArray(value)) {
    // A bare array of records (`jq '.Records'`, a SIEM export).
    if (value.length > 0 && !isRecordLike(value[0])) return { problem: 'not a CloudTrail log file: a JSON array whose first element is not a CloudTrail record' };
    return { records: value.filter(isObject).map(unwrapRecord) };
  }
  if (value === null || typeof value !== 'object') {
    return { problem: 'not a CloudTrail log file: the top level is not an object with a Records array' };
  }
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.Records)) return { records: object.Records.filter(isObject) as CloudTrailRecord[] };
  // The saved output of `aws cloudtrail lookup-events` is what a responder often has at hand.
  if (Array.isArray(object.Events)) return embedded(object.Events, 'Events', 'CloudTrailEvent');
  // `aws logs filter-log-events` on the log group a trail delivers to.
  if (Array.isArray(object.events) && object.events.some((e) => isObject(e) && 'message' in (e as object))) return embedded(object.events, 'events', 'message');
  if (isDigest(object)) return { skip: DIGEST_CONTENT };
  // One record saved alone (the console's event record view), or a JSON Lines file of one line.
  if (isRecordLike(object)) return { records: [unwrapRecord(object)] };
  return { problem: 'not a CloudTrail log file: no top-level Records array' };
}

/**
 * The records of a JSON Lines text (one JSON value per line, blank lines allowed), or null when its first
 * line is not a CloudTrail record (then it is not JSON Lines of records, and the caller reports the text as
 * invalid JSON). A later line that is not a JSON object throws, naming its line.
 */
export function jsonLinesRecords(text: string): CloudTrailRecord[] | null {
  const records: CloudTrailRecord[] = [];
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const content = text.slice(start, end).trim();
    start = end + 1;
    if (content === '' || (line === 1 && content === '\ufeff')) continue;
    let value: unknown;
    try {
      value = JSON.parse(records.length === 0 ? content.replace(/^\ufeff/, '') : content);
    } catch {
      if (records.length === 0) return null;
      throw new JsonLineError(line, content);
    }
    if (records.length === 0 && !isRecordLike(value)) return null;
    if (!isObject(value)) throw new JsonLineError(line, content);
    records.push(unwrapRecord(value));
  }
  return records.length > 0 ? records : null;
}

/** A line of a JSON Lines file that is not a JSON object: its number (from 1) and text, for the message. */
export class JsonLineError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
  ) {
    super(`line ${line} is not a JSON object`);
  }
}

/**
 * True when the start of a text is a JSON Lines file of records: its first line (found within `limit`
 * characters) is a whole CloudTrail record. AWS's own files are one JSON object on one line, or a
 * pretty-printed one whose first line is `{`: neither passes.
 */
export function startsJsonLines(head: string, limit = 1024 * 1024): boolean {
  const end = head.indexOf('\n');
  if (end < 0 || end > limit) return false;
  try {
    return isRecordLike(JSON.parse(head.slice(0, end).replace(/^\ufeff/, '').trim()));
  } catch {
    return false;
  }
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
 * Incremental scanner for `{"Records": [ {...}, {...} ]}` (or a bare `[ {...}, {...} ]`): feed it text
 * chunks, it hands back the raw text of each complete record. Only strings are searched with indexOf (records are mostly strings),
 * so the per-character loop runs over punctuation and numbers alone.
 */
export class RecordsScanner {
  private buffer = '';
  /** Index in buffer where scanning resumes. */
  private position = 0;
  private depth = 0;
  private started = false;
  /** Depth of the Records array (2, or 1 for a bare array), or 0 when not inside it. */
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
        if (code !== OPEN_BRACE && code !== OPEN_BRACKET) {
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
        if (code === OPEN_BRACKET && (this.depth === 1 || (this.depth === 2 && this.afterColon && this.lastKey === 'Records'))) {
          this.recordsDepth = this.depth;
          this.sawRecords = true;
        }
        else if (code === OPEN_BRACE && this.recordsDepth > 0 && this.depth === this.recordsDepth + 1) {
          this.recordStart = i;
        }
      }
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) {
          this.problem = 'not valid JSON: unbalanced brackets';
          return out;
        }
        if (code === CLOSE_BRACE && this.depth === this.recordsDepth && this.recordStart >= 0) {
          out.push(text.slice(this.recordStart, i + 1));
          this.starts.push(this.recordStart);
          this.recordStart = -1;
        }
        else if (code === CLOSE_BRACKET && this.recordsDepth > 0 && this.depth === this.recordsDepth - 1) {
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

/**
 * Incremental splitter of a JSON Lines text: hands back each complete non-blank line. Same interface as
 * RecordsScanner, so the streaming reader treats both alike; memory is one line plus one chunk.
 */
export class JsonLinesScanner {
  private buffer = '';
  private line = 0;
  /** Line number (from 1) of each text returned by the last push. */
  private lines: number[] = [];
  problem: string | null = null;

  push(chunk: string): string[] {
    this.buffer += chunk;
    this.lines = [];
    const out: string[] = [];
    let start = 0;
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n', start)) {
      this.take(this.buffer.slice(start, end), out);
      start = end + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private take(text: string, out: string[]): void {
    this.line++;
    const content = this.line === 1 ? text.replace(/^\ufeff/, '') : text;
    if (content.trim() === '') return;
    out.push(content);
    this.lines.push(this.line);
  }

  /** Position (1-based) of `offset` within the k-th text returned by the last push. */
  locate(k: number, offset: number): { line: number; column: number } {
    return { line: this.lines[k] ?? this.line, column: offset + 1 };
  }

  /** The last line (no newline after it) as texts to parse, then null: a JSON Lines text has no other end to check. */
  finish(): string[] {
    const out: string[] = [];
    this.lines = [];
    if (this.buffer !== '') this.take(this.buffer, out);
    this.buffer = '';
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
