// Answers shared between resources ("compile once"): an Organization holds the same policies in many accounts
// and regions (a StackSet's sending-authorization policy on each region's identity, one role in every account),
// and an IAM answer depends on less than the whole input. This module builds the key under which two inputs
// certainly get the same answer, and keeps those answers. Pure apart from the bounded cache itself.
//
// What a key leaves out, and why that cannot change an answer (iam-eval.ts, iam-requesters.ts):
// - A resource policy's Resource / NotResource items are only ever matched against the resource itself: each
//   enters the key as that match (yes / no), not as text, so the own ARN (region, account, name) drops out.
// - The resource's own account is compared only with accounts the policies name; it enters the key only when
//   the policies' text contains it. Identity policies read the principal's account only through
//   `${AWS::AccountId}`.
// - Identity policies that name the principal's own account (its identities' ARNs) are asked about with that
//   account renamed to a placeholder: an account id is compared only for equality and matched by patterns, so a
//   consistent renaming keeps every answer — as long as no pattern's wildcard touches a digit (`5000*` could see
//   the difference), no numeric or date operator reads it, and the placeholder is named nowhere. Statement ids
//   (shown in findings) are kept as they are.
// - Identity policies without a `${…}` variable enter the key without their names and lines (a policy's name
//   and a statement's line reach an answer only as the place of a finding, since fully known text gives
//   Unknowns nothing to name): the answer is kept with the places it was computed for and each asker gets its
//   own places back, statement by statement (`memoizedPlaced`). Policies are keyed so only where every
//   statement's place (name, Sid, line) differs from the others', so a place names one statement.
// - E-mail addresses in identity policies' conditions on an address key (`ses:FromAddress`, …) are asked about
//   renamed to placeholders, the same address to the same one: such a key's values are only ever compared with
//   each other, and with fresh addresses nobody named, for equality (iam-eval.ts builds a key's witnesses from the
//   values of that key) — as long as every condition on that key compares exactly (StringEquals / StringNotEquals,
//   their IfExists and set forms: no pattern, no case folding, no Null test) and its values are plain text. So
//   two roles differing only in the From address their condition names get one answer (one per module of a
//   repository that names its own sender), and findings never show condition values.
// - A resource policy none of whose statements has a Resource / NotResource never reads the resource itself:
//   an own ARN that is not known (a role's, before apply) does not stop it being keyed.
// Only fully known input is keyed (an Unknown's identity matters, not just its text); anything with a `${…}`
// variable keys on the exact own resource and account. Otherwise nothing is memoized and the answer is computed.
import { isUnknown, type PolicyStatement } from '../inventory/types.js';
import { parseOperator } from './iam-conditions.js';
import type { NamedDocument } from './iam-eval.js';
import { matchTri } from './iam-match.js';

/** More entries than this: the cache starts over (a run's distinct policies rarely come near it). */
const LIMIT = 10_000;
const answers = new Map<string, unknown>();

/** Off (tests only): nothing kept, nothing renamed — every answer computed from the input as given. */
let keeping = true;

/** The answer under `key`, computed once; `key` null: computed every time. */
export function memoized<T>(key: string | null, compute: () => T): T {
  if (key === null || !keeping) return compute();
  let hit = answers.get(key) as T | undefined;
  if (hit === undefined) {
    hit = compute();
    if (answers.size >= LIMIT) answers.clear();
    answers.set(key, hit);
  }
  return hit;
}

const scopeIds = new WeakMap<object, number>();
let scopeSerial = 0;

/** A stable id for a set of accounts (the same object is passed for every resource of a run). */
export function setId(accounts: object): number {
  let id = scopeIds.get(accounts);
  if (id === undefined) scopeIds.set(accounts, (id = ++scopeSerial));
  return id;
}

function fullyKnown(text: string): boolean {
  return !text.includes('$unknown');
}

/** The principal's account stands for this one in renamed identity policies; 12 digits, as account ids are. */
const PLACEHOLDER_ACCOUNT = '000000000000';
const ACCOUNT_ID = /^\d{12}$/;
const DIGIT_RUN = /\d+/g;
const WILDCARD_BY_DIGIT = /\d[*?]|[*?]\d/;
const NUMERIC_OPERATOR = /numeric|date|binary/i;

/**
 * The documents with the account's id renamed to the placeholder wherever it is a whole run of digits, or null
 * when a renaming might change an answer (see the head of this module). Statement ids are kept.
 */
function renameAccount(docs: readonly NamedDocument[], account: string): NamedDocument[] | null {
  let safe = true;
  const rename = (text: string): string => {
    if (WILDCARD_BY_DIGIT.test(text)) safe = false;
    return text.replace(DIGIT_RUN, (run) => {
      if (run === PLACEHOLDER_ACCOUNT) safe = false;
      return run === account ? PLACEHOLDER_ACCOUNT : run;
    });
  };
  const walk = (value: unknown, key: string): unknown => {
    if (key === 'sid') return value;
    if (typeof value === 'string') return rename(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, ''));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (NUMERIC_OPERATOR.test(k) || rename(k) !== k) safe = false;
        out[k] = walk(v, k);
      }
      return out;
    }
    return value;
  };
  const renamed = docs.map((doc) => ({ ...doc, document: walk(doc.document, '') as NamedDocument['document'] }));
  return safe ? renamed : null;
}

/** Condition keys holding e-mail addresses (iam-eval.ts reads them as addresses, and only them). */
const ADDRESS_KEYS = new Set(['ses:fromaddress', 'ses:feedbackaddress', 'ses:recipients']);
/** An address kept as text, not as a pattern or an Unknown's token: printable ASCII without `*`, `?` or `$`. */
const PLAIN_ADDRESS = /^[\x20-\x23\x25-\x29\x2b-\x3e\x40-\x7e]*$/;

/**
 * The documents with every value of each address key renamed to a placeholder (`1@address.invalid`, …; without
 * `@` when the value has none), where that cannot change an answer (see the head of this module); null when no
 * value is renamed.
 */
function renameAddresses(docs: readonly NamedDocument[]): NamedDocument[] | null {
  const renamed = new Map<string, Map<string, string>>();
  const unsafe = new Set<string>();
  const statements = (doc: NamedDocument): PolicyStatement[] => (doc.document && !isUnknown(doc.document) ? doc.document.statements : []);
  for (const doc of docs) {
    for (const statement of statements(doc)) {
      for (const [operator, byKey] of Object.entries(statement.condition ?? {})) {
        const { spec } = parseOperator(operator);
        const exact = spec.family === 'string' && !spec.glob && !spec.ignoreCase;
        for (const [name, values] of Object.entries(byKey)) {
          const key = name.toLowerCase();
          if (!ADDRESS_KEYS.has(key)) continue;
          if (!exact || !values.every((v): v is string => typeof v === 'string' && PLAIN_ADDRESS.test(v))) {
            unsafe.add(key);
            continue;
          }
          let names = renamed.get(key);
          if (!names) renamed.set(key, (names = new Map()));
          for (const value of values) if (!names.has(value)) names.set(value, `${names.size + 1}${value.includes('@') ? '@address.invalid' : '-address'}`);
        }
      }
    }
  }
  for (const key of unsafe) renamed.delete(key);
  if (renamed.size === 0) return null;
  const rename = (statement: PolicyStatement): PolicyStatement => {
    if (!statement.condition) return statement;
    const condition: NonNullable<PolicyStatement['condition']> = {};
    for (const [operator, byKey] of Object.entries(statement.condition)) {
      const out: Record<string, (typeof byKey)[string]> = {};
      for (const [name, values] of Object.entries(byKey)) {
        const names = renamed.get(name.toLowerCase());
        out[name] = names ? values.map((v) => (typeof v === 'string' ? (names.get(v) ?? v) : v)) : values;
      }
      condition[operator] = out;
    }
    return { ...statement, condition };
  };
  return docs.map((doc) => (doc.document && !isUnknown(doc.document) ? { ...doc, document: { ...doc.document, statements: doc.document.statements.map(rename) } } : doc));
}

// A resource's questions share its documents array (iam-cel.ts): what is built from it is built once.
const built = new WeakMap<object, Map<string, unknown>>();

function once<T>(docs: object, variant: string, build: () => T): T {
  let byVariant = built.get(docs);
  if (!byVariant) built.set(docs, (byVariant = new Map()));
  let hit = byVariant.get(variant) as T | undefined;
  if (hit === undefined) byVariant.set(variant, (hit = build()));
  return hit;
}

/** Where a finding shows a statement: its policy's name, its Sid and its line. */
export interface Place {
  policy: string;
  sid: string;
  line: number;
}

function placeKey(place: Place): string {
  return `${place.policy}\u0000${place.sid}\u0000${place.line}`;
}

/** Each statement's place, in the order compileStatements (iam-eval.ts) reads them; null when two share one. */
function placesOf(docs: readonly NamedDocument[]): Place[] | null {
  const places: Place[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    if (isUnknown(doc.document)) return null;
    for (const statement of doc.document?.statements ?? []) {
      const place = { policy: doc.name, sid: statement.sid ?? '', line: statement.line ?? doc.line ?? 0 };
      const key = placeKey(place);
      if (seen.has(key)) return null;
      seen.add(key);
      places.push(place);
    }
  }
  return places;
}

/** The documents' text without names and lines (a policy is its position in the list). */
function placelessText(docs: readonly NamedDocument[]): string {
  return JSON.stringify(
    docs.map((doc, i) => ({
      policy: i,
      document:
        doc.document && !isUnknown(doc.document)
          ? { ...doc.document, statements: doc.document.statements.map(({ line: _line, column: _column, ...rest }) => rest) }
          : doc.document,
    })),
  );
}

interface IdentityText {
  /** Null: not fully known. */
  text: string | null;
  /** The key part: the principal's account where a variable may name it, or that the account was renamed. */
  account: string;
  docs: readonly NamedDocument[];
  /** The statements' places, when `text` leaves them out. */
  places: Place[] | null;
}

function identityText(docs: readonly NamedDocument[], account: string | undefined): IdentityText {
  const text = JSON.stringify(docs);
  if (!fullyKnown(text)) return { text: null, account: '', docs, places: null };
  if (text.includes('${')) return { text, account: account ?? '', docs, places: null };
  const renamed = account !== undefined && ACCOUNT_ID.test(account) && text.includes(account) ? renameAccount(docs, account) : null;
  const addressed = renameAddresses(renamed ?? docs);
  const asked = addressed ?? renamed ?? docs;
  const places = placesOf(asked);
  const keyed = places ? `placeless\u0000${placelessText(asked)}` : asked !== docs ? JSON.stringify(asked) : text;
  return { text: keyed, account: renamed ? 'renamed' : '', docs: asked, places };
}

/**
 * Key of identity-policy questions, and the documents to answer it from: the documents (with the principal's
 * account renamed where that is safe), and the account only where a variable may name it.
 */
export function identityKey(
  question: string,
  docs: readonly NamedDocument[],
  context: { account?: string; partition?: string },
): IdentityKey {
  if (!keeping) return { key: null, docs, places: null };
  const found = once(docs, `identity\u0000${context.account ?? ''}`, () => identityText(docs, context.account));
  if (found.text === null) return { key: null, docs, places: null };
  return { key: `${question}\u0000${context.partition ?? ''}\u0000${found.account}\u0000${found.text}`, docs: found.docs, places: found.places };
}

export interface IdentityKey {
  key: string | null;
  /** The documents to answer from. */
  docs: readonly NamedDocument[];
  /** Their statements' places when the key leaves them out (see `memoizedPlaced`). */
  places: Place[] | null;
}

/**
 * The answer to an identity question (`identityKey`), computed once per key: when the key leaves places out, the
 * answer is kept with the places it was computed for, and each of its items gets the asker's place of the same
 * statement.
 */
export function memoizedPlaced<T extends { items: readonly Place[] }>(asked: IdentityKey, compute: () => T): T {
  const places = asked.places;
  if (places === null) return memoized(asked.key, compute);
  const kept = memoized(asked.key, () => ({ answer: compute(), places }));
  if (kept.places === places) return kept.answer;
  const index = new Map(kept.places.map((place, i) => [placeKey(place), i]));
  return {
    ...kept.answer,
    items: kept.answer.items.map((item) => {
      const i = index.get(placeKey(item));
      if (i === undefined) throw new Error(`internal: no statement at ${placeKey(item)}`);
      const place = places[i]!;
      return { ...item, policy: place.policy, sid: place.sid, line: place.line };
    }),
  };
}

/** The documents with each Resource / NotResource item replaced by whether it matches `arn`; null: not fully known. */
function resourceText(docs: readonly NamedDocument[], arn: string): string | null {
  const matches = (items: unknown[] | undefined) =>
    items?.map((item) => (typeof item !== 'string' ? '$unknown' : item.includes('${') ? item : matchTri(item, arn, true, false)));
  const text = JSON.stringify(
    docs.map((doc) => ({
      ...doc,
      document: isUnknown(doc.document)
        ? '$unknown'
        : doc.document && {
            statements: doc.document.statements.map((s) => ({ ...s, resource: matches(s.resource), notResource: matches(s.notResource) })),
          },
    })),
  );
  return fullyKnown(text) ? text : null;
}

/**
 * Key of resource-policy questions: the documents with each Resource / NotResource item replaced by whether it
 * matches the resource itself, those of `accounts` (the resource's own) the text names, and `extra` (the account
 * scope).
 */
export function resourceKey(
  question: string,
  docs: readonly NamedDocument[],
  own: { arn: unknown; partition?: string },
  accounts: readonly (string | undefined)[],
  extra: string,
): string | null {
  const arn = typeof own.arn === 'string' ? own.arn : readsNoResource(docs) ? null : undefined;
  if (arn === undefined) return null;
  const text = once(docs, `resource\u0000${arn ?? '\u0000none'}`, () => resourceText(docs, arn ?? '') ?? '');
  if (text === '') return null;
  const prefix = `${question}\u0000${own.partition ?? ''}\u0000${extra}`;
  // A variable may stand for the resource's account or partition: key on them exactly.
  if (text.includes('${')) return arn === null ? null : `${prefix}\u0000${accounts.join(',')}\u0000${arn}\u0000${text}`;
  const named = accounts.map((a) => (a !== undefined && text.includes(a) ? a : '')).join(',');
  return `${prefix}\u0000${named}\u0000${text}`;
}

/** No statement of the (known) documents has a Resource / NotResource: the resource itself is never read. */
function readsNoResource(docs: readonly NamedDocument[]): boolean {
  return docs.every((doc) => !isUnknown(doc.document) && (doc.document?.statements ?? []).every((s) => !s.resource && !s.notResource));
}

/** Forgets every kept answer, and keeps (and renames) from now on or not: tests compare both ways. */
export function forgetAnswers(keep = true): void {
  answers.clear();
  keeping = keep;
}
