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
// Only fully known input is keyed (an Unknown's identity matters, not just its text); anything with a `${…}`
// variable keys on the exact own resource and account. Otherwise nothing is memoized and the answer is computed.
import { isUnknown } from '../inventory/types.js';
import type { NamedDocument } from './iam-eval.js';
import { matchTri } from './iam-match.js';

/** More entries than this: the cache starts over (a run's distinct policies rarely come near it). */
const LIMIT = 10_000;
const answers = new Map<string, unknown>();

/** The answer under `key`, computed once; `key` null: computed every time. */
export function memoized<T>(key: string | null, compute: () => T): T {
  if (key === null) return compute();
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

/** Key of identity-policy questions: the documents, and the account only where a variable may name it. */
export function identityKey(question: string, docs: readonly NamedDocument[], context: { account?: string; partition?: string }): string | null {
  const text = JSON.stringify(docs);
  if (!fullyKnown(text)) return null;
  const account = text.includes('${') ? (context.account ?? '') : '';
  return `${question}\u0000${context.partition ?? ''}\u0000${account}\u0000${text}`;
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
  const arn = own.arn;
  if (typeof arn !== 'string') return null;
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
  if (!fullyKnown(text)) return null;
  const prefix = `${question}\u0000${own.partition ?? ''}\u0000${extra}`;
  // A variable may stand for the resource's account or partition: key on them exactly.
  if (text.includes('${')) return `${prefix}\u0000${accounts.join(',')}\u0000${arn}\u0000${text}`;
  const named = accounts.map((a) => (a !== undefined && text.includes(a) ? a : '')).join(',');
  return `${prefix}\u0000${named}\u0000${text}`;
}

/** Forgets every kept answer (tests compare kept answers with freshly computed ones). */
export function forgetAnswers(): void {
  answers.clear();
}
