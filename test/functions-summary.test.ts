// The `summary` CEL helper used to keep finding messages short.
import { describe, expect, it } from 'vitest';
import { resourceFunctions } from '../src/functions/resource-cel.js';

const summary = resourceFunctions.find((f) => f.signature.startsWith('summary('))!.handler;

describe('summary', () => {
  it.each([
    [['a', 'b'], 3, 'a, b'],
    [[['a', 'b'], ['b', 'c', 'd', 'e']], 3, 'a, b, c and 2 more'],
    [[], 3, ''],
    ['x', 1n, 'x'],
  ])('%j with %s', (items, most, text) => {
    expect(summary(items, most)).toBe(text);
  });
});
