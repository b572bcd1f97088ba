// Terraform source text → a plain syntax tree with positions: blocks, attributes and every expression.
// Parsing is tree-sitter's (web-tree-sitter with the terraform grammar of @tree-sitter-grammars/tree-sitter-hcl,
// chosen by measurement: docs/architecture.md); this module walks its tree once with a cursor and keeps only
// what evaluation needs, so the rest of the reader never crosses into WebAssembly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Language, Parser as TsParser, Tree } from 'web-tree-sitter';
import { bindExports, openCursor, type Cursor } from './cursor.js';

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
// tree-sitter tree → generic nodes (one cursor pass) → syntax tree

export interface Node {
  type: string;
  named: boolean;
  start: number;
  end: number;
  children: Node[];
  missing: boolean;
}

/**
 * Named nodes read as leaves, their children never visited: punctuation wrappers whose text is the one
 * character of their only child (`block_start` is `{`), `string_lit` (a quoted string without
 * interpolation: its text is between its first and last character), `bool_lit` (its text is the value).
 * Plus nodes that never have children, so the cursor is not even asked. Only for a tree without errors:
 * one with errors is read whole, so that a missing token inside is found.
 */
const ONE_CHARACTER = new Set(['block_start', 'block_end', 'object_start', 'object_end', 'tuple_start', 'tuple_end', 'quoted_template_start', 'quoted_template_end']);
const READ_AS_LEAF = new Set([...ONE_CHARACTER, 'string_lit', 'bool_lit', 'identifier', 'template_literal', 'numeric_lit', 'comment', 'null_lit']);

/** A language's node types by id (ERROR is 65535), read once: the walk makes no other tree-sitter call. */
interface NodeTypes {
  names: string[];
  named: boolean[];
  leaf: boolean[];
}
const nodeTypesOf = new WeakMap<Language, NodeTypes>();

function nodeTypes(language: Language): NodeTypes {
  let types = nodeTypesOf.get(language);
  if (!types) {
    types = { names: [], named: [], leaf: [] };
    for (const id of [...language.types.keys(), 65535]) {
      types.names[id] = language.types[id] ?? 'ERROR';
      types.named[id] = language.nodeTypeIsNamed(id);
      types.leaf[id] = types.named[id]! && READ_AS_LEAF.has(types.names[id]!);
    }
    nodeTypesOf.set(language, types);
  }
  return types;
}

/**
 * Reads the whole tree with one cursor, asking each node only its type and extent (every cursor access
 * crosses into WebAssembly, which dominates the cost); lines and columns come from the text afterwards.
 * `direct`: false reads through web-tree-sitter's own TreeCursor (the equivalence test compares both).
 * `comments` receives the comment nodes, in document order.
 */
export function readTree(tree: Tree, hasError: boolean, direct = true, comments: Node[] = []): Node {
  const cursor = openCursor(tree, direct);
  try {
    return walk(cursor, hasError, nodeTypes(tree.language), comments);
  } finally {
    cursor.delete();
  }
}

function walk(cursor: Cursor, hasError: boolean, types: NodeTypes, comments: Node[]): Node {
  const { names, named: isNamed, leaf: asLeaf } = types;
  const make = (): Node => {
    const id = cursor.nodeTypeId;
    leafOnly = !hasError && asLeaf[id] === true;
    const start = cursor.startIndex;
    const node: Node = { type: names[id] ?? 'ERROR', named: isNamed[id] ?? true, start, end: start, children: [], missing: hasError && cursor.nodeIsMissing };
    if (node.type === 'comment') comments.push(node);
    return node;
  };
  /** A node's end: a leaf's own (a fixed token's is its length), a parent's is its last child's. */
  const close = (node: Node, leaf: boolean): void => {
    if (!leaf) node.end = node.children[node.children.length - 1]!.end;
    else if (!hasError && ONE_CHARACTER.has(node.type)) node.end = node.start + 1;
    else if (node.named || node.type === 'ERROR' || node.missing) node.end = cursor.endIndex;
    else node.end = node.start + node.type.length;
  };
  /** Whether the node made last is read as a leaf. */
  let leafOnly = false;
  const root = make();
  const stack: Node[] = [root];
  for (;;) {
    if (!leafOnly && cursor.gotoFirstChild()) {
      const node = make();
      stack[stack.length - 1]!.children.push(node);
      stack.push(node);
      continue;
    }
    close(stack[stack.length - 1]!, true);
    for (;;) {
      const done = stack.pop()!;
      if (done.children.length > 0) close(done, false);
      if (cursor.gotoNextSibling()) {
        const node = make();
        stack[stack.length - 1]!.children.push(node);
        stack.push(node);
        break;
      }
      if (!cursor.gotoParent()) {
        if (root.children.length > 0) close(root, false);
        return root;
      }
    }
  }
}

function firstProblem(root: Node): Node | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR' || node.missing) return node;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return undefined;
}

/** Offsets where each line starts, to turn an offset into a line and column. */
class Lines {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): Pos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** Expressions nested deeper than this are not evaluated (Unknown, with a notice): bounded work. */
export const MAX_DEPTH = 200;

/** Parses one file. Throws HclSyntaxError (with the first error's line) when it is not valid HCL. */
export function parseHcl(parser: TsParser, file: string, text: string): ParsedFile {
  const tree = parser.parse(text);
  if (!tree) throw new HclSyntaxError('the HCL parser gave no result', 1, 1);
  let root: Node;
  let hasError: boolean;
  const comments: Node[] = [];
  try {
    hasError = tree.rootNode.hasError;
    root = readTree(tree, hasError, true, comments);
  } finally {
    tree.delete();
  }
  const lines = new Lines(text);
  // Without an error in the tree there is no ERROR or missing node to look for.
  const problem = hasError ? firstProblem(root) : undefined;
  if (problem) {
    const what = problem.missing ? `missing ${JSON.stringify(problem.type)}` : 'unexpected text';
    const where = lines.at(problem.start);
    throw new HclSyntaxError(`not valid HCL: ${what}`, where.line, where.column);
  }
  currentLines = lines;
  try {
    return new Converter(text).file(file, root, comments);
  } finally {
    currentLines = undefined;
  }
}

/** The line table of the file being converted (set for the duration of one conversion). */
let currentLines: Lines | undefined;
const at = (node: Node): Pos => currentLines!.at(node.start);
const named = (node: Node): Node[] => node.children.filter((c) => c.named && c.type !== 'comment');

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

class Converter {
  private fileName = '';
  private depth = 0;

  constructor(private readonly text: string) {}

  private slice(node: Node): string {
    return this.text.slice(node.start, node.end);
  }

  /** `commentNodes`: every comment of the tree, in the order the walk met them (document order). */
  file(file: string, root: Node, commentNodes: Node[]): ParsedFile {
    this.fileName = file;
    const comments: Comment[] = commentNodes.map((node) => ({ text: this.slice(node), line: at(node).line }));
    const body = root.children.find((c) => c.type === 'body');
    return { file, body: body ? this.body(body) : { attributes: new Map(), blocks: [] }, comments };
  }

  body(node: Node): Body {
    const body: Body = { attributes: new Map(), blocks: [] };
    for (const child of named(node)) {
      if (child.type === 'attribute') {
        const [id, expr] = named(child);
        if (!id || !expr) continue;
        const name = this.slice(id);
        body.attributes.set(name, { name, expr: this.expr(expr), at: at(child) });
      } else if (child.type === 'block') {
        body.blocks.push(this.block(child));
      }
    }
    return body;
  }

  block(node: Node): Block {
    const parts = named(node);
    const type = this.slice(parts[0]!);
    const labels: string[] = [];
    let body: Body = { attributes: new Map(), blocks: [] };
    for (const part of parts.slice(1)) {
      if (part.type === 'string_lit') labels.push(this.stringLit(part));
      else if (part.type === 'identifier') labels.push(this.slice(part));
      else if (part.type === 'body') body = this.body(part);
    }
    return { type, labels, body, at: at(node) };
  }

  /** A string_lit is read as a leaf: `"…"`, the quotes its first and last character. */
  private stringLit(node: Node): string {
    return unescapeQuoted(this.text.slice(node.start + 1, node.end - 1));
  }

  /** An `expression` node: a primary followed by traversals (get_attr, index, splat). */
  expr(node: Node): Expr {
    if (this.depth >= MAX_DEPTH) return { k: 'error', message: `expression nested more than ${MAX_DEPTH} levels deep`, at: at(node) };
    this.depth++;
    try {
      return this.exprAt(node);
    } finally {
      this.depth--;
    }
  }

  private exprAt(node: Node): Expr {
    if (node.type !== 'expression') return this.primary(node);
    const parts = named(node);
    if (parts.length === 0) return { k: 'error', message: 'empty expression', at: at(node) };
    let value = this.primary(parts[0]!);
    for (const op of parts.slice(1)) value = this.traverse(value, op);
    return value;
  }

  /** A term and the traversals after it. */
  private operand(nodes: Node[]): Expr {
    const parts = nodes.filter((c) => c.named && c.type !== 'comment');
    if (parts.length === 0) return { k: 'error', message: 'missing operand', at: { line: 0, column: 0 } };
    if (this.depth >= MAX_DEPTH) return { k: 'error', message: `expression nested more than ${MAX_DEPTH} levels deep`, at: at(parts[0]!) };
    this.depth++;
    try {
      let value = this.primary(parts[0]!);
      for (const op of parts.slice(1)) value = this.traverse(value, op);
      return value;
    } finally {
      this.depth--;
    }
  }

  private traverse(obj: Expr, op: Node): Expr {
    const where = at(op);
    switch (op.type) {
      case 'get_attr': {
        const id = named(op)[0];
        return { k: 'attr', obj, name: id ? this.slice(id) : '', at: where };
      }
      case 'index': {
        const inner = named(op)[0]!;
        if (inner.type === 'legacy_index') {
          const digits = /\d+/.exec(this.slice(inner))?.[0] ?? '0';
          return { k: 'index', obj, key: { k: 'lit', v: Number(digits), at: where }, at: where };
        }
        const key = named(inner)[0];
        return { k: 'index', obj, key: key ? this.expr(key) : { k: 'error', message: 'empty index', at: where }, at: where };
      }
      case 'splat': {
        const kind = named(op)[0]!;
        let each: Expr = { k: 'var', name: '$', at: where };
        for (const inner of named(kind)) each = this.traverse(each, inner);
        return { k: 'splat', obj, each, at: where };
      }
      default:
        return { k: 'error', message: `unsupported traversal ${op.type}`, at: where };
    }
  }

  private primary(node: Node): Expr {
    const where = at(node);
    switch (node.type) {
      case 'expression':
        return this.expr(node);
      case 'literal_value': {
        const inner = named(node)[0]!;
        if (inner.type === 'numeric_lit') return { k: 'lit', v: Number(this.slice(inner)), at: where };
        if (inner.type === 'bool_lit') return { k: 'lit', v: this.slice(inner) === 'true', at: where };
        if (inner.type === 'null_lit') return { k: 'lit', v: null, at: where };
        if (inner.type === 'string_lit') return { k: 'lit', v: this.stringLit(inner), at: where };
        return { k: 'error', message: `unsupported literal ${inner.type}`, at: where };
      }
      case 'variable_expr':
        return { k: 'var', name: this.slice(named(node)[0]!), at: where };
      case 'collection_value':
        return this.primary(named(node)[0]!);
      case 'tuple':
        return { k: 'tuple', items: named(node).filter((c) => c.type === 'expression').map((c) => this.expr(c)), at: where };
      case 'object':
        return {
          k: 'object',
          items: named(node)
            .filter((c) => c.type === 'object_elem')
            .map((elem) => {
              const [key, value] = named(elem);
              return { key: this.objectKey(key!), value: this.expr(value!), at: at(elem) };
            }),
          at: { ...where, file: this.fileName },
        };
      case 'function_call': {
        const parts = named(node);
        const name = this.slice(parts[0]!);
        const argsNode = parts.find((p) => p.type === 'function_arguments');
        const args = argsNode ? named(argsNode).filter((c) => c.type === 'expression').map((c) => this.expr(c)) : [];
        const expand = argsNode ? argsNode.children.some((c) => c.type === 'ellipsis') : false;
        return { k: 'call', name, args, expand, at: where };
      }
      case 'conditional': {
        const [test, then, otherwise] = named(node);
        return { k: 'cond', test: this.expr(test!), then: this.expr(then!), else: this.expr(otherwise!), at: where };
      }
      case 'operation':
        return this.primary(named(node)[0]!);
      case 'unary_operation': {
        const opAt = node.children.findIndex((c) => !c.named);
        return { k: 'unary', op: this.slice(node.children[opAt]!), operand: this.operand(node.children.slice(opAt + 1)), at: where };
      }
      case 'binary_operation': {
        // Operands are terms followed by their traversals (`var.a.b == 1`), not wrapped in an expression node.
        const opAt = node.children.findIndex((c) => !c.named);
        return {
          k: 'binary',
          op: this.slice(node.children[opAt]!),
          left: this.operand(node.children.slice(0, opAt)),
          right: this.operand(node.children.slice(opAt + 1)),
          at: where,
        };
      }
      case 'template_expr': {
        const inner = named(node)[0]!;
        return { k: 'tpl', parts: inner.type === 'heredoc_template' ? this.heredoc(inner) : this.quoted(inner), at: where };
      }
      case 'for_expr':
        return this.forExpr(named(node)[0]!);
      default:
        return { k: 'error', message: `unsupported expression ${node.type}`, at: where };
    }
  }

  /** An object key: a bare identifier is its name (not a variable); `(expr)` and strings are evaluated. */
  private objectKey(node: Node): Expr {
    const parts = named(node);
    if (parts.length === 1 && parts[0]!.type === 'variable_expr') return { k: 'lit', v: this.slice(named(parts[0]!)[0]!), at: at(node) };
    return this.expr(node);
  }

  private forExpr(node: Node): Expr {
    const where = at(node);
    const parts = named(node);
    const intro = parts.find((p) => p.type === 'for_intro')!;
    const ids = named(intro).filter((c) => c.type === 'identifier').map((c) => this.slice(c));
    const coll = this.expr(named(intro).find((c) => c.type === 'expression')!);
    const exprs = parts.filter((p) => p.type === 'expression');
    const condNode = parts.find((p) => p.type === 'for_cond');
    const cond = condNode ? this.expr(named(condNode)[0]!) : undefined;
    const vars = ids.length === 2 ? { keyVar: ids[0]!, valVar: ids[1]! } : { valVar: ids[0]! };
    if (node.type === 'for_object_expr') {
      return {
        k: 'for',
        object: true,
        ...vars,
        coll,
        key: this.expr(exprs[0]!),
        value: this.expr(exprs[1]!),
        ...(cond ? { cond } : {}),
        group: node.children.some((c) => c.type === 'ellipsis'),
        at: where,
      };
    }
    return { k: 'for', object: false, ...vars, coll, value: this.expr(exprs[0]!), ...(cond ? { cond } : {}), group: false, at: where };
  }

  /**
   * Template parts of the source range [from, to): interpolations and directives among `children`, the
   * text between them taken from the source as written (tree-sitter leaves some whitespace outside nodes).
   */
  private template(children: Node[], from: number, to: number, heredoc: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    const literal = (raw: string) => {
      if (raw !== '') parts.push(heredoc ? unescapeHeredoc(raw) : unescapeQuoted(raw));
    };
    let cursor = from;
    for (const child of children) {
      if (child.start < from || child.end > to) continue;
      if (child.type !== 'template_interpolation' && child.type !== 'template_directive') continue;
      literal(this.text.slice(cursor, child.start));
      if (child.type === 'template_interpolation') {
        const e = named(child).find((c) => c.type === 'expression');
        if (e) parts.push(this.expr(e));
      } else {
        parts.push(this.directive(named(child)[0]!, heredoc));
      }
      cursor = child.end;
    }
    literal(this.text.slice(cursor, to));
    return parts;
  }

  private quoted(node: Node): TemplatePart[] {
    const open = node.children.find((c) => c.type === 'quoted_template_start');
    const close = node.children.find((c) => c.type === 'quoted_template_end');
    return this.template(node.children, open ? open.end : node.start, close ? close.start : node.end, false);
  }

  private directive(node: Node, heredoc: boolean): TemplatePart {
    const where = at(node);
    const kids = node.children;
    if (node.type === 'template_if') {
      const intro = kids.find((c) => c.type === 'template_if_intro')!;
      const test = this.expr(named(intro).find((c) => c.type === 'expression')!);
      const otherwise = kids.find((c) => c.type === 'template_else_intro');
      const end = kids.find((c) => c.type === 'template_if_end')!;
      return {
        k: 'if',
        test,
        then: this.template(kids, intro.end, otherwise ? otherwise.start : end.start, heredoc),
        else: otherwise ? this.template(kids, otherwise.end, end.start, heredoc) : [],
      };
    }
    if (node.type === 'template_for') {
      const intro = kids.find((c) => c.type === 'template_for_start')!;
      const ids = named(intro).filter((c) => c.type === 'identifier').map((c) => this.slice(c));
      const coll = this.expr(named(intro).find((c) => c.type === 'expression')!);
      const end = kids.find((c) => c.type === 'template_for_end')!;
      const body = this.template(kids, intro.end, end.start, heredoc);
      return { k: 'tfor', ...(ids.length === 2 ? { keyVar: ids[0]!, valVar: ids[1]! } : { valVar: ids[0]! }), coll, body };
    }
    return { k: 'error', message: `unsupported template directive ${node.type}`, at: where };
  }

  /** A heredoc: the lines between the opening and closing marker; `<<-` strips the common indentation. */
  private heredoc(node: Node): TemplatePart[] {
    const start = node.children.find((c) => c.type === 'heredoc_start')!;
    const ids = node.children.filter((c) => c.type === 'heredoc_identifier');
    const open = ids[0]!;
    const close = ids[ids.length - 1]!;
    const bodyStart = this.text.indexOf('\n', open.end) + 1;
    const bodyEnd = this.text.lastIndexOf('\n', close.start) + 1;
    const parts = bodyEnd > bodyStart ? this.template(node.children, bodyStart, bodyEnd, true) : [];
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
