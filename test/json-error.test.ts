// The JSON problem locator used for one-line, position-accurate, secret-free parse errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonProblem } from '../src/sources/json-error.js';

describe('findJsonProblem', () => {
  it.each([
    ['{"Resources": {"A": }', 20, /expected a value/],
    ['{"a": 1', 7, /expected ',' or '}'/],
    ['{"a": 1}}', 8, /after the end/],
    ['{"a" 1}', 5, /expected ':'/],
    ['{"a": "x\u0001"}', 8, /control character/],
    ['{"a": [1, 2,]}', 12, /expected a value/],
    ['{"a": "secret-AKIA\\q"}', 18, /invalid escape/],
    ['{"a": tru}', 6, /expected a value/],
    ['{,}', 1, /expected a property name/],
    ['{"a": "open', 11, /unterminated string/],
  ])('%j → offset %i', (text, offset, message) => {
    const problem = findJsonProblem(text);
    expect(problem?.offset).toBe(offset);
    expect(problem?.message).toMatch(message);
  });
  it('never quotes more than one character of the input', () => {
    expect(findJsonProblem('{"password": hunter2}')?.message).not.toMatch(/hunter/);
  });
  it('agrees with JSON.parse on validity', () => {
    fc.assert(
      fc.property(fc.json(), (text) => findJsonProblem(text) === null),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        return (findJsonProblem(text) === null) === valid;
      }),
      { numRuns: 500 },
    );
  });
});
