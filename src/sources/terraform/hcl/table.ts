// A tree-sitter tree read into a table: one row per node, in document order, in a few typed arrays (type,
// extent, subtree size). Reading it is the only part of the HCL reader that crosses into WebAssembly: one
// cursor pass asking each node only its type and extent (every cursor access is a call into WebAssembly, which
// dominates the cost), and no object per node, so building the syntax tree from it (./syntax.ts) allocates only
// what it keeps. A table is plain data: it could be made anywhere tree-sitter runs and handed over as it is.
import type { Language, Tree } from 'web-tree-sitter';
import { openCursor, type Cursor } from './cursor.js';

/** A language's node types by id (ERROR is 65535), read once: the walk makes no other tree-sitter call. */
export interface NodeTypes {
  names: string[];
  named: boolean[];
  /** Named types read as leaves in a tree without errors (their children are never visited). */
  leaf: boolean[];
}

/**
 * Named nodes read as leaves, their children never visited: punctuation wrappers whose text is the one
 * character of their only child (`block_start` is `{`), `string_lit` (a quoted string without
 * interpolation: its text is between its first and last character), `bool_lit` (its text is the value).
 * Plus nodes that never have children, so the cursor is not even asked. Only for a tree without errors:
 * one with errors is read whole, so that a missing token inside is found.
 */
const ONE_CHARACTER = new Set(['block_start', 'block_end', 'object_start', 'object_end', 'tuple_start', 'tuple_end', 'quoted_template_start', 'quoted_template_end']);
const READ_AS_LEAF = new Set([
  ...ONE_CHARACTER,
  'string_lit',
  'bool_lit',
  'identifier',
  'template_literal',
  'numeric_lit',
  'comment',
  'null_lit',
  'template_interpolation_start',
  'template_interpolation_end',
  'template_directive_start',
  'template_directive_end',
  'heredoc_identifier',
  'ellipsis',
  'strip_marker',
]);

export const ERROR_TYPE = 65535;

const nodeTypesOf = new WeakMap<Language, NodeTypes>();

export function nodeTypes(language: Language): NodeTypes {
  let types = nodeTypesOf.get(language);
  if (!types) {
    types = { names: [], named: [], leaf: [] };
    for (const id of [...language.types.keys(), ERROR_TYPE]) {
      types.names[id] = language.types[id] ?? 'ERROR';
      types.named[id] = language.nodeTypeIsNamed(id);
      types.leaf[id] = types.named[id]! && READ_AS_LEAF.has(types.names[id]!);
    }
    nodeTypesOf.set(language, types);
  }
  return types;
}

/**
 * The nodes of a tree, row 0 the root, each node followed by its subtree: the children of row `i` are
 * `i + 1`, then each next one `size` rows after the one before, while below `i + size[i]`.
 */
export interface SyntaxTable {
  count: number;
  type: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  /** Rows in the node's subtree, itself included. */
  size: Uint32Array;
  /** 1 where tree-sitter inserted a missing token (only read in a tree with errors). */
  missing: Uint8Array;
  /** Rows of the comments, in document order. */
  comments: number[];
}

function emptyTable(capacity: number): SyntaxTable {
  return {
    count: 0,
    type: new Uint16Array(capacity),
    start: new Uint32Array(capacity),
    end: new Uint32Array(capacity),
    size: new Uint32Array(capacity),
    missing: new Uint8Array(capacity),
    comments: [],
  };
}

function grown(table: SyntaxTable): SyntaxTable {
  const bigger = emptyTable(table.type.length * 2);
  bigger.type.set(table.type);
  bigger.start.set(table.start);
  bigger.end.set(table.end);
  bigger.size.set(table.size);
  bigger.missing.set(table.missing);
  bigger.count = table.count;
  bigger.comments = table.comments;
  return bigger;
}

/**
 * Reads the whole tree with one cursor; lines and columns come from the text afterwards. `textLength` sizes
 * the table (about one node per three characters of Terraform). `direct`: false reads through web-tree-sitter's
 * own TreeCursor and asks every node its start (the equivalence test compares both).
 */
export function readTable(tree: Tree, types: NodeTypes, hasError: boolean, textLength: number, direct = true): SyntaxTable {
  const cursor = openCursor(tree, direct);
  try {
    return walk(cursor, hasError, types, emptyTable(Math.max(64, textLength >> 1)), direct);
  } finally {
    cursor.delete();
  }
}

/**
 * The walk. A node that has children starts where its first child starts (tree-sitter's nodes span their
 * children, comments included), so with `deriveStarts` only leaves are asked their start: a node waits for its
 * first leaf, which gives the start of every node still waiting above it.
 */
function walk(cursor: Cursor, hasError: boolean, types: NodeTypes, table: SyntaxTable, deriveStarts: boolean): SyntaxTable {
  const { names, named: isNamed, leaf: asLeaf } = types;
  const stack: number[] = [];
  /** Stack index of the outermost node waiting for its start (stack length: none waits). */
  let waiting = 0;
  /** Whether the node made last is read as a leaf. */
  let leafOnly = false;
  const started = (start: number): void => {
    for (let i = waiting; i < stack.length; i++) table.start[stack[i]!] = start;
    waiting = stack.length;
  };
  /** Makes the node at the cursor and pushes it. */
  const make = (): void => {
    if (table.count === table.type.length) table = grown(table);
    const row = table.count++;
    const id = cursor.nodeTypeId;
    leafOnly = !hasError && asLeaf[id] === true;
    table.type[row] = id;
    table.missing[row] = hasError && cursor.nodeIsMissing ? 1 : 0;
    if (id !== ERROR_TYPE && names[id] === 'comment') table.comments.push(row);
    stack.push(row);
    if (leafOnly || !deriveStarts) started(cursor.startIndex);
  };
  /** A leaf's end: its own (a fixed token's is its length). A parent's is its last child's, set as children close. */
  const closeLeaf = (row: number): void => {
    if (waiting < stack.length) started(cursor.startIndex);
    const id = table.type[row]!;
    const name = names[id] ?? 'ERROR';
    if (!hasError && ONE_CHARACTER.has(name)) table.end[row] = table.start[row]! + 1;
    else if ((isNamed[id] ?? true) || id === ERROR_TYPE || table.missing[row] === 1) table.end[row] = cursor.endIndex;
    else table.end[row] = table.start[row]! + name.length;
  };
  make();
  for (;;) {
    if (!leafOnly && cursor.gotoFirstChild()) {
      make();
      continue;
    }
    closeLeaf(stack[stack.length - 1]!);
    for (;;) {
      const done = stack.pop()!;
      table.size[done] = table.count - done;
      if (stack.length > 0) table.end[stack[stack.length - 1]!] = table.end[done]!;
      waiting = stack.length;
      if (cursor.gotoNextSibling()) {
        make();
        break;
      }
      if (!cursor.gotoParent()) return table;
    }
  }
}

/** The first ERROR or missing node in document order, if any. */
export function firstProblem(table: SyntaxTable): number | undefined {
  for (let row = 0; row < table.count; row++) if (table.type[row] === ERROR_TYPE || table.missing[row] === 1) return row;
  return undefined;
}
