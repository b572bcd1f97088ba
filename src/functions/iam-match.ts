// Three-valued string matching for IAM policy text that may be partly unknown.
//
// Policy strings become *token text*: known characters stay, and every unknown piece becomes one character of
// the Unicode private-use area (which real policies never contain): a **hole** (an Unknown marker, or a hole in
// a partly known string: any text, wildcards included) or a **variable** (an unresolved `${…}`: one concrete
// value, never a wildcard). A request value built from a pattern (an "instance") keeps the pattern's tokens, so
// `…:identity/<hole>` certainly matches its own instance while a different identity only maybe does.
//
// Matching answers yes (for every filling of the tokens), no (for none) or maybe: `yes` is decided with tokens
// as opaque letters (sound because a token never meets a different one), `no` with every token read as `*`
// on both sides (a two-sided glob intersection). Pure: no IO.
import { isUnknown, type Maybe, type Unknown } from '../inventory/types.js';

export type Tri = 'yes' | 'no' | 'maybe';

/** A character no policy contains: what wildcards become in instances, and "some value nobody named". */
export const FRESH = '\uE000';
/** The source address of an Internet attacker: inside every world-sized range, outside every other one. */
export const ATTACKER_IP = '\uE001';
/** The principal's own account when the input does not say which it is (`${AWS::AccountId}`). */
export const OWN_ACCOUNT = '\uE002'.repeat(12);

// Holes and variables live in separate ranges, so a token's kind is known from its character alone.
const HOLE_FIRST = 0xe100;
const HOLE_LAST = 0xefff;
const VARIABLE_FIRST = 0xf000;
const VARIABLE_LAST = 0xf8ff;
const TOKEN_FIRST = HOLE_FIRST;
const TOKEN_LAST = VARIABLE_LAST;
const STAR = -1;
const ONE = -2;
/** A run of any characters except FRESH: what unknown text without wildcards can stand for. */
const KNOWN_RUN = -3;
/** A run without `:`: what an unknown part of a request value (an ARN segment, a name, an address) holds. */
const SEGMENT_RUN = -4;

/** A run of fresh characters long enough that no `?` pattern in a real policy spans it. */
export const FRESH_RUN = FRESH.repeat(8);

export function isToken(code: number): boolean {
  return code >= TOKEN_FIRST && code <= TOKEN_LAST;
}

function isHole(code: number): boolean {
  return code >= HOLE_FIRST && code <= HOLE_LAST;
}

export function hasTokens(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isToken(text.charCodeAt(i))) return true;
  return false;
}

export interface TokenInfo {
  kind: 'hole' | 'variable';
  /** What is unknown, for "not assessed" reasons. */
  reason: string;
  /** Where it was met (policy and statement), for the same reasons. */
  where: string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * Allocates tokens for one analysis and remembers why each is unknown. Tokens that took part in a "maybe" are
 * noted (`touched`), so an undecided answer names the Unknowns it depends on.
 */
export class TokenTable {
  private nextHole = HOLE_FIRST;
  private nextVariable = VARIABLE_FIRST;
  private readonly holes = new WeakMap<object, string>();
  private readonly variables = new Map<string, string>();
  readonly info = new Map<string, TokenInfo>();
  touched = new Set<string>();

  /** `own`: the principal's account, when known; `${AWS::AccountId}` stands for it (else for OWN_ACCOUNT). */
  constructor(private readonly own?: { account?: string; partition?: string }) {}

  private allocate(info: TokenInfo): string {
    // Past its range a kind of token is reused (thousands of Unknowns in one resource's policies): answers
    // stay sound for "maybe" only.
    let code: number;
    if (info.kind === 'hole') {
      code = this.nextHole <= HOLE_LAST ? this.nextHole++ : HOLE_FIRST + (this.nextHole++ % (HOLE_LAST - HOLE_FIRST));
    } else {
      code = this.nextVariable <= VARIABLE_LAST ? this.nextVariable++ : VARIABLE_FIRST + (this.nextVariable++ % (VARIABLE_LAST - VARIABLE_FIRST));
    }
    const token = String.fromCharCode(code);
    this.info.set(token, info);
    return token;
  }

  hole(unknown: Unknown, where: string): string {
    let token = this.holes.get(unknown);
    if (!token) {
      token = this.allocate({ kind: 'hole', reason: unknown.$unknown, where });
      this.holes.set(unknown, token);
    }
    return token;
  }

  variable(name: string, where: string): string {
    // The pseudo parameters that name the principal's own account and partition are that account and partition.
    if (name === 'AWS::AccountId') return this.own?.account ?? OWN_ACCOUNT;
    if (name === 'AWS::Partition') return this.own?.partition ?? 'aws';
    let token = this.variables.get(name);
    if (!token) {
      token = this.allocate({ kind: 'variable', reason: `\${${name}} is not resolved`, where });
      this.variables.set(name, token);
    }
    return token;
  }

  private known(text: string, where: string): string {
    return text.includes('${') ? text.replace(PLACEHOLDER, (_m, name: string) => this.variable(name, where)) : text;
  }

  /** Token text of a policy value: known text, `${…}` as variables, Unknown (pieces) as holes. */
  text(value: Maybe<string>, where: string): string {
    if (typeof value === 'string') return this.known(value, where);
    if (!isUnknown(value)) return this.hole({ $unknown: 'value is not a string' }, where);
    if (!value.parts) return this.hole(value, where);
    return value.parts.map((part) => (typeof part === 'string' ? this.known(part, where) : this.hole(part, where))).join('');
  }

  /** Records the tokens of texts whose comparison came out "maybe". */
  touch(...texts: string[]): void {
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (isToken(code)) this.touched.add(text[i]);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Glob intersection over atoms (STAR, ONE, character codes)

/**
 * Atoms of a text. `tokensAs`: 'letters' keeps tokens opaque; 'runs' reads them as what they may stand for —
 * in a policy pattern, a hole as `*` (it may hold wildcards) in glob mode and a variable, or any token in
 * literal mode, as a run of known text (never FRESH: a value nobody named is not one written in the policy);
 * in a request value every token as `*`.
 */
function atoms(text: string, glob: boolean, tokensAs: 'letters' | 'pattern-runs' | 'value-runs'): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (tokensAs !== 'letters' && isToken(code)) {
      const run = tokensAs === 'value-runs' ? SEGMENT_RUN : glob && isHole(code) ? STAR : KNOWN_RUN;
      if (out[out.length - 1] !== run) out.push(run);
    } else if (glob && code === 42 /* * */) {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (glob && code === 63 /* ? */) out.push(ONE);
    else out.push(code);
  }
  return out;
}

const FRESH_CODE = 0xe000;
const COLON = 58;

function isRun(atom: number): boolean {
  return atom === STAR || atom === KNOWN_RUN || atom === SEGMENT_RUN;
}

/** Can one character step be taken by both sides? Tokens (opaque letters) only meet themselves, never `?`. */
function stepCompatible(x: number, y: number): boolean {
  if (x >= 0 && y >= 0) return x === y;
  if (x === KNOWN_RUN && y === FRESH_CODE) return false;
  if (y === KNOWN_RUN && x === FRESH_CODE) return false;
  if (x === SEGMENT_RUN && y === COLON) return false;
  if (y === SEGMENT_RUN && x === COLON) return false;
  if (x === ONE && y >= 0) return !isToken(y);
  if (y === ONE && x >= 0) return !isToken(x);
  return true;
}

/**
 * Do two atom sequences share a string? With `witness`, returns one such string (wildcard-only steps take
 * FRESH), else '' / null. Product of the two automata, depth-first over (i, j): O(|a|·|b|).
 */
function intersect(a: number[], b: number[], witness: boolean): string | null {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const parent = witness ? new Int32Array((a.length + 1) * width).fill(-1) : null;
  const emitted = witness ? new Int32Array((a.length + 1) * width).fill(-1) : null;
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (from: number, i: number, j: number, char: number): void => {
    const state = i * width + j;
    if (seen[state]) return;
    seen[state] = 1;
    if (parent && emitted) {
      parent[state] = from;
      emitted[state] = char;
    }
    stack.push(state);
  };
  while (stack.length > 0) {
    const state = stack.pop() as number;
    const i = Math.floor(state / width);
    const j = state % width;
    if (i === a.length && j === b.length) {
      if (!parent || !emitted) return '';
      let out = '';
      for (let s = state; s !== 0; s = parent[s]) if (emitted[s] >= 0) out = String.fromCharCode(emitted[s]) + out;
      return out;
    }
    const x = i < a.length ? a[i] : undefined;
    const y = j < b.length ? b[j] : undefined;
    if (x !== undefined && isRun(x)) push(state, i + 1, j, -1);
    if (y !== undefined && isRun(y)) push(state, i, j + 1, -1);
    if (x !== undefined && y !== undefined && !(isRun(x) && isRun(y)) && stepCompatible(x, y)) {
      // A step both sides take on a wildcard: FRESH where allowed, else an ordinary letter.
      const char = x >= 0 ? x : y >= 0 ? y : x === KNOWN_RUN || y === KNOWN_RUN ? 97 : FRESH_CODE;
      push(state, isRun(x) ? i : i + 1, isRun(y) ? j : j + 1, char);
    }
  }
  return null;
}

// Per mode, then pattern, then value: lookups reuse the strings' own hashes instead of building keys.
const matchCache: Map<string, Map<string, Tri>>[] = [new Map(), new Map(), new Map(), new Map()];
let cachedMatches = 0;

/**
 * Three-valued match of a policy value against a request value. `glob`: `*`/`?` in the policy value are
 * wildcards (StringLike, ArnLike, Action, Resource); otherwise compared literally (StringEquals).
 */
export function matchTri(pattern: string, value: string, glob: boolean, ignoreCase: boolean, tokens?: TokenTable): Tri {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Known text without wildcards is compared as it is (most values): no need to search or to cache.
  if ((!glob || !(p.includes('*') || p.includes('?'))) && !hasTokens(p) && !hasTokens(v)) return p === v ? 'yes' : 'no';
  const byPattern = matchCache[(glob ? 2 : 0) + (ignoreCase ? 1 : 0)];
  let byValue = byPattern.get(p);
  if (!byValue) {
    byValue = new Map();
    byPattern.set(p, byValue);
  }
  let hit = byValue.get(v);
  if (hit === undefined) {
    hit = computeMatch(p, v, glob);
    if (++cachedMatches > 200_000) {
      for (const m of matchCache) m.clear();
      cachedMatches = 0;
    }
    byValue.set(v, hit);
  }
  if (hit === 'maybe') tokens?.touch(pattern, value);
  return hit;
}

function computeMatch(p: string, v: string, glob: boolean): Tri {
  if (!glob && p === v) return 'yes';
  if (intersect(atoms(p, glob, 'letters'), atoms(v, false, 'letters'), false) !== null) return 'yes';
  if (!hasTokens(p) && !hasTokens(v)) return 'no';
  return intersect(atoms(p, glob, 'pattern-runs'), atoms(v, false, 'value-runs'), false) !== null ? 'maybe' : 'no';
}

/** A string both patterns match, wildcard-only stretches filled with FRESH; tokens kept. Null when disjoint. */
export function overlapWitness(a: string, b: string): string | null {
  return intersect(atoms(a, true, 'letters'), atoms(b, true, 'letters'), true);
}

/** Is the text exactly one hole (a value nothing at all is known of)? */
export function isLoneHole(text: string): boolean {
  return text.length === 1 && isHole(text.charCodeAt(0));
}

/** A concrete value a glob pattern matches: `*` → a fresh run, `?` → one fresh character, tokens kept. */
export function instance(pattern: string): string {
  let out = '';
  for (const char of pattern) out += char === '*' ? FRESH_RUN : char === '?' ? FRESH : char;
  return out;
}

/** True when the text has a wildcard (or a hole, which may hold one). */
export function mayHaveWildcard(text: string): Tri {
  if (text.includes('*') || text.includes('?')) return 'yes';
  for (let i = 0; i < text.length; i++) if (isHole(text.charCodeAt(i))) return 'maybe';
  return 'no';
}

// ---------------------------------------------------------------------------------------------
// Three-valued logic

export function or(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'no';
}

export function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes';
}

export function not(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : 'maybe';
}

// ---------------------------------------------------------------------------------------------
// IP addresses (aws:SourceIp, aws:VpcSourceIp)

export interface Cidr {
  version: 4 | 6;
  network: bigint;
  bits: number;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseV6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): string[] => (half === '' ? [] : half.split(':'));
  let head = groups(halves[0]);
  let tail = halves.length === 2 ? groups(halves[1]) : [];
  // A trailing dotted IPv4 part counts as two groups.
  const expand = (list: string[]): string[] | null => {
    const last = list[list.length - 1];
    if (last === undefined || !last.includes('.')) return list;
    const v4 = parseV4(last);
    if (v4 === null) return null;
    return [...list.slice(0, -1), ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16)];
  };
  if (halves.length === 2) {
    const t = expand(tail);
    if (!t) return null;
    tail = t;
  } else {
    const h = expand(head);
    if (!h) return null;
    head = h;
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

const cidrCache = new Map<string, Cidr | null>();

/** `a.b.c.d/n`, `a.b.c.d` (= /32), IPv6 likewise (= /128). Null when malformed (IAM rejects such a policy). */
export function parseCidr(text: string): Cidr | null {
  let hit = cidrCache.get(text);
  if (hit === undefined) {
    hit = parseCidrText(text);
    if (cidrCache.size > 10_000) cidrCache.clear();
    cidrCache.set(text, hit);
  }
  return hit;
}

function parseCidrText(text: string): Cidr | null {
  const [address, mask, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const v4 = parseV4(address);
  const version: 4 | 6 = v4 !== null ? 4 : 6;
  const value = v4 ?? parseV6(address);
  if (value === null) return null;
  const width = version === 4 ? 32 : 128;
  const bits = mask === undefined ? width : /^\d{1,3}$/.test(mask) ? Number(mask) : NaN;
  if (!(bits >= 0 && bits <= width)) return null;
  // BigInt shifts: a /0 mask is 0, not -1 (a 32-bit `-1 << 32` is -1, a known simulator bug).
  const hostBits = BigInt(width - bits);
  const network = (value >> hostBits) << hostBits;
  return { version, network, bits };
}

/** SPEC §8: an IPv4 prefix shorter than /8 or an IPv6 prefix shorter than /16 is the world. */
export function isWorldSized(cidr: Cidr): boolean {
  return cidr.version === 4 ? cidr.bits < 8 : cidr.bits < 16;
}

function contains(cidr: Cidr, address: Cidr): boolean {
  if (cidr.version !== address.version) return false;
  const width = cidr.version === 4 ? 32 : 128;
  const hostBits = BigInt(width - cidr.bits);
  return address.network >> hostBits === cidr.network >> hostBits;
}

/** Is the request address (token text) inside the policy range (token text)? */
export function ipInRange(address: string, range: string, tokens?: TokenTable): Tri {
  if (hasTokens(range)) {
    // The instance of an unknown range is inside it; anything else only maybe.
    if (address === range && range.length === 1) return 'yes';
    tokens?.touch(range, address);
    return 'maybe';
  }
  const cidr = parseCidr(range);
  if (!cidr) return 'no';
  if (address === ATTACKER_IP) return isWorldSized(cidr) ? 'yes' : 'no';
  if (hasTokens(address)) {
    tokens?.touch(address);
    return 'maybe';
  }
  const ip = parseCidr(address);
  return ip && contains(cidr, ip) ? 'yes' : 'no';
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 255n).toString()).join('.');
}

function formatV6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(':');
}

const witnessCache = new Map<string, string[]>();

/** Addresses that tell the given ranges apart: each range's first, middle and last address, and outsiders. */
export function addressWitnesses(ranges: string[]): string[] {
  const key = ranges.join('\u0000');
  let hit = witnessCache.get(key);
  if (!hit) {
    hit = computeAddressWitnesses(ranges);
    if (witnessCache.size > 10_000) witnessCache.clear();
    witnessCache.set(key, hit);
  }
  return hit;
}

function computeAddressWitnesses(ranges: string[]): string[] {
  const out = new Set<string>(['192.0.2.77', '2001:db8:ffff::77']);
  for (const range of ranges) {
    if (hasTokens(range)) {
      if (range.length === 1) out.add(range);
      continue;
    }
    const cidr = parseCidr(range);
    if (!cidr) continue;
    const width = cidr.version === 4 ? 32 : 128;
    const size = 1n << BigInt(width - cidr.bits);
    const format = cidr.version === 4 ? formatV4 : formatV6;
    for (const offset of [0n, size / 2n, size - 1n]) out.add(format(cidr.network + offset));
    // Just outside the range on either side.
    const max = (1n << BigInt(width)) - 1n;
    if (cidr.network > 0n) out.add(format(cidr.network - 1n));
    if (cidr.network + size <= max) out.add(format(cidr.network + size));
  }
  return [...out];
}
