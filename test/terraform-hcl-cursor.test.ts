// The HCL reader's direct tree-sitter cursor (src/sources/terraform/hcl/cursor.ts) must read exactly the
// nodes web-tree-sitter's own TreeCursor reads: every .tf fixture of the repository, trees with syntax
// errors (missing tokens, unexpected text) and the constructs whose extents matter (templates, heredocs,
// escapes, non-ASCII text), compared row by row of the table (a small starting size, so the table grows too).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { directCursors } from '../src/sources/terraform/hcl/cursor.js';
import { loadHclParser } from '../src/sources/terraform/hcl/syntax.js';
import { nodeTypes, readTable } from '../src/sources/terraform/hcl/table.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : tfFiles(full);
    return name.endsWith('.tf') ? [full] : [];
  });
}

const SNIPPETS: [string, string][] = [
  ['templates and directives', 'a = "x-${var.y}-%{ if var.z }on%{ else }off%{ endif }-$${kept}"\nb = "%{ for s in var.l }${s},%{ endfor }"\n'],
  ['heredocs', 'p = <<-EOT\n    {"a": "${var.b}"}\n  EOT\nq = <<EOF\nplain\nEOF\n'],
  ['escapes and non-ASCII text', 'n = "caf\\u00e9 \\"quoted\\" \\\\ tab\\t ünïcode ☃"\nm = ""\n'],
  ['expressions', 'v = [for k, v in { a = 1, "b" = -2.5 } : k if v > 0]\nw = var.x[*].id\nz = try(local.a.b[0], null) ? true : false\n'],
  ['a missing brace', 'resource "aws_iam_role" "r" {\n  name = "r"\n'],
  ['unexpected text', 'resource "aws_iam_role" "r" {\n  name = = "r"\n}\n'],
  ['an unterminated string', 'x = "abc\n'],
];

describe('the direct cursor reads what TreeCursor reads', () => {
  let parser: Awaited<ReturnType<typeof loadHclParser>>;
  beforeAll(async () => {
    parser = await loadHclParser();
  });

  it('is the one in use with the web-tree-sitter this project pins (else B5 loses its fast path)', () => {
    expect(directCursors()).toBe(true);
  });

  const sources: [string, () => string][] = [
    ...tfFiles(path.join(ROOT, 'fixtures')).map((f): [string, () => string] => [path.relative(ROOT, f), () => readFileSync(f, 'utf8')]),
    ...SNIPPETS.map(([name, text]): [string, () => string] => [name, () => text]),
  ];

  it.each(sources)('%s', (_name, text) => {
    const tree = parser.parse(text())!;
    try {
      const hasError = tree.rootNode.hasError;
      const types = nodeTypes(tree.language);
      const direct = readTable(tree, types, hasError, 16, true);
      expect(direct.count).toBeGreaterThan(0);
      expect(direct).toEqual(readTable(tree, types, hasError, 16, false));
    } finally {
      tree.delete();
    }
  });

  it('the tree is still usable after a direct walk (the cursor handed its state back)', () => {
    const tree = parser.parse('a = 1\nb = [1, 2, 3]\n')!;
    try {
      readTable(tree, nodeTypes(tree.language), false, 16, true);
      const cursor = tree.walk();
      expect(cursor.gotoFirstChild()).toBe(true);
      expect(cursor.nodeType).toBe('body');
      cursor.delete();
      expect(tree.rootNode.toString()).toContain('attribute');
    } finally {
      tree.delete();
    }
  });
});
