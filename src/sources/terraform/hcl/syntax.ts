// Terraform source text → a plain syntax tree with positions: blocks, attributes and every expression.
// Parsing is tree-sitter's (web-tree-sitter with the terraform grammar of @tree-sitter-grammars/tree-sitter-hcl,
// chosen by measurement: docs/architecture.md); its tree is read once into a table of nodes (./table.ts), and
// this module builds from the table only what evaluation needs, so the rest of the reader never crosses into
// WebAssembly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Parser as TsParser } from 'web-tree-sitter';
import { bindExports } from './cursor.js';
import { firstProblem, nodeTypes, readTable, type NodeTypes, type SyntaxTable } from './table.js';

export interface Pos {
  line: number;
  column: number;
  /** Set on object constructors: the file they are written in (statement positions across files). */
  file?: string;
}

export type TemplatePart = string | Expr | { k: 'if'; test: Expr; then: TemplatePart[]; else: TemplatePart[] } | TemplateFor;
interface TemplateFor {
  k: 'tfor';
  keyVar?: string;
  valVar: string;
  coll: Expr;
  body: TemplatePart[];
}

export type Expr = (
  | { k: 'lit'; v: string | number | boolean | null }
  | { k: 'tpl'; parts: TemplatePart[] }
  | { k: 'var'; name: string }
  | { k: 'attr'; obj: Expr; name: string }
  | { k: 'index'; obj: Expr; key: Expr }
  /** `obj[*].ops…` / `obj.*.ops…`: `each` is applied to every element (`$` stands for the element). */
  | { k: 'splat'; obj: Expr; each: Expr }
  | { k: 'tuple'; items: Expr[] }
  | { k: 'object'; items: { key: Expr; value: Expr; at: Pos }[] }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr }
  | { k: 'unary'; op: string; operand: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'for'; object: boolean; keyVar?: string; valVar: string; coll: Expr; key?: Expr; value: Expr; cond?: Expr; group: boolean }
  | { k: 'error'; message: string }
) & { at: Pos };

export interface Attribute {
  name: string;
  expr: Expr;
  at: Pos;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  at: Pos;
}

export interface Body {
  attributes: Map<string, Attribute>;
  blocks: Block[];
}

export interface Comment {
  text: string;
  line: number;
}

export interface ParsedFile {
  file: string;
  body: Body;
  comments: Comment[];
}

/** A syntax error tree-sitter recovered from: the file is rejected, naming the place. */
export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// The parser (loaded once, lazily: only runs with .tf files pay for it)

let parserPromise: Promise<TsParser> | undefined;

/** The tree-sitter parser with the terraform grammar; initialised on first use (~50 ms). */
export function loadHclParser(): Promise<TsParser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import('web-tree-sitter');
    // The Emscripten module object: filled with the module's exports, for the direct cursor (./cursor.ts).
    const module: Record<string, unknown> = {};
    await Parser.init(module);
    bindExports(module);
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
    const language = await Language.load(readFileSync(wasm));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

// ---------------------------------------------------------------------------------------------
// tree-sitter tree → table of nodes (./table.ts, one cursor pass) → syntax tree

/** Offsets where each line starts, to turn an offset into a line and column. */
class Lines {
  private readonly starts: number[] = [0];
  /** The line found last: conversion asks in document order, mostly on the same or the next lines. */
  private last = 0;

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): Pos {
    const starts = this.starts;
    let line = this.last;
    if (starts[line]! <= offset && (line + 1 >= starts.length || starts[line + 1]! > offset)) return { line: line + 1, column: offset - starts[line]! + 1 };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    line = this.last = lo;
    return { line: line + 1, column: offset - starts[line]! + 1 };
  }
}

/** Expressions nested deeper than this are not evaluated (Unknown, with a notice): bounded work. */
export const MAX_DEPTH = 200;

/** Parses one file. Throws HclSyntaxError (with the first error's line) when it is not valid HCL. */
export function parseHcl(parser: TsParser, file: string, text: string): ParsedFile {
  const tree = parser.parse(text);
  if (!tree) throw new HclSyntaxError('the HCL parser gave no result', 1, 1);
  let table: SyntaxTable;
  const types = nodeTypes(tree.language);
  try {
    table = readTable(tree, types, tree.rootNode.hasError, text.length);
  } finally {
    tree.delete();
  }
  return syntaxOf(file, text, table, types);
}

/** The syntax tree of a file from its table. Throws HclSyntaxError when the table holds an error. */
export function syntaxOf(file: string, text: string, table: SyntaxTable, types: NodeTypes): ParsedFile {
  const lines = new Lines(text);
  const problem = firstProblem(table);
  if (problem !== undefined) {
    const what = table.missing[problem] === 1 ? `missing ${JSON.stringify(types.names[table.type[problem]!])}` : 'unexpected text';
    const where = lines.at(table.start[problem]!);
    throw new HclSyntaxError(`not valid HCL: ${what}`, where.line, where.column);
  }
  return new Converter(text, table, types, lines).file(file);
}

/** Unescapes a quoted HCL string segment (`\n`, `\"`, `\uXXXX`, `$${`, `%%{`). */
function unescapeQuoted(raw: string): string {
  // Most strings hold nothing to unescape.
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw
    .replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (_, u4: string, u8: string, c: string) => {
      if (u4 || u8) return String.fromCodePoint(parseInt(u4 ?? u8, 16));
      return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[c] ?? c;
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

function unescapeHeredoc(raw: string): string {
  if (!raw.includes('$${') && !raw.includes('%%{')) return raw;
  return raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** Builds the syntax tree from a table, a node being its row (./table.ts). */
class Converter {
  private fileName = '';
  private depth = 0;
  private readonly names: string[];
  private readonly isNamed: boolean[];

  constructor(
    private readonly text: string,
    private readonly t: SyntaxTable,
    types: NodeTypes,
    private readonly lines: Lines,
  ) {
    this.names = types.names;
    this.isNamed = types.named;
  }

  private type(row: number): string {
    return this.names[this.t.type[row]!] ?? 'ERROR';
  }

  private named(row: number): boolean {
    return this.isNamed[this.t.type[row]!] ?? true;
  }

  private start(row: number): number {
    return this.t.start[row]!;
  }

  private end(row: number): number {
    return this.t.end[row]!;
  }

  private at(row: number): Pos {
    return this.lines.at(this.t.start[row]!);
  }

  /** Every child row, in order. */
  private children(row: number): number[] {
    const out: number[] = [];
    const size = this.t.size;
    const stop = row + size[row]!;
    for (let c = row + 1; c < stop; c += size[c]!) out.push(c);
    return out;
  }

  /** The named children other than comments. */
  private namedChildren(row: number): number[] {
    const out: number[] = [];
    const size = this.t.size;
    const stop = row + size[row]!;
    for (let c = row + 1; c < stop; c += size[c]!) if (this.named(c) && this.type(c) !== 'comment') out.push(c);
    return out;
  }

  /** The first named child (not a comment) of a type; -1 when there is none. */
  private childOfType(row: number, type: string): number {
    const size = this.t.size;
    const stop = row + size[row]!;
    for (let c = row + 1; c < stop; c += size[c]!) if (this.type(c) === type) return c;
    return -1;
  }

  private slice(row: number): string {
    return this.text.slice(this.t.start[row]!, this.t.end[row]!);
  }

  file(file: string): ParsedFile {
    this.fileName = file;
    const comments: Comment[] = this.t.comments.map((row) => ({ text: this.slice(row), line: this.at(row).line }));
    const body = this.t.count > 0 ? this.childOfType(0, 'body') : -1;
    return { file, body: body !== -1 ? this.body(body) : { attributes: new Map(), blocks: [] }, comments };
  }

  body(row: number): Body {
    const body: Body = { attributes: new Map(), blocks: [] };
    for (const child of this.namedChildren(row)) {
      const type = this.type(child);
      if (type === 'attribute') {
        const [id, expr] = this.namedChildren(child);
        if (id === undefined || expr === undefined) continue;
        const name = this.slice(id);
        body.attributes.set(name, { name, expr: this.expr(expr), at: this.at(child) });
      } else if (type === 'block') {
        body.blocks.push(this.block(child));
      }
    }
    return body;
  }

  block(row: number): Block {
    const parts = this.namedChildren(row);
    const type = this.slice(parts[0]!);
    const labels: string[] = [];
    let body: Body = { attributes: new Map(), blocks: [] };
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      const kind = this.type(part);
      if (kind === 'string_lit') labels.push(this.stringLit(part));
      else if (kind === 'identifier') labels.push(this.slice(part));
      else if (kind === 'body') body = this.body(part);
    }
    return { type, labels, body, at: this.at(row) };
  }

  /** A string_lit is read as a leaf: `"…"`, the quotes its first and last character. */
  private stringLit(row: number): string {
    return unescapeQuoted(this.text.slice(this.start(row) + 1, this.end(row) - 1));
  }

  /** An `expression` node: a primary followed by traversals (get_attr, index, splat). */
  expr(row: number): Expr {
    if (this.depth >= MAX_DEPTH) return { k: 'error', message: `expression nested more than ${MAX_DEPTH} levels deep`, at: this.at(row) };
    this.depth++;
    try {
      return this.exprAt(row);
    } finally {
      this.depth--;
    }
  }

  private exprAt(row: number): Expr {
    if (this.type(row) !== 'expression') return this.primary(row);
    const parts = this.namedChildren(row);
    if (parts.length === 0) return { k: 'error', message: 'empty expression', at: this.at(row) };
    let value = this.primary(parts[0]!);
    for (let i = 1; i < parts.length; i++) value = this.traverse(value, parts[i]!);
    return value;
  }

  /** A term and the traversals after it (`rows`: the operand's nodes, some of them operators' siblings). */
  private operand(rows: number[]): Expr {
    const parts = rows.filter((c) => this.named(c) && this.type(c) !== 'comment');
    if (parts.length === 0) return { k: 'error', message: 'missing operand', at: { line: 0, column: 0 } };
    if (this.depth >= MAX_DEPTH) return { k: 'error', message: `expression nested more than ${MAX_DEPTH} levels deep`, at: this.at(parts[0]!) };
    this.depth++;
    try {
      let value = this.primary(parts[0]!);
      for (let i = 1; i < parts.length; i++) value = this.traverse(value, parts[i]!);
      return value;
    } finally {
      this.depth--;
    }
  }

  private traverse(obj: Expr, op: number): Expr {
    const where = this.at(op);
    switch (this.type(op)) {
      case 'get_attr': {
        const id = this.namedChildren(op)[0];
        return { k: 'attr', obj, name: id !== undefined ? this.slice(id) : '', at: where };
      }
      case 'index': {
        const inner = this.namedChildren(op)[0]!;
        if (this.type(inner) === 'legacy_index') {
          const digits = /\d+/.exec(this.slice(inner))?.[0] ?? '0';
          return { k: 'index', obj, key: { k: 'lit', v: Number(digits), at: where }, at: where };
        }
        const key = this.namedChildren(inner)[0];
        return { k: 'index', obj, key: key !== undefined ? this.expr(key) : { k: 'error', message: 'empty index', at: where }, at: where };
      }
      case 'splat': {
        const kind = this.namedChildren(op)[0]!;
        let each: Expr = { k: 'var', name: '$', at: where };
        for (const inner of this.namedChildren(kind)) each = this.traverse(each, inner);
        return { k: 'splat', obj, each, at: where };
      }
      default:
        return { k: 'error', message: `unsupported traversal ${this.type(op)}`, at: where };
    }
  }

  private primary(row: number): Expr {
    const where = this.at(row);
    const type = this.type(row);
    switch (type) {
      case 'expression':
        return this.expr(row);
      case 'literal_value': {
        const inner = this.namedChildren(row)[0]!;
        const kind = this.type(inner);
        if (kind === 'numeric_lit') return { k: 'lit', v: Number(this.slice(inner)), at: where };
        if (kind === 'bool_lit') return { k: 'lit', v: this.slice(inner) === 'true', at: where };
        if (kind === 'null_lit') return { k: 'lit', v: null, at: where };
        if (kind === 'string_lit') return { k: 'lit', v: this.stringLit(inner), at: where };
        return { k: 'error', message: `unsupported literal ${kind}`, at: where };
      }
      case 'variable_expr':
        return { k: 'var', name: this.slice(this.namedChildren(row)[0]!), at: where };
      case 'collection_value':
        return this.primary(this.namedChildren(row)[0]!);
      case 'tuple':
        return { k: 'tuple', items: this.namedChildren(row).filter((c) => this.type(c) === 'expression').map((c) => this.expr(c)), at: where };
      case 'object':
        return {
          k: 'object',
          items: this.namedChildren(row)
            .filter((c) => this.type(c) === 'object_elem')
            .map((elem) => {
              const [key, value] = this.namedChildren(elem);
              return { key: this.objectKey(key!), value: this.expr(value!), at: this.at(elem) };
            }),
          at: { ...where, file: this.fileName },
        };
      case 'function_call': {
        const parts = this.namedChildren(row);
        const name = this.slice(parts[0]!);
        const argsRow = parts.find((p) => this.type(p) === 'function_arguments');
        const args = argsRow !== undefined ? this.namedChildren(argsRow).filter((c) => this.type(c) === 'expression').map((c) => this.expr(c)) : [];
        const expand = argsRow !== undefined ? this.childOfType(argsRow, 'ellipsis') !== -1 : false;
        return { k: 'call', name, args, expand, at: where };
      }
      case 'conditional': {
        const [test, then, otherwise] = this.namedChildren(row);
        return { k: 'cond', test: this.expr(test!), then: this.expr(then!), else: this.expr(otherwise!), at: where };
      }
      case 'operation':
        return this.primary(this.namedChildren(row)[0]!);
      case 'unary_operation': {
        const kids = this.children(row);
        const opAt = kids.findIndex((c) => !this.named(c));
        return { k: 'unary', op: this.slice(kids[opAt]!), operand: this.operand(kids.slice(opAt + 1)), at: where };
      }
      case 'binary_operation': {
        // Operands are terms followed by their traversals (`var.a.b == 1`), not wrapped in an expression node.
        const kids = this.children(row);
        const opAt = kids.findIndex((c) => !this.named(c));
        return {
          k: 'binary',
          op: this.slice(kids[opAt]!),
          left: this.operand(kids.slice(0, opAt)),
          right: this.operand(kids.slice(opAt + 1)),
          at: where,
        };
      }
      case 'template_expr': {
        const inner = this.namedChildren(row)[0]!;
        return { k: 'tpl', parts: this.type(inner) === 'heredoc_template' ? this.heredoc(inner) : this.quoted(inner), at: where };
      }
      case 'for_expr':
        return this.forExpr(this.namedChildren(row)[0]!);
      default:
        return { k: 'error', message: `unsupported expression ${type}`, at: where };
    }
  }

  /** An object key: a bare identifier is its name (not a variable); `(expr)` and strings are evaluated. */
  private objectKey(row: number): Expr {
    const parts = this.namedChildren(row);
    if (parts.length === 1 && this.type(parts[0]!) === 'variable_expr') return { k: 'lit', v: this.slice(this.namedChildren(parts[0]!)[0]!), at: this.at(row) };
    return this.expr(row);
  }

  private forExpr(row: number): Expr {
    const where = this.at(row);
    const parts = this.namedChildren(row);
    const intro = parts.find((p) => this.type(p) === 'for_intro')!;
    const introParts = this.namedChildren(intro);
    const ids = introParts.filter((c) => this.type(c) === 'identifier').map((c) => this.slice(c));
    const coll = this.expr(introParts.find((c) => this.type(c) === 'expression')!);
    const exprs = parts.filter((p) => this.type(p) === 'expression');
    const condRow = parts.find((p) => this.type(p) === 'for_cond');
    const cond = condRow !== undefined ? this.expr(this.namedChildren(condRow)[0]!) : undefined;
    const vars = ids.length === 2 ? { keyVar: ids[0]!, valVar: ids[1]! } : { valVar: ids[0]! };
    if (this.type(row) === 'for_object_expr') {
      return {
        k: 'for',
        object: true,
        ...vars,
        coll,
        key: this.expr(exprs[0]!),
        value: this.expr(exprs[1]!),
        ...(cond ? { cond } : {}),
        group: this.childOfType(row, 'ellipsis') !== -1,
        at: where,
      };
    }
    return { k: 'for', object: false, ...vars, coll, value: this.expr(exprs[0]!), ...(cond ? { cond } : {}), group: false, at: where };
  }

  /**
   * Template parts of the source range [from, to): interpolations and directives among `children`, the
   * text between them taken from the source as written (tree-sitter leaves some whitespace outside nodes).
   */
  private template(children: number[], from: number, to: number, heredoc: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    const literal = (raw: string) => {
      if (raw !== '') parts.push(heredoc ? unescapeHeredoc(raw) : unescapeQuoted(raw));
    };
    let cursor = from;
    for (const child of children) {
      if (this.start(child) < from || this.end(child) > to) continue;
      const type = this.type(child);
      if (type !== 'template_interpolation' && type !== 'template_directive') continue;
      literal(this.text.slice(cursor, this.start(child)));
      if (type === 'template_interpolation') {
        const e = this.namedChildren(child).find((c) => this.type(c) === 'expression');
        if (e !== undefined) parts.push(this.expr(e));
      } else {
        parts.push(this.directive(this.namedChildren(child)[0]!, heredoc));
      }
      cursor = this.end(child);
    }
    literal(this.text.slice(cursor, to));
    return parts;
  }

  private quoted(row: number): TemplatePart[] {
    const open = this.childOfType(row, 'quoted_template_start');
    const close = this.childOfType(row, 'quoted_template_end');
    return this.template(this.children(row), open !== -1 ? this.end(open) : this.start(row), close !== -1 ? this.start(close) : this.end(row), false);
  }

  private directive(row: number, heredoc: boolean): TemplatePart {
    const where = this.at(row);
    const kids = this.children(row);
    const type = this.type(row);
    const find = (kind: string) => kids.find((c) => this.type(c) === kind);
    if (type === 'template_if') {
      const intro = find('template_if_intro')!;
      const test = this.expr(this.namedChildren(intro).find((c) => this.type(c) === 'expression')!);
      const otherwise = find('template_else_intro');
      const end = find('template_if_end')!;
      return {
        k: 'if',
        test,
        then: this.template(kids, this.end(intro), otherwise !== undefined ? this.start(otherwise) : this.start(end), heredoc),
        else: otherwise !== undefined ? this.template(kids, this.end(otherwise), this.start(end), heredoc) : [],
      };
    }
    if (type === 'template_for') {
      const intro = find('template_for_start')!;
      const introParts = this.namedChildren(intro);
      const ids = introParts.filter((c) => this.type(c) === 'identifier').map((c) => this.slice(c));
      const coll = this.expr(introParts.find((c) => this.type(c) === 'expression')!);
      const end = find('template_for_end')!;
      const body = this.template(kids, this.end(intro), this.start(end), heredoc);
      return { k: 'tfor', ...(ids.length === 2 ? { keyVar: ids[0]!, valVar: ids[1]! } : { valVar: ids[0]! }), coll, body };
    }
    return { k: 'error', message: `unsupported template directive ${type}`, at: where };
  }

  /** A heredoc: the lines between the opening and closing marker; `<<-` strips the common indentation. */
  private heredoc(row: number): TemplatePart[] {
    const kids = this.children(row);
    const start = kids.find((c) => this.type(c) === 'heredoc_start')!;
    const ids = kids.filter((c) => this.type(c) === 'heredoc_identifier');
    const open = ids[0]!;
    const close = ids[ids.length - 1]!;
    const bodyStart = this.text.indexOf('\n', this.end(open)) + 1;
    const bodyEnd = this.text.lastIndexOf('\n', this.start(close)) + 1;
    const parts = bodyEnd > bodyStart ? this.template(kids, bodyStart, bodyEnd, true) : [];
    return this.slice(start) === '<<-' ? stripIndent(parts) : parts;
  }
}

/** `<<-` heredocs: removes the smallest indentation of the literal lines from every line start. */
function stripIndent(parts: TemplatePart[]): TemplatePart[] {
  const literal = parts.filter((p): p is string => typeof p === 'string').join('\u0000');
  const lines = literal.split('\n').filter((l, i, all) => i === 0 || l.trim() !== '' || i < all.length - 1);
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() === '' || line.includes('\u0000')) continue;
    min = Math.min(min, /^[ \t]*/.exec(line)![0].length);
  }
  if (!Number.isFinite(min) || min === 0) return parts;
  let atLineStart = true;
  return parts.map((part) => {
    if (typeof part !== 'string') {
      atLineStart = false;
      return part;
    }
    const out = part
      .split('\n')
      .map((line, i) => ((i > 0 || atLineStart) ? line.replace(new RegExp(`^[ \\t]{0,${min}}`), '') : line))
      .join('\n');
    atLineStart = part.endsWith('\n');
    return out;
  });
}
