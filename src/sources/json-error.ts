// Finds where and why a JSON text is invalid. V8's own messages often lack a position and quote the
// input (which may hold secrets), so invalid JSON is re-scanned here to name a line and column instead.

export interface JsonProblem {
  offset: number;
  message: string;
}

/** Returns the first syntax problem of `text`, or null when it is valid JSON. Iterative: no stack overflow. */
export function findJsonProblem(text: string): JsonProblem | null {
  let i = 0;
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  // What the scanner expects next.
  let expect: 'value' | 'key' | 'colon' | 'after-value' | 'end' = 'value';
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (message: string): JsonProblem => ({ offset: Math.min(i, n), message });
  const describe = () => (i >= n ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[i])}`);
  const string = (): JsonProblem | null => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape in string');
          i += 6;
          continue;
        }
        if (!e || !'"\\/bfnrt'.includes(e)) return fail('invalid escape in string');
        i += 2;
        continue;
      }
      if (c < 32) return fail('control character in string');
      i++;
    }
    return fail('unterminated string');
  };
  for (;;) {
    ws();
    if (expect === 'end') return i < n ? fail(`${describe()} after the end of the JSON value`) : null;
    if (expect === 'key') {
      if (text[i] === '}' && stack[stack.length - 1] === '{') {
        // only valid right after '{'
        return fail('expected a property name');
      }
      if (text[i] !== '"') return fail(`expected a property name, found ${describe().replace('unexpected ', '')}`);
      const problem = string();
      if (problem) return problem;
      expect = 'colon';
      continue;
    }
    if (expect === 'colon') {
      if (text[i] !== ':') return fail(`expected ':' after a property name, found ${describe().replace('unexpected ', '')}`);
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'after-value') {
      const top = stack[stack.length - 1];
      if (!top) {
        expect = 'end';
        continue;
      }
      if (text[i] === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((top === '{' && text[i] === '}') || (top === '[' && text[i] === ']')) {
        i++;
        stack.pop();
        continue;
      }
      return fail(`expected ',' or '${top === '{' ? '}' : ']'}', found ${describe().replace('unexpected ', '')}`);
    }
    // expect === 'value'
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        expect = 'after-value';
      } else {
        stack.push('{');
        expect = 'key';
      }
      continue;
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        expect = 'after-value';
      } else stack.push('[');
      continue;
    }
    if (c === '"') {
      const problem = string();
      if (problem) return problem;
      expect = 'after-value';
      continue;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal && literal[0].length > 0) {
      i += literal[0].length;
      expect = 'after-value';
      continue;
    }
    return fail(`expected a value, found ${describe().replace('unexpected ', '')}`);
  }
}
