// Finds IaC inputs under the given paths and hands each file to the source that recognises its content:
// Terraform plan JSON, CloudFormation (YAML/JSON, CDK output). Unparseable files are errors, never skipped;
// parsed files that are neither are skipped and counted. This is the IO edge of the IaC gate.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SourceError as SourceFailure } from '../errors.js';
import type { Resource, SourceError, SourceNotice, UnreadFragment } from '../inventory/types.js';
import { findJsonProblem } from './json-error.js';
import { type LoadedTemplate, loadCloudFormation, readCloudFormationSet } from './cloudformation/index.js';
import { formatNotices } from './notices.js';
import { isTerraformPlan, readTerraformPlan } from './terraform/index.js';

/** Extensions looked at when walking a directory (named files are sniffed whatever their name). */
const CANDIDATE = /\.(json|ya?ml|template|cfn|tfplan)$/i;
/** Never entered while walking. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', 'sesguard-report']);
/** CloudFormation accepts at most 1 MB; anything far above is not a template we should try to parse. */
export const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;
/** Terraform plans of large estates can be big, but not unboundedly so. */
export const MAX_PLAN_BYTES = 512 * 1024 * 1024;

export interface IacCollection {
  resources: Resource[];
  errors: SourceError[];
  files: { file: string; kind: 'cloudformation' | 'terraform-plan' }[];
  skipped: string[];
  /** What the sources could not evaluate and worked around, one line each. */
  notices: string[];
  /** Parts of the inputs not turned into resources: their checks are not assessed. */
  fragments: UnreadFragment[];
}

function display(cwd: string, full: string): string {
  const rel = path.relative(cwd, full);
  return (rel && !rel.startsWith('..') ? rel : full).split(path.sep).join('/');
}

function gitListing(dir: string): string[] | null {
  try {
    const out = execFileSync('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '.'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    const files = out.split('\0').filter(Boolean);
    return files.length > 0 ? files.map((f) => path.join(dir, f)) : null;
  } catch {
    return null;
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) stack.push(path.join(current, entry.name));
      } else if (entry.isFile()) {
        out.push(path.join(current, entry.name));
      }
    }
  }
  return out;
}

/** Files below a directory: git's view (honours .gitignore) when it is a work tree, else a plain walk. */
function filesUnder(dir: string): string[] {
  const listed = gitListing(dir) ?? walk(dir);
  return listed
    .filter((f) => CANDIDATE.test(f))
    .filter((f) => !f.split(path.sep).some((part) => SKIP_DIRS.has(part)))
    .sort();
}

/** The encoding a byte-order mark announces, or undefined (then UTF-8 without a BOM is assumed). */
function bomEncoding(head: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; length: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function looksBinary(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, n);
    // UTF-16 text is full of zero bytes; its byte-order mark says it is text all the same.
    const bom = bomEncoding(head);
    if (bom && bom.encoding !== 'utf-8') return false;
    return head.includes(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * A text file's content: UTF-8, or UTF-8 / UTF-16 (LE or BE) with a byte-order mark — what Windows
 * PowerShell's `terraform show -json > plan.json` writes. Bytes that are not valid in the announced
 * encoding make it unreadable rather than silently replaced.
 */
export function readText(full: string): string {
  const bytes = readFileSync(full);
  const bom = bomEncoding(bytes);
  if (!bom) return bytes.toString('utf8');
  let text: string;
  try {
    text = new TextDecoder(bom.encoding, { fatal: true }).decode(bytes.subarray(bom.length));
  } catch {
    throw new EncodingError();
  }
  if (bom.encoding !== 'utf-8' && text.includes('\0')) throw new EncodingError();
  return text;
}

/** The bytes of a file do not decode in the encoding its byte-order mark announces. */
class EncodingError extends Error {
  constructor() {
    super('not a text file (bytes that are not valid in the encoding its byte-order mark announces)');
  }
}

/** Line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function jsonError(text: string): { message: string; line?: number; column?: number } {
  const problem = findJsonProblem(text);
  if (!problem) return { message: 'not valid JSON' };
  return { message: problem.message, ...position(text, problem.offset) };
}

function fsCallbacks(planFile: string) {
  const base = path.dirname(planFile);
  return {
    readTextFile: (p: string) => {
      try {
        return readText(path.resolve(base, p));
      } catch {
        return undefined;
      }
    },
    listDir: (p: string) => {
      try {
        return readdirSync(path.resolve(base, p));
      } catch {
        return [];
      }
    },
  };
}

type FileOutcome =
  | { kind: 'terraform-plan'; resources: Resource[]; errors: SourceError[] }
  // Templates are evaluated once all are loaded (stacks refer to each other).
  | { kind: 'cloudformation'; template: LoadedTemplate }
  | { kind: 'neither' };

/** Reads one file and decides what it is. Throws SourceFailure when it cannot be used. */
export function readIacFile(full: string, shown: string): FileOutcome {
  let size: number;
  try {
    size = statSync(full).size;
  } catch (error) {
    throw new SourceFailure(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, shown);
  }
  if (size > MAX_PLAN_BYTES) throw new SourceFailure(`file is too large (${size} bytes; limit ${MAX_PLAN_BYTES})`, shown);
  let binary: boolean;
  try {
    binary = size > 0 && looksBinary(full);
  } catch (error) {
    throw new SourceFailure(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, shown);
  }
  if (binary) throw new SourceFailure('not a text file (binary content)', shown);
  let text: string;
  try {
    text = readText(full);
  } catch (error) {
    if (error instanceof EncodingError) throw new SourceFailure(error.message, shown);
    throw new SourceFailure(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, shown);
  }
  if (/^\s*\{/.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // V8's message may quote the input (secrets included) and often has no position: describe it ourselves.
      const e = jsonError(text);
      throw new SourceFailure(`not valid JSON: ${e.message}`, shown, e.line, e.column);
    }
    if (isTerraformPlan(value)) {
      const result = readTerraformPlan(shown, text, value, fsCallbacks(full));
      return { kind: 'terraform-plan', resources: result.resources, errors: result.errors };
    }
  }
  if (size > MAX_TEMPLATE_BYTES) {
    throw new SourceFailure(`file is too large for a CloudFormation template (${size} bytes; limit ${MAX_TEMPLATE_BYTES})`, shown);
  }
  const template = loadCloudFormation(shown, text);
  return template ? { kind: 'cloudformation', template } : { kind: 'neither' };
}

function asSourceError(error: unknown, shown: string): SourceError {
  if (error instanceof SourceFailure) {
    return {
      file: error.file ?? shown,
      ...(error.line ? { line: error.line } : {}),
      ...(error.column ? { column: error.column } : {}),
      message: error.message,
    };
  }
  // An unexpected failure in a source is a bug, but it must not stop the other files.
  return { file: shown, message: `internal error while reading: ${(error as Error)?.message?.split('\n')[0] ?? String(error)}` };
}

/** Every path on the command line: files are sniffed, directories walked. */
export function collectIac(paths: string[], cwd: string): IacCollection {
  const out: IacCollection = { resources: [], errors: [], files: [], skipped: [], notices: [], fragments: [] };
  const seen = new Set<string>();
  const templates: { template: LoadedTemplate; path: string }[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      out.errors.push({ file: given, message: 'no such file or directory' });
      continue;
    }
    const files = isDir ? filesUnder(full) : [full];
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const shown = display(cwd, file);
      try {
        const outcome = readIacFile(file, shown);
        if (outcome.kind === 'neither') {
          if (isDir) out.skipped.push(shown);
          else out.errors.push({ file: shown, message: 'neither a CloudFormation template nor a Terraform plan (terraform show -json)' });
          continue;
        }
        if (outcome.kind === 'cloudformation') {
          templates.push({ template: outcome.template, path: file });
          continue;
        }
        out.files.push({ file: shown, kind: outcome.kind });
        out.resources.push(...outcome.resources);
        out.errors.push(...outcome.errors);
      } catch (error) {
        out.errors.push(asSourceError(error, shown));
      }
    }
  }
  const notices: SourceNotice[] = [];
  for (const { file, result, error } of readCloudFormationSet(templates)) {
    if (!result) {
      out.errors.push(asSourceError(error, file));
      continue;
    }
    out.files.push(...result.files);
    out.resources.push(...result.resources);
    out.errors.push(...result.errors);
    notices.push(...(result.notices ?? []));
    out.fragments.push(...(result.fragments ?? []));
  }
  out.notices.push(...formatNotices(notices));
  return out;
}
