// Positions of resource blocks in the `.tf` sources beside a plan (the plan reader's positions): where
// each `resource "TYPE" "NAME" {` block starts and ends, where its direct nested blocks (`egress { … }`)
// start, and the `# sesguard:ignore` comments on or directly above it. A line scanner, not a parser (the
// source reader parses .tf files with tree-sitter): it follows braces outside strings, comments and
// heredocs, which is enough for files `terraform fmt` would accept, and keeps plan scans free of the
// parser's start-up cost. `parseIgnore` is shared with the source reader.
import type { InlineSuppression, InputError } from '../../inventory/types.js';

export interface TfBlock {
  file: string;
  line: number;
  column: number;
  /** Start lines of the direct nested blocks, by block name, in order (dynamic blocks excluded). */
  nested: Map<string, number[]>;
  /** Names of the attributes, nested blocks and dynamic blocks written directly in the block. */
  written: Set<string>;
  suppressions: InlineSuppression[];
}

const RESOURCE_START = /^(\s*)resource\s+"?([A-Za-z0-9_-]+)"?\s+"?([A-Za-z0-9_-]+)"?\s*\{/;
const NESTED_START = /^\s*([A-Za-z0-9_-]+)\s*\{/;
const IGNORE = /sesguard:ignore\b[ \t]*(\S*)[ \t]*(.*)$/;

/** The comment text of a line that is only a comment, or null. */
function commentOnly(line: string): string | null {
  const trimmed = line.trim();
  if (trimmed.startsWith('#')) return trimmed.slice(1);
  if (trimmed.startsWith('//')) return trimmed.slice(2);
  return null;
}

/** Counts braces of one line outside strings and comments; tracks heredocs across lines. */
interface BraceState {
  heredoc: string | null;
  blockComment: boolean;
}

function braceDelta(line: string, state: BraceState): number {
  if (state.heredoc !== null) {
    if (line.trim() === state.heredoc) state.heredoc = null;
    return 0;
  }
  let delta = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state.blockComment) {
      if (c === '*' && line[i + 1] === '/') {
        state.blockComment = false;
        i++;
      }
      continue;
    }
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      // `${ … }` inside a string holds braces that are not blocks; they balance, so ignoring is safe.
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
    else if (c === '/' && line[i + 1] === '*') {
      state.blockComment = true;
      i++;
    } else if (c === '<' && line[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(line.slice(i));
      if (m) {
        state.heredoc = m[1]!;
        break;
      }
    } else if (c === '{') delta++;
    else if (c === '}') delta--;
  }
  return delta;
}

export function parseIgnore(
  text: string,
  line: number,
  file: string,
  out: InlineSuppression[],
  errors: InputError[],
): void {
  const m = IGNORE.exec(text);
  if (!m) return;
  const check = m[1]!;
  const reason = m[2]!.trim();
  if (check === '') {
    errors.push({ file, line, message: 'sesguard:ignore without a check id (write: # sesguard:ignore SESG-XXX-NNN reason)' });
    return;
  }
  if (reason === '') {
    errors.push({ file, line, message: `sesguard:ignore ${check} has no reason (a suppression must say why)` });
    return;
  }
  out.push({ check, reason, line });
}

/** The notice of a `sesguard:ignore` comment that no evaluated resource reads as its suppression. */
export const STRAY_SUPPRESSION =
  'this sesguard:ignore is read as the suppression of no resource (it belongs on the first line of a resource block, or directly above it with no blank line): it suppresses nothing';

/** A `sesguard:ignore` in a `#` or `//` comment (outside heredocs; a string holding one is not worth a parser). */
const IGNORE_COMMENT = /(#|\/\/)\s*sesguard:ignore\b/;

/**
 * Every resource block of one `.tf` file, keyed `TYPE.NAME`. Suppression comments without a reason
 * are reported in `errors` (naming the file and line) and do not suppress; scanning goes on. `strays`
 * receives the lines of `sesguard:ignore` comments no resource block reads (inside a block, above a data
 * source, after a blank line): they suppress nothing, and the caller says so.
 */
export function scanTfFile(file: string, text: string, errors: InputError[], strays?: number[]): Map<string, TfBlock> {
  const lines = text.split(/\r?\n/);
  const found = new Map<string, TfBlock>();
  const ignoreLines: number[] = [];
  const read = new Set<number>();
  const state: BraceState = { heredoc: null, blockComment: false };
  let depth = 0;
  let current: TfBlock | null = null;
  let currentDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const atTop = depth === 0 && state.heredoc === null && !state.blockComment;
    if (state.heredoc === null && !state.blockComment && IGNORE_COMMENT.test(line)) ignoreLines.push(lineNo);
    const start = atTop ? RESOURCE_START.exec(line) : null;
    if (start) {
      const block: TfBlock = { file, line: lineNo, column: start[1]!.length + 1, nested: new Map(), written: new Set(), suppressions: [] };
      // Comments directly above (no blank line in between), nearest last so they read top-down.
      const above: { text: string; line: number }[] = [];
      for (let j = i - 1; j >= 0; j--) {
        const comment = commentOnly(lines[j]!);
        if (comment === null) break;
        above.unshift({ text: comment, line: j + 1 });
      }
      for (const c of above) {
        read.add(c.line);
        parseIgnore(c.text, c.line, file, block.suppressions, errors);
      }
      const trailing = /(#|\/\/)(.*)$/.exec(line.slice(start[0].length));
      if (trailing) {
        read.add(lineNo);
        parseIgnore(trailing[2]!, lineNo, file, block.suppressions, errors);
      }
      const key = `${start[2]}.${start[3]}`;
      if (!found.has(key)) found.set(key, block);
      current = block;
      currentDepth = 0;
    } else if (current && depth === currentDepth + 1 && state.heredoc === null && !state.blockComment) {
      const attribute = /^\s*([A-Za-z0-9_-]+)\s*=/.exec(line);
      if (attribute) current.written.add(attribute[1]!);
      const dynamic = /^\s*dynamic\s+"?([A-Za-z0-9_-]+)"?\s*\{/.exec(line);
      if (dynamic) current.written.add(dynamic[1]!);
      const nested = NESTED_START.exec(line);
      if (nested) current.written.add(nested[1]!);
      if (nested && nested[1] !== 'dynamic') {
        const list = current.nested.get(nested[1]!) ?? [];
        list.push(lineNo);
        current.nested.set(nested[1]!, list);
      }
    }
    depth += braceDelta(line, state);
    if (depth < 0) depth = 0;
    if (current && depth <= currentDepth && !start) current = null;
    if (start && depth <= currentDepth) current = null; // a one-line block `resource "a" "b" {}`
  }
  if (strays) for (const l of ignoreLines) if (!read.has(l)) strays.push(l);
  return found;
}

/** Line numbers (1-based) of the first `"address": "…"` occurrence of each address in the plan text. */
export function planAddressLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const pattern = /"address"\s*:\s*("(?:[^"\\]|\\.)*")/g;
  let line = 1;
  let last = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    for (let i = text.indexOf('\n', last); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    let address: string;
    try {
      address = JSON.parse(m[1]!) as string;
    } catch {
      continue;
    }
    if (!lines.has(address)) lines.set(address, line);
  }
  return lines;
}
