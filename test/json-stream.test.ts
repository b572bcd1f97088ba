// The chunked JSON reader (src/json-stream.ts): for any object and any way of cutting its bytes into chunks it
// returns what JSON.parse returns, and it rejects what JSON.parse rejects.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonObjectReader, JsonStreamError } from '../src/json-stream.js';

/** Reads `text` cut at the given byte positions. */
function read(text: string | Buffer, cuts: number[] = []): Record<string, unknown> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const reader = new JsonObjectReader();
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    reader.push(bytes.subarray(at, cut));
    at = cut;
  }
  reader.push(bytes.subarray(at));
  return reader.end();
}

/**
 * The same value as JSON.parse gives, prototypes and -0 included. Not toStrictEqual: its type check reads
 * `.constructor`, which in a JSON object can be a member (`{"constructor": []}`), two distinct arrays.
 */
function expectSame(got: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(got, expected)) expect(got).toEqual(expected);
  expect(isDeepStrictEqual(got, expected)).toBe(true);
}

/** Every cut into one-byte chunks, which splits every string, escape and multi-byte character. */
function bytewise(text: string): number[] {
  return Array.from({ length: Buffer.byteLength(text) }, (_, i) => i);
}

const VALID = [
  '{}',
  ' \n{ }\n ',
  '{"a":1}',
  '{"a":[]}',
  '{"a":[ ]}',
  '{"a":[1,2,3],"b":{"c":[{"d":"]},{["}]},"e":"x\\"y\\\\","f":null,"g":true,"h":-1.5e3}',
  '{"findings":[{"message":"a \\\\\\" b","evidence":{"x":[1,[2,[3]]]}},{"m":"\\u00e9 é ✓ 𝄞"}],"n":0}',
  '{"k":"v","k":"w"}',
  '{"__proto__":{"polluted":true},"x":[{"__proto__":1}]}',
  '{"a":"back\\\\\\\\"}',
  '\ufeff{"bom":1}',
];

const INVALID = [
  '',
  '   ',
  '{',
  '{"a"}',
  '{"a":}',
  '{"a":1,}',
  '{"a":1 "b":2}',
  '{"a":[1,]}',
  '{"a":[,1]}',
  '{"a":[1 2]}',
  '{"a":[1}',
  '{"a":{"b":1]}',
  '{"a":1}x',
  '{"a":1}}',
  '{a:1}',
  "{'a':1}",
  '{"a":"unterminated}',
  '{"a":[{"b":1},]}',
  '{"a":01}',
  '{"a":tru}',
];

describe('JsonObjectReader', () => {
  it.each(VALID)('reads %j as JSON.parse does, in one chunk and byte by byte', (text) => {
    const expected = JSON.parse(text.replace(/^\ufeff/, ''));
    expect(read(text)).toStrictEqual(expected);
    expect(read(text, bytewise(text))).toStrictEqual(expected);
  });

  it('passes each element of a top-level array through the element function, and keeps what it returns', () => {
    const seen: string[] = [];
    const reader = new JsonObjectReader((member, value) => {
      seen.push(member);
      return member === 'findings' ? (value as { id: number }).id : value;
    });
    reader.push(Buffer.from('{"findings":[{"id":1,"big":"x"},{"id":2}],"other":[{"a":1}],"n":{"findings":[3]}}'));
    expect(reader.end()).toStrictEqual({ findings: [1, 2], other: [{ a: 1 }], n: { findings: [3] } });
    expect(seen).toEqual(['findings', 'findings', 'other']);
  });

  it('keeps "__proto__" as a member, not as the prototype', () => {
    const value = read('{"__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(INVALID)('rejects %j, in one chunk and byte by byte', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(() => read(text)).toThrow(JsonStreamError);
    expect(() => read(text, bytewise(text))).toThrow(JsonStreamError);
  });

  it('says when valid JSON is not an object', () => {
    for (const text of ['[]', '"x"', '1', '-1', 'null', 'true']) {
      try {
        read(text);
        expect.unreachable();
      } catch (error) {
        expect((error as JsonStreamError).notAnObject).toBe(true);
      }
    }
    for (const text of ['{"a":', '', 'Resources:', '\ufeff\ufeff{}', '<html>']) {
      try {
        read(text);
        expect.unreachable();
      } catch (error) {
        expect((error as JsonStreamError).notAnObject).toBe(false);
      }
    }
  });

  it('any object, pretty or compact, cut anywhere, reads as JSON.parse reads it', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        (value, pretty, cuts) => {
          const text = JSON.stringify(value, null, pretty ? 2 : undefined);
          const size = Buffer.byteLength(text);
          expectSame(read(text, cuts.map((c) => c % (size + 1))), JSON.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects any text JSON.parse rejects once a byte is dropped from an object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1 }), fc.nat(), fc.array(fc.nat(), { maxLength: 6 }), (value, at, cuts) => {
        const bytes = Buffer.from(JSON.stringify(value));
        const i = at % bytes.length;
        const broken = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
        let expected: unknown;
        try {
          expected = JSON.parse(broken.toString('utf8'));
        } catch {
          expect(() => read(broken, cuts.map((c) => c % (broken.length + 1)))).toThrow(JsonStreamError);
          return;
        }
        if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) {
          expectSame(read(broken, cuts.map((c) => c % (broken.length + 1))), expected);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('JsonObjectReader on members named like Object.prototype properties', () => {
  it('keeps "constructor" and "__proto__" members as data, as JSON.parse does', () => {
    const text = '{"constructor":[],"__proto__":{"x":1}," ":999204230053e-313}';
    expectSame(read(text), JSON.parse(text));
    expectSame(read(text, bytewise(text)), JSON.parse(text));
  });
});
