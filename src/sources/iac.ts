// Finds IaC inputs under the given paths and hands each file to the reader that takes it, from one table
// (`READERS`): Terraform source (.tf, by module directory), Terraform plan JSON, CloudFormation (YAML/JSON,
// CDK output). Unparseable files are errors, never skipped; parsed files that are none of these are skipped
// and counted. This is the IO edge of the IaC gate.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SourceError } from '../errors.js';
import type { Resource, InputError, SourceNotice, UnreadFragment } from '../inventory/types.js';
import { findJsonProblem } from './json-error.js';
import { type LoadedTemplate, loadCloudFormation, readCloudFormationSet } from './cloudformation/index.js';
import { formatNotices } from './notices.js';
import { isTerraformPlan, readTerraformPlan } from './terraform/index.js';
import { readTerraformSources } from './terraform/source.js';

/** Extensions looked at when walking a directory (named files are sniffed whatever their name). */
const CANDIDATE = /\.(json|ya?ml|template|cfn|tfplan|tf|tfvars)$/i;
/** Never entered while walking. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn', 'sesguard-report']);
/** CloudFormation accepts at most 1 MB; anything far above is not a template we should try to parse. */
export const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;
/** Terraform plans of large estates can be big, but not unboundedly so. */
export const MAX_PLAN_BYTES = 512 * 1024 * 1024;

export interface IacCollection {
  resources: Resource[];
  errors: InputError[];
  files: { file: string; kind: IacKind }[];
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

export type IacKind = 'cloudformation' | 'terraform-plan' | 'terraform-source';

/** A file found under the given paths, its content read and parsed at most once, on demand. */
class Candidate {
  private textValue?: string;
  private jsonValue?: { value: unknown } | null;
  private templateValue?: LoadedTemplate | null;

  constructor(
    readonly full: string,
    readonly shown: string,
    /** Named on the command line (a walked file that is nothing known is skipped instead). */
    readonly named: boolean,
  ) {}

  get dir(): string {
    const at = this.shown.lastIndexOf('/');
    return at < 0 ? '.' : this.shown.slice(0, at);
  }

  /** The decoded text. Throws SourceError when the file cannot be used. */
  text(limit = MAX_PLAN_BYTES): string {
    if (this.textValue !== undefined) return this.textValue;
    let size: number;
    try {
      size = statSync(this.full).size;
    } catch (error) {
      throw new SourceError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, this.shown);
    }
    if (size > limit) throw new SourceError(`file is too large (${size} bytes; limit ${limit})`, this.shown);
    let binary: boolean;
    try {
      binary = size > 0 && looksBinary(this.full);
    } catch (error) {
      throw new SourceError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, this.shown);
    }
    if (binary) throw new SourceError('not a text file (binary content)', this.shown);
    try {
      this.textValue = readText(this.full);
    } catch (error) {
      if (error instanceof EncodingError) throw new SourceError(error.message, this.shown);
      throw new SourceError(`cannot read file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, this.shown);
    }
    return this.textValue;
  }

  /** The parsed JSON when the text is a JSON object, undefined otherwise; malformed JSON is an error. */
  json(): unknown {
    if (this.jsonValue === undefined) {
      const text = this.text();
      if (!/^\s*\{/.test(text)) this.jsonValue = null;
      else {
        try {
          this.jsonValue = { value: JSON.parse(text) };
        } catch {
          // V8's message may quote the input (secrets included) and often has no position: describe it ourselves.
          const e = jsonError(text);
          throw new SourceError(`not valid JSON: ${e.message}`, this.shown, e.line, e.column);
        }
      }
    }
    return this.jsonValue?.value;
  }

  /** The CloudFormation template it holds, or undefined. */
  template(): LoadedTemplate | undefined {
    if (this.templateValue === undefined) {
      const size = this.text().length;
      if (size > MAX_TEMPLATE_BYTES) {
        throw new SourceError(`file is too large for a CloudFormation template (${size} bytes; limit ${MAX_TEMPLATE_BYTES})`, this.shown);
      }
      this.templateValue = loadCloudFormation(this.shown, this.text()) ?? null;
    }
    return this.templateValue ?? undefined;
  }
}

/** What a reader adds to the collection. */
type Collected = Partial<Omit<IacCollection, 'skipped'>> & { sourceNotices?: SourceNotice[] };

export interface IacOptions {
  /** `--tf-var-file` files and `--tf-var NAME=VALUE` values, in command-line order. */
  tfVarFiles?: string[];
  tfVars?: string[];
}

interface ReadContext {
  cwd: string;
  /** Directories and files named on the command line (absolute): what file() and templatefile() may read. */
  scanned: string[];
  /** Every file taken by each reader. */
  taken: Map<IacKind, Candidate[]>;
  options: IacOptions;
}

interface Reader {
  kind: IacKind;
  /** Whether the reader takes the file: by name for Terraform source, by content for the others. */
  matches(file: Candidate): boolean;
  /** Reads every file it took, together (stacks refer to each other; modules to the modules they call). */
  read(files: Candidate[], ctx: ReadContext): Collected | Promise<Collected>;
}

const TF_SOURCE = /\.(tf|tfvars)$/i;

/**
 * The readers, in the order they claim a file. Terraform source goes by extension (and its reader works per
 * module directory); a plan is a JSON object with a plan's top-level keys; CloudFormation is what
 * `loadCloudFormation` recognises.
 */
const READERS: Reader[] = [
  {
    kind: 'terraform-source',
    matches: (file) => TF_SOURCE.test(file.shown),
    read: readTerraformSource,
  },
  {
    kind: 'terraform-plan',
    matches: (file) => isTerraformPlan(file.json()),
    read: (files) => {
      const out: Required<Pick<Collected, 'resources' | 'errors' | 'files' | 'sourceNotices'>> = { resources: [], errors: [], files: [], sourceNotices: [] };
      for (const file of files) {
        try {
          const result = readTerraformPlan(file.shown, file.text(), file.json(), fsCallbacks(file.full));
          out.files.push({ file: file.shown, kind: 'terraform-plan' });
          out.resources.push(...result.resources);
          out.errors.push(...result.errors);
          out.sourceNotices.push(...(result.notices ?? []));
        } catch (error) {
          out.errors.push(asInputError(error, file.shown));
        }
      }
      return out;
    },
  },
  {
    kind: 'cloudformation',
    matches: (file) => file.template() !== undefined,
    read: (files) => {
      const out: Required<Pick<Collected, 'resources' | 'errors' | 'files' | 'fragments' | 'sourceNotices'>> = {
        resources: [],
        errors: [],
        files: [],
        fragments: [],
        sourceNotices: [],
      };
      const templates = files.map((file) => ({ template: file.template()!, path: file.full }));
      for (const { file, result, error } of readCloudFormationSet(templates)) {
        if (!result) {
          out.errors.push(asInputError(error, file));
          continue;
        }
        out.files.push(...result.files);
        out.resources.push(...result.resources);
        out.errors.push(...result.errors);
        out.sourceNotices.push(...(result.notices ?? []));
        out.fragments.push(...(result.fragments ?? []));
      }
      return out;
    },
  },
];

/** Whether `full` lies inside one of the scanned paths (file() and templatefile() read nothing else). */
function inside(full: string, scanned: string[]): boolean {
  return scanned.some((base) => full === base || full.startsWith(base.endsWith(path.sep) ? base : `${base}${path.sep}`));
}

async function readTerraformSource(files: Candidate[], ctx: ReadContext): Promise<Collected> {
  const dirs = [...new Set(files.filter((f) => /\.tf$/i.test(f.shown)).map((f) => f.dir))].sort();
  // A named .tfvars file is a variables file for the roots scanned with it.
  const varFiles = [...files.filter((f) => f.named && /\.tfvars$/i.test(f.shown)).map((f) => f.shown), ...(ctx.options.tfVarFiles ?? [])];
  if (dirs.length === 0 && varFiles.length === 0) return {};
  const judgedByPlan = new Set((ctx.taken.get('terraform-plan') ?? []).map((f) => f.dir));
  const resolve = (shown: string) => path.resolve(ctx.cwd, shown);
  const result = await readTerraformSources({
    dirs,
    judgedByPlan,
    readText: (shown) => {
      const full = resolve(shown);
      if (!inside(full, ctx.scanned)) return undefined;
      try {
        return readText(full);
      } catch {
        return undefined;
      }
    },
    listDir: (shown) => {
      try {
        return readdirSync(resolve(shown));
      } catch {
        return [];
      }
    },
    varFiles,
    vars: ctx.options.tfVars ?? [],
  });
  return {
    resources: result.resources,
    errors: result.errors,
    files: result.files.map((file) => ({ file, kind: 'terraform-source' as const })),
    notices: result.notices,
  };
}

function asInputError(error: unknown, shown: string): InputError {
  if (error instanceof SourceError) {
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

/** Every path on the command line: files are sniffed, directories walked; each file goes to the reader that takes it. */
export async function collectIac(paths: string[], cwd: string, options: IacOptions = {}): Promise<IacCollection> {
  const out: IacCollection = { resources: [], errors: [], files: [], skipped: [], notices: [], fragments: [] };
  const seen = new Set<string>();
  const taken = new Map<IacKind, Candidate[]>(READERS.map((r) => [r.kind, []]));
  const scanned = [cwd];
  /** Per file: whether a reader took it (or tried and failed), rather than skipping it as neither. */
  const read = new Map<string, boolean>();
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let isDir = false;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      out.errors.push({ file: given, message: 'no such file or directory' });
      continue;
    }
    scanned.push(isDir ? full : path.dirname(full));
    const files = isDir ? filesUnder(full) : [full];
    for (const file of files) {
      if (seen.has(file)) continue;
      seen.add(file);
      const candidate = new Candidate(file, display(cwd, file), !isDir);
      read.set(file, true);
      try {
        const reader = READERS.find((r) => r.matches(candidate));
        if (reader) taken.get(reader.kind)!.push(candidate);
        else if (isDir) {
          out.skipped.push(candidate.shown);
          read.set(file, false);
        } else out.errors.push({ file: candidate.shown, message: 'neither a CloudFormation template, a Terraform plan (terraform show -json) nor Terraform source (.tf)' });
      } catch (error) {
        out.errors.push(asInputError(error, candidate.shown));
      }
    }
    // A directory that holds no IaC at all gates nothing: a wrong path (or a cdk.out not yet synthesized) must
    // not pass as a clean scan (docs/iac.md).
    if (isDir && !files.some((file) => read.get(file))) {
      const skipped = files.length > 0 ? ` (${files.length} YAML/JSON file${files.length === 1 ? '' : 's'} skipped as neither)` : '';
      out.errors.push({ file: given, message: `nothing to scan: no CloudFormation template, CDK output, Terraform source or plan in this directory${skipped}` });
    }
  }
  const notices: SourceNotice[] = [];
  const ctx: ReadContext = { cwd, scanned, taken, options };
  for (const reader of READERS) {
    const files = taken.get(reader.kind)!;
    if (files.length === 0) continue;
    const collected = await reader.read(files, ctx);
    out.resources.push(...(collected.resources ?? []));
    out.errors.push(...(collected.errors ?? []));
    out.files.push(...(collected.files ?? []));
    out.fragments.push(...(collected.fragments ?? []));
    out.notices.push(...(collected.notices ?? []));
    notices.push(...(collected.sourceNotices ?? []));
  }
  out.notices.push(...formatNotices(notices));
  return out;
}
