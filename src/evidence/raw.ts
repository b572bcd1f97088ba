// Raw evidence of a trail run for the evidence bundle: per finding, the records it cites exactly as they were
// delivered — flow log lines and CloudTrail records, byte for byte — with where each came from (file or S3 key,
// line or record index, event id) and the SHA-256 of each source object, so an auditor can prove a line came
// from a delivered log file. Flow lines are carried by the findings already; CloudTrail records are cut out of
// their local log files again (the text of the Records element, untouched). verifyRawEvidence checks an entry:
// every record's own hash, and, where the source file is at hand, its hash and the record at its position.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Finding } from '../engine/types.js';
import type { Results } from '../results.js';
import { RecordsScanner } from '../sources/cloudtrail/parse.js';

/** The folder of raw evidence entries inside a bundle: `raw/<checkId>-<fingerprint>.json`. */
export const RAW_DIR = 'raw';

export interface RawRecord {
  source: string;
  /** Flow logs: 1-based line of the decompressed text. */
  line?: number;
  /** CloudTrail: 0-based index in the file's Records array. */
  recordIndex?: number;
  eventId?: string;
  /** SHA-256 of `raw` (its bytes: latin1 for flow lines, UTF-8 for CloudTrail JSON). */
  sha256: string;
  raw: string;
  encoding: 'latin1' | 'utf8';
}

export interface RawSource {
  source: string;
  /** SHA-256 and size of the object's bytes as delivered (compressed), or null when it could not be read again. */
  sha256: string | null;
  bytes?: number;
  note?: string;
}

export interface RawEntry {
  format: 'sesguard-raw-evidence/1';
  checkId: string;
  fingerprint: string;
  resource: string;
  sources: RawSource[];
  records: RawRecord[];
}

function sha256(bytes: Buffer | string, encoding: BufferEncoding = 'utf8'): string {
  return createHash('sha256').update(typeof bytes === 'string' ? Buffer.from(bytes, encoding) : bytes).digest('hex');
}

function textOf(bytes: Buffer): Buffer {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/** The Records elements of a CloudTrail log text, exactly as written, by index. */
function cloudTrailRecords(text: string): string[] {
  const scanner = new RecordsScanner();
  const out = scanner.push(text);
  scanner.end();
  return out;
}

interface CitedEvent {
  eventId: string;
  source?: string;
}

function citedEvents(finding: Finding): CitedEvent[] {
  const lists = [finding.evidence.events, ...((finding.evidence.related as { events?: unknown }[] | undefined) ?? []).map((r) => r.events)];
  const out: CitedEvent[] = [];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const e of list as { eventId?: unknown; source?: unknown }[]) {
      if (typeof e?.eventId === 'string') out.push({ eventId: e.eventId, ...(typeof e.source === 'string' ? { source: e.source } : {}) });
    }
  }
  return out;
}

/** The raw evidence entries of a trail run's findings; sources are read relative to `cwd`. */
export function rawEvidence(results: Results, cwd: string): { name: string; content: string }[] {
  const known = new Map(results.inputs.files.filter((f) => f.sha256).map((f) => [f.file, { sha256: f.sha256 as string, bytes: f.bytes }]));
  const cache = new Map<string, { source: RawSource; records?: Map<string, { index: number; raw: string }> }>();
  const cloudTrailSource = (source: string) => {
    let entry = cache.get(source);
    if (entry) return entry;
    if (/^(s3|lookup|logs):/.test(source)) {
      entry = { source: { source, sha256: null, note: 'not re-read: the raw record is identified by the object and its event id' } };
    }
    else {
      try {
        const bytes = readFileSync(path.resolve(cwd, source));
        const records = new Map<string, { index: number; raw: string }>();
        cloudTrailRecords(textOf(bytes).toString('utf8')).forEach((raw, index) => {
          try {
            const id = (JSON.parse(raw) as { eventID?: unknown }).eventID;
            if (typeof id === 'string' && !records.has(id)) records.set(id, { index, raw });
          } catch {
            // A broken element was reported when the file was read; it is cited by nothing.
          }
        });
        entry = { source: { source, sha256: sha256(bytes), bytes: bytes.length }, records };
      } catch (error) {
        entry = { source: { source, sha256: null, note: `could not be read again (${(error as NodeJS.ErrnoException).code ?? 'error'})` } };
      }
    }
    cache.set(source, entry);
    return entry;
  };
  const files: { name: string; content: string }[] = [];
  for (const finding of results.findings) {
    const sources = new Map<string, RawSource>();
    const records: RawRecord[] = [];
    for (const r of (finding.evidence.records as { source: string; line: number; eventId?: string; raw: string }[] | undefined) ?? []) {
      const hash = known.get(r.source);
      sources.set(r.source, { source: r.source, sha256: hash?.sha256 ?? null, ...(hash?.bytes !== undefined ? { bytes: hash.bytes } : {}) });
      records.push({ source: r.source, line: r.line, ...(r.eventId ? { eventId: r.eventId } : {}), sha256: sha256(r.raw, 'latin1'), raw: r.raw, encoding: 'latin1' });
    }
    const seen = new Set<string>();
    for (const cited of citedEvents(finding)) {
      if (!cited.source || seen.has(`${cited.source}\u0000${cited.eventId}`)) continue;
      seen.add(`${cited.source}\u0000${cited.eventId}`);
      const entry = cloudTrailSource(cited.source);
      sources.set(cited.source, entry.source);
      const found = entry.records?.get(cited.eventId);
      if (found) records.push({ source: cited.source, recordIndex: found.index, eventId: cited.eventId, sha256: sha256(found.raw), raw: found.raw, encoding: 'utf8' });
    }
    if (records.length === 0 && sources.size === 0) continue;
    const entry: RawEntry = {
      format: 'sesguard-raw-evidence/1',
      checkId: finding.checkId,
      fingerprint: finding.fingerprint,
      resource: finding.resource.id,
      sources: [...sources.values()].sort((a, b) => a.source.localeCompare(b.source)),
      records,
    };
    files.push({ name: `${RAW_DIR}/${finding.checkId}-${finding.fingerprint}.json`, content: `${JSON.stringify(entry, null, 2)}\n` });
  }
  return files;
}

/**
 * Problems of one raw evidence entry (empty when it holds): each record's raw text against its SHA-256 and
 * its source listed; where a source file exists under `cwd`, its SHA-256, and the record at its line or index.
 */
export function verifyRawEntry(name: string, text: string, cwd: string | null): string[] {
  let entry: RawEntry;
  try {
    entry = JSON.parse(text) as RawEntry;
  } catch {
    return [`${name}: not valid JSON`];
  }
  if (entry?.format !== 'sesguard-raw-evidence/1' || !Array.isArray(entry.records) || !Array.isArray(entry.sources)) return [`${name}: not a sesguard raw evidence entry`];
  const problems: string[] = [];
  const sources = new Map(entry.sources.map((s) => [s.source, s]));
  const opened = new Map<string, Buffer | null>();
  const textOfSource = (source: RawSource): Buffer | null => {
    if (!cwd || /^(s3|lookup|logs):/.test(source.source) || source.sha256 === null) return null;
    if (opened.has(source.source)) return opened.get(source.source) ?? null;
    const file = path.resolve(cwd, source.source);
    let text: Buffer | null = null;
    if (existsSync(file)) {
      const bytes = readFileSync(file);
      if (sha256(bytes) !== source.sha256) problems.push(`${name}: source ${source.source} has changed (sha256 ${sha256(bytes)}, recorded ${source.sha256})`);
      else text = textOf(bytes);
    }
    opened.set(source.source, text);
    return text;
  };
  entry.records.forEach((record, i) => {
    const where = `${name}: record ${i + 1} (${record.source}${record.line ? ` line ${record.line}` : ''}${record.recordIndex !== undefined ? ` Records[${record.recordIndex}]` : ''})`;
    if (typeof record.raw !== 'string' || sha256(record.raw, record.encoding === 'latin1' ? 'latin1' : 'utf8') !== record.sha256) {
      problems.push(`${where}: raw text does not match its sha256`);
      return;
    }
    const source = sources.get(record.source);
    if (!source) {
      problems.push(`${where}: its source is not listed`);
      return;
    }
    const text = textOfSource(source);
    if (!text) return;
    if (record.line !== undefined) {
      const line = text.toString('latin1').split('\n')[record.line - 1]?.replace(/\r$/, '');
      if (line !== record.raw) problems.push(`${where}: is not the text of that line of the source`);
    }
    else if (record.recordIndex !== undefined) {
      if (cloudTrailRecords(text.toString('utf8'))[record.recordIndex] !== record.raw) problems.push(`${where}: is not that element of the source's Records`);
    }
  });
  return problems;
}
