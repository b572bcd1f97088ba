// Building blocks of the Terraform source: `after_unknown` merging, instance-key stripping, the .tf
// block scanner (nested blocks, dynamic blocks, heredocs, comments) and plan-text address lines.
import { describe, expect, it } from 'vitest';
import { planAddressLines, scanTfFile } from '../src/sources/terraform/block-positions.js';
import { joinPath, stripInstanceKeys, withUnknowns } from '../src/sources/terraform/plan.js';

const U = { $unknown: 'known after apply' };

describe('withUnknowns', () => {
  it.each([
    [{ a: 1 }, { b: true }, { a: 1, b: U }],
    [{ a: 1 }, {}, { a: 1 }],
    [{ list: ['x', null] }, { list: [false, true] }, { list: ['x', U] }],
    [{ block: [{ k: 'v' }] }, { block: [{ id: true }] }, { block: [{ k: 'v', id: U }] }],
    [null, { a: false }, null],
    ['x', true, U],
  ])('%j + %j → %j', (after, marks, expected) => {
    expect(withUnknowns(after, marks)).toEqual(expected);
  });
});

describe('addresses and paths', () => {
  it.each([
    ['module.a[0].module.b["k.v"].aws_x.y[2]', 'module.a.module.b.aws_x.y'],
    ['module.mail', 'module.mail'],
  ])('stripInstanceKeys(%s) = %s', (address, expected) => {
    expect(stripInstanceKeys(address)).toBe(expected);
  });

  it.each([
    [['.', './modules/mail'], 'modules/mail'],
    [['modules/a', '../b'], 'modules/b'],
    [['.', '../shared'], '../shared'],
    [['.', '.'], '.'],
  ])('joinPath(%j) = %s', (parts, expected) => {
    expect(joinPath(...parts)).toBe(expected);
  });
});

describe('scanTfFile', () => {
  const text = [
    'resource "aws_security_group" "g" {', // 1
    '  name = "x { not a block"', // 2
    '  /* egress { in a comment } */', // 3
    '  egress {', // 4
    '    cidr_blocks = ["0.0.0.0/0"]', // 5
    '  }', // 6
    '  dynamic "ingress" {', // 7
    '    for_each = var.rules', // 8
    '    content {', // 9
    '      from_port = ingress.value', // 10
    '    }', // 11
    '  }', // 12
    '  egress { # second', // 13
    '  }', // 14
    '}', // 15
    'resource aws_cloudtrail t {', // 16: labels may be bare identifiers
    '}', // 17
    '#sesguard:ignore', // 18
    'resource "aws_cloudtrail" "u" {}', // 19
  ].join('\n');
  const errors: { file?: string; line?: number; message: string }[] = [];
  const blocks = scanTfFile('main.tf', text, errors);

  it('finds blocks, their direct nested blocks and what they write', () => {
    const g = blocks.get('aws_security_group.g')!;
    expect([g.line, g.column]).toEqual([1, 1]);
    expect(g.nested.get('egress')).toEqual([4, 13]);
    expect(g.nested.has('content')).toBe(false);
    expect([...g.written].sort()).toEqual(['egress', 'ingress', 'name']);
    expect(blocks.get('aws_cloudtrail.t')?.line).toBe(16);
    expect(blocks.get('aws_cloudtrail.u')?.line).toBe(19);
  });

  it('reports an ignore comment without a check id', () => {
    expect(errors).toEqual([
      { file: 'main.tf', line: 18, message: 'sesguard:ignore without a check id (write: # sesguard:ignore SESG-XXX-NNN reason)' },
    ]);
  });
});

describe('planAddressLines', () => {
  it('maps each address to the line where it first appears', () => {
    const text = '{\n "a": {"address": "x.y"},\n\n "b": [{"address": "m[\\"k\\"].z"}, {"address": "x.y"}]\n}';
    expect([...planAddressLines(text)]).toEqual([
      ['x.y', 2],
      ['m["k"].z', 4],
    ]);
  });
});
