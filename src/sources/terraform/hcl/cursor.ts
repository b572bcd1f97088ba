// A tree-sitter cursor that is cheap to move. web-tree-sitter's TreeCursor copies its state between
// JavaScript and WebAssembly memory on every call (four writes and four reads through Emscripten's generic
// setValue/getValue): reading a tree of half a million nodes that way costs about half as much as parsing
// it. When the WebAssembly module's exports are reachable — Parser.init fills the Emscripten module object
// it is given, as every Emscripten module does — the cursor's state stays in the module's transfer buffer
// between calls and the cursor functions are called directly: one call per step, the same functions
// TreeCursor calls. Everything is checked when the parser loads; when anything is missing (another
// web-tree-sitter), the public TreeCursor is used. test/terraform-hcl-cursor.test.ts reads every fixture
// both ways and requires the same nodes.
import type { Tree, TreeCursor } from 'web-tree-sitter';

/** What the tree reader asks of a cursor: the subset of TreeCursor it uses, under the same names. */
export interface Cursor {
  readonly nodeTypeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly nodeIsMissing: boolean;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

/** The module exports the direct cursor calls (names as web-tree-sitter 0.27 binds them). */
interface Exports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const FUNCTIONS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

let exports: Exports | undefined;
/** Where the module keeps the cursor between calls (four 32-bit words, as TreeCursor's `handles`). */
let transferBuffer = 0;

/**
 * Takes the module object given to Parser.init; the direct cursor is used from then on if it has every
 * export needed. Returns whether it does.
 */
export function bindExports(module: Record<string, unknown>): boolean {
  if (!(module.HEAP32 instanceof Int32Array) || FUNCTIONS.some((name) => typeof module[name] !== 'function')) return false;
  exports = module as unknown as Exports;
  transferBuffer = exports._ts_init();
  return true;
}

/** Whether cursors are direct (for the equivalence test and the bench). */
export function directCursors(): boolean {
  return exports !== undefined;
}

/**
 * The cursor moves in the transfer buffer only: no other tree-sitter call may happen until it is deleted
 * (the tree reader makes none). Deleting copies the state back into the TreeCursor, which frees it.
 */
class DirectCursor implements Cursor {
  private readonly tree: number;

  constructor(
    private readonly x: Exports,
    private readonly cursor: TreeCursor,
    tree: Tree,
  ) {
    // TreeCursor construction left its state in the transfer buffer.
    this.tree = (tree as unknown as Record<number, number>)[0]!;
  }

  get nodeTypeId(): number {
    return this.x._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }

  get startIndex(): number {
    return this.x._ts_tree_cursor_start_index_wasm(this.tree);
  }

  get endIndex(): number {
    return this.x._ts_tree_cursor_end_index_wasm(this.tree);
  }

  get nodeIsMissing(): boolean {
    return this.x._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1;
  }

  gotoFirstChild(): boolean {
    return this.x._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }

  gotoNextSibling(): boolean {
    return this.x._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }

  gotoParent(): boolean {
    return this.x._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }

  delete(): void {
    // The cursor's stack may have been reallocated while it moved: TreeCursor must free the current one.
    const heap = this.x.HEAP32;
    const handles = (this.cursor as unknown as { handles: number[] }).handles;
    for (let i = 0; i < 4; i++) handles[i] = heap[(transferBuffer >> 2) + i]!;
    this.cursor.delete();
  }
}

/** A cursor at the root of `tree`: direct when the exports are bound, else web-tree-sitter's own. */
export function openCursor(tree: Tree, direct = true): Cursor {
  const cursor = tree.walk();
  if (!direct || !exports) return cursor;
  const handles = (cursor as unknown as { handles?: unknown }).handles;
  if (!Array.isArray(handles) || handles.length !== 4 || typeof (tree as unknown as Record<number, unknown>)[0] !== 'number') return cursor;
  return new DirectCursor(exports, cursor, tree);
}
