// Reading a large JSON document (a results file or snapshot of an Organization, hundreds of MB) without
// holding its text: bytes come in chunks; the top-level object's members are parsed one by one, and the
// elements of a top-level array one element at a time, each with JSON.parse. The value built is the one
// JSON.parse would return for the whole text, and a text JSON.parse would reject is rejected.
// Pure: the caller reads the file and pushes its bytes.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const BOM = [0xef, 0xbb, 0xbf];
/** The first character of a JSON value other than an object. */
const VALUE_START = /^[["\-0-9tfn]$/;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * What the document is not: the message names the byte offset, as JSON.parse errors name a position.
 * `notAnObject`: the text starts as another JSON value would (an array, a string, a number, true, false, null).
 */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly notAnObject = false,
  ) {
    super(message);
  }
}

type State =
  | 'start' // before the top-level object
  | 'member' // after `{`: a key or `}`
  | 'key' // after `,`: a key
  | 'colon'
  | 'value' // after `:`: a value begins
  | 'array' // after `[`: an element or `]`
  | 'element' // after `,` in an array: an element
  | 'next-element' // after an element: `,` or `]`
  | 'next-member' // after a value: `,` or `}`
  | 'end';

/**
 * Feed bytes with push(), then call end() for the value. Only a top-level object is accepted (results and
 * snapshots are objects); its array members may be of any length.
 */
export class JsonObjectReader {
  /**
   * `element` sees each element of a top-level array member as it is parsed and returns what to keep of it:
   * a caller that needs a few fields of 200,000 findings keeps only those, and the rest is never held.
   */
  constructor(private readonly element: (member: string, value: unknown) => unknown = (_member, value) => value) {}

  private readonly out: Record<string, unknown> = {};
  private state: State = 'start';
  private offset = 0;
  /** The text being captured (a key, a member value or an array element), when one is open. */
  private capture: { pieces: Buffer[]; start: number; kind: 'key' | 'value' | 'element' } | null = null;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key = '';
  private list: unknown[] | null = null;
  /** Bytes of a UTF-8 byte order mark read at the very start (Windows tools write one). */
  private bom = 0;

  push(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.capture) this.capture.start = 0;
    while (i < n) {
      if (this.capture) {
        i = this.scan(chunk, i);
        continue;
      }
      const byte = chunk[i];
      if (isSpace(byte)) {
        i++;
        continue;
      }
      switch (this.state) {
        case 'start':
          if (this.bom < 3 && this.offset + i === this.bom && byte === BOM[this.bom]) {
            this.bom++;
            i++;
            break;
          }
          if (byte !== OPEN_OBJECT || this.bom % 3 !== 0) {
            // A byte that can start another JSON value: valid JSON perhaps, but not an object. Anything else is not JSON.
            throw new JsonStreamError(`expected a JSON object at byte ${this.offset + i}`, this.bom % 3 === 0 && VALUE_START.test(String.fromCharCode(byte)));
          }
          this.state = 'member';
          i++;
          break;
        case 'member':
        case 'key':
          if (byte === CLOSE_OBJECT && this.state === 'member') {
            this.state = 'end';
            i++;
          } else if (byte === QUOTE) {
            this.open(i, 'key');
            this.inString = true;
            i++;
          } else this.fail(i, 'a member name in double quotes');
          break;
        case 'colon':
          if (byte !== COLON) this.fail(i, '":"');
          this.state = 'value';
          i++;
          break;
        case 'value':
          if (byte === OPEN_ARRAY) {
            this.list = [];
            this.state = 'array';
            i++;
          } else this.open(i, 'value');
          break;
        case 'array':
        case 'element':
          if (byte === CLOSE_ARRAY && this.state === 'array') {
            this.member(this.list);
            this.list = null;
            i++;
          } else if (byte === COMMA || byte === CLOSE_ARRAY) this.fail(i, 'a value');
          else this.open(i, 'element');
          break;
        case 'next-element':
          if (byte === COMMA) this.state = 'element';
          else if (byte === CLOSE_ARRAY) {
            this.member(this.list);
            this.list = null;
          } else this.fail(i, '"," or "]"');
          i++;
          break;
        case 'next-member':
          if (byte === COMMA) this.state = 'key';
          else if (byte === CLOSE_OBJECT) this.state = 'end';
          else this.fail(i, '"," or "}"');
          i++;
          break;
        case 'end':
          this.fail(i, 'the end of the document');
      }
    }
    if (this.capture) this.capture.pieces.push(Buffer.from(chunk.subarray(this.capture.start)));
    this.offset += n;
  }

  end(): Record<string, unknown> {
    if (this.state === 'start') throw new JsonStreamError('unexpected end of JSON input: expected a JSON object');
    if (this.state !== 'end' || this.capture) throw new JsonStreamError(`unexpected end of JSON input at byte ${this.offset}`);
    return this.out;
  }

  private fail(i: number, expected: string): never {
    throw new JsonStreamError(`expected ${expected} at byte ${this.offset + i}`);
  }

  private open(i: number, kind: 'key' | 'value' | 'element'): void {
    this.capture = { pieces: [], start: i, kind };
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  /** Advances through a captured text from `i`; returns where it stopped (its end, or the chunk's end). */
  private scan(chunk: Buffer, from: number): number {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        // Jump to the next quote (most bytes of a JSON document are inside strings); it ends the string
        // unless an odd run of backslashes escapes it.
        const quote = chunk.indexOf(QUOTE, i);
        const stop = quote === -1 ? n : quote;
        let run = 0;
        while (stop - run - 1 >= i && chunk[stop - run - 1] === BACKSLASH) run++;
        if (quote === -1) {
          this.escaped = run % 2 === 1;
          return n;
        }
        if (run % 2 === 1) {
          i = quote + 1;
          continue;
        }
        this.inString = false;
        i = quote + 1;
        if (this.capture?.kind === 'key') {
          this.close(chunk, i);
          return i;
        }
        continue;
      }
      const byte = chunk[i];
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || byte === COMMA) {
        if (this.depth === 0) {
          // The byte belongs to the enclosing object or array: the capture ends before it.
          this.close(chunk, i);
          return i;
        }
        if (byte !== COMMA) this.depth--;
      }
      i++;
    }
    return n;
  }

  private close(chunk: Buffer, end: number): void {
    const capture = this.capture as NonNullable<JsonObjectReader['capture']>;
    const part = chunk.subarray(capture.start, end);
    const bytes = capture.pieces.length === 0 ? part : Buffer.concat([...capture.pieces, part]);
    this.capture = null;
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new JsonStreamError(`${(error as Error).message.split('\n')[0]} (in the ${capture.kind} ending at byte ${this.offset + end})`);
    }
    if (capture.kind === 'key') {
      this.key = value as string;
      this.state = 'colon';
    } else if (capture.kind === 'element') {
      (this.list as unknown[]).push(this.element(this.key, value));
      this.state = 'next-element';
    } else this.member(value);
  }

  private member(value: unknown): void {
    // defineProperty, not assignment: a member named "__proto__" is data, as JSON.parse makes it.
    Object.defineProperty(this.out, this.key, { value, writable: true, enumerable: true, configurable: true });
    this.state = 'next-member';
  }
}
