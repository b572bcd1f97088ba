// Evidence bundle (SPEC §2, auditor): the outputs of one run in a folder with `manifest.json` recording the
// tool version, the (redacted) command line, the run's times and the sha256 and size of every file, written
// atomically; and the check an auditor runs later that nothing was changed, removed or added since.
//
// The manifest protects the files against accidental or casual change. Whoever can rewrite the files can
// rewrite the manifest too: to prove integrity to a third party, keep the manifest's own sha256 (returned by
// writeEvidenceBundle) somewhere they trust, and pass it to verifyEvidenceBundle.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { writeNewFile, type OutputContent } from '../output-file.js';
import { redactCommand } from './redact.js';

export const MANIFEST = 'manifest.json';
export const BUNDLE_FORMAT = 'sesguard-evidence/1';

/**
 * One file of a bundle: its name, and its content as text or bytes, as a reporter's stream of chunks, or as a
 * copy of a file on disk (a snapshot of hundreds of MB is copied, never held in memory).
 */
export type BundleFile = {
  /** Path inside the bundle, `/`-separated: `results.json`, `reports/org.html`. */
  name: string;
} & OutputContent;

export interface BundleMeta {
  /** The sesguard version that made the outputs. */
  version: string;
  /** The command line as typed (argv without `node`); secrets are redacted before it is recorded. */
  command: string[];
  startedAt: string;
  finishedAt: string;
}

export interface ManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  tool: { name: 'sesguard'; version: string };
  command: string[];
  startedAt: string;
  finishedAt: string;
  files: ManifestEntry[];
}

export interface WrittenBundle {
  dir: string;
  manifest: Manifest;
  /** sha256 of manifest.json as written: record it elsewhere to make the bundle tamper-evident. */
  manifestSha256: string;
}

export interface VerifyResult {
  ok: boolean;
  /** One line per problem: `missing: x`, `changed: x (…)`, `extra: x`, manifest problems. Sorted. */
  problems: string[];
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Why a name cannot be a file of a bundle (absolute, `..`, backslashes, the manifest itself), or null. */
function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return 'is empty';
  if (name === MANIFEST) return `is reserved for the manifest`;
  if (name.length > 200) return 'is too long';
  const segments = name.split('/');
  if (!segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) {
    return 'must be a relative path of letters, digits, ".", "_" and "-" (no "..", no leading dot or slash)';
  }
  return null;
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** sha256 and size of a file, read in chunks (a snapshot of a large Organization runs to hundreds of MB). */
function hashFile(file: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every regular file below `dir`, as `/`-separated relative names; anything else is reported as a problem. */
function listFiles(dir: string, problems: string[], prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, problems, name));
    else if (entry.isFile()) out.push(name);
    else problems.push(`not a regular file: ${name}`);
  }
  return out;
}

function isBundle(dir: string): boolean {
  return existsSync(path.join(dir, MANIFEST));
}

/**
 * Writes `files` and `manifest.json` into `dir`. Everything goes into a temporary sibling folder first,
 * which is then renamed into place: a reader never sees half a bundle, an interrupted run leaves none.
 * An existing `dir` is replaced only when it is empty or a previous bundle; anything else is refused
 * rather than deleted.
 */
export function writeEvidenceBundle(dir: string, files: BundleFile[], meta: BundleMeta): WrittenBundle {
  const target = path.resolve(dir);
  const seen = new Set<string>();
  for (const file of files) {
    const problem = nameProblem(file.name);
    if (problem) throw new ConfigError(`evidence bundle file name "${file.name}" ${problem}`);
    if (seen.has(file.name)) throw new ConfigError(`evidence bundle file name "${file.name}" is given twice`);
    seen.add(file.name);
  }
  if (existsSync(target)) {
    if (!lstatSync(target).isDirectory()) throw new ConfigError(`--evidence ${dir}: exists and is not a directory`);
    if (!isBundle(target) && readdirSync(target).length > 0) {
      throw new ConfigError(`--evidence ${dir}: the directory is not empty and holds no evidence bundle; choose a new or empty directory`);
    }
  }

  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(parent, `.${path.basename(target)}.tmp-${suffix}`);
  const old = path.join(parent, `.${path.basename(target)}.old-${suffix}`);
  let manifest: Manifest;
  let manifestText: string;
  try {
    mkdirSync(staging);
    const entries: ManifestEntry[] = [];
    for (const file of files) {
      const full = path.join(staging, ...file.name.split('/'));
      mkdirSync(path.dirname(full), { recursive: true });
      const { size, sha256: digest } = writeNewFile(full, file);
      entries.push({ name: file.name, size, sha256: digest });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    manifest = {
      format: BUNDLE_FORMAT,
      tool: { name: 'sesguard', version: meta.version },
      command: redactCommand(meta.command),
      startedAt: meta.startedAt,
      finishedAt: meta.finishedAt,
      files: entries,
    };
    manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(path.join(staging, MANIFEST), manifestText, { flag: 'wx' });
    // rename() cannot replace a non-empty directory: move the previous bundle aside, then drop it.
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
  return { dir: target, manifest, manifestSha256: sha256(manifestText) };
}

function parseManifest(text: string, problems: string[]): Manifest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(`${MANIFEST} is not valid JSON`);
    return null;
  }
  const m = value as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== BUNDLE_FORMAT || !Array.isArray(m.files)) {
    problems.push(`${MANIFEST} is not a sesguard evidence manifest (format "${BUNDLE_FORMAT}" expected)`);
    return null;
  }
  return m as Manifest;
}

/**
 * Checks a bundle against its manifest: every listed file present with its size and sha256, no file that
 * is not listed. With `manifestSha256`, the manifest itself must match it too.
 */
export function verifyEvidenceBundle(dir: string, options: { manifestSha256?: string } = {}): VerifyResult {
  const problems: string[] = [];
  const root = path.resolve(dir);
  if (!existsSync(root) || !lstatSync(root).isDirectory()) return { ok: false, problems: [`not a directory: ${dir}`] };
  const manifestFile = path.join(root, MANIFEST);
  if (!existsSync(manifestFile)) return { ok: false, problems: [`missing: ${MANIFEST}`] };
  const manifestText = readFileSync(manifestFile, 'utf8');
  if (options.manifestSha256 !== undefined && sha256(manifestText) !== options.manifestSha256.toLowerCase()) {
    problems.push(`changed: ${MANIFEST} (sha256 ${sha256(manifestText)}, expected ${options.manifestSha256})`);
  }
  const manifest = parseManifest(manifestText, problems);
  if (!manifest) return { ok: false, problems };

  const listed = new Set<string>();
  for (const entry of manifest.files) {
    const problem = nameProblem(entry?.name);
    if (problem || typeof entry.sha256 !== 'string' || typeof entry.size !== 'number') {
      // A crafted manifest must not make verify read outside the bundle.
      problems.push(`${MANIFEST}: bad entry ${JSON.stringify(entry?.name ?? entry)}${problem ? ` (name ${problem})` : ''}`);
      continue;
    }
    listed.add(entry.name);
    const full = path.join(root, ...entry.name.split('/'));
    if (!existsSync(full)) {
      problems.push(`missing: ${entry.name}`);
      continue;
    }
    if (!lstatSync(full).isFile()) continue; // reported by the listing below
    const actual = hashFile(full);
    if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
      problems.push(`changed: ${entry.name} (sha256 ${actual.sha256}, ${actual.size} bytes; manifest ${entry.sha256}, ${entry.size} bytes)`);
    }
  }
  for (const name of listFiles(root, problems)) {
    if (name !== MANIFEST && !listed.has(name)) problems.push(`extra: ${name}`);
  }
  problems.sort();
  return { ok: problems.length === 0, problems };
}
